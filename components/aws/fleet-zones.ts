/**
 * Where each of a fleet's instance types may launch: one `ec2.getInstanceTypeOfferings` invoke for
 * all of them (zones of the region, standard zones first, within each offer's own zones when the
 * catalog or `availability_zones` name any), or only the zone the VM is pinned to (its volumes', a
 * subnet's, the lock's or a zone arg: new volumes are created before the VM, in that zone), and
 * the subnet of each zone in a given VPC (a zone without one is left out). Then the ranked overrides.
 */
import * as ec2 from "@pulumi/aws/ec2";
import type { CloudPlan } from "../cloud-plan";
import { invokeOptions, regionOf } from "./context";
import { fleetOverrides, type FleetOverride } from "./fleet-overrides";
import { subnetIn, type Placement } from "./placement";
import { orderZones } from "./zone";

/** The zones where EC2 offers each of `types` in the plan's region, ordered (orderZones). */
export async function offeredZones(plan: CloudPlan, types: readonly string[]): Promise<Map<string, string[]>> {
  const region = regionOf(plan);
  const offerings = await ec2.getInstanceTypeOfferings(
    { region, locationType: "availability-zone", filters: [{ name: "instance-type", values: [...types] }] },
    invokeOptions(plan),
  );
  const found = new Map<string, string[]>();
  (offerings.instanceTypes ?? []).forEach((type, i) => {
    const location = offerings.locations?.[i];
    if (location !== undefined) found.set(type, [...(found.get(type) ?? []), location]);
  });
  const allowed = new Map((plan.fleetOffers ?? [plan.offer]).map((offer) => [offer.instance_type, offer.zones]));
  return new Map(types.map((type) => [type, orderZones(region, found.get(type) ?? [], allowed.get(type) ?? [])]));
}

/**
 * The fleet's overrides: every offer of `plan.fleetOffers` in the zones that offer it, or only in
 * `zone` when `pinned`; the plan's own offer always has `zone` (it was chosen for it).
 */
export async function placeFleet(plan: CloudPlan, placement: Placement, zone: string, pinned: boolean): Promise<FleetOverride[]> {
  const offers = plan.fleetOffers ?? [plan.offer];
  const offered = await offeredZones(plan, offers.map((offer) => offer.instance_type));
  const zonesOf = (type: string): string[] => {
    const zones = offered.get(type) ?? [];
    if (pinned) return type === plan.offer.instance_type || zones.includes(zone) ? [zone] : [];
    return type === plan.offer.instance_type && !zones.includes(zone) ? [zone, ...zones] : zones;
  };
  const zones = [...new Set(offers.flatMap((offer) => zonesOf(offer.instance_type)))];
  const subnets = new Map<string, string | undefined>();
  for (const each of zones) {
    try {
      subnets.set(each, await subnetIn(plan, placement, each));
    } catch (error) {
      // A zone where the given VPC has no subnet is left out (the VM's own zone must have one).
      if (each === zone) throw error;
    }
  }
  const usable = (type: string) => zonesOf(type).filter((each) => subnets.has(each));
  return fleetOverrides(offers, usable, zone, (each) => subnets.get(each));
}
