/**
 * The VM through an EC2 Fleet of type `instant`: one request for one instance over ranked
 * overrides (fleet-overrides.ts), answered at once: the first override with capacity launches, or
 * none does. On demand the allocation is `prioritized`; on spot `capacity-optimized-prioritized`
 * (capacity first, the order where it can), as dstack prefers available capacity to the cheapest.
 * `terminateInstances`: deleting or replacing the fleet terminates its VM (the provider's default
 * would leave it running, unmanaged).
 * Day two: an instant fleet cannot be modified (EC2's ModifyFleet takes `maintain` fleets only), so
 * its launch template configs (template version, overrides) are ignored after creation, and
 * what only a new VM can change (image, market, reservation, the offer's instance type and region)
 * is its replacement trigger. Everything else reaches the VM without touching the fleet: the boot
 * script through SSM (boot-parameters.ts), tags in place, the power state through the instance id.
 * A fleet that launched nothing (the provider reports no error for it) fails the update with a
 * capacity message that `dstack-pulumi up` recognises, naming what was tried.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import type { CloudPlan } from "../cloud-plan";
import { child, childName, childOptions, regionOf, tagsFor } from "./context";
import { overrideSummary, type FleetOverride } from "./fleet-overrides";
import { imageFor } from "./image";

export interface FleetInputs {
  overrides: FleetOverride[];
  launchTemplate: ec2.LaunchTemplate;
  /** Children that must exist before the VM boots (its boot parameters, secrets, the policy). */
  dependsOn: pulumi.Resource[];
}

/** What only a new VM can change: image, market, reservation, the offer's machine and region. */
export function fleetFacts(plan: CloudPlan): string {
  return JSON.stringify({ image: imageFor(plan.offer, plan.ami), spot: plan.offer.spot, reservation: plan.reservation ?? null, instanceType: plan.offer.instance_type, region: plan.offer.region });
}

/** The resource options of the fleet. */
export function fleetOptions(plan: CloudPlan, dependsOn: pulumi.Resource[]): pulumi.CustomResourceOptions {
  const extra: pulumi.CustomResourceOptions = { dependsOn, ignoreChanges: ["launchTemplateConfigs"], replacementTrigger: fleetFacts(plan) };
  if (plan.volumes.length > 0) extra.deleteBeforeReplace = true;
  return childOptions(plan, extra);
}

/** The marker the capacity loop reads in an update's error: backend, region and the instance types tried. */
export function capacityMarker(region: string, types: readonly string[]): string {
  return `[dstack-capacity aws ${region} ${types.join(",")}]`;
}

/** Why an update fails when the fleet launched nothing, and what to do. */
export function emptyFleetMessage(plan: CloudPlan, overrides: readonly FleetOverride[], urn: string): string {
  const { types, zones } = overrideSummary(overrides);
  return (
    `${plan.name}: the EC2 Fleet ${childName(plan, "fleet")} launched no instance: insufficient capacity for ${types.join(", ")} in ${zones.join(", ")} ` +
    `(or a vCPU quota: the AWS provider does not pass on EC2 Fleet's reasons) ${capacityMarker(regionOf(plan), types)}. ` +
    `To ask EC2 again: pulumi up --replace '${urn}'; dstack-pulumi up does so and tries the next offers while retry allows`
  );
}

/** The fleet launched a later override: the `offer` and `pricePerHour` outputs describe the first. */
export function otherTypeWarning(plan: CloudPlan, instanceType: string): string {
  const fallback = plan.fleetOffers?.find((offer) => offer.instance_type === instanceType);
  const price = fallback ? ` at $${fallback.price_per_hour}/h` : "";
  return `the EC2 Fleet launched ${instanceType}${price}, a fallback: ${plan.offer.instance_type} had no capacity; the offer and pricePerHour outputs describe ${plan.offer.instance_type}`;
}

export function declareFleet(plan: CloudPlan, inputs: FleetInputs): { fleet: ec2.Fleet; instanceId: pulumi.Output<string> } {
  if (inputs.overrides.length === 0) throw new Error(`${plan.name}: EC2 offers none of the fleet's instance types (${plan.offer.instance_type}, ...) in a zone it may use`);
  const name = childName(plan, "fleet");
  const spot = plan.offer.spot;
  const args: ec2.FleetArgs = {
    region: regionOf(plan),
    type: "instant",
    launchTemplateConfigs: [{
      launchTemplateSpecification: { launchTemplateId: inputs.launchTemplate.id, version: inputs.launchTemplate.latestVersion.apply(String) },
      overrides: inputs.overrides.map((override) => ({ ...override })),
    }],
    targetCapacitySpecification: { defaultTargetCapacityType: spot ? "spot" : "on-demand", totalTargetCapacity: 1 },
    ...(spot ? { spotOptions: { allocationStrategy: "capacity-optimized-prioritized", instanceInterruptionBehavior: "terminate" } } : { onDemandOptions: { allocationStrategy: "prioritized" } }),
    terminateInstances: true,
    tags: tagsFor(plan, name),
  };
  const fleet = new ec2.Fleet(name, ...child(plan, "fleet", name, args, fleetOptions(plan, inputs.dependsOn)));
  const instanceId = pulumi.all([fleet.fleetInstanceSets, fleet.urn]).apply(([sets, urn]) => {
    const id = (sets ?? []).flatMap((set) => set.instanceIds ?? [])[0];
    if (id === undefined) throw new Error(emptyFleetMessage(plan, inputs.overrides, urn));
    return id;
  });
  return { fleet, instanceId };
}
