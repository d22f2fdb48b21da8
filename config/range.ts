/**
 * Sizes and ranges: `512MB`, `24GB`, `1.5TB`; `2..8`, `24GB..`, `..80GB`, `{min, max}`.
 * Units are binary and the result is always a number of GB (`512MB` = 0.5).
 */
import { checkKeys, GrammarError, show, toInt, toMapping, within } from "./coerce";
import { isPyNumber, numberValue, parsePythonFloat, pythonFloatRepr } from "./py-values";

/** An inclusive range; a null bound is open. Never both null. */
export interface Range {
  min: number | null;
  max: number | null;
}

/** The forms a size may take, for messages. */
export const SIZE_FORMS = "a number of GB or a number with MB, GB or TB (512MB, 24GB, 1.5TB)";

/** A size must be a finite number: nan and inf are refused (leave a bound out for "no limit"). */
function finiteSize(size: number, value: unknown): number {
  if (Number.isFinite(size)) return size;
  throw new GrammarError(`invalid size ${show(value)}: a size is a finite number; leave a bound empty for "no limit" (24GB..)`, "invalid_value");
}

/** A size in GB: a number (GB) or text with an optional MB/GB/TB unit, any case, spaces ignored. */
export function parseMemory(value: unknown): number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (isPyNumber(value)) return finiteSize(numberValue(value), value);
  if (typeof value !== "string") {
    throw new GrammarError(`expected a size, ${SIZE_FORMS}; got ${show(value)}`, "invalid_type");
  }
  const text = value.replace(/ /g, "").toLowerCase();
  let factor = 1;
  let number = text;
  if (text.endsWith("tb")) [factor, number] = [1024, text.slice(0, -2)];
  else if (text.endsWith("gb")) [factor, number] = [1, text.slice(0, -2)];
  else if (text.endsWith("mb")) [factor, number] = [1 / 1024, text.slice(0, -2)];
  const parsed = parsePythonFloat(number);
  if (parsed === null) {
    throw new GrammarError(`invalid size ${show(value)}: use ${SIZE_FORMS}`, "invalid_value", [], sizeHint(text));
  }
  return finiteSize(parsed, value) * factor;
}

function sizeHint(text: string): string | undefined {
  const binary = /^([\d.]+)(g|t|m)i?b?$/.exec(text);
  if (binary) return `Units are binary already and spelt MB, GB or TB: write "${binary[1]}${binary[2].toUpperCase()}B"`;
  if (/^[\d.]+kb$/.test(text)) return "The smallest unit is MB";
  if (text.includes("..")) return "This value is a single size, not a range";
  return undefined;
}

/** How a bound is written back in messages: 1024 -> "1024GB" for sizes, 4 for counts. */
function showBound(bound: number, unit: string): string {
  return unit ? `${Number.isInteger(bound) ? bound : pythonFloatRepr(bound)}${unit}` : String(bound);
}

/**
 * A range of `parseBound` values: a string with `..` (spaces removed, one `..` only, an empty side
 * is open), any other scalar (exact: min = max), or a `{min, max}` mapping.
 */
export function parseRange(value: unknown, parseBound: (bound: unknown) => number, unit: string): Range {
  let range: Range;
  if (typeof value === "string" && value.includes("..")) {
    const text = value.replace(/ /g, "");
    const parts = text.split("..");
    if (parts.length !== 2) {
      throw new GrammarError(`invalid range ${show(value)}: a range has one "..", as in 2..8, 2.. or ..8`, "invalid_range");
    }
    range = {
      min: parts[0] === "" ? null : within("min", () => parseBound(parts[0])),
      max: parts[1] === "" ? null : within("max", () => parseBound(parts[1])),
    };
    if (range.min === null && range.max === null) {
      throw new GrammarError(`invalid empty range ${show(value)}: give at least one bound, as in 2.. or ..8`, "invalid_range");
    }
  } else if (value !== null && typeof value === "object" && !Array.isArray(value) && !isPyNumber(value)) {
    const mapping = toMapping(value, "a range");
    checkKeys(mapping, ["min", "max"], "a range");
    const bound = (key: "min" | "max") =>
      mapping[key] === null || mapping[key] === undefined ? null : within(key, () => parseBound(mapping[key]));
    range = { min: bound("min"), max: bound("max") };
    if (range.min === null && range.max === null) {
      throw new GrammarError("invalid empty range: give at least one of min and max", "invalid_range");
    }
  } else if (value === null || value === undefined || Array.isArray(value)) {
    throw new GrammarError(`expected a value or a range such as 2..8, got ${show(value)}`, "invalid_type");
  } else {
    const exact = parseBound(value);
    range = { min: exact, max: exact };
  }
  if (range.min !== null && range.max !== null && range.min > range.max) {
    const parts = typeof value === "string" ? value.replace(/ /g, "").split("..") : null;
    throw new GrammarError(
      `invalid range order: ${showBound(range.min, unit)}..${showBound(range.max, unit)} has its minimum above its maximum`,
      "invalid_range",
      [],
      parts ? `Did you mean "${parts[1]}..${parts[0]}"?` : undefined,
    );
  }
  return range;
}

/** A range of counts (`Range[int]`): `2`, `2..`, `..8`, `1..4`, `{min: 1}`. */
export function parseIntRange(value: unknown): Range {
  return parseRange(value, toInt, "");
}

/** A range of sizes in GB (`Range[Memory]`): `24GB`, `24GB..80GB`, `..1TB`. */
export function parseMemoryRange(value: unknown): Range {
  return parseRange(value, parseMemory, "GB");
}
