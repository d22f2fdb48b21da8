/**
 * Configurations read once per text: reading (`readConfigText`) is a pure function of the text and
 * the file name, so a program that declares many environments from one configuration (a team's
 * file, an inline text in a loop) parses and checks it once. Each caller gets its own copy: only a
 * valid result that is plain data (objects, arrays, strings, numbers, booleans, null: what
 * `structuredClone` copies exactly) is kept, and it is copied on the way in and on the way out.
 */
import { readConfigText, type ReadResult } from "../config/read";

/** Distinct configurations kept; when full, the cache starts over (a long-lived process stays bounded). */
export const MAX_CACHED_CONFIGS = 64;

/** True when `value` is plain data that `structuredClone` copies exactly. */
export function isPlainData(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value !== "object") return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
  if (seen.has(value)) return true;
  seen.add(value);
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== (Array.isArray(value) ? Array.prototype : Object.prototype) || !Object.isExtensible(value)) return false;
  for (const key of Reflect.ownKeys(value)) {
    if (Array.isArray(value) && key === "length") continue;
    const property = Object.getOwnPropertyDescriptor(value, key)!;
    if (typeof key === "symbol" || !("value" in property) || !property.enumerable || !isPlainData(property.value, seen)) return false;
  }
  return true;
}

/** Valid configurations by file and text, read by `read` (by default `readConfigText`). */
export class ConfigCache {
  private readonly results = new Map<string, ReadResult>();

  constructor(private readonly read: (text: string, file: string) => ReadResult = readConfigText) {}

  /** `read(text, file)`, asked once for a valid configuration; a copy for each caller. */
  get(text: string, file: string): ReadResult {
    const key = `${file}\u0000${text}`;
    const known = this.results.get(key);
    if (known) return structuredClone(known);
    const result = this.read(text, file);
    if (result.ok && isPlainData(result)) {
      if (this.results.size >= MAX_CACHED_CONFIGS) this.results.clear();
      this.results.set(key, structuredClone(result));
    }
    return result;
  }
}

const shared = new ConfigCache();

/** The configuration `text` (named `file` in issues) as `readConfigText` reads it, read once per process. */
export function readConfigOnce(text: string, file: string): ReadResult {
  return shared.get(text, file);
}
