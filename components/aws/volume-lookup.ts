/**
 * Which EBS volumes of `volumes` exist already: for each volume, its candidate names in order, the
 * region's volumes tagged `Name=<candidate>` (invokes `ebs.getEbsVolumes`, then `ebs.getVolume`
 * for the zone and tags of each). A volume tagged with this component's owner id is its own
 * (created by an earlier `pulumi up`, or kept by `pulumi destroy`): it is declared again, not
 * adopted. Any other is adopted: attached, never declared, never deleted.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as ebs from "@pulumi/aws/ebs";
import type { CloudPlan, VolumePlan } from "../cloud-plan";
import { referenceZone } from "../volume-reference";
import { invokeOptions, OWNER_TAG, ownerId, regionOf } from "./context";

export interface FoundVolume {
  /** The plan's volume. */
  volume: VolumePlan;
  /** The EBS id (an Output for a referenced volume that `pulumi up` has yet to create). */
  id: pulumi.Input<string>;
  zone: string;
  /** True when this component created it (declare it again, with `import`); false = adopt it. */
  owned: boolean;
}

/** Volume states that can be attached (a volume being deleted or in error is not a candidate). */
const USABLE_STATES = ["creating", "available", "in-use"];

async function volumesNamed(plan: CloudPlan, name: string): Promise<{ id: string; zone: string; owner: string | undefined }[]> {
  const region = regionOf(plan);
  const listed = await ebs.getEbsVolumes(
    { region, filters: [{ name: "tag:Name", values: [name] }, { name: "status", values: USABLE_STATES }] },
    invokeOptions(plan),
  );
  const found = [];
  for (const id of [...(listed.ids ?? [])].sort()) {
    const volume = await ebs.getVolume({ region, filters: [{ name: "volume-id", values: [id] }] }, invokeOptions(plan));
    found.push({ id, zone: volume.availabilityZone, owner: volume.tags?.[OWNER_TAG] });
  }
  return found;
}

/** The existing volume of `volume`, if any (see the file comment). Two candidates of one name are an error. */
export async function findVolume(plan: CloudPlan, volume: VolumePlan): Promise<FoundVolume | undefined> {
  if (volume.reference) return { volume, id: volume.reference.volumeId, zone: await referenceZone(plan.name, volume, regionOf(plan)), owned: false };
  const owner = ownerId(plan);
  for (const candidate of volume.candidates) {
    const found = await volumesNamed(plan, candidate);
    if (found.length === 0) continue;
    const own = found.filter((entry) => entry.owner === owner);
    const pick = own.length > 0 ? own : found;
    if (pick.length > 1) {
      throw new Error(
        `volume ${candidate}: ${pick.length} EBS volumes in ${regionOf(plan)} are tagged Name=${candidate} (${pick.map((entry) => `${entry.id} in ${entry.zone}`).join(", ")}); ` +
          `keep the tag on one`,
      );
    }
    return { volume, id: pick[0].id, zone: pick[0].zone, owned: own.length > 0 };
  }
  return undefined;
}

/** The existing volume of each of the plan's volumes (undefined = to create), in plan order. */
export async function findVolumes(plan: CloudPlan): Promise<(FoundVolume | undefined)[]> {
  const names = new Set<string>();
  for (const volume of plan.volumes) {
    if (names.has(volume.name)) throw new Error(`volume ${volume.name} is mounted twice: an EBS volume attaches to one path`);
    names.add(volume.name);
  }
  const found: (FoundVolume | undefined)[] = [];
  for (const volume of plan.volumes) found.push(await findVolume(plan, volume));
  const ids = new Map<string, string>();
  for (const entry of found) {
    if (!entry || typeof entry.id !== "string") continue;
    const other = ids.get(entry.id);
    if (other !== undefined) throw new Error(`volumes ${other} and ${entry.volume.name} are the same EBS volume ${entry.id}`);
    ids.set(entry.id, entry.volume.name);
  }
  return found;
}
