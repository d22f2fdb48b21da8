/**
 * Durations: `90` (seconds), `"90"`, `"30m"`, `"2 h"`, `"1d"`, `"1w"`; and the fields that can be
 * switched off with `off` (YAML `off` arrives as `false`).
 */
import { GrammarError, show } from "./coerce";
import { asciiDigits, isPyNumber, numberValue, parsePythonInt } from "./py-values";

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
/** Python's `re.match` with `$`, which also matches before a final newline (`\d` is any script's digit: match `asciiDigits`). */
const DURATION_TEXT = /^(\d+) *([smhdw])\n?$/;

/** The allowed forms, for messages. */
export const DURATION_FORMS = 'seconds (90) or a number with a unit s, m, h, d or w ("30m", "2h", "1d")';

/** dstack's base `Duration`: an int number of seconds (floats truncated, negative allowed). */
export function parseDuration(value: unknown): number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (isPyNumber(value)) {
    const number = numberValue(value);
    if (Number.isFinite(number)) return Math.trunc(number);
  }
  if (typeof value === "string") {
    const seconds = parsePythonInt(value);
    if (seconds !== null) return seconds;
    const match = DURATION_TEXT.exec(asciiDigits(value));
    if (match) return Number(match[1]) * UNIT_SECONDS[match[2]];
    throw new GrammarError(`cannot parse the duration ${show(value)}: use ${DURATION_FORMS}`, "invalid_value", [], durationHint(value));
  }
  throw new GrammarError(`expected a duration, ${DURATION_FORMS}; got ${show(value)}`, "invalid_type");
}

function durationHint(text: string): string | undefined {
  if (/^\d+ *[SMHDW]$/.test(text)) return `Units are lower-case: "${text.toLowerCase()}"`;
  if (/^\d+[smhdw]\d/.test(text)) return "Compound durations are not supported: give one unit, e.g. \"90m\"";
  if (/^\d+\.\d+ *[smhdw]$/.test(text)) return "Use a whole number, e.g. \"90m\" instead of \"1.5h\"";
  if (text === "OFF" || text === "Off") return 'Did you mean "off"?';
  return undefined;
}

/**
 * `max_duration` as dstack 0.18.2x reads it: `"off"` stays "off"; `false` (YAML `off`) is 0 and
 * `true` is 1 second (the seed's quirks); anything else is seconds, negative values included.
 */
export function parseSeedMaxDuration(value: unknown): number | "off" | null {
  if (value === null || value === undefined) return null;
  if (value === "off") return "off";
  return parseDuration(value);
}

/**
 * `stop_duration` and the like (recent dstack): `"off"`/`false` -> "off", `true`/null -> null
 * (the default), a negative value is an error, anything else seconds.
 */
export function parseOffDuration(value: unknown): number | "off" | null {
  if (value === null || value === undefined || value === true) return null;
  if (value === "off" || value === false) return "off";
  const seconds = parseDuration(value);
  if (seconds < 0) throw new GrammarError(`a duration cannot be negative, got ${show(value)}; use "off" to disable it`, "invalid_value");
  return seconds;
}

/** `inactivity_duration`: like `parseOffDuration`, but "off" means null (no limit); 0 stays 0. */
export function parseInactivityDuration(value: unknown): number | null {
  const parsed = parseOffDuration(value);
  return parsed === "off" ? null : parsed;
}

/** `idle_duration`: "off", `false` and -1 are -1; other negatives are kept; `true` is null. */
export function parseIdleDuration(value: unknown): number | null {
  if (value === null || value === undefined || value === true) return null;
  if (value === "off" || value === false) return -1;
  return parseDuration(value);
}
