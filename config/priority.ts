/**
 * `priority` (recent dstack, since 0.19.10): runs with a higher priority are provisioned first.
 */
import { GrammarError, show, toRecentInt } from "./coerce";

/** The lowest `priority`, also what the server uses when it is unset. */
export const PRIORITY_MIN = 0;
/** The highest `priority`. */
export const PRIORITY_MAX = 100;

/** `priority`: an integer from 0 to 100 (coerced as `toRecentInt` does); null when unset. */
export function parsePriority(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const priority = toRecentInt(value);
  if (priority < PRIORITY_MIN || priority > PRIORITY_MAX) {
    throw new GrammarError(`priority must be between ${PRIORITY_MIN} and ${PRIORITY_MAX}, got ${show(value)}`, "invalid_range");
  }
  return priority;
}
