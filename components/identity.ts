/**
 * Who an environment is on the cloud: the Pulumi project, the stack and the component's name. Every
 * physical name a component sets (SSM paths, secret ids, the service account, network tags,
 * firewall rules) and the owner mark of its volumes derive from it, so two stacks (or two
 * components of one stack) never share one, whatever their run names.
 *
 * The identity is the one of the first deployment, kept in a stash (`<name>-identity`): renaming
 * the component (with `aliases`) or the run name renames nothing on the cloud.
 */
import * as pulumi from "@pulumi/pulumi";
import { fit, hashedName, shortHash, slug } from "./names";
import { keptValue } from "./stash";

export interface Identity {
  project: string;
  stack: string;
  /** The component's name when it was first deployed. */
  name: string;
}

/**
 * What the first deployment recorded besides the identity (launch-mode.ts): `fleet` when it
 * launched AWS VMs through a fleet, `queued` when it requested TPU slices through Cloud TPU's queue.
 */
export interface FirstDeployment {
  awsLaunch?: "fleet";
  tpuLaunch?: "queued";
}

/** The identity of a component named `name` in the running program. */
export function currentIdentity(name: string): Identity {
  return { project: pulumi.getProject(), stack: pulumi.getStack(), name };
}

function isIdentity(value: unknown): value is Identity {
  const record = value as Partial<Identity> | null | undefined;
  return typeof record?.project === "string" && typeof record.stack === "string" && typeof record.name === "string";
}

/**
 * The kept identity of the component (see the file comment), whether the stack held it before this
 * update (known in a preview), and what its first deployment recorded with it (`first` is today's,
 * recorded when the stash is new; a stash of an earlier version has none).
 */
export async function keptIdentity(name: string, parent: pulumi.Resource, first: FirstDeployment = {}): Promise<Identity & { deployedBefore: boolean; first: FirstDeployment }> {
  const kept = await keptValue<Identity & FirstDeployment>(`${name}-identity`, { ...currentIdentity(name), ...first }, parent, isIdentity);
  const recorded: FirstDeployment = {
    ...(kept.value.awsLaunch === "fleet" ? { awsLaunch: "fleet" as const } : {}),
    ...(kept.value.tpuLaunch === "queued" ? { tpuLaunch: "queued" as const } : {}),
  };
  return { project: kept.value.project, stack: kept.value.stack, name: kept.value.name, deployedBefore: kept.existed, first: recorded };
}

/** `project/stack/name`: the value of the owner mark on the volumes the environment creates. */
export function ownerKey(identity: Identity): string {
  return `${identity.project}/${identity.stack}/${identity.name}`;
}

/** The default scope of volumes: `project/stack`. */
export function stackScope(identity: Pick<Identity, "project" | "stack">): string {
  return `${identity.project}/${identity.stack}`;
}

/** A path segment SSM accepts (`[A-Za-z0-9_.-]`); a segment that had to change gets a hash of the original. */
function ssmSegment(text: string): string {
  const clean = text.replace(/[^A-Za-z0-9_.-]/g, "-");
  return clean === text && clean !== "" ? clean : `${clean}-${shortHash(text, 6)}`;
}

/** `/dstack/<project>/<stack>/<name>`: where the environment's SSM parameters live. */
export function ssmPrefix(identity: Identity): string {
  return `/dstack/${[identity.project, identity.stack, identity.name].map(ssmSegment).join("/")}`;
}

/** `dstack-<name>-<project>-<stack>`, slugged, for GCP names (the name first: it survives the cuts of short limits). */
function gcpReadable(identity: Identity): string {
  return `dstack-${slug(identity.name)}-${slug(identity.project)}-${slug(identity.stack)}`.replace(/-+/g, "-");
}

/**
 * A GCE name (RFC 1035, at most `max`) for the identity: `dstack-<name>-<project>-<stack>` cut to
 * fit, then the hash of the whole identity, then `suffix` (network tags, firewall rules, service
 * accounts): two identities never share one, however alike they read.
 */
export function gcpName(identity: Identity, max: number, suffix = ""): string {
  return hashedName(gcpReadable(identity), ownerKey(identity), max, suffix);
}

/**
 * A Secret Manager secret id (`[A-Za-z0-9_-]`, at most 255): the identity's GCP name, then what it
 * holds (`env-<KEY>`, `registry-password`, `repo-token`), other characters as `-`.
 */
export function gcpSecretId(identity: Identity, what: string): string {
  return fit(`${gcpName(identity, 120)}-${what.replace(/[^A-Za-z0-9_-]/g, "-")}`, 255, "-");
}
