/**
 * The availability zone of the VM and its new volumes. An existing volume pins it (EBS volumes
 * attach only within their zone; all existing volumes must share one zone; that the offer and the
 * args allow it is checked by the caller). Else the plan's zone (a pin or the lock), else the zone
 * an earlier deployment kept while EC2 still offers the type there, else the first zone, in sorted
 * order, where EC2 offers the instance type
 * (invoke `ec2.getInstanceTypeOfferings`), within the offer's zones when the catalog names any.
 * Standard zones (`us-east-1a`) come before Local and Wavelength Zones the account opted in to.
 */
import * as ec2 from "@pulumi/aws/ec2";
import type { CloudPlan } from "../cloud-plan";
import { isStandardAwsZone } from "../zone-names";
import { invokeOptions, regionOf } from "./context";
import type { FoundVolume } from "./volume-lookup";

/** The one zone of the existing volumes, undefined when there are none; volumes in several zones are an error. */
export function pinnedZone(found: readonly (FoundVolume | undefined)[]): string | undefined {
  const existing = found.filter((entry): entry is FoundVolume => entry !== undefined);
  const zones = [...new Set(existing.map((entry) => entry.zone))];
  if (zones.length > 1) {
    const where = existing.map((entry) => `${entry.volume.name}${typeof entry.id === "string" ? ` (${entry.id})` : ""} in ${entry.zone}`).join(", ");
    throw new Error(`the existing volumes are in different availability zones: ${where}; a VM attaches volumes of its own zone only`);
  }
  return zones[0];
}

/** The zones of `locations` to try, in order: standard zones of the region (sorted), else the others. */
export function orderZones(region: string, locations: readonly string[], allowed: readonly string[]): string[] {
  const usable = [...new Set(locations)].filter((zone) => allowed.length === 0 || allowed.includes(zone)).sort();
  const standard = usable.filter((zone) => isStandardAwsZone(zone, region));
  return standard.length > 0 ? standard : usable;
}

/** The kept zone for the same instance type; else the first zone that offers the type, or the kept zone when it does. */
async function offeredZone(plan: CloudPlan): Promise<string> {
  const { instance_type: instanceType, zones: allowed } = plan.offer;
  // The VM is there: neither the catalog's zones nor EC2's offerings move it (the user's zones were checked when it was kept).
  if (plan.keptZone?.sameInstanceType) return plan.keptZone.zone;
  const region = regionOf(plan);
  const offerings = await ec2.getInstanceTypeOfferings(
    { region, locationType: "availability-zone", filters: [{ name: "instance-type", values: [instanceType] }] },
    invokeOptions(plan),
  );
  const zones = orderZones(region, offerings.locations ?? [], allowed);
  if (zones.length === 0) {
    const within = allowed.length > 0 ? ` within ${allowed.join(", ")}` : "";
    throw new Error(`EC2 offers ${instanceType} in no availability zone of ${region}${within}`);
  }
  return plan.keptZone !== undefined && zones.includes(plan.keptZone.zone) ? plan.keptZone.zone : zones[0];
}

/**
 * The VM's zone: the existing volumes' zone whatever else asks (a volume cannot move; whether the
 * offer and the args allow that zone is build-environment.ts's decision), else the plan's, else
 * the kept zone while it offers the type, else the first zone that offers it. `free`: only the
 * offering chose it.
 */
export async function chooseZone(plan: CloudPlan, found: readonly (FoundVolume | undefined)[]): Promise<{ zone: string; free: boolean }> {
  const fixed = pinnedZone(found) ?? plan.zone;
  if (fixed !== undefined) return { zone: fixed, free: false };
  return { zone: await offeredZone(plan), free: true };
}
