/** A monitor status shown by icon and text as well as colour. */
export function StatusBadge({ status }: { status: "up" | "down" | "pending" | "paused" }) {
  const icon = { up: "▲", down: "▼", pending: "●", paused: "❚❚" }[status];
  const label = { up: "Up", down: "Down", pending: "Pending", paused: "Paused" }[status];
  return (
    <span class={`status status-${status}`} data-status={status}>
      <span class="status-icon" aria-hidden="true">{icon}</span> {label}
    </span>
  );
}
