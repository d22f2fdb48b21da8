/**
 * The launch template: what the VM is launched with and never changes after: the image as
 * `resolve:ssm:` (see image.ts), which only a launch template keeps unresolved; IMDSv2 only (hop
 * limit 1: the container runs on the host network); an encrypted gp3 root volume of the offer's
 * disk size, deleted with the VM; the instance profile; tags for the instance, its root volume and
 * network interface at launch; for a spot offer, a one-time spot request that terminates on
 * interruption (as dstack does); with `reservation`, the capacity reservation to run in.
 * The instance ignores later versions of the template (instance.ts): a changed template is used by
 * the next VM only, and what must replace the VM (image, spot, reservation) is the instance's
 * replacement trigger. A one-time spot VM that AWS interrupted is terminated: the network volumes
 * keep the data, and `pulumi up --refresh` (the refresh sees it gone) launches a new one.
 * No SSH key pair: the user's key reaches `ubuntu` through the user data (a new key then needs no
 * new VM), and the security group is the instance's (changeable in place).
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import type { CloudPlan } from "../cloud-plan";
import { childName, childOptions, regionOf, tagsFor, child } from "./context";
import { ownerKey } from "../identity";
import { VM_TAG } from "./fleet-vm";
import { imageFor, ROOT_DEVICE } from "./image";

export interface LaunchTemplateInputs {
  instanceProfileArn: pulumi.Input<string>;
  /** For a VM an EC2 Fleet launches (fleet.ts): what the instance itself would otherwise carry. */
  fleet?: FleetLaunch;
}

/**
 * What a fleet's template carries that an instance sets itself: the user data (the fetcher stub,
 * which never changes with the boot script), the security group, and in a given subnet a public
 * address (on the network interface, whose subnet each override sets). No market options: EC2
 * Fleet refuses templates with them and buys spot through its own capacity type.
 */
export interface FleetLaunch {
  userDataBase64: pulumi.Input<string>;
  securityGroupId: pulumi.Input<string>;
  /** In a given VPC's subnets (which need not give public addresses): ask for one. */
  publicIpInSubnet: boolean;
}

/**
 * The capacity reservation to run in (`reservation`, as dstack passes it: a `cr-...` id), or a
 * capacity reservation group's ARN; undefined without one.
 */
export function reservationSpecification(plan: CloudPlan): ec2.LaunchTemplateArgs["capacityReservationSpecification"] {
  const reservation = plan.reservation;
  if (reservation === undefined) return undefined;
  if (/^cr-[0-9a-f]+$/.test(reservation)) return { capacityReservationTarget: { capacityReservationId: reservation } };
  if (/^arn:aws[a-z-]*:resource-groups:/.test(reservation)) return { capacityReservationTarget: { capacityReservationResourceGroupArn: reservation } };
  throw new Error(`${plan.name}: reservation ${JSON.stringify(reservation)} is not an AWS capacity reservation (cr-0123456789abcdef0, or a resource group ARN)`);
}

/** The market options of a spot offer; undefined on demand. */
export function spotMarketOptions(plan: CloudPlan): ec2.LaunchTemplateArgs["instanceMarketOptions"] {
  if (!plan.offer.spot) return undefined;
  return { marketType: "spot", spotOptions: { spotInstanceType: "one-time", instanceInterruptionBehavior: "terminate" } };
}

/** The root volume's size, GB: the offer's disk. */
export function rootSizeGb(plan: CloudPlan): number {
  return plan.offer.disk_gb;
}

/**
 * What only a new VM can change, as the instance's replacement trigger: the image, the market
 * (spot or on demand) and the capacity reservation. The rest of the template (tags, description,
 * disk size: the instance resizes its root volume itself) changes nothing on a running VM.
 */
export function launchFacts(plan: CloudPlan): string {
  return JSON.stringify({ image: imageFor(plan.offer, plan.ami), spot: plan.offer.spot, reservation: plan.reservation ?? null });
}

export function declareLaunchTemplate(plan: CloudPlan, inputs: LaunchTemplateInputs): ec2.LaunchTemplate {
  const name = childName(plan, "lt");
  const vmTags = tagsFor(plan, childName(plan, "vm"));
  const args: ec2.LaunchTemplateArgs = {
    region: regionOf(plan),
    description: `dstack dev environment ${plan.runName}`,
    imageId: imageFor(plan.offer, plan.ami),
    iamInstanceProfile: { arn: inputs.instanceProfileArn },
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    blockDeviceMappings: [
      { deviceName: ROOT_DEVICE, ebs: { volumeSize: rootSizeGb(plan), volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
    ],
    // A fleet's VM also carries its environment's mark, to be found again (fleet-vm.ts).
    tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: inputs.fleet && resourceType === "instance" ? { ...vmTags, [VM_TAG]: ownerKey(plan.identity) } : vmTags })),
    updateDefaultVersion: true,
    tags: tagsFor(plan, name),
  };
  const market = spotMarketOptions(plan);
  if (market && !inputs.fleet) args.instanceMarketOptions = market;
  if (inputs.fleet) {
    args.userData = inputs.fleet.userDataBase64;
    if (inputs.fleet.publicIpInSubnet) {
      args.networkInterfaces = [{ deviceIndex: 0, associatePublicIpAddress: "true", deleteOnTermination: "true", securityGroups: [inputs.fleet.securityGroupId] }];
    } else {
      args.vpcSecurityGroupIds = [inputs.fleet.securityGroupId];
    }
  }
  const reservation = reservationSpecification(plan);
  if (reservation) args.capacityReservationSpecification = reservation;
  return new ec2.LaunchTemplate(name, ...child(plan, "launchTemplate", name, args, childOptions(plan)));
}
