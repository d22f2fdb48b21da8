/**
 * The VM's identity: an IAM role EC2 can assume, its instance profile, and, when the environment
 * has secrets, an inline policy that allows `ssm:GetParameter` on exactly this environment's
 * parameters and nothing else. No `kms:Decrypt` statement: the parameters use the account's
 * AWS-managed `aws/ssm` key, whose key policy already lets every principal of the account decrypt
 * through SSM; a `kms:Decrypt` grant here could only widen access to other keys.
 * The role and profile exist even without secrets, so the VM always has its own identity (the
 * role then has no permission at all). IAM is global: these children take no region.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import type { CloudPlan } from "../cloud-plan";
import { childName, childOptions, tagsFor, child } from "./context";

export interface AwsIdentity {
  role: iam.Role;
  profile: iam.InstanceProfile;
  /** The secrets policy; undefined when there are no secrets. */
  policy: iam.RolePolicy | undefined;
}

/** Lets EC2 assume the role. */
export const EC2_TRUST_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** The inline policy: `ssm:GetParameter` on exactly `parameterArns` (in order). */
export function secretsPolicy(parameterArns: readonly string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "ReadOwnSecrets", Effect: "Allow", Action: "ssm:GetParameter", Resource: [...parameterArns] }],
  });
}

export function declareIdentity(plan: CloudPlan, parameterArns: pulumi.Output<string>[]): AwsIdentity {
  const roleName = childName(plan, "role");
  const roleArgs: iam.RoleArgs = {
    description: `dstack dev environment ${plan.runName}: the VM's identity`,
    assumeRolePolicy: EC2_TRUST_POLICY,
    tags: tagsFor(plan, roleName),
  };
  const role = new iam.Role(roleName, ...child(plan, "role", roleName, roleArgs, childOptions(plan)));

  let policy: iam.RolePolicy | undefined;
  if (parameterArns.length > 0) {
    const policyName = childName(plan, "policy");
    // A role's id is its name.
    const policyArgs: iam.RolePolicyArgs = { role: role.id, policy: pulumi.all(parameterArns).apply(secretsPolicy) };
    policy = new iam.RolePolicy(policyName, ...child(plan, "policy", policyName, policyArgs, childOptions(plan)));
  }

  const profileName = childName(plan, "profile");
  const profileArgs: iam.InstanceProfileArgs = { role: role.id, tags: tagsFor(plan, profileName) };
  const profile = new iam.InstanceProfile(profileName, ...child(plan, "instanceProfile", profileName, profileArgs, childOptions(plan)));
  return { role, profile, policy };
}
