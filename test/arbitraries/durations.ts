/**
 * fast-check arbitraries of the durations of generated dev-environment configurations
 * (max_duration, inactivity_duration, stop_duration, idle_duration and the like), each with the
 * seconds the reader should make of it.
 */
import fc from "fast-check";

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
/** A non-negative duration: seconds (int or text) or `<n><unit>`, and its seconds. */
export const durationArb: fc.Arbitrary<{ value: unknown; seconds: number }> = fc.oneof(
  fc.integer({ min: 0, max: 10_000_000 }).map((n) => ({ value: n, seconds: n })),
  fc.integer({ min: 0, max: 100_000 }).map((n) => ({ value: String(n), seconds: n })),
  fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.constantFrom("s", "m", "h", "d", "w"), fc.constantFrom("", " ")).map(([n, unit, space]) => ({
    value: `${n}${space}${unit}`,
    seconds: n * UNIT_SECONDS[unit],
  })),
);

/** `max_duration` as the reader (dstack 0.18.2x) reads it. */
export const maxDurationArb: fc.Arbitrary<{ value: unknown; expected: number | "off" | null }> = fc.oneof(
  durationArb.map((d) => ({ value: d.value, expected: d.seconds })),
  fc.constantFrom({ value: "off", expected: "off" as const }, { value: false, expected: 0 }, { value: null, expected: null }),
);

/** `inactivity_duration`: "off", false and true mean no limit (null). */
export const inactivityArb: fc.Arbitrary<{ value: unknown; expected: number | null }> = fc.oneof(
  durationArb.map((d) => ({ value: d.value, expected: d.seconds })),
  fc.constantFrom({ value: "off", expected: null }, { value: false, expected: null }, { value: true, expected: null }, { value: null, expected: null }),
);

/** A duration that can be switched off (`stop_duration`, `idle_duration`). */
export const offDurationArb: fc.Arbitrary<unknown> = fc.oneof(durationArb.map((d) => d.value), fc.constantFrom("off", false, true, null));
