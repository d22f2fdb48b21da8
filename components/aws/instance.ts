/**
 * The VM: the offer's instance type from the launch template (its latest version: a changed
 * template replaces the VM), in the chosen zone (the default subnet of the default VPC), with the
 * bootstrap as user data, created only once its secrets and the policy to read them exist.
 * The user data is on the instance, not in the template: a changed bootstrap then updates an
 * on-demand VM in place (stop, new user data, start; the boot unit takes the new bootstrap), while
 * a template change would replace it. A one-time spot VM cannot be stopped, so for spot offers
 * a changed bootstrap or instance type replaces the VM. With volumes, a replacement terminates the
 * old VM first (its volumes detach as it terminates; they cannot attach to two VMs); without, the
 * new VM comes up before the old one goes. Optionally an Elastic IP.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import type { CloudPlan } from "../cloud-plan";
import { childName, childOptions, regionOf, tagsFor, transformed } from "./context";

export interface InstanceInputs {
  zone: string;
  /** A subnet of a given VPC; none in the default VPC. */
  subnetId?: string;
  launchTemplate: ec2.LaunchTemplate;
  userDataBase64: pulumi.Input<string>;
  /** Children that must exist before the VM boots (the secrets and the policy that reads them). */
  dependsOn: pulumi.Resource[];
}

/** The resource options of the VM. */
export function instanceOptions(plan: CloudPlan, dependsOn: pulumi.Resource[]): pulumi.CustomResourceOptions {
  const extra: pulumi.CustomResourceOptions = { dependsOn };
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
    ...(inputs.subnetId === undefined ? {} : { subnetId: inputs.subnetId }),
    launchTemplate: { id: inputs.launchTemplate.id, version: inputs.launchTemplate.latestVersion.apply(String) },
    userDataBase64: inputs.userDataBase64,
    userDataReplaceOnChange: plan.offer.spot,
    tags: tagsFor(plan, name),
  };
  return new ec2.Instance(name, transformed(plan, "instance", name, args), instanceOptions(plan, inputs.dependsOn));
}

/** An Elastic IP associated with the VM: its address (known once associated). */
export function declareElasticIp(plan: CloudPlan, instance: ec2.Instance): pulumi.Output<string> {
  const name = childName(plan, "eip");
  const eipArgs: ec2.EipArgs = { region: regionOf(plan), domain: "vpc", tags: tagsFor(plan, name) };
  const eip = new ec2.Eip(name, transformed(plan, "eip", name, eipArgs), childOptions(plan));
  const associationName = childName(plan, "eip-assoc");
  // An Elastic IP's id is its allocation id.
  const associationArgs: ec2.EipAssociationArgs = { region: regionOf(plan), allocationId: eip.id, instanceId: instance.id };
  const association = new ec2.EipAssociation(associationName, transformed(plan, "eipAssociation", associationName, associationArgs), childOptions(plan));
  // The address, once it points at the VM.
  return pulumi.all([eip.publicIp, association.id]).apply(([address]) => address);
}
