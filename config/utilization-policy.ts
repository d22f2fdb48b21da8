/**
 * `utilization_policy` (recent dstack, since 0.18.44): stop a run whose GPUs stay below a
 * utilization threshold for a whole time window.
 */
import { checkKeys, ErrorSink, GrammarError, show, toRecentInt, toMapping } from "./coerce";
import { parseDuration } from "./duration";

/** The policy as recent dstack serialises it; `time_window` in seconds. */
export interface UtilizationPolicy {
  min_gpu_utilization: number;
  time_window: number;
}

/** The shortest `time_window` dstack accepts, in seconds (5m). */
export const MIN_TIME_WINDOW = 300;

const KEYS = ["min_gpu_utilization", "time_window"] as const;

/**
 * `utilization_policy`: `{min_gpu_utilization, time_window}`, both required;
 * `min_gpu_utilization` an integer percentage 0..100, `time_window` a duration of at least 5m.
 * Null when unset.
 */
export function parseUtilizationPolicy(value: unknown): UtilizationPolicy | null {
  if (value === null || value === undefined) return null;
  const mapping = toMapping(value, "a mapping with min_gpu_utilization and time_window");
  const sink = new ErrorSink();
  sink.run(null, () => checkKeys(mapping, KEYS, "utilization_policy"));
  const required = <T>(key: (typeof KEYS)[number], parse: (item: unknown) => T) =>
    sink.run(key, () => {
      if (mapping[key] === undefined) {
        throw new GrammarError(`utilization_policy needs ${key}, e.g. {min_gpu_utilization: 10, time_window: 30m}`, "missing_field");
      }
      return parse(mapping[key]);
    });
  const utilization = required("min_gpu_utilization", (item) => {
    const percent = toRecentInt(item);
    if (percent < 0 || percent > 100) throw new GrammarError(`min_gpu_utilization is a percentage from 0 to 100, got ${show(item)}`, "invalid_range");
    return percent;
  });
  const window = required("time_window", (item) => {
    const seconds = parseDuration(item);
    if (seconds < MIN_TIME_WINDOW) throw new GrammarError(`Minimum time_window is 5m (300 seconds), got ${show(item)}`, "invalid_range");
    return seconds;
  });
  sink.done(); // throws unless both parsed
  return { min_gpu_utilization: utilization!, time_window: window! };
}
