/**
 * Volumes declared elsewhere (the `volumes` arg of `DevEnvironment`: a `Volume` of the same
 * program, or any volume by id). Their zone places the VM, so the builders await it: it must be
 * known when the program runs, which a `Volume`'s zone is (it comes from its args or an invoke,
 * never from a resource's output). Their id may stay unknown until `pulumi up` creates them.
 */
import * as pulumi from "@pulumi/pulumi";
import type { VolumePlan } from "./cloud-plan";
import { isZoneOf } from "./zone-names";

/** The internal view of an Output: its value, and whether it is known (false in a preview of what is not created yet). */
interface OutputInternals<T> {
  isKnown: Promise<boolean>;
  promise(): Promise<T>;
}

/** The value of `input` when it is known, else undefined. */
export async function knownValue<T>(input: pulumi.Input<T>): Promise<T | undefined> {
  const output = pulumi.output(input) as unknown as OutputInternals<T>;
  if (!(await output.isKnown)) return undefined;
  return output.promise();
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
