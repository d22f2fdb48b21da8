/**
 * The ranked overrides of an environment's EC2 Fleet: the offers that can take its place (same
 * region, same market, same image, so the launch template and the volumes fit every one of them),
 * in the order dstack tries offers (the plan's offer first, then the next ones by price), each in
 * every zone that offers its type (the kept zone first, then by name), or in the one zone the
 * volumes pin. `priority` counts from 0 in that order: on demand, EC2 launches the first override
 * with capacity (`prioritized`); on spot, `capacity-optimized-prioritized` weighs capacity first
 * and honours the order where it can. Pure: offers and zone lists in, overrides out.
 */
import type { Offer } from "../../offers/offer";
import { imageFor } from "./image";

/** EC2 Fleet takes at most this many overrides per launch template; the lowest priorities are left out. */
export const MAX_OVERRIDES = 50;

/** One override, as `FleetLaunchTemplateConfigOverride` takes it. */
export interface FleetOverride {
  instanceType: string;
  availabilityZone: string;
  /** The subnet of the zone, in a given VPC; none in the default VPC (EC2 takes the zone's default subnet). */
  subnetId?: string;
  priority: number;
}

/** The offers a fleet may launch instead of `first`, `first` included and first, in the order given. */
export function compatibleOffers(first: Offer, ranked: readonly Offer[], ami: string | undefined): Offer[] {
  const image = imageFor(first, ami);
  const fits = (offer: Offer) => {
    if (offer.backend !== "aws" || offer.region !== first.region || offer.spot !== first.spot || offer.arch !== first.arch) return false;
    if (offer.gpu && offer.gpu.vendor !== "nvidia" && ami === undefined) return false;
    return imageFor(offer, ami) === image;
  };
  const seen = new Set<string>([first.instance_type]);
  const rest = ranked.filter((offer) => {
    if (seen.has(offer.instance_type) || !fits(offer)) return false;
    seen.add(offer.instance_type);
    return true;
  });
  return [first, ...rest];
}

/** `zones` with `kept` first when it is among them, the rest in the order given. */
function keptFirst(zones: readonly string[], kept: string | undefined): string[] {
  return kept !== undefined && zones.includes(kept) ? [kept, ...zones.filter((zone) => zone !== kept)] : [...zones];
}

/**
 * The overrides: for each offer in order, each zone of `zonesOf(type)` (ordered, `kept` first), with
 * the zone's subnet; offers offered in no zone are left out. At most `MAX_OVERRIDES`.
 */
export function fleetOverrides(offers: readonly Offer[], zonesOf: (instanceType: string) => readonly string[], kept: string | undefined, subnetOf: (zone: string) => string | undefined): FleetOverride[] {
  const overrides: FleetOverride[] = [];
  for (const offer of offers) {
    for (const zone of keptFirst(zonesOf(offer.instance_type), kept)) {
      if (overrides.length >= MAX_OVERRIDES) return overrides;
      const subnetId = subnetOf(zone);
      overrides.push({ instanceType: offer.instance_type, availabilityZone: zone, ...(subnetId === undefined ? {} : { subnetId }), priority: overrides.length });
    }
  }
  return overrides;
}

/** The instance types and zones of `overrides`, each once, in order (for messages and the loop's marker). */
export function overrideSummary(overrides: readonly FleetOverride[]): { types: string[]; zones: string[] } {
  return {
    types: [...new Set(overrides.map((override) => override.instanceType))],
    zones: [...new Set(overrides.map((override) => override.availabilityZone))],
  };
}
