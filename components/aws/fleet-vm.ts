/**
 * The VM an environment's fleet launched earlier, found by its mark (the `dstack:vm` tag, the
 * environment's owner key, set at launch through the template): where it is pins the zone of new
 * volumes, as an existing volume does, since a fleet may have launched it in any of its zones.
 */
import * as ec2 from "@pulumi/aws/ec2";
import type { CloudPlan } from "../cloud-plan";
import { ownerKey } from "../identity";
import { invokeOptions, regionOf } from "./context";

/** The tag that marks a fleet's VM with its environment's owner key (only the instance carries it). */
export const VM_TAG = "dstack:vm";

/** The zone of the environment's fleet VM (pending, running, stopping or stopped); undefined when there is none. */
export async function fleetVmZone(plan: CloudPlan): Promise<string | undefined> {
  const found = await ec2.getInstances(
    { region: regionOf(plan), instanceTags: { [VM_TAG]: ownerKey(plan.identity) }, instanceStateNames: ["pending", "running", "stopping", "stopped"] },
    invokeOptions(plan),
  );
  const [id] = [...found.ids].sort();
  if (id === undefined) return undefined;
  const vm = await ec2.getInstance({ instanceId: id, region: regionOf(plan) }, invokeOptions(plan));
  return vm.availabilityZone;
}
