/**
 * The configuration changes of a diff in dstack's terms: both sides normalised as `validate --json`
 * prints them (dstack's field names and shapes, defaults filled in), then compared field by field.
 * A list of entries (volumes, init, setup, ports, repos, files) gives the items added and removed,
 * another list (GPU names, regions, backends) its value before and after; an env variable is one
 * field, and one without a value in the file is shown as such (its value is a secret taken at
 * deploy time, never read here).
 */
import { toDstackJson } from "../config/normalize";
import type { DevEnvironmentSpec } from "../config/schema";

export interface ConfigChange {
  /** The field path in dstack's terms: `resources.gpu.name`, `env.HF_TOKEN`, `volumes`. */
  field: string;
  /** `changed` (before and after), `added` (after: a list item or a field), `removed` (before). */
  change: "changed" | "added" | "removed";
  before?: unknown;
  after?: unknown;
}

/** The lists whose items are compared one by one. */
const ITEM_LISTS = new Set(["volumes", "init", "setup", "ports", "repos", "files"]);

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Items of `list` not matched one for one in `other`. */
function without(list: unknown[], other: unknown[]): unknown[] {
  const left = other.map((item) => JSON.stringify(item));
  return list.filter((item) => {
    const at = left.indexOf(JSON.stringify(item));
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
}

function compare(before: unknown, after: unknown, field: string, out: ConfigChange[]): void {
  if (same(before, after)) return;
  if (Array.isArray(before) && Array.isArray(after) && ITEM_LISTS.has(field)) {
    const removed = without(before, after);
    const added = without(after, before);
    if (removed.length + added.length === 0) out.push({ field, change: "changed", before, after }); // the same items, reordered
    for (const item of removed) out.push({ field, change: "removed", before: item });
    for (const item of added) out.push({ field, change: "added", after: item });
    return;
  }
  // An env variable is a leaf, whether it has a value or is a placeholder ({"key": NAME}).
  if (isRecord(before) && isRecord(after) && !field.startsWith("env.")) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])]) compare(before[key], after[key], field === "" ? key : `${field}.${key}`, out);
    return;
  }
  if (field.startsWith("env.") && (before === undefined || after === undefined)) {
    out.push(before === undefined ? { field, change: "added", after } : { field, change: "removed", before });
    return;
  }
  out.push({ field, change: "changed", before: before ?? null, after: after ?? null });
}

/** The field-by-field changes from `base` to `head` (either absent: a configuration added or removed). */
export function configChanges(base: DevEnvironmentSpec | null, head: DevEnvironmentSpec | null): ConfigChange[] {
  if (base === null || head === null) return [];
  const out: ConfigChange[] = [];
  compare(toDstackJson(base), toDstackJson(head), "", out);
  return out;
}

/** A value as the text and markdown show it. */
export function showValue(field: string, value: unknown): string {
  if (value === null || value === undefined) return "unset";
  if (field.startsWith("env.") && isRecord(value) && typeof value.key === "string") return "(no value in the file: a secret taken from the environment at deploy time)";
  return JSON.stringify(value);
}

/** One change in words: `resources.gpu.name: ["A10G"] -> ["L4"]`, `volumes: + {...}`. */
export function describeConfigChange(change: ConfigChange): string {
  if (change.change === "added") return `${change.field}: + ${showValue(change.field, change.after)}`;
  if (change.change === "removed") return `${change.field}: - ${showValue(change.field, change.before)}`;
  return `${change.field}: ${showValue(change.field, change.before)} -> ${showValue(change.field, change.after)}`;
}
