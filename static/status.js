// Keeps a public status page current from its event stream: each component_status frame
// sets the component's pill, then the overall line is worked out again. The page is whole
// without it (server-rendered); this only keeps it live.
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
