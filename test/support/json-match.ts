/**
 * Comparison of our JSON with dstack's expectations: numbers by value, an expected null matches
 * null or absent, objects compared key by key (extra keys allowed only where `allowExtra` says).
 */
export function jsonMismatch(expected: unknown, actual: unknown, path = "$", allowExtra: (path: string, key: string) => boolean = () => false): string | null {
  if (expected === null) return actual === null || actual === undefined ? null : `${path}: expected null, got ${JSON.stringify(actual)}`;
  if (typeof expected === "number") {
    return typeof actual === "number" && (actual === expected || (Number.isNaN(actual) && Number.isNaN(expected))) ? null : `${path}: expected ${expected}, got ${JSON.stringify(actual)}`;
  }
  if (typeof expected !== "object") return expected === actual ? null : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const mismatch = jsonMismatch(expected[i], actual[i], `${path}[${i}]`, allowExtra);
      if (mismatch) return mismatch;
    }
    return null;
  }
  if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return `${path}: expected an object, got ${JSON.stringify(actual)}`;
  const actualObject = actual as Record<string, unknown>;
  for (const [key, value] of Object.entries(expected as Record<string, unknown>)) {
    const mismatch = jsonMismatch(value, actualObject[key], `${path}.${key}`, allowExtra);
    if (mismatch) return mismatch;
  }
  for (const key of Object.keys(actualObject)) {
    if (!(key in (expected as object)) && actualObject[key] !== null && !allowExtra(path, key)) {
      return `${path}: unexpected key ${key} = ${JSON.stringify(actualObject[key])}`;
    }
  }
  return null;
}
