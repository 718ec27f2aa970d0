import { callApi } from "../client/api_client.ts";
import { numberField, useForm } from "./use_form.ts";
import type { Monitor } from "../client/types.ts";

type Fields = {
  name: string;
  url: string;
  method: "GET" | "HEAD";
  interval_seconds: string;
  timeout_ms: string;
  expected_status: string;
  keyword: string;
  ignore_tls_errors: boolean;
};

function initial(m?: Monitor): Fields {
  return {
    name: m?.name ?? "",
    url: m?.url ?? "https://",
    method: m?.method ?? "GET",
    interval_seconds: String(m?.interval_seconds ?? 60),
    timeout_ms: String(m?.timeout_ms ?? 10000),
    expected_status: m?.expected_status ?? "200-399",
    keyword: m?.keyword ?? "",
    ignore_tls_errors: m?.ignore_tls_errors ?? false,
  };
}

/**
 * Adds or edits a monitor. The API validates; its messages appear beside the
 * fields they concern.
 */
export function MonitorForm(
  { monitor, onSaved, onCancel }: {
    monitor?: Monitor;
    onSaved: (m: Monitor) => void;
    onCancel?: () => void;
  },
) {
  const idp = monitor ? `edit-${monitor.id}` : "new";
  const { fields: f, error, busy, set, submit } = useForm(
    () => initial(monitor),
    (f) => {
      const body = {
        name: f.name,
        url: f.url.trim(),
        method: f.method,
        interval_seconds: numberField(f.interval_seconds),
        timeout_ms: numberField(f.timeout_ms),
        expected_status: f.expected_status.trim(),
        keyword: f.keyword === "" ? null : f.keyword,
        ignore_tls_errors: f.ignore_tls_errors,
      };
      return monitor
        ? callApi<Monitor>("PATCH", `/api/v1/monitors/${monitor.id}`, body)
        : callApi<Monitor>("POST", "/api/v1/monitors", body);
    },
    { onSaved, resetAfterSave: !monitor },
  );

  const field = (
    key: keyof Fields,
    label: string,
    input: preact.JSX.Element,
    hint?: string,
  ) => {
    const message = error?.fieldMessage(key);
    return (
      <div class={`field ${message ? "field-invalid" : ""}`}>
        <label for={`${idp}-${key}`}>{label}</label>
        {input}
        {message
          ? <span class="field-error" id={`${idp}-${key}-error`} role="alert">{message}</span>
          : hint && <span class="field-hint">{hint}</span>}
      </div>
    );
  };
  const described = (key: string) =>
    error?.fieldMessage(key)
      ? { "aria-invalid": true, "aria-describedby": `${idp}-${key}-error` }
      : {};

  return (
    <form class="monitor-form card" onSubmit={submit} noValidate data-form={idp}>
      <h3>{monitor ? `Edit ${monitor.name}` : "Add a monitor"}</h3>
      {error && !error.body?.error.details && <p class="form-error" role="alert">{error.message}
      </p>}
      <div class="form-grid">
        {field(
          "name",
          "Name",
          <input
            id={`${idp}-name`}
            name="name"
            value={f.name}
            onInput={set("name")}
            required
            maxLength={100}
            {...described("name")}
          />,
        )}
        {field(
          "url",
          "URL",
          <input
            id={`${idp}-url`}
            name="url"
            type="url"
            value={f.url}
            onInput={set("url")}
            required
            {...described("url")}
          />,
        )}
        {field(
          "method",
          "Method",
          <select id={`${idp}-method`} name="method" value={f.method} onChange={set("method")}>
            <option value="GET">GET</option>
            <option value="HEAD">HEAD</option>
          </select>,
        )}
        {field(
          "interval_seconds",
          "Interval (s)",
          <input
            id={`${idp}-interval_seconds`}
            name="interval_seconds"
            inputMode="numeric"
            value={f.interval_seconds}
            onInput={set("interval_seconds")}
            {...described("interval_seconds")}
          />,
          "10 – 86400",
        )}
        {field(
          "timeout_ms",
          "Timeout (ms)",
          <input
            id={`${idp}-timeout_ms`}
            name="timeout_ms"
            inputMode="numeric"
            value={f.timeout_ms}
            onInput={set("timeout_ms")}
            {...described("timeout_ms")}
          />,
          "100 – 60000",
        )}
        {field(
          "expected_status",
          "Expected status",
          <input
            id={`${idp}-expected_status`}
            name="expected_status"
            value={f.expected_status}
            onInput={set("expected_status")}
            {...described("expected_status")}
          />,
          "e.g. 200-399 or 200,204",
        )}
        {field(
          "keyword",
          "Keyword",
          <input
            id={`${idp}-keyword`}
            name="keyword"
            value={f.keyword}
            onInput={set("keyword")}
            {...described("keyword")}
          />,
          "optional; must appear in the body",
        )}
        <div class="field field-check">
          <label>
            <input
              type="checkbox"
              name="ignore_tls_errors"
              checked={f.ignore_tls_errors}
              onChange={set("ignore_tls_errors")}
            />{" "}
            Ignore TLS errors
          </label>
        </div>
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? "Saving…" : monitor ? "Save" : "Add monitor"}
        </button>
        {onCancel && <button type="button" class="button" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
