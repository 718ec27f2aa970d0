// The `monitor_check` data every fan-out server publishes, in plain JavaScript so
// the Deno servers (through _common.ts) and the Node.js peer import the same code.

/** The sent time, embedded where every server carries it: `s=<epoch ms with µs>`. */
export function payloadName() {
  return `s=${(performance.timeOrigin + performance.now()).toFixed(3)}`;
}

/** A successful check of one fixed monitor, named by its send time. */
export function sampleCheck() {
  return {
    monitor_id: "00000000-0000-4000-8000-000000000000",
    monitor_name: payloadName(),
    success: true,
    status_code: 200,
    response_time_ms: 42,
    error_message: null,
    ssl_valid: true,
    ssl_expires_at: "2027-01-01T00:00:00.000Z",
    checked_at: new Date().toISOString(),
  };
}
