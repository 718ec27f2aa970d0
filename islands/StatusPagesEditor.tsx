import { useState } from "preact/hooks";
import { callApi } from "../client/api_client.ts";
import type { StatusPage } from "../client/types.ts";
import { ReportsPanel } from "../components/ReportsPanel.tsx";
import { useForm } from "../components/use_form.ts";

type Pick = { on: boolean; name: string; group: string };
type Draft = {
  slug: string;
  title: string;
  description: string;
  custom_domain: string;
  published: boolean;
  show_response_times: boolean;
  picks: Record<string, Pick>;
};

function draftOf(monitors: { id: string; name: string }[], page?: StatusPage): Draft {
  const picks: Record<string, Pick> = {};
  for (const m of monitors) {
    const c = page?.components.find((x) => x.monitor_id === m.id);
    picks[m.id] = { on: Boolean(c), name: c?.name ?? m.name, group: c?.group ?? "" };
  }
  return {
    slug: page?.slug ?? "",
    title: page?.title ?? "",
    description: page?.description ?? "",
    custom_domain: page?.custom_domain ?? "",
    published: page?.published ?? true,
    show_response_times: page?.show_response_times ?? false,
    picks,
  };
}

function PageForm(
  { page, monitors, onSaved, onCancel }: {
    page?: StatusPage;
    monitors: { id: string; name: string }[];
    onSaved: (p: StatusPage) => void;
    onCancel?: () => void;
  },
) {
  const p = page ? `page-${page.id}` : "page-new";
  const { fields: d, error, busy, set, setField, submit } = useForm(
    () => draftOf(monitors, page),
    (d) => {
      const body = {
        slug: d.slug.trim(),
        title: d.title,
        description: d.description.trim() === "" ? null : d.description,
        custom_domain: d.custom_domain.trim() === "" ? null : d.custom_domain.trim(),
        published: d.published,
        show_response_times: d.show_response_times,
        components: monitors.filter((m) => d.picks[m.id]?.on).map((m) => ({
          monitor_id: m.id,
          name: d.picks[m.id].name.trim() || m.name,
          group: d.picks[m.id].group.trim() || null,
        })),
      };
      return page
        ? callApi<StatusPage>("PATCH", `/api/v1/status-pages/${page.id}`, body)
        : callApi<StatusPage>("POST", "/api/v1/status-pages", body);
    },
    { onSaved, resetAfterSave: !page },
  );
  const msg = (path: string) => {
    const m = error?.fieldMessage(path);
    return m && <span class="field-error" role="alert">{m}</span>;
  };
  const pick = (id: string, change: Partial<Pick>) =>
    setField("picks", { ...d.picks, [id]: { ...d.picks[id], ...change } });
  return (
    <form class="card page-form" onSubmit={submit} noValidate data-form={p}>
      <h2>{page ? `Edit ${page.title}` : "New status page"}</h2>
      {error && !error.body?.error.details && <p class="form-error" role="alert">{error.message}
      </p>}
      <div class="form-grid">
        <div class="field">
          <label for={`${p}-title`}>Title</label>
          <input id={`${p}-title`} value={d.title} onInput={set("title")} maxLength={100} />
          {msg("title")}
        </div>
        <div class="field">
          <label for={`${p}-slug`}>Address</label>
          <input id={`${p}-slug`} value={d.slug} onInput={set("slug")} placeholder="acme" />
          {msg("slug") || <span class="field-hint">/status/… (a-z, 0-9, -)</span>}
        </div>
        <div class="field">
          <label for={`${p}-domain`}>Custom domain</label>
          <input
            id={`${p}-domain`}
            value={d.custom_domain}
            onInput={set("custom_domain")}
            placeholder="status.example.com"
          />
          {msg("custom_domain") || (
            <span class="field-hint">
              optional; point it at this server
            </span>
          )}
        </div>
        <div class="field">
          <label for={`${p}-description`}>Description</label>
          <input id={`${p}-description`} value={d.description} onInput={set("description")} />
        </div>
        <fieldset class="field channel-choice">
          <legend>Components</legend>
          {monitors.length === 0 && <span class="field-hint">Add monitors first.</span>}
          {monitors.map((m) => (
            <div class="component-pick" key={m.id}>
              <label>
                <input
                  type="checkbox"
                  checked={d.picks[m.id]?.on}
                  onChange={(e) =>
                    pick(m.id, { on: (e.currentTarget as HTMLInputElement).checked })}
                />{" "}
                {m.name}
              </label>
              {d.picks[m.id]?.on && (
                <>
                  <input
                    aria-label={`Public name of ${m.name}`}
                    value={d.picks[m.id].name}
                    onInput={(e) =>
                      pick(m.id, { name: (e.currentTarget as HTMLInputElement).value })}
                  />
                  <input
                    aria-label={`Group of ${m.name}`}
                    placeholder="group (optional)"
                    value={d.picks[m.id].group}
                    onInput={(e) =>
                      pick(m.id, { group: (e.currentTarget as HTMLInputElement).value })}
                  />
                </>
              )}
            </div>
          ))}
          {msg("components")}
        </fieldset>
        <div class="field field-check">
          <label>
            <input type="checkbox" checked={d.published} onChange={set("published")} /> Published
          </label>
          <label>
            <input
              type="checkbox"
              checked={d.show_response_times}
              onChange={set("show_response_times")}
            />{" "}
            Show response times
          </label>
        </div>
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {page ? "Save" : "Create page"}
        </button>
        {onCancel && <button type="button" class="button" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}

/** The tenant's status pages: create, edit, open, delete. */
export default function StatusPagesEditor(
  { pages: initial, monitors }: { pages: StatusPage[]; monitors: { id: string; name: string }[] },
) {
  const [pages, setPages] = useState(initial);
  const [editing, setEditing] = useState<string | null>(null);
  async function remove(page: StatusPage) {
    if (!confirm(`Delete the status page ${page.title}?`)) return;
    await callApi("DELETE", `/api/v1/status-pages/${page.id}`);
    setPages(pages.filter((x) => x.id !== page.id));
  }
  return (
    <div class="status-pages">
      <h1>Status pages</h1>
      <PageForm monitors={monitors} onSaved={(page) => setPages([...pages, page])} />
      {pages.length === 0
        ? <p class="empty">No status page yet: tell your users how things are.</p>
        : (
          <ul class="rule-list">
            {pages.map((page) => (
              <li key={page.id} class="card" data-page-id={page.id}>
                {editing === page.id
                  ? (
                    <PageForm
                      page={page}
                      monitors={monitors}
                      onSaved={(saved) => {
                        setPages(pages.map((x) => (x.id === saved.id ? saved : x)));
                        setEditing(null);
                      }}
                      onCancel={() => setEditing(null)}
                    />
                  )
                  : (
                    <div class="rule">
                      <div>
                        <strong>{page.title}</strong>{" "}
                        {!page.published && <span class="muted">(not published)</span>}
                        <div class="muted">
                          <a href={`/status/${page.slug}`} target="_blank" rel="noopener">
                            /status/{page.slug}
                          </a>{" "}
                          · {page.components.length}{" "}
                          component{page.components.length === 1 ? "" : "s"}
                          {page.custom_domain && ` · ${page.custom_domain}`}
                        </div>
                      </div>
                      <div class="actions">
                        <button
                          type="button"
                          class="button small"
                          onClick={() => setEditing(page.id)}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          class="button small danger"
                          onClick={() => remove(page)}
                        >
                          Delete
                        </button>
                      </div>
                    </div>
                  )}
                {editing !== page.id && <ReportsPanel pageId={page.id} />}
              </li>
            ))}
          </ul>
        )}
    </div>
  );
}
