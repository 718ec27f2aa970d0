import type { Check } from "../client/types.ts";

/**
 * A response-time chart of recent checks as inline SVG (no chart library):
 * bars, red for failed checks, oldest on the left.
 */
export function ResponseChart({ checks }: { checks: Check[] }) {
  const points = checks.slice(-120);
  const width = 720, height = 160, pad = 4;
  const max = Math.max(100, ...points.map((c) => c.response_time_ms ?? 0));
  const bar = (width - pad * 2) / Math.max(points.length, 30);
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Response times of the last ${points.length} checks, up to ${max} ms`}
        preserveAspectRatio="none"
      >
        <line x1="0" x2={width} y1={height - pad} y2={height - pad} class="axis" />
        {points.map((c, i) => {
          const h = c.response_time_ms === null
            ? height - pad * 2
            : Math.max(2, ((c.response_time_ms) / max) * (height - pad * 2));
          return (
            <rect
              key={c.checked_at}
              x={pad + i * bar}
              y={height - pad - h}
              width={Math.max(1, bar - 1)}
              height={h}
              class={c.success ? "bar-up" : "bar-down"}
            >
              <title>
                {`${c.checked_at}: ${c.response_time_ms ?? "–"} ms${
                  c.success ? "" : ` (${c.error_message})`
                }`}
              </title>
            </rect>
          );
        })}
      </svg>
      <figcaption class="muted small" data-points={points.length}>
        {points.length} recent checks · peak {max} ms
      </figcaption>
    </figure>
  );
}
