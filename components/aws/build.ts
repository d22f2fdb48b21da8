/**
 * The AWS builder: a `CloudPlan` in, the children of an AWS dev environment declared, a
 * `CloudResult` out. `locate` awaits the invokes that decide where the VM goes (the volumes that
 * exist, by their marks; the subnet; the zone) and declares nothing; its `declare` then declares
 * the SSM parameters, security group, role + policy + instance profile, EBS volumes, launch
 * template, the VM (an instance; or, when the plan has `fleetOffers`, an EC2 Fleet over ranked
 * overrides with the boot script in SSM: fleet.ts), volume attachments, the VM's power state and
 * optionally an Elastic IP. Every child and invoke gets the plan's parent and provider; every
 * regional child the offer's region. No resource is declared inside `apply`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CloudBuilder, CloudPlan, CloudResult, Located } from "../cloud-plan";
import { declareBootParameters, fetcherUserData } from "./boot-parameters";
import { declareFleet, otherTypeWarning } from "./fleet";
import type { FleetOverride } from "./fleet-overrides";
import { fleetVmZone } from "./fleet-vm";
import { placeFleet } from "./fleet-zones";
import { declareIdentity } from "./identity";
import { AWS_SSH_USER } from "./image";
import { declareElasticIp, declareInstance } from "./instance";
import { declareLaunchTemplate } from "./launch-template";
import { declareSecurityGroup } from "./network";
import { resolvePlacement, subnetIn } from "./placement";
import { checkPower, declareInstanceState, liveInstance } from "./power";
import { declareSecrets } from "./secrets";
import { bootScript, userDataBase64 } from "./user-data";
import { countOwnVolumes, findVolumes, type FoundVolume } from "./volume-lookup";
import { attachVolumes, declareVolumes } from "./volumes";
import { chooseZone } from "./zone";

/** Where the VM goes: its zone and, for an instance, its subnet; for a fleet, its overrides. */
type Where = { zone: string; vpcId: string | undefined } & ({ subnetId: string | undefined } | { overrides: FleetOverride[]; inSubnets: boolean });

/** The VM's id, the address the state records for it, and its zone. */
interface Vm {
  instanceId: pulumi.Output<string>;
  recordedIp: pulumi.Output<string>;
  zone: pulumi.Output<string>;
}

function declareAws(plan: CloudPlan, found: readonly (FoundVolume | undefined)[], where: Where): CloudResult {
  const { zone } = where;
  const secrets = declareSecrets(plan);
  const securityGroup = declareSecurityGroup(plan, where.vpcId);
  let vm: Vm;
  let volumes: ReturnType<typeof declareVolumes>;
  if ("overrides" in where) {
    volumes = declareVolumes(plan, found, zone);
    const boot = declareBootParameters(plan, bootScript(plan, volumes, secrets));
    const identity = declareIdentity(plan, [...secrets.parameters, ...boot].map((parameter) => parameter.arn));
    const fleet = { userDataBase64: fetcherUserData(plan), securityGroupId: securityGroup.id, publicIpInSubnet: where.inSubnets };
    const launchTemplate = declareLaunchTemplate(plan, { instanceProfileArn: identity.profile.arn, fleet });
    const dependsOn = [...secrets.parameters, ...boot, ...(identity.policy ? [identity.policy] : []), ...volumes.flatMap((volume) => (volume.resource ? [volume.resource] : []))];
    const launched = declareFleet(plan, { overrides: where.overrides, launchTemplate, dependsOn });
    vm = { instanceId: launched.instanceId, recordedIp: pulumi.output(""), zone: pulumi.output(zone) };
  } else {
    const identity = declareIdentity(plan, secrets.parameters.map((parameter) => parameter.arn));
    volumes = declareVolumes(plan, found, zone);
    const launchTemplate = declareLaunchTemplate(plan, { instanceProfileArn: identity.profile.arn });
    const instance = declareInstance(plan, {
      zone,
      subnetId: where.subnetId,
      securityGroupId: securityGroup.id,
      launchTemplate,
      userDataBase64: userDataBase64(plan, volumes, secrets),
      // The declared volumes too: a destroy that deletes them then waits for the VM to be gone.
      dependsOn: [...secrets.parameters, ...(identity.policy ? [identity.policy] : []), ...volumes.flatMap((volume) => (volume.resource ? [volume.resource] : []))],
    });
    vm = { instanceId: instance.id, recordedIp: instance.publicIp, zone: pulumi.output(zone) };
  }
  attachVolumes(plan, volumes, vm.instanceId);
  const state = declareInstanceState(plan, vm.instanceId);
  const live = liveInstance(plan, vm.instanceId, state, vm.recordedIp);
  const publicIp = plan.elasticIp ? declareElasticIp(plan, vm.instanceId) : live.publicIp;
  if (!("overrides" in where)) return { instanceId: vm.instanceId, publicIp, zone: vm.zone, sshUser: AWS_SSH_USER, liveWarnings: live.warnings };
  // A fleet's VM may be of a later override's type, in another zone: EC2 says which and where.
  const liveZone = pulumi.all([live, vm.zone]).apply(([now, first]) => now.zone ?? first);
  const warnings = live.apply((now) => [...now.warnings, ...(now.instanceType !== undefined && now.instanceType !== plan.offer.instance_type ? [otherTypeWarning(plan, now.instanceType)] : [])]);
  return { instanceId: vm.instanceId, publicIp, zone: liveZone, sshUser: AWS_SSH_USER, liveWarnings: warnings };
}

export async function locateAws(plan: CloudPlan): Promise<Located> {
  if (plan.offer.backend !== "aws") throw new Error(`buildAws got a ${plan.offer.backend} offer (${plan.offer.instance_type})`);
  checkPower(plan);
  const { found, problems } = await findVolumes(plan);
  const placement = await resolvePlacement(plan);
  const { zone: chosen, free } = await chooseZone(placement.zone === undefined ? plan : { ...plan, zone: placement.zone }, found);
  // A fleet's VM that exists is where EC2 put it, among the fleet's zones: new volumes go there.
  const vmZone = plan.fleetOffers && found.every((entry) => entry === undefined) ? await fleetVmZone(plan) : undefined;
  const zone = vmZone ?? chosen;
  const own = found.filter((entry) => entry !== undefined && entry.ownership !== "reference").length;
  return {
    zone,
    zoneFree: free && vmZone === undefined,
    home: { backend: "aws", region: plan.offer.region, zone },
    ownVolumesFound: own,
    declare: async () => {
      if (problems.length > 0) throw problems[0];
      if (plan.fleetOffers) {
        // Volumes (existing or new), a subnet, the lock's zone or a zone arg hold the VM to one zone;
        // else the overrides span the zones, in the same order as at the first deployment.
        const pinned = !free || plan.volumes.length > 0 || placement.subnetId !== undefined;
        const overrides = await placeFleet(plan, placement, pinned ? zone : chosen, pinned);
        return declareAws(plan, found, { zone, vpcId: placement.vpcId, overrides, inSubnets: placement.vpcId !== undefined });
      }
      return declareAws(plan, found, { zone, vpcId: placement.vpcId, subnetId: await subnetIn(plan, placement, zone) });
    },
  };
}

/** Locates, then declares (for callers that need no home check). */
export async function buildAws(plan: CloudPlan): Promise<CloudResult> {
  return (await locateAws(plan)).declare();
}

export const awsBuilder: CloudBuilder = { locate: locateAws, countOwnVolumes };
