/**
 * The secrets the VM reads at boot: one SSM Parameter Store `SecureString` per secret env variable
 * (`/dstack/<project>/<stack>/<name>/env/<KEY>`, from the environment's identity: never another
 * stack's) and one for the registry password (`/dstack/<project>/<stack>/<name>/registry-password`),
 * and one for the repository's token (`.../repo-token`), encrypted with the account's default `aws/ssm` key. The values stay Pulumi secrets (encrypted in
 * the state, `[secret]` in previews); the bootstrap only gets where they are (`SecretRef`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as ssm from "@pulumi/aws/ssm";
import type { SecretRef } from "../../bootstrap/types";
import type { CloudPlan, SecretValue } from "../cloud-plan";
import { ssmPrefix, type Identity } from "../identity";
import { childName, childOptions, nameSuffix, regionOf, tagsFor, child } from "./context";

export interface AwsSecrets {
  /** Where each secret env variable is kept, by name. */
  env: Record<string, SecretRef>;
  registryPassword: SecretRef | undefined;
  /** Where the repository's token is kept. */
  repoToken: SecretRef | undefined;
  /** Every parameter, env variables (in plan order) first. */
  parameters: ssm.Parameter[];
}

/** The parameter name of an env variable's value. */
export function envParameterName(identity: Identity, key: string): string {
  return `${ssmPrefix(identity)}/env/${key}`;
}

/** The parameter name of the registry password. */
export function registryParameterName(identity: Identity): string {
  return `${ssmPrefix(identity)}/registry-password`;
}

/** The parameter name of the repository's token. */
export function repoTokenParameterName(identity: Identity): string {
  return `${ssmPrefix(identity)}/repo-token`;
}

function declareParameter(plan: CloudPlan, secret: SecretValue, parameter: string): ssm.Parameter {
  const name = childName(plan, `secret-${nameSuffix(secret.key)}`);
  const args: ssm.ParameterArgs = {
    region: regionOf(plan),
    name: parameter,
    type: "SecureString",
    value: pulumi.secret(secret.value),
    description: `dstack dev environment ${plan.runName}: ${secret.key}`,
    tags: tagsFor(plan, name),
  };
  return new ssm.Parameter(name, ...child(plan, "secret", name, args, childOptions(plan)));
}

/** Two secrets whose child names would be the same (`HF_TOKEN`, `hf_token`) are an error. */
function checkDistinct(plan: CloudPlan): void {
  const seen = new Map<string, string>();
  const all = [...plan.secretEnv, ...(plan.registryPassword ? [plan.registryPassword] : []), ...(plan.repoToken ? [plan.repoToken] : [])];
  for (const secret of all) {
    const suffix = nameSuffix(secret.key);
    const other = seen.get(suffix);
    if (other !== undefined) throw new Error(`the secrets ${other} and ${secret.key} would both be named ${childName(plan, `secret-${suffix}`)}: rename one`);
    seen.set(suffix, secret.key);
  }
}

export function declareSecrets(plan: CloudPlan): AwsSecrets {
  checkDistinct(plan);
  const region = regionOf(plan);
  const env: Record<string, SecretRef> = {};
  const parameters: ssm.Parameter[] = [];
  for (const secret of plan.secretEnv) {
    const parameter = envParameterName(plan.identity, secret.key);
    parameters.push(declareParameter(plan, secret, parameter));
    env[secret.key] = { store: "aws-ssm", region, parameter };
  }
  const single = (secret: SecretValue | undefined, parameter: string): SecretRef | undefined => {
    if (!secret) return undefined;
    parameters.push(declareParameter(plan, secret, parameter));
    return { store: "aws-ssm", region, parameter };
  };
  const registryPassword = single(plan.registryPassword, registryParameterName(plan.identity));
  const repoToken = single(plan.repoToken, repoTokenParameterName(plan.identity));
  return { env, registryPassword, repoToken, parameters };
}
