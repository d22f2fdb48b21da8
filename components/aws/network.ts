/**
 * How the VM is reached: a security group that lets SSH (22/tcp) in from the allowed CIDRs only
 * (the container's sshd and the IDE are reached through it, as with dstack) and lets everything
 * out, in the region's default VPC or the given one. Its description is the same for every
 * environment: EC2 cannot change a group's description, so a run name there would replace the
 * group (and a group in use cannot be deleted); groups made by earlier versions keep theirs.
 * The user's SSH key is no EC2 key pair (a new key would need a new VM): the user data gives it
 * to `ubuntu`.
 */
import * as ec2 from "@pulumi/aws/ec2";
import { cidrFamilies } from "../cidrs";
import type { CloudPlan } from "../cloud-plan";
import { childName, childOptions, regionOf, tagsFor, child } from "./context";

export const SSH_PORT = 22;

/** The description of every environment's security group. */
export const SECURITY_GROUP_DESCRIPTION = "dstack dev environment: SSH in";

/** An ingress rule of the group. */
type SshRule = { description: string; protocol: string; fromPort: number; toPort: number; cidrBlocks?: string[]; ipv6CidrBlocks?: string[] };

/** The SSH rules of the allowed CIDRs: one per family that has any. */
export function sshIngress(cidrs: readonly string[]): SshRule[] {
  const { ipv4, ipv6 } = cidrFamilies(cidrs);
  const ingress: SshRule[] = [];
  if (ipv4.length > 0) ingress.push({ description: "SSH", protocol: "tcp", fromPort: SSH_PORT, toPort: SSH_PORT, cidrBlocks: ipv4 });
  if (ipv6.length > 0) ingress.push({ description: "SSH (IPv6)", protocol: "tcp", fromPort: SSH_PORT, toPort: SSH_PORT, ipv6CidrBlocks: ipv6 });
  return ingress;
}

export function declareSecurityGroup(plan: CloudPlan, vpcId?: string): ec2.SecurityGroup {
  const name = childName(plan, "sg");
  const ingress = plan.allowedCidrsPending ? plan.allowedCidrsPending.apply(sshIngress) : sshIngress(plan.allowedCidrs);
  const args: ec2.SecurityGroupArgs = {
    region: regionOf(plan),
    description: SECURITY_GROUP_DESCRIPTION,
    ...(vpcId === undefined ? {} : { vpcId }),
    ingress,
    egress: [{ description: "all", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    tags: tagsFor(plan, name),
  };
  return new ec2.SecurityGroup(name, ...child(plan, "securityGroup", name, args, childOptions(plan, { ignoreChanges: ["description"] })));
}
