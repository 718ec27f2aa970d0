import { useEffect } from "preact/hooks";
import {
  connectEventStream,
  connectionStatus,
  disconnectEventStream,
  retryEventStream,
} from "../client/event_stream.ts";

const LABELS = {
  connecting: "Connecting…",
  connected: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

/**
 * The dashboard layout's connection badge. Mounting it connects the page to
 * the event stream; unmounting disconnects.
 */
export default function ConnectionBadge() {
  useEffect(() => {
    connectEventStream();
    return () => disconnectEventStream();
  }, []);
  const status = connectionStatus.value;
  return (
    <span class={`conn conn-${status}`} data-connection={status} role="status" aria-live="polite">
      <span class="conn-dot" aria-hidden="true"></span>
      {LABELS[status]}
      {status === "offline" && (
        <button
          type="button"
          class="link-button"
          onClick={() => retryEventStream()}
        >
          Retry
        </button>
      )}
    </span>
  );
}
