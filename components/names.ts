/**
 * Text rules every cloud's names share: a stable short hash, a slug, and a name that keeps a
 * readable head and always ends with the hash of the whole input, so that two inputs that read
 * the same once slugged (`Box` and `box`, `a_b` and `a-b`) still give two names.
 */
import { createHash } from "node:crypto";

/** A short, stable hash (hex) of `text`. */
export function shortHash(text: string, length = 8): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Lower case, every run of other characters than `[a-z0-9]` as one `-`, no leading or trailing `-`. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/** `text` when it fits in `max`, else its head and a hash of the whole (same input, same result). */
export function fit(text: string, max: number, separator: string): string {
  if (text.length <= max) return text;
  const hash = shortHash(text);
  const head = text.slice(0, max - hash.length - separator.length).replace(/[-_]+$/, "");
  return `${head}${separator}${hash}`;
}

/**
 * `<readable>-<hash of key>` in at most `max` characters: the readable part is cut to fit and
 * loses trailing separators; `suffix` (such as `-ssh4`) comes after the hash and is never cut.
 */
export function hashedName(readable: string, key: string, max: number, suffix = ""): string {
  const hash = shortHash(key);
  const room = max - hash.length - 1 - suffix.length;
  const head = readable.slice(0, Math.max(room, 0)).replace(/[-_]+$/, "");
  return `${head ? `${head}-` : ""}${hash}${suffix}`;
}
