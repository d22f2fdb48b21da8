/**
 * The straightforward way to resolve offers: expand the whole catalog, filter, sort. Kept as the
 * reference the index is checked against (tests) and measured against (bench/offers.ts).
 */
import type { Catalog } from "../catalog/types";
import { compareCandidates, expandCandidates, regionKindsOf } from "./candidate";
import { satisfies } from "./constraints";
import { toOffer, type Offer } from "./offer";
import type { Requirements } from "./requirements";

export function fullScanOffers(catalog: Catalog, requirements: Requirements, limit = Infinity): { offers: Offer[]; total: number } {
  const matches = expandCandidates(catalog.instances, regionKindsOf(catalog)).filter((candidate) => satisfies(candidate, requirements));
  matches.sort(compareCandidates);
  return { offers: matches.slice(0, limit).map((candidate) => toOffer(candidate, requirements)), total: matches.length };
}
