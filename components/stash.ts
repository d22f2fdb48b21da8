/**
 * A value an environment decides once and keeps for life, in Pulumi's built-in `Stash` resource
 * (`pulumi:index:Stash`, state only: nothing on the cloud). The stash's `output` is the value it was
 * created with; `ignoreChanges: ["input"]` keeps later runs from even showing a diff when the value
 * they would choose today differs. Removing the stash from the program (or `pulumi destroy`)
 * forgets the value; `pulumi up --replace <urn>` records today's value instead.
 * Needs a Pulumi CLI that has the Stash resource (pulumi/pulumi#20819, early 2026).
 */
import * as pulumi from "@pulumi/pulumi";
import { knownValue } from "./volume-reference";

/** A kept value and the URN of the stash that keeps it (for `pulumi up --replace`). */
export interface Kept<T> {
  value: T;
  urn: string;
  /** In a preview: true when the stash was there before this update (a new one has no id yet). */
  existed: boolean;
}

/**
 * Declares the stash `name` (child of `parent`) holding `value` when it is new, and resolves to
 * the value it holds: the recorded one when the stash exists, else `value`. A recorded value that
 * `isValid` refuses (written by another version) counts as absent. With `trigger` (a plain value,
 * known at preview), a new trigger replaces the stash: it then records today's `value`.
 */
export async function keptValue<T>(name: string, value: T, parent: pulumi.Resource, isValid: (recorded: unknown) => recorded is T, trigger?: string): Promise<Kept<T>> {
  const options: pulumi.CustomResourceOptions = { parent, ignoreChanges: ["input"] };
  if (trigger !== undefined) options.replacementTrigger = trigger;
  const stash = new pulumi.Stash(name, { input: value }, options);
  const [recorded, urn, id] = await Promise.all([knownValue(stash.output), knownValue(stash.urn), knownValue(stash.id)]);
  return { value: isValid(recorded) ? recorded : value, urn: urn ?? name, existed: id !== undefined && id !== "" };
}
