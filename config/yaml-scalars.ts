/**
 * YAML 1.1 scalar resolution exactly as PyYAML's `safe_load` does it (dstack loads files that way).
 *
 * The npm `yaml` package parses the structure with its failsafe schema (every scalar a string);
 * this file turns plain scalars into values with PyYAML's resolver patterns: `yes`/`no`/`on`/`off`
 * are booleans but `y`/`n` are strings, `1e3` is a string, `8:50` is the base-60 int 530, `017` is
 * octal, `3.10` is the float 3.1.
 */
import { PyDate, PyFloat } from "./py-values";

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const TRUE_WORDS = new Set(["yes", "true", "on"]);
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

/** Resolves a plain (unquoted, untagged) scalar as PyYAML's implicit resolvers do. */
export function resolvePlainScalar(text: string): ScalarValue {
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return TRUE_WORDS.has(text.toLowerCase());
  if (INT.test(text)) return constructInt(text);
  if (FLOAT.test(text)) return new PyFloat(constructFloat(text));
  if (TIMESTAMP.test(text)) return new PyDate(text);
  return text;
}

const TAG_PREFIX = "tag:yaml.org,2002:";

/**
 * Builds the value of a scalar with an explicit tag (`!!str 3.10`, `!!int "8"`).
 * Returns an error message for tags `safe_load` cannot construct into a plain value.
 */
export function resolveTaggedScalar(tag: string, text: string): ScalarValue | { error: string } {
  const name = tag.startsWith(TAG_PREFIX) ? tag.slice(TAG_PREFIX.length) : null;
  if (tag === "!" || name === "str") return text;
  if (name === "null" && NULL.test(text)) return null;
  if (name === "bool" && BOOL.test(text)) return TRUE_WORDS.has(text.toLowerCase());
  if (name === "int" && INT.test(text)) return constructInt(text);
  if (name === "float" && (FLOAT.test(text) || INT.test(text))) return new PyFloat(constructFloat(text));
  if (name === "timestamp" && TIMESTAMP.test(text)) return new PyDate(text);
  if (name && ["null", "bool", "int", "float", "timestamp"].includes(name)) {
    return { error: `"${text}" is not a valid !!${name}` };
  }
  return { error: `the tag ${tag} is not supported here (only !!str, !!int, !!float, !!bool and !!null)` };
}
