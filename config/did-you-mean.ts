/**
 * Nearest-match hints for misspelt keys and values: `spot_polcy` -> `spot_policy`,
 * `on_demand` -> `on-demand`, `vscod` -> `vscode`.
 */
import { distance } from "fastest-levenshtein";

/** Normalises separators and case, so `on_demand`, `On-Demand` and `on-demand` meet. */
function canonical(text: string): string {
  return text.toLowerCase().replace(/[-_ ]/g, "");
}

/** Edit distance counting a swap of two neighbouring letters as one edit (`nmae` -> `name`). */
function typoDistance(a: string, b: string): number {
  const plain = distance(a, b);
  if (plain !== 2 || a.length !== b.length) return plain;
  const differing = [...a].map((char, index) => (char === b[index] ? -1 : index)).filter((index) => index >= 0);
  const [i, j] = differing;
  return differing.length === 2 && j === i + 1 && a[i] === b[j] && a[j] === b[i] ? 1 : plain;
}

/** The closest candidate to `input`, or undefined when none is close enough to be a typo. */
export function nearest(input: string, candidates: readonly string[]): string | undefined {
  const wanted = canonical(input);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const score = canonical(candidate) === wanted ? 0 : typoDistance(wanted, canonical(candidate));
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  if (best === undefined) return undefined;
  const length = Math.max(wanted.length, canonical(best).length);
  const limit = length <= 3 ? 1 : Math.max(2, Math.floor(length / 3));
  return bestScore <= limit ? best : undefined;
}

/** `Did you mean "spot_policy"?`, or undefined. */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const match = nearest(input, candidates);
  return match === undefined || match === input ? undefined : `Did you mean "${match}"?`;
}
