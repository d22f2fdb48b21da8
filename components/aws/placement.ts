/**
 * Where the VM sits in the network: the default VPC (nothing to declare), a given subnet (its VPC
 * and zone follow from it), or a given VPC (its first subnet, by id, in the chosen zone).
 */
import * as ec2 from "@pulumi/aws/ec2";
import type { CloudPlan } from "../cloud-plan";
import { invokeOptions, regionOf } from "./context";

export interface Placement {
  vpcId?: string;
  subnetId?: string;
  /** The zone a given subnet is in. */
  zone?: string;
}

/** What the plan's `aws` placement fixes before the zone is chosen. */
export async function resolvePlacement(plan: CloudPlan): Promise<Placement> {
  const { vpcId, subnetId } = plan.aws ?? {};
  if (subnetId === undefined) return { vpcId };
  const subnet = await ec2.getSubnet({ id: subnetId, region: regionOf(plan) }, invokeOptions(plan));
  if (vpcId !== undefined && subnet.vpcId !== vpcId) throw new Error(`the subnet ${subnetId} is in ${subnet.vpcId}, not in the VPC ${vpcId}`);
  return { vpcId: subnet.vpcId, subnetId, zone: subnet.availabilityZone };
}

/** The subnet of the VM in `zone`: the given one, the VPC's first in that zone, or none (default VPC). */
export async function subnetIn(plan: CloudPlan, placement: Placement, zone: string): Promise<string | undefined> {
  if (placement.zone !== undefined && placement.zone !== zone) {
    throw new Error(`the subnet ${placement.subnetId} is in ${placement.zone}, but the VM must go to ${zone} (the zone of its existing volumes)`);
  }
  if (placement.subnetId !== undefined || placement.vpcId === undefined) return placement.subnetId;
  const subnets = await ec2.getSubnets(
    { region: regionOf(plan), filters: [{ name: "vpc-id", values: [placement.vpcId] }, { name: "availability-zone", values: [zone] }] },
    invokeOptions(plan),
  );
  const first = [...subnets.ids].sort()[0];
  if (first === undefined) throw new Error(`the VPC ${placement.vpcId} has no subnet in ${zone}`);
  return first;
}
