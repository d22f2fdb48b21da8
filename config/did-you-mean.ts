/**
 * Nearest-match hints for misspelt keys and values: `spot_polcy` -> `spot_policy`,
 * `on_demand` -> `on-demand`, `vscod` -> `vscode`.
 */
import { distance } from "fastest-levenshtein";

/** Normalises separators and case, so `on_demand`, `On-Demand` and `on-demand` meet. */
function canonical(text: string): string {
  return text.toLowerCase().replace(/[-_ ]/g, "");
}

/** The closest candidate to `input`, or undefined when none is close enough to be a typo. */
export function nearest(input: string, candidates: readonly string[]): string | undefined {
  const wanted = canonical(input);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const score = canonical(candidate) === wanted ? 0 : distance(wanted, canonical(candidate));
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(wanted.length, canonical(best).length) / 3));
  return bestScore <= limit ? best : undefined;
}

/** `Did you mean "spot_policy"?`, or undefined. */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const match = nearest(input, candidates);
  return match === undefined || match === input ? undefined : `Did you mean "${match}"?`;
}
