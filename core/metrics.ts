/** Histogram bucket upper bounds for check durations, in seconds. */
const DURATION_BUCKETS = [
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
  30,
  60,
];

/**
 * The process's Prometheus metrics. Owned by `main.ts` and passed down; gauges
 * that live elsewhere (open streams) are read through callbacks at scrape time.
 */
export class Metrics {
  sseEventsPublished = 0;
  sseSlowClientDisconnects = 0;
  checksTotal = { success: 0, failure: 0 };
  schedulerLagSeconds = 0;
  checkWorkerRestarts = 0;
  /** Check results dropped because storing kept failing past the backlog bound. */
  checkResultsDropped = 0;
  #durationCounts = new Array<number>(DURATION_BUCKETS.length).fill(0);
  #durationSum = 0;
  #durationCount = 0;
  /** Notification attempts by channel type and result. */
  #notifications = new Map<string, number>();
  #gauges = new Map<string, { help: string; read: () => number }>();

  /** Records one check's duration. */
  observeCheckDuration(seconds: number): void {
    for (let i = 0; i < DURATION_BUCKETS.length; i++) {
      if (seconds <= DURATION_BUCKETS[i]) this.#durationCounts[i]++;
    }
    this.#durationSum += seconds;
    this.#durationCount++;
  }

  /** Counts one notification attempt. */
  countNotification(type: string, result: "delivered" | "failed" | "retry"): void {
    const key = `${type}|${result}`;
    this.#notifications.set(key, (this.#notifications.get(key) ?? 0) + 1);
  }

  /** Registers a gauge read when scraped. */
  gauge(name: string, help: string, read: () => number): void {
    this.#gauges.set(name, { help, read });
  }

  /** The Prometheus text exposition. */
  render(): string {
    const out: string[] = [];
    const line = (
      name: string,
      type: string,
      help: string,
      samples: string[],
    ) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
    };
    for (const [name, g] of this.#gauges) {
      line(name, "gauge", g.help, [`${name} ${g.read()}`]);
    }
    line(
      "vinsight_sse_events_published_total",
      "counter",
      "Events handed to the SSE hub.",
      [
        `vinsight_sse_events_published_total ${this.sseEventsPublished}`,
      ],
    );
    line(
      "vinsight_sse_slow_client_disconnects_total",
      "counter",
      "Streams closed because their buffer overflowed.",
      [`vinsight_sse_slow_client_disconnects_total ${this.sseSlowClientDisconnects}`],
    );
    line("vinsight_checks_total", "counter", "Checks stored, by result.", [
      `vinsight_checks_total{result="success"} ${this.checksTotal.success}`,
      `vinsight_checks_total{result="failure"} ${this.checksTotal.failure}`,
    ]);
    const buckets = DURATION_BUCKETS.map((b, i) =>
      `vinsight_check_duration_seconds_bucket{le="${b}"} ${this.#durationCounts[i]}`
    );
    line(
      "vinsight_check_duration_seconds",
      "histogram",
      "Duration of checks.",
      [
        ...buckets,
        `vinsight_check_duration_seconds_bucket{le="+Inf"} ${this.#durationCount}`,
        `vinsight_check_duration_seconds_sum ${this.#durationSum}`,
        `vinsight_check_duration_seconds_count ${this.#durationCount}`,
      ],
    );
    line(
      "vinsight_scheduler_lag_seconds",
      "gauge",
      "How late the last claimed batch of due monitors was.",
      [`vinsight_scheduler_lag_seconds ${this.schedulerLagSeconds}`],
    );
    line(
      "vinsight_notifications_total",
      "counter",
      "Notification attempts, by channel type and result (delivered, retry, failed).",
      [...this.#notifications].map(([key, n]) => {
        const [type, result] = key.split("|");
        return `vinsight_notifications_total{type="${type}",result="${result}"} ${n}`;
      }),
    );
    line(
      "vinsight_check_worker_restarts_total",
      "counter",
      "Times the check worker was restarted after a crash or silence.",
      [`vinsight_check_worker_restarts_total ${this.checkWorkerRestarts}`],
    );
    line(
      "vinsight_check_results_dropped_total",
      "counter",
      "Check results dropped because the database refused them longer than the backlog holds.",
      [`vinsight_check_results_dropped_total ${this.checkResultsDropped}`],
    );
    return out.join("\n") + "\n";
  }
}
