import { useState } from "preact/hooks";
import { callApi } from "../client/api_client.ts";

type Badge = { badge_token: string; urls: { status: string; uptime: string; response: string } };

/** Turns a monitor's public badges on (a new token each time) or off, with Markdown to paste. */
export function BadgePanel({ monitorId, name }: { monitorId: string; name: string }) {
  const [badge, setBadge] = useState<Badge | null>(null);
  const [off, setOff] = useState(false);
  async function enable() {
    setBadge(await callApi<Badge>("POST", `/api/v1/monitors/${monitorId}/badge`));
    setOff(false);
  }
  async function disable() {
    await callApi("DELETE", `/api/v1/monitors/${monitorId}/badge`);
    setBadge(null);
    setOff(true);
  }
  // The preview loads from this origin (the page's CSP allows no other); the links are public.
  const local = (url: string) => {
    const u = new URL(url);
    return u.pathname + u.search;
  };
  const markdown = badge
    ? `![${name} status](${badge.urls.status}) ![uptime](${badge.urls.uptime})`
    : "";
  return (
    <section class="card badges">
      <h2>Badges</h2>
      {badge
        ? (
          <>
            <p>
              <img src={local(badge.urls.status)} alt={`${name} status`} />{" "}
              <img src={local(badge.urls.uptime)} alt="uptime" />{" "}
              <img src={local(badge.urls.response)} alt="response time" />
            </p>
            <pre><code>{markdown}</code></pre>
            <button
              type="button"
              class="button small"
              onClick={() => navigator.clipboard?.writeText(markdown)}
            >
              Copy Markdown
            </button>{" "}
            <button type="button" class="button small danger" onClick={disable}>
              Turn badges off
            </button>
          </>
        )
        : (
          <p>
            {off && <span class="muted">Badges are off; their old links answer 404.</span>}
            <button type="button" class="button small" onClick={enable}>
              Get badge links
            </button>{" "}
            <span class="muted">A new link each time; the previous one stops working.</span>
          </p>
        )}
    </section>
  );
}
