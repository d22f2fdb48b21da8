/**
 * The AWS builder: a `CloudPlan` in, the children of an AWS dev environment declared, a
 * `CloudResult` out. `locate` awaits the invokes that decide where the VM goes (the volumes that
 * exist, by their marks; the subnet; the zone) and declares nothing; its `declare` then declares
 * the SSM parameters, security group, role + policy + instance profile, EBS volumes,
 * launch template, instance, volume attachments and optionally an Elastic IP. Every child and
 * invoke gets the plan's parent and provider; every regional child the offer's region. No
 * resource is declared inside `apply`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CloudBuilder, CloudPlan, CloudResult, Located } from "../cloud-plan";
import { declareIdentity } from "./identity";
import { AWS_SSH_USER } from "./image";
import { declareElasticIp, declareInstance } from "./instance";
import { declareLaunchTemplate } from "./launch-template";
import { declareSecurityGroup } from "./network";
import { resolvePlacement, subnetIn } from "./placement";
import { checkPower, declareInstanceState, liveInstance } from "./power";
import { declareSecrets } from "./secrets";
import { userDataBase64 } from "./user-data";
import { countOwnVolumes, findVolumes, type FoundVolume } from "./volume-lookup";
import { attachVolumes, declareVolumes } from "./volumes";
import { chooseZone } from "./zone";

function declareAws(plan: CloudPlan, found: readonly (FoundVolume | undefined)[], zone: string, subnetId: string | undefined, vpcId: string | undefined): CloudResult {
  const secrets = declareSecrets(plan);
  const securityGroup = declareSecurityGroup(plan, vpcId);
  const identity = declareIdentity(plan, secrets.parameters.map((parameter) => parameter.arn));
  const volumes = declareVolumes(plan, found, zone);
  const launchTemplate = declareLaunchTemplate(plan, { instanceProfileArn: identity.profile.arn });
  const instance = declareInstance(plan, {
    zone,
    subnetId,
    securityGroupId: securityGroup.id,
    launchTemplate,
    userDataBase64: userDataBase64(plan, volumes, secrets),
    // The declared volumes too: a destroy that deletes them then waits for the VM to be gone.
    dependsOn: [...secrets.parameters, ...(identity.policy ? [identity.policy] : []), ...volumes.flatMap((volume) => (volume.resource ? [volume.resource] : []))],
  });
  attachVolumes(plan, volumes, instance);
  const state = declareInstanceState(plan, instance);
  const live = liveInstance(plan, instance, state);
  const publicIp = plan.elasticIp ? declareElasticIp(plan, instance) : live.publicIp;
  return { instanceId: instance.id, publicIp, zone: pulumi.output(zone), sshUser: AWS_SSH_USER, liveWarnings: live.warnings };
}

export async function locateAws(plan: CloudPlan): Promise<Located> {
  if (plan.offer.backend !== "aws") throw new Error(`buildAws got a ${plan.offer.backend} offer (${plan.offer.instance_type})`);
  checkPower(plan);
  const { found, problems } = await findVolumes(plan);
  const placement = await resolvePlacement(plan);
  const { zone, free } = await chooseZone(placement.zone === undefined ? plan : { ...plan, zone: placement.zone }, found);
  const own = found.filter((entry) => entry !== undefined && entry.ownership !== "reference").length;
  return {
    zone,
    zoneFree: free,
    home: { backend: "aws", region: plan.offer.region, zone },
    ownVolumesFound: own,
    declare: async () => {
      if (problems.length > 0) throw problems[0];
      const subnetId = await subnetIn(plan, placement, zone);
      return declareAws(plan, found, zone, subnetId, placement.vpcId);
    },
  };
}

/** Locates, then declares (for callers that need no home check). */
export async function buildAws(plan: CloudPlan): Promise<CloudResult> {
  return (await locateAws(plan)).declare();
}

export const awsBuilder: CloudBuilder = { locate: locateAws, countOwnVolumes };
