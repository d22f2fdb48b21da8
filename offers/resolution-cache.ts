/**
 * Resolutions of equal requirements against one index, computed once. Resolving is a pure function
 * of the index (a catalog, never changed once loaded), the requirements and the limit, so a
 * program that declares many environments with the same configuration (or the same after its
 * overrides) scans the catalog once per distinct request. Each caller gets its own copy of the
 * offers (and of the explanation when there are none); the catalog's GPU and TPU records are
 * shared, as they are by every offer.
 */
import type { OfferIndex } from "./offer-index";
import type { Offer } from "./offer";
import type { Requirements } from "./requirements";
import { resolveRequirements, type Resolution } from "./resolve";

/** Distinct requests kept per index; when full, the cache starts over (a long-lived process stays bounded). */
export const MAX_CACHED_RESOLUTIONS = 256;

const cached = new WeakMap<OfferIndex, Map<string, Resolution>>();

/** The requirements and limit as a key: equal values, equal keys (non-finite numbers kept apart from null). */
function keyOf(requirements: Requirements, limit: number): string {
  return JSON.stringify([requirements, String(limit)], (_key, value: unknown) => (typeof value === "number" && !Number.isFinite(value) ? `number:${value}` : value));
}

function copyOffer(offer: Offer): Offer {
  return { ...offer, zones: [...offer.zones] };
}

/**
 * `resolve(requirements, index, limit)` (by default `resolveRequirements`), asked once per equal
 * requirements and limit for each index; the answer is copied for each caller.
 */
export function cachedResolution(requirements: Requirements, index: OfferIndex, limit: number, resolve = resolveRequirements): Resolution {
  let answers = cached.get(index);
  if (!answers) cached.set(index, (answers = new Map()));
  const key = keyOf(requirements, limit);
  let resolution = answers.get(key);
  if (!resolution) {
    resolution = resolve(requirements, index, limit);
    if (answers.size >= MAX_CACHED_RESOLUTIONS) answers.clear();
    answers.set(key, resolution);
  }
  const { offers, warnings, noOffers } = resolution;
  return {
    ...resolution,
    requirements,
    offers: offers.map(copyOffer),
    warnings: [...warnings],
    noOffers: noOffers && { ...noOffers, nearest: noOffers.nearest.map((near) => ({ ...near, offer: copyOffer(near.offer), misses: [...near.misses] })) },
  };
}
