/**
 * YAML 1.1 scalar resolution exactly as PyYAML's `safe_load` does it (dstack loads files that way).
 *
 * The npm `yaml` package parses the structure with its failsafe schema (every scalar a string);
 * this file turns plain scalars into values with PyYAML's resolver patterns: `yes`/`no`/`on`/`off`
 * are booleans but `y`/`n` are strings, `1e3` is a string, `8:50` is the base-60 int 530, `017` is
 * octal, `3.10` is the float 3.1.
 */
import { parsePythonFloat, PyDate, PyFloat } from "./py-values";

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const TRUE_WORDS = new Set(["yes", "true", "on"]);
const FALSE_WORDS = new Set(["no", "false", "off"]);
const NULL = /^(?:~|null|Null|NULL|)$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

/** A value a scalar resolves to: what `yaml.safe_load` would return for it. */
export type ScalarValue = string | number | boolean | null | PyFloat | PyDate;

/** Splits a sign off a numeric literal. */
function splitSign(text: string): [number, string] {
  if (text.startsWith("-")) return [-1, text.slice(1)];
  if (text.startsWith("+")) return [1, text.slice(1)];
  return [1, text];
}

/** Sums `a:b:c` base-60 digit groups the way PyYAML's constructors do. */
function sexagesimal(text: string, parse: (digits: string) => number): number {
  let value = 0;
  let base = 1;
  const groups = text.split(":").reverse();
  for (const group of groups) {
    value += parse(group) * base;
    base *= 60;
  }
  return value;
}

/** PyYAML's `construct_yaml_int`. */
export function constructInt(text: string): number {
  const [sign, body] = splitSign(text.replace(/_/g, ""));
  if (body === "0") return 0;
  if (body.startsWith("0b")) return sign * parseInt(body.slice(2), 2);
  if (body.startsWith("0x")) return sign * parseInt(body.slice(2), 16);
  if (body.startsWith("0")) return sign * parseInt(body, 8);
  if (body.includes(":")) return sign * sexagesimal(body, (d) => parseInt(d, 10));
  return sign * parseInt(body, 10);
}

/** PyYAML's `construct_yaml_float`. */
export function constructFloat(text: string): number {
  const [sign, body] = splitSign(text.replace(/_/g, "").toLowerCase());
  if (body === ".inf") return sign * Infinity;
  if (body === ".nan") return NaN;
  if (body.includes(":")) return sign * sexagesimal(body, (d) => parseFloat(d));
  return sign * Number(body);
}

/** A scalar PyYAML resolves to a type but then fails to build (dstack crashes on it). */
export interface Unbuildable {
  error: string;
}

function number(value: number, text: string, type: string): number | Unbuildable {
  return Number.isNaN(value) && !/nan/i.test(text) ? { error: `"${text}" looks like ${type} to YAML but is not one: quote it if you mean the text` } : value;
}

/** Resolves a plain (unquoted, untagged) scalar as PyYAML's implicit resolvers do. */
export function resolvePlainScalar(text: string): ScalarValue | Unbuildable {
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return TRUE_WORDS.has(text.toLowerCase());
  if (INT.test(text)) return number(constructInt(text), text, "an integer");
  if (FLOAT.test(text)) {
    const value = number(constructFloat(text), text, "a number");
    return typeof value === "number" ? new PyFloat(value) : value;
  }
  if (TIMESTAMP.test(text)) return new PyDate(text);
  return text;
}

const TAG_PREFIX = "tag:yaml.org,2002:";

/**
 * Builds the value of a scalar with an explicit tag (`!!str 3.10`, `!!int "8"`).
 * Returns an error message for tags `safe_load` cannot construct into a plain value.
 */
export function resolveTaggedScalar(tag: string, text: string): ScalarValue | Unbuildable {
  const name = tag.startsWith(TAG_PREFIX) ? tag.slice(TAG_PREFIX.length) : null;
  const invalid = { error: `"${text}" is not a valid !!${name}` };
  if (name === "str") return text;
  // PyYAML's constructors: !!null ignores the text; !!bool knows its words in any case;
  // !!int and !!float take what Python's int() and float() take once "_" is dropped.
  if (name === "null") return null;
  if (name === "bool") return TRUE_WORDS.has(text.toLowerCase()) || FALSE_WORDS.has(text.toLowerCase()) ? TRUE_WORDS.has(text.toLowerCase()) : invalid;
  if (name === "int") {
    const digits = text.replace(/_/g, "");
    const value = INT.test(text) ? constructInt(text) : /^[-+]?\d+$/.test(digits) ? Number(digits) : NaN;
    return Number.isNaN(value) ? invalid : value;
  }
  if (name === "float") {
    const value = FLOAT.test(text) || INT.test(text) ? constructFloat(text) : parsePythonFloat(text.replace(/_/g, "").toLowerCase());
    return value === null || (Number.isNaN(value) && !/nan/i.test(text)) ? invalid : new PyFloat(value);
  }
  if (name === "timestamp" && TIMESTAMP.test(text)) return new PyDate(text);
  if (name === "timestamp") return invalid;
  return { error: `the tag ${tag} is not supported here (only !!str, !!int, !!float, !!bool and !!null)` };
}
