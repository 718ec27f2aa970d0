// Keeps a public status page current from its event stream: each component_status frame
// sets the component's pill, then the overall line is worked out again; each status_report
// frame draws the report anew (a new one on top). The page is whole without it
// (server-rendered, the same markup); this only keeps it live.
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
  es.addEventListener("status_report", (e) => {
    const r = JSON.parse(e.data);
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
  });
  es.addEventListener("component_status", (e) => {
    const d = JSON.parse(e.data);
    const li = document.querySelector(`[data-component-id="${CSS.escape(d.component_id)}"]`);
    if (!li) return;
    li.className = `component ${d.status}`;
    const pill = li.querySelector(".pill");
    pill.className = `pill ${d.status}`;
    pill.textContent = d.status;
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
  });
})();
