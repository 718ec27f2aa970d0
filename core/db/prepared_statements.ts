import { parse, type PGlite, protocol } from "@electric-sql/pglite";
import type { Row } from "./database.ts";

const { serialize } = protocol;

type RowDescription = InstanceType<typeof protocol.messages.RowDescriptionMessage>;

interface Statement {
  /** The name PostgreSQL knows the statement by in this session. */
  readonly name: string;
  /** The type of each parameter, as PostgreSQL inferred it when parsing. */
  readonly paramTypes: readonly number[];
  /** The columns of its rows; undefined for a statement that returns none. */
  readonly columns: RowDescription | undefined;
}

/**
 * PGlite's `query()` parses, describes and plans a statement every time it
 * runs it, in six round trips through the WebAssembly server. This cache
 * prepares each SQL text once, as a named statement, and then runs it with
 * one message (bind, execute, sync): a stored check result takes 2.3 ms
 * instead of 4.0 (bench/pglite_statements.ts; docs/BENCHMARKS.md, "PGlite's
 * statements prepared once"). Parameters and rows are converted
 * exactly as `query()` converts them, with PGlite's own serializers and
 * parsers. Beyond `limit` the least recently used statements are closed:
 * some statements are built per request (an update of chosen fields), and
 * each kept one holds ~20 KB of plans in the WebAssembly heap, which never
 * shrinks.
 *
 * The caller holds PGlite's query lock (`_runExclusiveQuery`) around `run`,
 * and its transaction lock when it runs outside a transaction, as `query()`
 * does.
 */
export class PreparedStatements {
  readonly #pg: PGlite;
  readonly #limit: number;
  /** By SQL text, least recently used first. */
  readonly #statements = new Map<string, Statement>();
  #named = 0;

  constructor(pg: PGlite, limit = 100) {
    this.#pg = pg;
    this.#limit = limit;
  }

  /** How many statements are prepared now. */
  get size(): number {
    return this.#statements.size;
  }

  async run<T = Row>(sql: string, params: readonly unknown[]): Promise<T[]> {
    try {
      return await this.#run<T>(sql, params);
    } catch (e) {
      // A statement prepared before a table changed shape (a migration)
      // cannot be planned again: PostgreSQL refuses a changed result type.
      // Prepare it anew, once.
      if (!isStaleStatement(e)) throw e;
      await this.#forget(sql);
      return await this.#run<T>(sql, params);
    }
  }

  async #run<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    const statement = await this.#prepared(sql);
    const values = params.map((value, i) => this.#serialize(value, statement.paramTypes[i]));
    const { messages } = await this.#pg.execProtocol(
      concat(
        serialize.bind({ statement: statement.name, values }),
        serialize.execute({}),
        serialize.sync(),
      ),
      { syncToFs: false },
    );
    const described = statement.columns ? [statement.columns, ...messages] : messages;
    const [result] = parse.parseResults(described, this.#pg.parsers);
    return (result?.rows ?? []) as T[];
  }

  async #prepared(sql: string): Promise<Statement> {
    const known = this.#statements.get(sql);
    if (known) {
      this.#statements.delete(sql);
      this.#statements.set(sql, known);
      return known;
    }
    const name = `vi_${++this.#named}`;
    const { messages } = await this.#pg.execProtocol(
      concat(
        serialize.parse({ name, text: sql }),
        serialize.describe({ type: "S", name }),
        serialize.sync(),
      ),
      { syncToFs: false },
    );
    const statement: Statement = {
      name,
      paramTypes: parse.parseDescribeStatementResults(messages),
      columns: messages.find((m): m is RowDescription => m.name === "rowDescription"),
    };
    this.#statements.set(sql, statement);
    if (this.#statements.size > this.#limit) {
      const [oldest] = this.#statements.keys();
      await this.#forget(oldest);
    }
    return statement;
  }

  async #forget(sql: string): Promise<void> {
    const statement = this.#statements.get(sql);
    if (!statement) return;
    this.#statements.delete(sql);
    // Inside a failed transaction PostgreSQL still closes a statement; an
    // error here would only leave it prepared, so it is not raised.
    await this.#pg.execProtocol(
      concat(serialize.close({ type: "S", name: statement.name }), serialize.sync()),
      { syncToFs: false, throwOnError: false },
    );
  }

  #serialize(value: unknown, type: number): string | null {
    if (value === null || value === undefined) return null;
    const serializer = this.#pg.serializers[type];
    return serializer ? serializer(value) : String(value);
  }
}

function isStaleStatement(e: unknown): boolean {
  return e instanceof protocol.messages.DatabaseError && e.code === "0A000" &&
    e.message.includes("cached plan must not change result type");
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
