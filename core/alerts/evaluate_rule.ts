import type { Condition } from "./schema.ts";

/** The part of a check that rules look at. */
export interface RuleCheck {
  success: boolean;
  response_time_ms: number | null;
  ssl_expires_at: string | null;
}

/** What a rule says about a monitor now. */
export type RuleState =
  | { active: true; value: number }
  | { active: false }
  | { active: null }; // not enough information: leave any incident as it is

/** What to do with the incident of one rule and monitor. */
export type RuleDecision =
  | { action: "open"; value: number }
  | { action: "resolve" }
  | { action: "none" };

const DAY_MS = 86_400_000;

/** How many recent checks a condition needs to decide. */
export function checksNeeded(condition: Condition): number {
  switch (condition.type) {
    case "consecutive_failures":
      return condition.count;
    case "response_time_above":
      return condition.for_checks;
    case "ssl_expires_within":
      return 1;
  }
}

/**
 * Evaluates a condition over a monitor's recent checks, newest first. Pure:
 * the clock is passed in.
 */
export function evaluateCondition(
  condition: Condition,
  checks: readonly RuleCheck[],
  now: Date,
): RuleState {
  if (checks.length === 0) return { active: null };
  switch (condition.type) {
    case "consecutive_failures": {
      if (checks[0].success) return { active: false };
      let run = 0;
      while (run < checks.length && !checks[run].success) run++;
      return run >= condition.count ? { active: true, value: run } : { active: false };
    }
    case "response_time_above": {
      const latest = checks.slice(0, condition.for_checks);
      if (latest.length < condition.for_checks) return { active: false };
      const slow = latest.every((c) =>
        c.response_time_ms !== null && c.response_time_ms > condition.ms
      );
      return slow
        ? { active: true, value: latest[0].response_time_ms as number }
        : { active: false };
    }
    case "ssl_expires_within": {
      const expires = checks[0].ssl_expires_at;
      if (expires === null) return { active: null };
      const daysLeft = Math.floor(
        (Date.parse(expires) - now.getTime()) / DAY_MS,
      );
      return daysLeft < condition.days ? { active: true, value: daysLeft } : { active: false };
    }
  }
}

/**
 * Decides what happens to a rule's incident for a monitor: open one when the
 * condition became true and none is open, resolve the open one when it is false.
 */
export function evaluateRule(
  condition: Condition,
  checks: readonly RuleCheck[],
  hasOpenIncident: boolean,
  now: Date,
): RuleDecision {
  const state = evaluateCondition(condition, checks, now);
  if (state.active === true && !hasOpenIncident) {
    return { action: "open", value: state.value };
  }
  if (state.active === false && hasOpenIncident) return { action: "resolve" };
  return { action: "none" };
}
