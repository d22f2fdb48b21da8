/**
 * Mappings of generated documents.
 *
 * Mappings are plain objects whose keys are set with `defineProperty`, so a key such as `__proto__`
 * is an ordinary key (a `Map` would be written as `!!omap` by `yaml` in YAML 1.1 mode).
 */

/** A plain mapping with keys in the given order; `__proto__` and friends are ordinary keys. */
export function mapping(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return result;
}
