/**
 * The AWS builder: a `CloudPlan` in, the children of an AWS dev environment declared, a
 * `CloudResult` out. It first awaits the invokes that decide what exists (existing volumes, then
 * the zone), then declares: SSM parameters, security group and key pair, role + policy + instance
 * profile, EBS volumes, launch template, instance, volume attachments and optionally an Elastic IP.
 * Every child and invoke gets the plan's parent and provider; every regional child the offer's
 * region. No resource is declared inside `apply`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CloudPlan, CloudResult } from "../cloud-plan";
import { declareIdentity } from "./identity";
import { AWS_SSH_USER } from "./image";
import { declareElasticIp, declareInstance } from "./instance";
import { declareLaunchTemplate } from "./launch-template";
import { declareKeyPair, declareSecurityGroup } from "./network";
import { resolvePlacement, subnetIn } from "./placement";
import { declareSecrets } from "./secrets";
import { userDataBase64 } from "./user-data";
import { findVolumes } from "./volume-lookup";
import { attachVolumes, declareVolumes } from "./volumes";
import { chooseZone } from "./zone";

export async function buildAws(plan: CloudPlan): Promise<CloudResult> {
  if (plan.offer.backend !== "aws") throw new Error(`buildAws got a ${plan.offer.backend} offer (${plan.offer.instance_type})`);
  const found = await findVolumes(plan);
  const placement = await resolvePlacement(plan);
  const zone = await chooseZone(placement.zone === undefined ? plan : { ...plan, zone: placement.zone }, found);
  const subnetId = await subnetIn(plan, placement, zone);

  const secrets = declareSecrets(plan);
  const securityGroup = declareSecurityGroup(plan, placement.vpcId);
  const keyPair = declareKeyPair(plan);
  const identity = declareIdentity(plan, secrets.parameters.map((parameter) => parameter.arn));
  const volumes = declareVolumes(plan, found, zone);
  const launchTemplate = declareLaunchTemplate(plan, {
    securityGroupId: securityGroup.id,
    keyName: keyPair.keyName,
    instanceProfileArn: identity.profile.arn,
  });
  const instance = declareInstance(plan, {
    zone,
    subnetId,
    launchTemplate,
    userDataBase64: userDataBase64(plan, volumes, secrets),
    dependsOn: [...secrets.parameters, ...(identity.policy ? [identity.policy] : [])],
  });
  attachVolumes(plan, volumes, instance);
  const publicIp = plan.elasticIp ? declareElasticIp(plan, instance) : instance.publicIp;

  return { instanceId: instance.id, publicIp, zone: pulumi.output(zone), sshUser: AWS_SSH_USER };
}
