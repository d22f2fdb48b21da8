/**
 * Offer resolution: a configuration (or requirements) and the catalog -> the offers that satisfy
 * it, cheapest first, with warnings, or the reason there are none.
 */
import { SUPPORTED_BACKENDS } from "../catalog/types";
import type { DevEnvironmentSpec } from "../config/schema";
import { explainNoOffers, notesTold, type NoOffers } from "./explain";
import { nameNotes } from "./name-notes";
import { toOffer, type Offer } from "./offer";
import { scanMatches, type OfferIndex } from "./offer-index";
import { toRequirements, type RequirementOverrides, type Requirements } from "./requirements";

export interface Resolution {
  requirements: Requirements;
  /** Matching offers in order (at most `limit` of them). */
  offers: Offer[];
  /** How many offers match in all. */
  total: number;
  warnings: string[];
  /** Set when nothing matches. */
  noOffers: NoOffers | null;
}

export interface ResolveOptions extends RequirementOverrides {
  /** Keep at most this many offers (all are counted in `total`). */
  limit?: number;
}

const SUPPORTED = SUPPORTED_BACKENDS as readonly string[];

/** Resolves a configuration against an indexed catalog. */
export function resolveOffers(spec: DevEnvironmentSpec, index: OfferIndex, options: ResolveOptions = {}): Resolution {
  return resolveRequirements(toRequirements(spec, options), index, options.limit);
}

/** Resolves requirements against an indexed catalog. */
export function resolveRequirements(requirements: Requirements, index: OfferIndex, limit = Infinity): Resolution {
  const warnings: string[] = [];
  const unsupported = (requirements.backends ?? []).filter((backend) => !SUPPORTED.includes(backend));
  if (unsupported.length > 0) {
    const names = unsupported.join(", ");
    const message = `backends: ${names} ${unsupported.length === 1 ? "is" : "are"} not provisioned by pulumi-dstack; it provisions ${SUPPORTED.join(" and ")}`;
    if (unsupported.length === requirements.backends!.length) {
      return { requirements, offers: [], total: 0, warnings, noOffers: { constraint: "backend", remaining: 0, message: `no offers: ${message}`, nearest: [] } };
    }
    warnings.push(`${message} (${names} ignored)`);
  }
  const offers: Offer[] = [];
  let total = 0;
  scanMatches(index, requirements, (candidate) => {
    total += 1;
    if (offers.length < limit) offers.push(toOffer(candidate, requirements));
  });
  const notes = nameNotes(requirements, index);
  const noOffers = total === 0 ? explainNoOffers(index.all, requirements, notes) : null;
  // A note the no-offer explanation tells is not repeated as a warning.
  const told = notesTold(noOffers, notes);
  warnings.push(...notes.filter((note) => !told.includes(note)).map((note) => `${note.field}: ${note.note}`));
  if (requirements.reservation !== null && requirements.spotPolicy !== "on-demand") {
    warnings.push(`reservation ${requirements.reservation}: spot offers are left out, a reservation is on-demand capacity`);
  }
  if (offers[0]?.estimated_price) warnings.push("the first offer's price is estimated (derived from another region's or size's published price)");
  return { requirements, offers, total, warnings, noOffers };
}
