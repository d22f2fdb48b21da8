/**
 * Parsers of the smaller top-level fields: `ide`, `python`, `registry_auth`, `retry`,
 * `retry_policy`, lists of strings, enums.
 */
import { checkKeys, GrammarError, isPlainMapping, mapItems, show, toBool, toChoice, toFloat, toSeedMapping, toStr, within } from "./coerce";
import { parseDuration } from "./duration";
import { suggest } from "./did-you-mean";
import { isPyFloat, PyFloat, pythonStr } from "./py-values";

/** IDEs: `vscode` at dstack 0.18.2x; `cursor`, `windsurf` and `zed` added since. */
export const IDES = ["vscode", "cursor", "windsurf", "zed"] as const;
export type Ide = (typeof IDES)[number];

/** Python versions of dstack's base image at 0.18.2x. */
export const PYTHON_VERSIONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"] as const;
export type PythonVersion = (typeof PYTHON_VERSIONS)[number];

export const SPOT_POLICIES = ["spot", "on-demand", "auto"] as const;
export type SpotPolicy = (typeof SPOT_POLICIES)[number];

export const RETRY_EVENTS = ["no-capacity", "interruption", "error"] as const;
export type RetryEvent = (typeof RETRY_EVENTS)[number];

/** Backends dstack accepts (0.18.2x and later releases together); only aws and gcp deploy here. */
export const BACKENDS = [
  "amddevcloud", "aws", "azure", "cloudrift", "crusoe", "cudo", "datacrunch", "digitalocean", "dstack", "gcp",
  "hotaisle", "jarvislabs", "kubernetes", "lambda", "local", "nebius", "oci", "remote", "runpod", "slurm",
  "tensordock", "vastai", "verda", "vultr",
] as const;
export type Backend = (typeof BACKENDS)[number];

/** `ide`: one of IDES, or null (no IDE, SSH only). */
export function parseIde(value: unknown): Ide | null {
  if (value === null || value === undefined) return null;
  return toChoice(value, IDES, "IDE");
}

/**
 * `python`: "3.8".."3.13". YAML `3.10` is the float 3.1, which dstack maps back to "3.10"; the
 * quoted string "3.1" is not a version.
 */
export function parsePython(value: unknown): PythonVersion | null {
  if (value === null || value === undefined) return null;
  let text: unknown = value;
  if (isPyFloat(value)) {
    text = pythonStr(value as number | PyFloat);
    if (text === "3.1") text = "3.10";
  }
  if (typeof text === "string" && (PYTHON_VERSIONS as readonly string[]).includes(text)) return text as PythonVersion;
  const hint = typeof text === "string" && text === "3.1" ? 'Did you mean "3.10"?' : typeof text === "string" ? suggest(text, PYTHON_VERSIONS) : undefined;
  throw new GrammarError(`${show(value)} is not a supported Python version; allowed: ${PYTHON_VERSIONS.join(", ")}`, "invalid_choice", [], hint);
}

/** Credentials of a private registry; the password is a secret and never printed. */
export interface RegistryAuth {
  username: string;
  password: string;
}

export function parseRegistryAuth(value: unknown): RegistryAuth | null {
  if (value === null || value === undefined) return null;
  const mapping = toSeedMapping(value, "a mapping with username and password");
  checkKeys(mapping, ["username", "password"], "registry_auth");
  for (const key of ["username", "password"]) {
    if (mapping[key] === undefined || mapping[key] === null) {
      throw new GrammarError(`registry_auth needs ${key}`, "missing_field", [key]);
    }
  }
  return { username: within("username", () => toStr(mapping.username)), password: within("password", () => toStr(mapping.password)) };
}

/** Retry on the listed events for `duration` seconds (null: the server's default, 1h). */
export interface RetrySpec {
  on_events: RetryEvent[];
  duration: number | null;
}

/** `retry`: a boolean (all events, 1h) or `{on_events, duration}` with a non-empty on_events. */
export function parseRetry(value: unknown): boolean | RetrySpec | null {
  if (value === null || value === undefined) return null;
  if (!isPlainMapping(value)) return toBool(value);
  const mapping = value;
  checkKeys(mapping, ["on_events", "duration"], "retry");
  if (mapping.on_events === undefined || mapping.on_events === null) {
    throw new GrammarError(`retry needs on_events, a list of ${RETRY_EVENTS.join(", ")}`, "missing_field", ["on_events"], "Or write retry: true to retry on all events");
  }
  const events = within("on_events", () => mapItems(mapping.on_events, (item) => toChoice(item, RETRY_EVENTS, "retry event")));
  if (events.length === 0) {
    throw new GrammarError(`must list at least one of ${RETRY_EVENTS.join(", ")}`, "invalid_value", ["on_events"], "Or write retry: true to retry on all events");
  }
  return {
    on_events: events,
    duration: mapping.duration == null ? null : within("duration", () => parseDuration(mapping.duration)),
  };
}

/** The legacy `retry_policy` of dstack 0.18.2x. */
export interface RetryPolicy {
  retry: boolean;
  duration: number | null;
}

export function parseRetryPolicy(value: unknown): RetryPolicy | null {
  if (value === null || value === undefined) return null;
  const mapping = toSeedMapping(value, "a mapping with retry and duration");
  checkKeys(mapping, ["retry", "duration"], "retry_policy");
  const duration = mapping.duration == null ? null : within("duration", () => parseDuration(mapping.duration));
  // dstack 0.18.2x: giving a duration turns retrying on.
  const retry = duration !== null || (mapping.retry !== undefined && within("retry", () => toBool(mapping.retry)));
  return { retry, duration };
}

/** An optional list of strings (`regions`, `instance_types`, ...). */
export function parseOptionalStrings(value: unknown): string[] | null {
  return value === null || value === undefined ? null : mapItems(value, toStr);
}

/** A list of strings that may not be null (`init`, `setup`); absent means empty. */
export function parseStrings(value: unknown): string[] {
  return value === undefined ? [] : mapItems(value, toStr, "a list of strings (one command a line)");
}

/** An optional list of enum values. */
export function parseOptionalChoices<T extends string>(choices: readonly T[], what: string) {
  return (value: unknown): T[] | null =>
    value === null || value === undefined ? null : mapItems(value, (item) => toChoice(item, choices, what));
}

/** An optional enum value. */
export function parseOptionalChoice<T extends string>(choices: readonly T[], what: string) {
  return (value: unknown): T | null => (value === null || value === undefined ? null : toChoice(value, choices, what));
}

/** `max_price`: dollars per hour, greater than 0. */
export function parseMaxPrice(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const price = toFloat(value);
  if (!(price > 0) || !Number.isFinite(price)) throw new GrammarError(`must be a positive number of dollars per hour (e.g. 0.5), got ${show(value)}`, "invalid_value");
  return price;
}

/** A non-null `str` field with a default (`home_dir`). */
export function parseStrWithDefault(fallback: string) {
  return (value: unknown): string => {
    if (value === undefined) return fallback;
    if (value === null) throw new GrammarError(`cannot be null: remove the line to use the default (${fallback})`, "invalid_type");
    return toStr(value);
  };
}

/** A non-null `bool` field with a default (`privileged`, `dstack`). */
export function parseBoolWithDefault(fallback: boolean) {
  return (value: unknown): boolean => {
    if (value === undefined) return fallback;
    if (value === null) throw new GrammarError(`cannot be null: use true or false`, "invalid_type");
    return toBool(value);
  };
}

/** An `Optional[bool]` field. */
export function parseOptionalBool(value: unknown): boolean | null {
  return value === null || value === undefined ? null : toBool(value);
}

