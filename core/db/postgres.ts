import postgres from "postgres";
import { type Database, guardedTransaction, type Queryable, type Row } from "./database.ts";
import { withTimeout } from "../with_timeout.ts";

/** Options of {@linkcode openPostgres}. */
export interface PostgresOptions {
  /** Connections in the pool. @default 10 */
  max?: number;
}

/**
 * Connects to a PostgreSQL server through postgres.js. Several V-Insight
 * instances may share one server: the schedule is claimed with
 * `FOR UPDATE SKIP LOCKED` and events travel by LISTEN/NOTIFY.
 */
export function openPostgres(
  url: string,
  opts: PostgresOptions = {},
): Promise<Database> {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    connect_timeout: 5,
    idle_timeout: 60,
    onnotice: () => {},
    // Bigint ids and counts come back as JS numbers, as PGlite returns them.
    types: {
      bigint: {
        to: 20,
        from: [20],
        serialize: (x: number) => String(x),
        parse: (x: string) => Number(x),
      },
    },
  });
  const wrap = (q: postgres.Sql | postgres.TransactionSql): Queryable => ({
    async query<T = Row>(text: string, params: unknown[] = []) {
      // deno-lint-ignore no-explicit-any
      const rows = await q.unsafe(text, params as any[]);
      return rows as unknown as T[];
    },
    async exec(text: string) {
      await q.unsafe(text);
    },
  });
  const base = wrap(sql);
  const db: Database = {
    kind: "postgres",
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      return await sql.begin((tx) => guardedTransaction(wrap(tx), fn)) as Awaited<
        ReturnType<typeof fn>
      >;
    },
    /**
     * postgres.js re-listens once when its listening connection closes; if the
     * server is still down at that moment the subscription is silently lost.
     * So each listener also pings itself on a private channel every 2 s and
     * subscribes again when no ping came back for 6 s; `onReconnect` then
     * lets the caller fetch what it missed.
     */
    async listen(channel, onMessage, onReconnect) {
      const ping = `vinsight_ping_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
      let lastPong = Date.now();
      let first = true;
      let subs: { unlisten(): Promise<void> }[] = [];
      const subscribe = async () => {
        subs = [
          await sql.listen(channel, onMessage, () => {
            if (!first) onReconnect?.();
            first = false;
          }),
          await sql.listen(ping, () => {
            lastPong = Date.now();
          }),
        ];
      };
      await subscribe();
      let busy = false;
      const timer = setInterval(async () => {
        if (busy) return;
        busy = true;
        try {
          if (Date.now() - lastPong > 6000) {
            await Promise.allSettled(subs.map((s) => withTimeout(s.unlisten(), 2000)));
            await withTimeout(subscribe(), 5000);
            lastPong = Date.now();
          }
          await withTimeout(sql.unsafe("SELECT pg_notify($1, '')", [ping]), 2000);
        } catch {
          // still unreachable: try again on the next tick
        } finally {
          busy = false;
        }
      }, 2000);
      Deno.unrefTimer(timer);
      return async () => {
        clearInterval(timer);
        await Promise.allSettled(subs.map((s) => withTimeout(s.unlisten(), 2000)));
      };
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
  return Promise.resolve(db);
}
