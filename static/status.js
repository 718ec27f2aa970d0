// Keeps a public status page current from its event stream: each component_status frame
// sets the component's pill, then the overall line is worked out again; each status_report
// frame draws the report anew (a new one on top). Once connected it reads the page's JSON
// again, for what changed between the render and the connection (and after a `reset`, for what
// changed while it was away). The page is whole without it (server-rendered, the same markup);
// this only keeps it live.
(() => {
  const slug = document.body.dataset.slug;
  if (!slug || typeof EventSource !== "function") return;
  const words = {
    operational: "All systems operational",
    degraded: "Some systems are down",
    outage: "Major outage",
    maintenance: "Under maintenance",
  };
  const es = new EventSource(`/api/v1/public/status/${encodeURIComponent(slug)}/events`);
  const el = (tag, props, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  };
  // Components and reports a frame has set since the stream opened: newer than any answer
  // fetched meanwhile.
  const fresh = new Set();
  const drawReport = (r) => {
    const section = el(
      "section",
      { className: `card report ${r.status}` },
      el("h2", { textContent: r.title }),
      el(
        "ol",
        { className: "report-updates" },
        ...[...r.updates].reverse().map((u) =>
          el(
            "li",
            {},
            el("strong", { textContent: u.status }),
            " ",
            el("span", {
              className: "muted",
              textContent: `${u.at.slice(0, 16).replace("T", " ")} UTC`,
            }),
            el("p", { textContent: u.message }),
          )
        ),
      ),
    );
    section.dataset.reportId = r.id;
    const old = document.querySelector(`[data-report-id="${CSS.escape(r.id)}"]`);
    if (old) old.replaceWith(section);
    else document.querySelector(".overall").after(section);
  };
  const setComponent = (id, status) => {
    const li = document.querySelector(`[data-component-id="${CSS.escape(id)}"]`);
    if (!li) return;
    li.className = `component ${status}`;
    const pill = li.querySelector(".pill");
    pill.className = `pill ${status}`;
    pill.textContent = status;
    const all = [...document.querySelectorAll(".component")].map((x) => x.classList[1]);
    const counted = all.filter((x) => x !== "pending");
    const down = counted.filter((x) => x === "down").length;
    const overall = counted.length && down === counted.length
      ? "outage"
      : down
      ? "degraded"
      : counted.includes("maintenance")
      ? "maintenance"
      : "operational";
    const line = document.querySelector(".overall");
    line.className = `overall ${overall}`;
    line.dataset.status = overall;
    line.textContent = words[overall];
  };
  es.addEventListener("status_report", (e) => {
    const r = JSON.parse(e.data);
    fresh.add(r.id);
    drawReport(r);
  });
  es.addEventListener("component_status", (e) => {
    const d = JSON.parse(e.data);
    fresh.add(d.component_id);
    setComponent(d.component_id, d.status);
  });
  // What changed between the render and the first connection is not on the stream: read the
  // page once more (the server's copy, revalidated by ETag) and apply what no frame has since.
  // A `reset` (the viewer was away longer than the server replays) starts that over.
  const catchUp = async () => {
    try {
      const res = await fetch(`/api/v1/public/status/${encodeURIComponent(slug)}`, {
        cache: "no-cache",
      });
      if (!res.ok) return;
      const page = await res.json();
      for (const c of page.components) if (!fresh.has(c.id)) setComponent(c.id, c.status);
      for (const r of [...page.reports].reverse()) if (!fresh.has(r.id)) drawReport(r);
    } catch {
      // the page stays as it is; frames still arrive
    }
  };
  let caughtUp = false;
  es.addEventListener("open", () => {
    if (caughtUp) return;
    caughtUp = true;
    catchUp();
  });
  es.addEventListener("reset", () => {
    fresh.clear();
    catchUp();
  });
})();
