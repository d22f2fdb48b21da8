/**
 * Python's view of scalar values, as dstack's parser (pydantic on PyYAML output) sees them.
 *
 * YAML gives ints and floats; JavaScript has one number type, but `1` and `1.0` differ for dstack
 * (`str(1)` is "1", `str(1.0)` is "1.0"). A YAML float therefore reaches the schema as a `PyFloat`,
 * and every coercion below accepts both forms.
 */

/** A YAML float (`1.0`, `3.10`, `.5`, `1.0e+3`), kept apart from ints. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A YAML timestamp (`2001-01-01`): PyYAML builds a date, which no dstack field accepts. */
export class PyDate {
  constructor(readonly text: string) {}
}

/** True for a JS number or a `PyFloat` (Python's `int | float`, booleans excluded). */
export function isPyNumber(value: unknown): value is number | PyFloat {
  return typeof value === "number" || value instanceof PyFloat;
}

/** The numeric value of an int or a `PyFloat`. */
export function numberValue(value: number | PyFloat): number {
  return value instanceof PyFloat ? value.value : value;
}

/** True when the value is a float for Python (a `PyFloat`, or a JS number that is not an integer). */
export function isPyFloat(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === "number" && !Number.isInteger(value));
}

const INT_TEXT = /^[+-]?\d(?:_?\d)*$/;
const FLOAT_TEXT = /^[+-]?(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const FLOAT_SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

const UNICODE_DIGIT = /\p{Nd}/gu;
const IS_DIGIT = /^\p{Nd}$/u;

/** One decimal digit of any script as its value: digits come in runs of ten starting at zero. */
function digitValue(digit: string): number {
  const code = digit.codePointAt(0) as number;
  let zero = code;
  while (IS_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
  return (code - zero) % 10;
}

/**
 * Every decimal digit (Unicode category Nd, e.g. Arabic-Indic "\u0663") as its ASCII digit, as
 * Python's `int()`, `float()` and `re`'s `\d` read them.
 */
export function asciiDigits(text: string): string {
  return text.replace(UNICODE_DIGIT, (digit) => (digit >= "0" && digit <= "9" ? digit : String(digitValue(digit))));
}

/** Python's whitespace for `str.strip()`, `int()` and `float()`: JavaScript's `trim()` also takes U+FEFF, Python also U+001C-U+001F and U+0085. */
const PY_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");

/** Python's `text.strip()`. */
export function pythonStrip(text: string): string {
  return text.replace(PY_STRIP, "");
}

/** Python's `int(text)`: surrounding whitespace, a sign, `_` between digits, digits of any script; null when it fails. */
export function parsePythonInt(text: string): number | null {
  const trimmed = asciiDigits(pythonStrip(text));
  if (!INT_TEXT.test(trimmed)) return null;
  return Number(trimmed.replace(/_/g, ""));
}

/** Python's `float(text)`: decimals, exponents, `_` between digits, digits of any script, inf and nan; null when it fails. */
export function parsePythonFloat(text: string): number | null {
  const trimmed = asciiDigits(pythonStrip(text));
  if (FLOAT_SPECIAL.test(trimmed)) {
    const negative = trimmed.startsWith("-");
    if (/nan/i.test(trimmed)) return NaN;
    return negative ? -Infinity : Infinity;
  }
  if (!FLOAT_TEXT.test(trimmed)) return null;
  return Number(trimmed.replace(/_/g, ""));
}

/** Python's `repr(float)`, e.g. 1.0 -> "1.0", 1e16 -> "1e+16", 1e-05 -> "1e-05". */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(value);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mantissa, exponent] = value.toExponential().split("e");
    const sign = exponent.startsWith("-") ? "-" : "+";
    const digits = exponent.replace(/^[+-]/, "").padStart(2, "0");
    return `${mantissa}e${sign}${digits}`;
  }
  const text = String(value);
  return Number.isInteger(value) ? `${text}.0` : text;
}

/** Python's `str()` of an int, float or bool, as pydantic v1 coerces such values into a `str` field. */
export function pythonStr(value: number | PyFloat | boolean): string {
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value instanceof PyFloat) return pythonFloatRepr(value.value);
  return Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
}

/** How a raw value is named in messages: "a string", "a list", ... */
export function describeValueType(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return "a boolean";
  if (value instanceof PyFloat) return "a number";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a number";
  if (typeof value === "string") return "a string";
  if (value instanceof PyDate) return "a date";
  if (Array.isArray(value)) return "a list";
  return "a mapping";
}
