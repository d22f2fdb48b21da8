/**
 * Volumes declared elsewhere (the `volumes` arg of `DevEnvironment`: a `Volume` of the same
 * program, or any volume by id). Their zone places the VM, so the builders await it: it must be
 * known when the program runs, which a `Volume`'s zone is (it comes from its args or an invoke,
 * never from a resource's output). Their id may stay unknown until `pulumi up` creates them.
 */
import * as pulumi from "@pulumi/pulumi";
import type { VolumePlan } from "./cloud-plan";
import { isZoneOf } from "./zone-names";

/**
 * The value of `input` when it is known (`{ value }`, which may be undefined itself), else
 * undefined (in a preview, what is not created yet). Public SDK calls only: `isSecret` settles once
 * the output has (known or not); `apply` then runs its callback, within the current turn's
 * microtasks, only when the value is known.
 */
export async function knownResult<T>(input: pulumi.Input<T>): Promise<{ value: T } | undefined> {
  const output = pulumi.output(input) as pulumi.Output<T>;
  await pulumi.isSecret(output);
  let seen: { value: T } | undefined;
  output.apply((value) => {
    seen = { value };
  });
  await new Promise((resolve) => setImmediate(resolve));
  return seen;
}

/** The value of `input` when it is known, else undefined (see `knownResult`). */
export async function knownValue<T>(input: pulumi.Input<T>): Promise<T | undefined> {
  return (await knownResult(input))?.value;
}

/** The zone of a referenced volume, checked against the offer's region (unless `region` is null). */
export async function referenceZone(component: string, volume: VolumePlan, region: string | null): Promise<string> {
  const reference = volume.reference;
  if (!reference) throw new Error(`${component}: volume ${volume.name} has no reference`);
  const zone = await knownValue(reference.zone);
  if (typeof zone !== "string" || zone === "") {
    throw new Error(`${component}: the zone of volume ${volume.name} is not known when the program runs; give a zone known up front (a Volume's zone output is)`);
  }
  if (region !== null && !isZoneOf(zone, region)) {
    throw new Error(`${component}: volume ${volume.name} is in ${zone}, outside the offer's region ${region}: pin \`region\` to the volume's region`);
  }
  return zone;
}
