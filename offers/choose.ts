/**
 * Choosing the offer an environment runs on: the lock while it still satisfies the configuration,
 * else the top offer (with a warning that says why), with pins (backend, region, zone, instance
 * type) narrowing the search.
 */
import type { DevEnvironmentSpec } from "../config/schema";
import { checkArchitecture } from "./architecture";
import type { NoOffers } from "./explain";
import { lockedOffer, staleLockReasons, type OfferLock } from "./lock";
import { sameMachine, type Offer } from "./offer";
import type { OfferIndex } from "./offer-index";
import { toRequirements, type RequirementOverrides, type Requirements } from "./requirements";
import { cachedResolution } from "./resolution-cache";

export interface ChooseOptions extends RequirementOverrides {
  /** The lock, when there is one; `lockFile` names it in messages. */
  lock?: OfferLock | null;
  lockFile?: string;
  /** A zone pin. */
  zone?: string;
}

export interface OfferChoice {
  requirements: Requirements;
  offer: Offer;
  /** The zone to use, when known (a pin, the lock, or the catalog's first zone of the offer). */
  zone: string | null;
  /** True when `zone` is a pin or the lock's, false when it is only the catalog's first zone (a volume elsewhere may move it). */
  zonePinned: boolean;
  source: "lock" | "catalog";
  /** The next offers, cheapest first (up to four). */
  runnersUp: Offer[];
  warnings: string[];
}

/** Nothing satisfies the configuration (and no valid lock). */
export class NoOffersError extends Error {
  override readonly name = "NoOffersError";
  /** `warnings`: the resolution's (names the catalog does not know, and the like). */
  constructor(readonly noOffers: NoOffers, readonly warnings: readonly string[] = []) {
    super(noOffers.message);
  }
}

export function chooseOffer(spec: DevEnvironmentSpec, index: OfferIndex, options: ChooseOptions = {}): OfferChoice {
  const requirements = toRequirements(spec, { ...options, zones: options.zone ? [options.zone] : options.zones });
  checkArchitecture(spec, requirements);
  const resolution = cachedResolution(requirements, index, 5);
  const warnings = [...resolution.warnings];
  const lockName = options.lockFile ?? "the lock file";
  if (options.lock) {
    const stale = staleLockReasons(options.lock, requirements);
    if (stale === null) {
      const offer = lockedOffer(options.lock, requirements);
      const runnersUp = resolution.offers.filter((other) => !sameMachine(other, offer)).slice(0, 4);
      const pinned = options.zone ?? options.lock.zone ?? null;
      return { requirements, offer, zone: pinned ?? offer.zones[0] ?? null, zonePinned: pinned !== null, source: "lock", runnersUp, warnings };
    }
    warnings.push(`${lockName} is stale (it misses ${stale.join("; ")}): taking the top offer; run dstack-pulumi lock to lock it`);
  } else {
    warnings.push(`no lock (${lockName}): the offer is the catalog's top one; pulumi up keeps the one it first chose (in the stack's state) until the requirements change; dstack-pulumi lock fixes it in the repository`);
  }
  if (resolution.noOffers) throw new NoOffersError(resolution.noOffers, resolution.warnings);
  const [offer, ...runnersUp] = resolution.offers;
  return { requirements, offer, zone: options.zone ?? offer.zones[0] ?? null, zonePinned: options.zone !== undefined, source: "catalog", runnersUp, warnings };
}
