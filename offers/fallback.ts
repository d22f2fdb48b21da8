/**
 * The order in which offers are tried when the first has no capacity, as dstack tries them: the
 * chosen offer (the lock's, or the top one) first, then the other offers that satisfy the
 * configuration, cheapest first, across the regions and backends it allows, at most
 * `MAX_OFFERS_TRIED` in all (dstack's `DSTACK_SERVER_MAX_OFFERS_TRIED`). `dstack-pulumi up` walks
 * this list; an AWS fleet takes the part of it in the offer's region (`sameRegion`); `plan` shows it.
 */
import { sameMachine, type Offer } from "./offer";
import type { OfferIndex } from "./offer-index";
import type { Requirements } from "./requirements";
import { cachedResolution } from "./resolution-cache";

/** dstack's default for how many offers a run tries. */
export const MAX_OFFERS_TRIED = 25;

/** `first`, then the offers `requirements` match (cheapest first) but `first`, at most `limit` in all. */
export function fallbackOrder(first: Offer, requirements: Requirements, index: OfferIndex, limit = MAX_OFFERS_TRIED): Offer[] {
  const others = cachedResolution(requirements, index, limit + 1).offers.filter((offer) => !sameMachine(offer, first));
  return [first, ...others].slice(0, limit);
}

/** The fallback order within `first`'s backend, region and market (what one EC2 Fleet request can try). */
export function sameRegion(first: Offer, requirements: Requirements, index: OfferIndex, limit = MAX_OFFERS_TRIED): Offer[] {
  const narrowed: Requirements = { ...requirements, backends: [first.backend], regions: [first.region], spotPolicy: first.spot ? "spot" : "on-demand" };
  return fallbackOrder(first, narrowed, index, limit);
}
