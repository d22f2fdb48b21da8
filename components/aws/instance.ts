/**
 * The VM: the offer's instance type, launched from the launch template, in the chosen zone (the
 * default subnet of the default VPC, or the given subnet with a public IP), with the security
 * group, the root volume's size and the bootstrap as user data on the instance, created only once
 * its secrets and the policy to read them exist.
 * Day two: the instance ignores later template versions (`ignoreChanges: launchTemplate`); what
 * only a new VM can change (image, spot, reservation) is its `replacementTrigger`. Tags, the
 * security group and the root volume's size change in place; a changed bootstrap or instance type
 * updates an on-demand VM with a stop and start (the boot unit takes the new bootstrap), while a
 * one-time spot VM cannot be stopped: for spot offers they replace it. With volumes, a replacement
 * terminates the old VM first (its volumes detach as it terminates; they cannot attach to two
 * VMs); without, the new VM comes up before the old one goes. Optionally an Elastic IP.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import type { CloudPlan } from "../cloud-plan";
import { childName, childOptions, regionOf, tagsFor, child } from "./context";
import { launchFacts, rootSizeGb } from "./launch-template";

export interface InstanceInputs {
  zone: string;
  /** A subnet of a given VPC; none in the default VPC. */
  subnetId?: string;
  securityGroupId: pulumi.Input<string>;
  launchTemplate: ec2.LaunchTemplate;
  userDataBase64: pulumi.Input<string>;
  /** Children that must exist before the VM boots (the secrets and the policy that reads them). */
  dependsOn: pulumi.Resource[];
}

/** The resource options of the VM. */
export function instanceOptions(plan: CloudPlan, dependsOn: pulumi.Resource[]): pulumi.CustomResourceOptions {
  const extra: pulumi.CustomResourceOptions = { dependsOn, ignoreChanges: ["launchTemplate"], replacementTrigger: launchFacts(plan) };
  if (plan.offer.spot) extra.replaceOnChanges = ["instanceType"];
  if (plan.volumes.length > 0) extra.deleteBeforeReplace = true;
  return childOptions(plan, extra);
}

export function declareInstance(plan: CloudPlan, inputs: InstanceInputs): ec2.Instance {
  const name = childName(plan, "vm");
  const args: ec2.InstanceArgs = {
    region: regionOf(plan),
    instanceType: plan.offer.instance_type,
    availabilityZone: inputs.zone,
    // A given subnet need not give public IPs (only default subnets do): ask for one.
    ...(inputs.subnetId === undefined ? {} : { subnetId: inputs.subnetId, associatePublicIpAddress: true }),
    vpcSecurityGroupIds: [inputs.securityGroupId],
    launchTemplate: { id: inputs.launchTemplate.id, version: inputs.launchTemplate.latestVersion.apply(String) },
    rootBlockDevice: { volumeSize: rootSizeGb(plan), volumeType: "gp3", encrypted: true, deleteOnTermination: true },
    userDataBase64: inputs.userDataBase64,
    userDataReplaceOnChange: plan.offer.spot,
    tags: tagsFor(plan, name),
  };
  return new ec2.Instance(name, ...child(plan, "instance", name, args, instanceOptions(plan, inputs.dependsOn)));
}

/** An Elastic IP associated with the VM `instanceId`: its address (known once associated). */
export function declareElasticIp(plan: CloudPlan, instanceId: pulumi.Input<string>): pulumi.Output<string> {
  const name = childName(plan, "eip");
  const eipArgs: ec2.EipArgs = { region: regionOf(plan), domain: "vpc", tags: tagsFor(plan, name) };
  const eip = new ec2.Eip(name, ...child(plan, "eip", name, eipArgs, childOptions(plan)));
  const associationName = childName(plan, "eip-assoc");
  // An Elastic IP's id is its allocation id.
  const associationArgs: ec2.EipAssociationArgs = { region: regionOf(plan), allocationId: eip.id, instanceId };
  const association = new ec2.EipAssociation(associationName, ...child(plan, "eipAssociation", associationName, associationArgs, childOptions(plan)));
  // The address, once it points at the VM.
  return pulumi.all([eip.publicIp, association.id]).apply(([address]) => address);
}
