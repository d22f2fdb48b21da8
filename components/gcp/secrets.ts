/**
 * The environment's secrets in Secret Manager: one secret (automatic replication) and one version
 * per env secret and for the registry password, and for each a `secretAccessor` binding on that
 * secret alone for the VM's service account. The secret values go only into the versions'
 * `secretData` (a Pulumi secret, encrypted in the state); the bootstrap gets where to read them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as organizations from "@pulumi/gcp/organizations";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import type * as serviceaccount from "@pulumi/gcp/serviceaccount";
import type { SecretRef } from "../../bootstrap/types";
import type { SecretValue } from "../cloud-plan";
import { gcpSecretId } from "../identity";
import { childOptions, invokeOptions, child, type GcpContext } from "./context";
import { childNames } from "./names";

export interface DeclaredSecrets {
  /** Where the bootstrap reads each env secret, by variable name. */
  secretEnv: Record<string, SecretRef>;
  registryPassword: SecretRef | undefined;
  /** Where the boot reads the repository's token. */
  repoToken: SecretRef | undefined;
  /** The versions and bindings the VM must wait for (it reads the secrets at boot). */
  readyBeforeBoot: pulumi.Resource[];
}

/** What a secret holds: an env variable's value, the registry password or the repository's token. */
type SecretKind = "env" | "registry-password" | "repo-token";

export async function declareSecrets(ctx: GcpContext, account: serviceaccount.Account): Promise<DeclaredSecrets> {
  const { plan } = ctx;
  const all: { secret: SecretValue; kind: SecretKind }[] = plan.secretEnv.map((secret) => ({ secret, kind: "env" }));
  if (plan.registryPassword) all.push({ secret: plan.registryPassword, kind: "registry-password" });
  if (plan.repoToken) all.push({ secret: plan.repoToken, kind: "repo-token" });
  if (all.length === 0) return { secretEnv: {}, registryPassword: undefined, repoToken: undefined, readyBeforeBoot: [] };
  checkDistinctNames(plan.name, all.map(({ secret }) => secret.key));

  const project = await secretsProject(ctx);
  const member = pulumi.interpolate`serviceAccount:${account.email}`;
  const declared: DeclaredSecrets = { secretEnv: {}, registryPassword: undefined, repoToken: undefined, readyBeforeBoot: [] };
  for (const { secret, kind } of all) {
    const id = gcpSecretId(plan.identity, kind === "env" ? `env-${secret.key}` : kind);
    declared.readyBeforeBoot.push(...declareSecret(ctx, secret, id, member));
    const ref: SecretRef = { store: "gcp-secret-manager", project, secret: id };
    if (kind === "registry-password") declared.registryPassword = ref;
    else if (kind === "repo-token") declared.repoToken = ref;
    else declared.secretEnv[secret.key] = ref;
  }
  return declared;
}

/** The secret, its version (the value) and the service account's access to it. */
function declareSecret(ctx: GcpContext, value: SecretValue, id: string, member: pulumi.Output<string>): pulumi.Resource[] {
  const { name } = ctx.plan;
  const secretName = childNames.secret(name, value.key);
  const secretArgs: secretmanager.SecretArgs = { project: ctx.project, secretId: id, replication: { auto: {} }, labels: ctx.labels };
  const secret = new secretmanager.Secret(secretName, ...child(ctx, "secret", secretName, secretArgs, childOptions(ctx)));

  const versionName = childNames.secretVersion(name, value.key);
  const versionArgs: secretmanager.SecretVersionArgs = { secret: secret.id, secretData: pulumi.secret(value.value) };
  const version = new secretmanager.SecretVersion(versionName, ...child(ctx, "secretVersion", versionName, versionArgs, childOptions(ctx)));

  const accessName = childNames.secretAccess(name, value.key);
  const accessArgs: secretmanager.SecretIamMemberArgs = {
    project: ctx.project,
    secretId: secret.id,
    role: "roles/secretmanager.secretAccessor",
    member,
  };
  const access = new secretmanager.SecretIamMember(accessName, ...child(ctx, "secretAccess", accessName, accessArgs, childOptions(ctx)));
  return [version, access];
}

/** The project the VM reads its secrets from: the plan's, else the provider's (an invoke). */
async function secretsProject(ctx: GcpContext): Promise<string> {
  if (ctx.project !== undefined) return ctx.project;
  const config = await organizations.getClientConfig(invokeOptions(ctx));
  if (!config.project) throw new Error(`${ctx.plan.name}: no GCP project: set the provider's project or the gcp.project arg`);
  return config.project;
}

/** Two keys that give the same child name (`HF_TOKEN` and `hf-token`) would clash: say so. */
function checkDistinctNames(name: string, keys: string[]): void {
  const seen = new Map<string, string>();
  for (const key of keys) {
    const child = childNames.secret(name, key);
    const other = seen.get(child);
    if (other !== undefined) {
      throw new Error(`${name}: the secrets ${JSON.stringify(other)} and ${JSON.stringify(key)} would both be named ${child}; rename one`);
    }
    seen.set(child, key);
  }
}
