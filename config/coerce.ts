/**
 * Scalar coercions with the semantics of dstack 0.18.2x (pydantic v1 "lax" types), and the error
 * type every grammar function throws.
 */
import type { FieldPath, IssueCode } from "./issues";
import { suggest } from "./did-you-mean";
import { describeValueType, isPyNumber, numberValue, parsePythonFloat, parsePythonInt, pythonStr, PyFloat } from "./py-values";

/** A problem in one value; `subpath` leads from the value being parsed to the offending part. */
export class GrammarError extends Error {
  constructor(
    message: string,
    readonly code: IssueCode = "invalid_value",
    readonly subpath: FieldPath = [],
    readonly hint?: string,
  ) {
    super(message);
    this.name = "GrammarError";
  }

  /** The same error seen from a parent value: `at` is prepended to the path. */
  under(...at: FieldPath): GrammarError {
    return new GrammarError(this.message, this.code, [...at, ...this.subpath], this.hint);
  }
}

/** Several independent problems found in one value (each item of a list, each key of a block). */
export class GrammarErrors extends Error {
  constructor(readonly errors: GrammarError[]) {
    super(errors.map((error) => error.message).join("; "));
    this.name = "GrammarErrors";
  }

  under(...at: FieldPath): GrammarErrors {
    return new GrammarErrors(this.errors.map((error) => error.under(...at)));
  }
}

/** The problems a thrown value stands for (rethrows anything that is not a grammar problem). */
export function grammarErrorsOf(error: unknown): GrammarError[] {
  if (error instanceof GrammarError) return [error];
  if (error instanceof GrammarErrors) return error.errors;
  throw error;
}

/** Runs `parse` on a child value, re-rooting its errors under `key`. */
export function within<T>(key: string | number, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof GrammarError || error instanceof GrammarErrors) throw error.under(key);
    throw error;
  }
}

/**
 * Collects the problems of independent parts, so one run reports all of them:
 * `const a = sink.run("a", () => ...)`, then `sink.done()` throws them together.
 */
export class ErrorSink {
  private readonly errors: GrammarError[] = [];

  /** Parses a part under `key`; on failure records the problems and returns undefined. */
  run<T>(key: string | number | null, parse: () => T): T | undefined {
    try {
      return key === null ? parse() : within(key, parse);
    } catch (error) {
      this.errors.push(...grammarErrorsOf(error));
      return undefined;
    }
  }

  /** Throws every recorded problem, if any. */
  done(): void {
    if (this.errors.length === 1) throw this.errors[0];
    if (this.errors.length > 1) throw new GrammarErrors(this.errors);
  }
}

/** Longest text quoted whole in a message; longer values are cut. */
const MAX_SHOWN = 80;

/** Quotes a raw value for a message, the way the user wrote it (long text cut with "..."). */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}...` : value);
  if (value instanceof PyFloat) return pythonStr(value);
  if (value === null || value === undefined) return "null";
  if (typeof value === "object") return describeValueType(value);
  return String(value);
}

/** `expected X, got a list`. */
export function typeError(expected: string, value: unknown): GrammarError {
  return new GrammarError(`expected ${expected}, got ${describeValueType(value)}${isScalarLike(value) ? ` (${show(value)})` : ""}`, "invalid_type");
}

function isScalarLike(value: unknown): boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value instanceof PyFloat;
}

/** A `str` field: strings as they are; numbers and booleans turned into Python's `str()` of them. */
export function toStr(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || isPyNumber(value)) return pythonStr(value);
  throw typeError("a string", value);
}

/** An `Optional[str]` field. */
export function toOptionalStr(value: unknown): string | null {
  return value === null || value === undefined ? null : toStr(value);
}

const TRUE_TEXT = new Set(["1", "on", "t", "true", "y", "yes"]);
const FALSE_TEXT = new Set(["0", "off", "f", "false", "n", "no"]);

/** A `bool` field: true/false, 1/0, and the words yes/no/on/off/true/false/y/n/t/f in any case. */
export function toBool(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (isPyNumber(value)) {
    const number = numberValue(value);
    if (number === 1) return true;
    if (number === 0) return false;
  }
  if (typeof value === "string") {
    const lower = value.toLowerCase();
    if (TRUE_TEXT.has(lower)) return true;
    if (FALSE_TEXT.has(lower)) return false;
  }
  throw new GrammarError(`expected a boolean (true or false), got ${show(value)}`, "invalid_type");
}

/** An `int` field: ints, floats truncated toward zero, booleans as 0/1, numeric strings. */
export function toInt(value: unknown): number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (isPyNumber(value)) {
    const number = numberValue(value);
    if (!Number.isFinite(number)) throw new GrammarError(`expected an integer, got ${show(value)}`, "invalid_type");
    return Math.trunc(number);
  }
  if (typeof value === "string") {
    const parsed = parsePythonInt(value);
    if (parsed !== null) return parsed;
    throw new GrammarError(`expected an integer, got ${show(value)}`, "invalid_type");
  }
  throw typeError("an integer", value);
}

/**
 * A `str` field of a field added after dstack 0.18.2x, coerced as recent dstack (pydantic v2) does:
 * numbers become text, booleans are rejected.
 */
export function toRecentStr(value: unknown): string {
  if (typeof value === "boolean") throw new GrammarError(`expected a string, got a boolean (${value}); quote it if you mean the text`, "invalid_type");
  return toStr(value);
}

/**
 * An `int` field of a field added after dstack 0.18.2x (pydantic v2): integral floats and numeric
 * text such as "2.0" are accepted, fractional numbers are rejected.
 */
export function toRecentInt(value: unknown): number {
  if (typeof value === "boolean") return value ? 1 : 0;
  const number = isPyNumber(value) ? numberValue(value) : typeof value === "string" ? (parsePythonInt(value) ?? parsePythonFloat(value)) : undefined;
  if (number === undefined) throw typeError("an integer", value);
  if (number === null || !Number.isInteger(number)) throw new GrammarError(`expected an integer, got ${show(value)}`, "invalid_type");
  return number;
}

/** A `float` field: numbers, booleans, numeric strings. */
export function toFloat(value: unknown): number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (isPyNumber(value)) return numberValue(value);
  if (typeof value === "string") {
    const parsed = parsePythonFloat(value);
    if (parsed !== null) return parsed;
    throw new GrammarError(`expected a number, got ${show(value)}`, "invalid_type");
  }
  throw typeError("a number", value);
}

/** A `List[...]` field: the value must already be a list (a scalar is not wrapped). */
export function toList(value: unknown, what = "a list"): unknown[] {
  if (Array.isArray(value)) return value;
  throw typeError(what, value);
}

/** Parses each item of a list, re-rooting item errors under their index. */
export function mapItems<T>(value: unknown, parseItem: (item: unknown, index: number) => T, what?: string): T[] {
  const sink = new ErrorSink();
  const items = toList(value, what).map((item, index) => sink.run(index, () => parseItem(item, index)));
  sink.done();
  return items as T[];
}

/** Sets an own, enumerable key without touching prototypes (`__proto__` is just a key here). */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** True for a plain mapping as the YAML loader builds it. */
export function isPlainMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** A plain mapping (not a list, not a scalar). */
export function toMapping(value: unknown, what = "a mapping"): Record<string, unknown> {
  if (isPlainMapping(value)) return value;
  throw typeError(what, value);
}

/**
 * A mapping where dstack 0.18.2x builds a model or a dict: pydantic v1 takes anything Python's
 * `dict()` accepts, so an empty string or an empty list is an empty mapping. (Lists of pairs,
 * which `dict()` also takes, are not mappings here: `env: [A-]` would be {A: "-"}.)
 */
export function toSeedMapping(value: unknown, what = "a mapping"): Record<string, unknown> {
  if (value === "" || (Array.isArray(value) && value.length === 0)) return {};
  return toMapping(value, what);
}

/** Rejects keys outside `allowed`, naming the allowed ones and the nearest match. */
export function checkKeys(mapping: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const sink = new ErrorSink();
  for (const key of Object.keys(mapping)) {
    if (allowed.includes(key)) continue;
    sink.run(null, () => {
      throw new GrammarError(
        `unknown field "${key}" in ${what}; allowed: ${allowed.join(", ")}`,
        "unknown_field",
        [key],
        suggest(key, allowed),
      );
    });
  }
  sink.done();
}

/** A value that must be one of `choices`, compared exactly (case-sensitive). */
export function toChoice<T extends string>(value: unknown, choices: readonly T[], what: string): T {
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
  const text = typeof value === "string" ? `"${value}"` : show(value);
  throw new GrammarError(
    `${text} is not a valid ${what}; allowed: ${choices.join(", ")}`,
    "invalid_choice",
    [],
    typeof value === "string" ? suggest(value, choices) : undefined,
  );
}
