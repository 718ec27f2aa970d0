import postgres from "postgres";
import type { Database, Queryable, Row } from "./database.ts";

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
      return await sql.begin((tx) => fn(wrap(tx))) as Awaited<
        ReturnType<typeof fn>
      >;
    },
    async listen(channel, onMessage, onReconnect) {
      let first = true;
      const sub = await sql.listen(channel, onMessage, () => {
        if (!first) onReconnect?.();
        first = false;
      });
      return async () => await sub.unlisten();
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
  return Promise.resolve(db);
}
