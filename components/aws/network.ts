/**
 * How the VM is reached: a security group that lets SSH (22/tcp) in from the allowed CIDRs only
 * (the container's sshd and the IDE are reached through it, as with dstack) and lets everything
 * out; and the user's SSH key as an EC2 key pair (the `ubuntu` user's key).
 * Both live in the region's default VPC.
 */
import * as ec2 from "@pulumi/aws/ec2";
import { cidrFamilies } from "../cidrs";
import type { CloudPlan } from "../cloud-plan";
import { childName, childOptions, regionOf, tagsFor, transformed } from "./context";

export const SSH_PORT = 22;

export function declareSecurityGroup(plan: CloudPlan, vpcId?: string): ec2.SecurityGroup {
  const name = childName(plan, "sg");
  const { ipv4, ipv6 } = cidrFamilies(plan.allowedCidrs);
  const ingress: ec2.SecurityGroupArgs["ingress"] = [];
  if (ipv4.length > 0) ingress.push({ description: "SSH", protocol: "tcp", fromPort: SSH_PORT, toPort: SSH_PORT, cidrBlocks: ipv4 });
  if (ipv6.length > 0) ingress.push({ description: "SSH (IPv6)", protocol: "tcp", fromPort: SSH_PORT, toPort: SSH_PORT, ipv6CidrBlocks: ipv6 });
  const args: ec2.SecurityGroupArgs = {
    region: regionOf(plan),
    description: `dstack dev environment ${plan.runName}: SSH in`,
    ...(vpcId === undefined ? {} : { vpcId }),
    ingress,
    egress: [{ description: "all", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    tags: tagsFor(plan, name),
  };
  return new ec2.SecurityGroup(name, transformed(plan, "securityGroup", name, args), childOptions(plan));
}

export function declareKeyPair(plan: CloudPlan): ec2.KeyPair {
  const name = childName(plan, "key");
  const args: ec2.KeyPairArgs = { region: regionOf(plan), publicKey: plan.sshPublicKey, tags: tagsFor(plan, name) };
  return new ec2.KeyPair(name, transformed(plan, "keyPair", name, args), childOptions(plan));
}
