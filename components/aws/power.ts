/**
 * The VM's power state. An `ec2transitgateway.InstanceState` (the AWS provider's instance-state
 * resource, despite its module) holds the desired state: `running`, or `stopped` with the root
 * volume and the network volumes kept. A VM that powered itself off (idle, `max_duration`) is
 * stopped behind Pulumi's back: a refresh reads it stopped, so `pulumi up --refresh` (or
 * `options: {refresh: always}` in Pulumi.yaml) starts it again. A one-time spot VM cannot be
 * stopped (AWS terminates it instead), so `running: false` is refused for spot offers.
 * The VM as it is now (`ec2.getInstance`, read after the state is applied) gives the public IP,
 * which changes with every stop and start unless the VM has an Elastic IP, and a warning when the
 * VM is stopped or gone.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as ec2transitgateway from "@pulumi/aws/ec2transitgateway";
import type { CloudPlan } from "../cloud-plan";
import { stoppedVmWarning } from "../power";
import { childName, childOptions, invokeOptions, regionOf, child } from "./context";

/** What the VM looks like now: its address (empty when stopped), its zone and what to tell the user. */
export interface LiveInstance {
  publicIp: string;
  /** Where EC2 runs it; undefined when EC2 no longer knows it. */
  zone: string | undefined;
  /** Its instance type now (a fleet's VM may have any of the fleet's types). */
  instanceType: string | undefined;
  warnings: string[];
}

/** Refuses what AWS cannot do: stopping a one-time spot VM. */
export function checkPower(plan: CloudPlan): void {
  if (!plan.running && plan.offer.spot) {
    throw new Error(`${plan.name}: running: false cannot stop a spot VM (${plan.offer.instance_type}): AWS stops no one-time spot instance, it terminates it. Use an on-demand offer (spot_policy: on-demand) to pause the box, or pulumi destroy (the volumes are kept).`);
  }
}

/** The desired power state of the VM `instanceId` (an instance's, or the one its fleet launched). */
export function declareInstanceState(plan: CloudPlan, instanceId: pulumi.Input<string>): ec2transitgateway.InstanceState {
  checkPower(plan);
  const name = childName(plan, "power");
  const args: ec2transitgateway.InstanceStateArgs = { region: regionOf(plan), instanceId, state: plan.running ? "running" : "stopped" };
  return new ec2transitgateway.InstanceState(name, ...child(plan, "instanceState", name, args, childOptions(plan)));
}

/** The VM as EC2 sees it once its power state is applied: undefined when EC2 no longer knows it. */
async function describe(plan: CloudPlan, instanceId: string): Promise<ec2.GetInstanceResult | undefined> {
  try {
    return await ec2.getInstance({ instanceId, region: regionOf(plan) }, invokeOptions(plan));
  } catch {
    return undefined;
  }
}

/** The live address, zone and warnings of the VM `instanceId` (known once the VM and its state are); `recordedIp`: the address the state holds. */
export function liveInstance(plan: CloudPlan, instanceId: pulumi.Input<string>, state: ec2transitgateway.InstanceState, recordedIp: pulumi.Input<string>): pulumi.Output<LiveInstance> {
  return pulumi.all([instanceId, state.state, recordedIp]).apply(async ([id, , recorded]) => {
    const found = await describe(plan, id);
    const status = found?.instanceState ?? "terminated";
    const warnings: string[] = [];
    if (plan.running && status !== "running" && status !== "pending") warnings.push(stoppedVmWarning(plan, status));
    return { publicIp: found ? found.publicIp : recorded, zone: found?.availabilityZone, instanceType: found?.instanceType, warnings };
  });
}
