/**
 * What every AWS child shares: its name (`<name>-<suffix>`), its options (`parent`, `provider`),
 * the region (AWS provider v7's per-resource `region`), its tags, and the user's transform of its
 * args. Names derive from the plan only, never from outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, type CloudPlan, type Transform } from "../cloud-plan";

/** The keys of `CloudPlan.transforms` the AWS builder reads (documented in cloud-plan.ts). */
export type AwsChildKind =
  | "securityGroup" | "role" | "policy" | "instanceProfile" | "secret" | "launchTemplate"
  | "instance" | "instanceState" | "volume" | "volumeAttachment" | "eip" | "eipAssociation" | "fleet" | "bootParameter";

/** The tag that names the run on every tagged child. */
export const RUN_TAG = "dstack:run";
/** The tag that marks a volume a `DevEnvironment` created (value: its identity's `ownerKey`). */
export const OWNER_TAG = "dstack:owner";
/** The tag that marks every volume this project creates with its scope (volume-marks.ts). */
export const SCOPE_TAG = "dstack:scope";
/** The tag that holds a volume's name (as configurations mount it). */
export const VOLUME_TAG = "dstack:volume";

/** `<name>-<suffix>`. */
export function childName(plan: CloudPlan, suffix: string): string {
  return `${plan.name}-${suffix}`;
}

/** Lower case, every character other than `[a-z0-9]` as `-` (`HF_TOKEN` -> `hf-token`). */
export function nameSuffix(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "-");
}

/** The region of every child and invoke: the offer's. */
export function regionOf(plan: CloudPlan): string {
  return plan.offer.region;
}

/** What AWS (IAM included) accepts in a tag, as dstack checks it: the key 1-128, the value 0-256 characters. */
const TAG_KEY = /^[\p{L}\p{N}_ .:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{N}_ .:/=+\-@]{0,256}$/u;

const userTags = new WeakMap<CloudPlan, Record<string, string>>();

/** The plan's tags that AWS accepts; each other one is left out with a warning (once per plan), as dstack does. */
export function validTags(plan: CloudPlan): Record<string, string> {
  let valid = userTags.get(plan);
  if (valid) return valid;
  valid = {};
  for (const [key, value] of Object.entries(plan.tags)) {
    if (TAG_KEY.test(key) && !key.toLowerCase().startsWith("aws:") && TAG_VALUE.test(value)) valid[key] = value;
    else pulumi.log.warn(`tag ${key}=${value} is not a valid AWS tag (letters, digits, spaces and _ . : / = + - @; no aws: prefix): left out`, plan.parent);
  }
  userTags.set(plan, valid);
  return valid;
}

/** The tags of a child: the plan's valid tags, then `Name` and the run (which the plan's tags cannot override). */
export function tagsFor(plan: CloudPlan, name: string): Record<string, string> {
  return { ...validTags(plan), Name: name, [RUN_TAG]: plan.runName };
}

/** The options of a child: `extra`, then its parent and provider. A fresh object each time. */
export function childOptions(plan: CloudPlan, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  return { ...extra, parent: plan.parent, provider: plan.provider };
}

/** The options of an invoke: the same parent and provider as the children. */
export function invokeOptions(plan: CloudPlan): pulumi.InvokeOptions {
  return { parent: plan.parent, provider: plan.provider };
}

/** A child's args and options (`options`: its own, parent and provider included) after the component's defaults and the user's transform for its kind. */
export function child<T extends object>(plan: CloudPlan, kind: AwsChildKind, name: string, args: T, options: pulumi.CustomResourceOptions): [T, pulumi.CustomResourceOptions] {
  return applyTransform(args, name, options, plan.transforms?.[kind] as Transform<T> | undefined, plan.childDefaults);
}
