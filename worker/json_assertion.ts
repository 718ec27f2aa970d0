/** A check on a JSON body (API.md: `$.a.b[0] == "ok"`). */
export interface JsonAssertion {
  path: string;
  op: "==" | "!=" | "<" | ">" | "contains";
  value: unknown;
}

/** The steps of a path like `$.items[0].state`: names and indexes. */
export function parsePath(path: string): (string | number)[] {
  if (!path.startsWith("$")) throw new RangeError(`path must start with $, got ${path}`);
  const steps: (string | number)[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) throw new RangeError(`cannot read the path ${path}`);
    steps.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  return steps;
}

function show(v: unknown): string {
  return v === undefined ? "nothing" : JSON.stringify(v);
}

/**
 * Checks an assertion on a body; `null` when it holds, else what a person
 * needs to read: `$.status is "degraded", expected == "ok"`. Pure.
 */
export function checkJsonAssertion(body: string, a: JsonAssertion): string | null {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return "JSON assertion: the body is not JSON";
  }
  let at: unknown = doc;
  for (const step of parsePath(a.path)) {
    if (at === null || typeof at !== "object") {
      at = undefined;
      break;
    }
    at = (at as Record<string | number, unknown>)[step];
  }
  let ok: boolean;
  switch (a.op) {
    case "==":
      ok = at !== undefined && JSON.stringify(at) === JSON.stringify(a.value);
      break;
    case "!=":
      ok = JSON.stringify(at) !== JSON.stringify(a.value);
      break;
    case "<":
    case ">": {
      const x = Number(at), y = Number(a.value);
      ok = typeof at !== "boolean" && at !== null && at !== undefined && at !== "" &&
        !Number.isNaN(x) && !Number.isNaN(y) && (a.op === "<" ? x < y : x > y);
      break;
    }
    case "contains":
      ok = typeof at === "string"
        ? at.includes(String(a.value))
        : Array.isArray(at) && at.some((x) => JSON.stringify(x) === JSON.stringify(a.value));
      break;
  }
  return ok
    ? null
    : `JSON assertion failed: ${a.path} is ${show(at)}, expected ${a.op} ${show(a.value)}`;
}
