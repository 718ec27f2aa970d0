import { when } from "../client/format.ts";

/** A push monitor's latest calls, as its page lists them. */
export interface PushCallRow {
  kind: string;
  method: string;
  message: string | null;
  address: string | null;
  at: string;
}

/**
 * How a job reports to a push monitor: its URL with copyable `curl`, cron and
 * systemd examples, and the calls that came in.
 */
export function PushInstructions(
  { url, intervalSeconds, calls }: { url: string; intervalSeconds: number; calls: PushCallRow[] },
) {
  const minutes = Math.max(1, Math.round(intervalSeconds / 60));
  const cron = minutes >= 60 && minutes % 60 === 0
    ? `0 */${minutes / 60} * * *`
    : `*/${Math.min(minutes, 59)} * * * *`;
  const copy = (text: string) => () => navigator.clipboard?.writeText(text);
  const curl = `curl -fsS -m 10 --retry 3 ${url}`;
  const wrapped =
    `curl -fsS -m 10 ${url}/start && /usr/local/bin/backup.sh && curl -fsS -m 10 ${url} || curl -fsS -m 10 "${url}/fail?msg=backup+failed"`;
  const examples: [string, string][] = [
    ["Ping when the job succeeds", curl],
    ["Measure the run time, report failures", wrapped],
    ["crontab", `${cron} /usr/local/bin/backup.sh && ${curl}`],
    ["systemd (in the service)", `ExecStartPost=/usr/bin/curl -fsS -m 10 --retry 3 ${url}`],
  ];
  return (
    <section class="card push" data-push-url={url}>
      <h2>Push URL</h2>
      <p>
        Call it from the job with plain <code>curl</code> (GET or POST). Add <code>/start</code>
        {" "}
        before and <code>/fail</code> on failure; <code>?status=down</code>, <code>msg=</code> and
        {" "}
        <code>ping=</code> (ms) are optional.
      </p>
      <p>
        <code class="copy push-url">{url}</code>{" "}
        <button type="button" class="button small" onClick={copy(url)}>Copy</button>
      </p>
      {examples.map(([label, text]) => (
        <div class="example" key={label}>
          <div class="muted">{label}</div>
          <pre><code>{text}</code></pre>
          <button type="button" class="button small" onClick={copy(text)}>Copy</button>
        </div>
      ))}
      <h3>Last calls</h3>
      {calls.length === 0
        ? <p class="empty">No call yet: the monitor goes down when a period and its grace pass.</p>
        : (
          <table class="table compact push-calls">
            <tbody>
              {calls.map((c, i) => (
                <tr key={i}>
                  <td>{when(c.at)}</td>
                  <td>{c.kind}</td>
                  <td>{c.method}</td>
                  <td class="muted">{c.address ?? ""}</td>
                  <td class="error-text">{c.message ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
}
