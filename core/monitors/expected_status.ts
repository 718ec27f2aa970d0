/** Inclusive status ranges, e.g. `"200-299,304"` → `[[200, 299], [304, 304]]`. */
export type StatusRanges = [number, number][];

/**
 * Parses an `expected_status` such as `"200-399"` or `"200,204"`. Throws a
 * `RangeError` saying what is wrong; codes must lie within 100–599.
 */
export function parseExpectedStatus(text: string): StatusRanges {
  if (text.length === 0 || text.length > 200) {
    throw new RangeError("must be 1 to 200 characters");
  }
  const ranges: StatusRanges = [];
  for (const raw of text.split(",")) {
    const part = raw.trim();
    const m = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(part);
    if (!m) {
      throw new RangeError(
        `"${part}" is not a status code or range; use forms like 200-399 or 200,204`,
      );
    }
    const lo = Number(m[1]);
    const hi = m[2] ? Number(m[2]) : lo;
    if (lo < 100 || hi > 599) {
      throw new RangeError(`status codes must be within 100-599, got ${part}`);
    }
    if (lo > hi) throw new RangeError(`range ${part} runs backwards`);
    ranges.push([lo, hi]);
  }
  return ranges;
}
