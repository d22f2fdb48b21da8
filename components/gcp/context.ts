/**
 * What every GCP child shares: the plan, the placement (project, network), the options each child
 * and invoke gets (`parent`, `provider`), the network tag, the labels, and the user's transforms.
 */
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, type CloudPlan, type Transform } from "../cloud-plan";
import { gcpName } from "../identity";
import { isValidLabel, labelValue } from "./names";

/** The keys of `CloudPlan.transforms` the GCP builder reads. */
export type GcpChildKind =
  | "firewall" | "serviceAccount" | "secret" | "secretVersion" | "secretAccess" | "disk" | "attachedDisk" | "instance" | "address" | "tpu";

export interface GcpContext {
  plan: CloudPlan;
  /** The project named in the plan; undefined = the provider's project. */
  project: string | undefined;
  network: string;
  subnetwork: string | undefined;
  /** The network tag the firewall rules target: `dstack-<project>-<stack>-<name>-<hash>` (identity.ts), never another stack's. */
  tag: string;
  /** Labels of every labelled child: dstack's own, then the plan's tags that GCP accepts. */
  labels: Record<string, string>;
}

export function gcpContext(plan: CloudPlan): GcpContext {
  return {
    plan,
    project: plan.gcp?.project,
    network: plan.gcp?.network ?? "default",
    subnetwork: plan.gcp?.subnetwork,
    tag: gcpName(plan.identity, 63),
    labels: gcpLabels(plan),
  };
}

/** `owner=dstack`, `dstack_name=<run name>`, then the plan's tags; a tag GCP would reject is left out with a warning (as dstack does). */
function gcpLabels(plan: CloudPlan): Record<string, string> {
  const labels: Record<string, string> = { owner: "dstack", dstack_name: labelValue(plan.runName) };
  for (const [key, value] of Object.entries(plan.tags)) {
    if (isValidLabel(key, value)) labels[key] = value;
    else pulumi.log.warn(`tag ${key}=${value} is not a valid GCP label (lower-case letters, digits, _ and -; a key starts with a letter): left out`, plan.parent);
  }
  return labels;
}

/** The options of a child: its parent and provider (plus `extra`). A fresh object each time. */
export function childOptions(ctx: GcpContext, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  return { ...extra, parent: ctx.plan.parent, provider: ctx.plan.provider };
}

/** The options of an invoke: the same parent and provider as the children. */
export function invokeOptions(ctx: GcpContext): pulumi.InvokeOptions {
  return { parent: ctx.plan.parent, provider: ctx.plan.provider };
}

/** A child's args and options (`options`: its own, parent and provider included) after the component's defaults and the user's transform for its kind. */
export function child<T extends object>(ctx: GcpContext, kind: GcpChildKind, name: string, args: T, options: pulumi.CustomResourceOptions): [T, pulumi.CustomResourceOptions] {
  return applyTransform(args, name, options, ctx.plan.transforms?.[kind] as Transform<T> | undefined, ctx.plan.childDefaults);
}
