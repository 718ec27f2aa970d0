/** A row as the database returns it. */
export type Row = Record<string, unknown>;

/** Something SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one statement with `$1…` parameters and returns its rows. */
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
}

/**
 * The one database interface of V-Insight. Two adapters implement it: embedded
 * PGlite (`openPglite`) and a PostgreSQL server through postgres.js
 * (`openPostgres`). Both speak the same SQL.
 */
export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Listens on a notification channel. `onReconnect` is called when the listening
   * connection was re-established, since notifications may have been missed.
   * Resolves to a function that stops listening.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** A statement sent through a transaction whose callback had already settled. */
export class TransactionEndedError extends Error {
  constructor() {
    super("The transaction has ended; the statement was not sent");
    this.name = "TransactionEndedError";
  }
}

/**
 * Runs a transaction's callback with a handle that refuses statements from
 * the moment the callback settles. The adapters end the transaction after
 * that (COMMIT or ROLLBACK on its connection), so a statement started late —
 * by a continuation of a pipelined statement when a sibling had failed — is
 * refused instead of reaching the connection after the ROLLBACK and running
 * outside the transaction.
 */
export async function guardedTransaction<T>(
  tx: Queryable,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  let open = true;
  const guarded: Queryable = {
    query<R = Row>(sql: string, params?: unknown[]) {
      return open ? tx.query<R>(sql, params) : Promise.reject(new TransactionEndedError());
    },
    exec(sql: string) {
      return open ? tx.exec(sql) : Promise.reject(new TransactionEndedError());
    },
  };
  try {
    return await fn(guarded);
  } finally {
    open = false;
  }
}
