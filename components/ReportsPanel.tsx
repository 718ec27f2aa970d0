import { useState } from "preact/hooks";
import { callApi } from "../client/api_client.ts";
import type { StatusReport } from "../client/types.ts";

const STAGES = ["investigating", "identified", "monitoring", "resolved"] as const;

/** A page's status reports: tell users what is going on, then post updates until resolved. */
export function ReportsPanel({ pageId }: { pageId: string }) {
  const [reports, setReports] = useState<StatusReport[] | null>(null);
  const [title, setTitle] = useState("");
  const [stage, setStage] = useState<string>("investigating");
  const [message, setMessage] = useState("");
  const [error, setError] = useState<string | null>(null);
  async function load() {
    const res = await callApi<{ reports: StatusReport[] }>(
      "GET",
      `/api/v1/status-pages/${pageId}/reports`,
    );
    setReports(res.reports);
  }
  async function send(e: Event, report?: StatusReport) {
    e.preventDefault();
    setError(null);
    try {
      if (report) {
        await callApi("POST", `/api/v1/status-reports/${report.id}/updates`, {
          status: stage,
          message,
        });
      } else {
        await callApi("POST", `/api/v1/status-pages/${pageId}/reports`, {
          title,
          status: stage,
          message,
        });
      }
      setTitle("");
      setMessage("");
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  }
  if (!reports) {
    return <button type="button" class="button small" onClick={load}>Status reports</button>;
  }
  const open = reports.find((r) => !r.resolved_at);
  return (
    <div class="reports">
      <form class="inline-form" onSubmit={(e) => send(e, open)} noValidate>
        <strong>{open ? `Update “${open.title}”` : "New report"}</strong>
        {!open && (
          <input
            aria-label="Title"
            placeholder="Title"
            value={title}
            onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)}
          />
        )}
        <select
          aria-label="Stage"
          value={stage}
          onChange={(e) => setStage((e.currentTarget as HTMLSelectElement).value)}
        >
          {STAGES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <input
          aria-label="Message"
          placeholder="What users should know"
          value={message}
          onInput={(e) => setMessage((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit" class="button small primary">
          {open ? "Post update" : "Publish"}
        </button>
        {error && <span class="field-error" role="alert">{error}</span>}
      </form>
      <ul class="report-list">
        {reports.map((r) => (
          <li key={r.id}>
            <strong>{r.title}</strong> <span class="muted">{r.status}</span>
            {" — "}
            {r.updates.at(-1)?.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
