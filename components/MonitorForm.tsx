import { callApi } from "../client/api_client.ts";
import type { Monitor } from "../client/types.ts";
import { numberField, useForm } from "./use_form.ts";

type Kind = "http" | "tcp" | "dns" | "push";

type Fields = {
  type: Kind;
  name: string;
  interval_seconds: string;
  timeout_ms: string;
  // http
  url: string;
  method: string;
  expected_status: string;
  keyword: string;
  keyword_absent: boolean;
  ignore_tls_errors: boolean;
  /** One `Name: value` per line. */
  headers: string;
  body: string;
  /** `$.path op value`, e.g. `$.status == "ok"`. */
  json_assertion: string;
  follow_redirects: boolean;
  max_redirects: string;
  // tcp
  host: string;
  port: string;
  // dns
  hostname: string;
  record_type: string;
  expected: string;
  resolver: string;
  // push
  grace_seconds: string;
};

function assertionText(a: Monitor["json_assertion"]): string {
  return a ? `${a.path} ${a.op} ${JSON.stringify(a.value)}` : "";
}

/** `$.a.b == "ok"` → `{path, op, value}`; text the API will refuse goes as it is. */
function parseAssertion(text: string): unknown {
  const m = /^\s*(\$\S*)\s*(==|!=|<|>|contains)\s*(.+?)\s*$/.exec(text);
  if (!m) return { path: text.trim(), op: "==", value: null };
  let value: unknown = m[3];
  try {
    value = JSON.parse(m[3]);
  } catch {
    // a bare word is a string
  }
  return { path: m[1], op: m[2], value };
}

function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

function initial(m?: Monitor): Fields {
  return {
    type: (m?.type as Kind) ?? "http",
    name: m?.name ?? "",
    interval_seconds: String(m?.interval_seconds ?? 60),
    timeout_ms: String(m?.timeout_ms ?? 10000),
    url: m?.url ?? "https://",
    method: m?.method ?? "GET",
    expected_status: m?.expected_status ?? "200-399",
    keyword: m?.keyword ?? "",
    keyword_absent: m?.keyword_absent ?? false,
    ignore_tls_errors: m?.ignore_tls_errors ?? false,
    headers: Object.entries(m?.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join("\n"),
    body: m?.body ?? "",
    json_assertion: assertionText(m?.json_assertion ?? null),
    follow_redirects: m?.follow_redirects ?? true,
    max_redirects: String(m?.max_redirects ?? 10),
    host: m?.host ?? "",
    port: m?.port ? String(m.port) : "",
    hostname: m?.hostname ?? "",
    record_type: m?.record_type ?? "A",
    expected: m?.expected ?? "",
    resolver: m?.resolver ?? "",
    grace_seconds: String(m?.grace_seconds ?? 60),
  };
}

/** The body the API takes for a monitor of the form's kind: only that kind's fields. */
function bodyOf(f: Fields, editing: boolean): Record<string, unknown> {
  const common = {
    ...(editing ? {} : { type: f.type }),
    name: f.name,
    interval_seconds: numberField(f.interval_seconds),
  };
  switch (f.type) {
    case "tcp":
      return {
        ...common,
        timeout_ms: numberField(f.timeout_ms),
        host: f.host.trim(),
        port: numberField(f.port),
      };
    case "dns":
      return {
        ...common,
        timeout_ms: numberField(f.timeout_ms),
        hostname: f.hostname.trim(),
        record_type: f.record_type,
        expected: f.expected.trim() === "" ? null : f.expected.trim(),
        resolver: f.resolver.trim() === "" ? null : f.resolver.trim(),
      };
    case "push":
      return { ...common, grace_seconds: numberField(f.grace_seconds) };
    default:
      return {
        ...common,
        timeout_ms: numberField(f.timeout_ms),
        url: f.url.trim(),
        method: f.method,
        expected_status: f.expected_status.trim(),
        keyword: f.keyword === "" ? null : f.keyword,
        keyword_absent: f.keyword_absent,
        ignore_tls_errors: f.ignore_tls_errors,
        headers: parseHeaders(f.headers),
        body: f.body === "" ? null : f.body,
        json_assertion: f.json_assertion.trim() === "" ? null : parseAssertion(f.json_assertion),
        follow_redirects: f.follow_redirects,
        max_redirects: numberField(f.max_redirects),
      };
  }
}

/** The text fields of each kind: key, label, hint, input type. */
const KIND_FIELDS: Record<Kind, [keyof Fields, string, string?, string?][]> = {
  http: [
    ["url", "URL", undefined, "url"],
    ["expected_status", "Expected status", "e.g. 200-399 or 200,204"],
    ["keyword", "Keyword", "optional"],
    ["json_assertion", "JSON assertion", 'optional, e.g. $.status == "ok"'],
    ["max_redirects", "Max redirects", "0 – 20"],
  ],
  tcp: [["host", "Host", "name or IP address"], ["port", "Port", "1 – 65535"]],
  dns: [
    ["hostname", "Host name"],
    ["expected", "Expected answer", "optional, e.g. 203.0.113.7"],
    ["resolver", "Resolver", "optional ip or ip:port"],
  ],
  push: [["grace_seconds", "Grace (s)", "how late a ping may be"]],
};

/**
 * Adds or edits a monitor of any kind, showing only that kind's fields. The
 * API validates; its messages appear beside the fields they concern.
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
      const body = bodyOf(f, Boolean(monitor));
      return monitor
        ? callApi<Monitor>("PATCH", `/api/v1/monitors/${monitor.id}`, body)
        : callApi<Monitor>("POST", "/api/v1/monitors", body);
    },
    { onSaved, resetAfterSave: !monitor },
  );

  const field = (key: string, label: string, input: preact.JSX.Element, hint?: string) => {
    const message = error?.fieldMessage(key) ??
      (key === "json_assertion" ? error?.fieldMessage("json_assertion.path") : undefined);
    return (
      <div class={`field ${message ? "field-invalid" : ""}`} key={key}>
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
  const text = (key: keyof Fields, label: string, hint?: string, type = "text") =>
    field(
      key,
      label,
      <input
        id={`${idp}-${key}`}
        name={key}
        type={type}
        inputMode={/seconds|port|redirects|_ms/.test(key) ? "numeric" : undefined}
        value={String(f[key])}
        onInput={set(key)}
        {...described(key)}
      />,
      hint,
    );
  const check = (key: keyof Fields, label: string) => (
    <div class="field field-check" key={key}>
      <label>
        <input type="checkbox" name={key} checked={Boolean(f[key])} onChange={set(key)} /> {label}
      </label>
    </div>
  );

  return (
    <form class="monitor-form card" onSubmit={submit} noValidate data-form={idp}>
      <h3>{monitor ? `Edit ${monitor.name}` : "Add a monitor"}</h3>
      {error && !error.body?.error.details && <p class="form-error" role="alert">{error.message}
      </p>}
      <div class="form-grid">
        {field(
          "type",
          "Kind",
          <select
            id={`${idp}-type`}
            name="type"
            value={f.type}
            onChange={set("type")}
            disabled={Boolean(monitor)}
          >
            <option value="http">HTTP(S)</option>
            <option value="tcp">TCP port</option>
            <option value="dns">DNS record</option>
            <option value="push">Push (cron job heartbeat)</option>
          </select>,
        )}
        {text("name", "Name")}
        {f.type === "http" && field(
          "method",
          "Method",
          <select id={`${idp}-method`} name="method" value={f.method} onChange={set("method")}>
            {["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].map((m) => (
              <option key={m} value={m}>{m}</option>
            ))}
          </select>,
        )}
        {f.type === "dns" && field(
          "record_type",
          "Record",
          <select
            id={`${idp}-record_type`}
            name="record_type"
            value={f.record_type}
            onChange={set("record_type")}
          >
            {["A", "AAAA", "CNAME", "MX", "TXT", "NS"].map((r) => (
              <option key={r} value={r}>{r}</option>
            ))}
          </select>,
        )}
        {KIND_FIELDS[f.type].map(([key, label, hint, type]) => text(key, label, hint, type))}
        {text("interval_seconds", f.type === "push" ? "Period (s)" : "Interval (s)", "10 – 86400")}
        {f.type !== "push" && text("timeout_ms", "Timeout (ms)", "100 – 60000")}
        {f.type === "http" && field(
          "headers",
          "Request headers",
          <textarea
            id={`${idp}-headers`}
            name="headers"
            rows={2}
            value={f.headers}
            onInput={set("headers")}
            placeholder="Authorization: Bearer …"
          />,
          "one Name: value per line; values are never shown again",
        )}
        {f.type === "http" && !["GET", "HEAD"].includes(f.method) && field(
          "body",
          "Request body",
          <textarea id={`${idp}-body`} name="body" rows={2} value={f.body} onInput={set("body")} />,
        )}
        {f.type === "http" && check("keyword_absent", "The keyword must NOT appear")}
        {f.type === "http" && check("follow_redirects", "Follow redirects")}
        {f.type === "http" && check("ignore_tls_errors", "Ignore TLS errors")}
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
