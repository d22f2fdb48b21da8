/**
 * Network volumes as GCE persistent disks: adopt an existing disk, else create one.
 *
 * Lookup: for each volume, each of its names in order, each zone of the region (sorted), a
 * `compute.getDisk` invoke (@pulumi/gcp 9 has no list-disks invoke; `getDisk` fails with
 * "projects/<p>/zones/<z>/disks/<name> not found" when there is no such disk, which counts as
 * absent; any other failure stops the build). The first name that exists wins; found in several
 * zones, the plan's zone, else the first.
 *
 * - A disk this very environment created earlier (label `dstack_pulumi_owner` = project, stack and
 *   component name) stays declared, with `import` set to its id: a no-op while it is in the state,
 *   and it is taken back after a `destroy` that kept it. Without this, the second `up` would find
 *   its own disk, stop declaring it and drop (or delete) it.
 * - Any other existing disk is adopted: attached, never declared, so never changed or deleted.
 * - Else a `compute.Disk` named after the volume (its first name) is created in the VM's zone,
 *   `pd-balanced` (`hyperdisk-balanced` for families without Persistent Disk), kept on `destroy`
 *   unless the plan says otherwise.
 * Existing disks pin the VM's zone: all of them must be in one zone.
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import type { VolumePlan } from "../cloud-plan";
import { referenceZone } from "../volume-reference";
import { childOptions, invokeOptions, transformed, type GcpContext } from "./context";
import { diskTypeFor, isPersistentDiskType } from "./machine";
import { childNames, isGceName, labelValue } from "./names";
import type { RegionZones } from "./zones";

/** The label that marks the disks an environment created (its value: `ownerValue`). */
export const OWNER_LABEL = "dstack_pulumi_owner";

/** The owner label's value of this environment: Pulumi project, stack and component name. */
export function ownerValue(ctx: GcpContext): string {
  return labelValue(`${pulumi.getProject()}_${pulumi.getStack()}_${ctx.plan.name}`);
}

/** A disk that exists (or that a `Volume` of the program declares): where it is and how to attach it. */
export interface ExistingDisk {
  zone: string;
  /** True when this environment created it (declare it again, with `import`). */
  owned: boolean;
  /** The disk as `getDisk` reports it; undefined for a referenced volume (nothing looked up). */
  disk: compute.GetDiskResult | undefined;
  /** Attach by this (VM `attachedDisks.source`, TPU `dataDisks.sourceDisk`). */
  selfLink: pulumi.Input<string>;
  id: pulumi.Input<string>;
}

/** A volume after the lookup: the disk's name, and the disk if it exists. */
export interface FoundVolume {
  volume: VolumePlan;
  diskName: string;
  existing: ExistingDisk | undefined;
}

/** A volume ready to attach. */
export interface VolumeDisk {
  volume: VolumePlan;
  diskName: string;
  /** `https://.../zones/<zone>/disks/<name>` (VM `attachedDisks`). */
  selfLink: pulumi.Input<string>;
  /** `projects/<p>/zones/<zone>/disks/<name>` (TPU `dataDisks`). */
  id: pulumi.Input<string>;
}

/** Looks every volume up (see the file comment). */
export async function findVolumes(ctx: GcpContext, zones: RegionZones): Promise<FoundVolume[]> {
  if (ctx.plan.volumes.length === 0) return [];
  const owner = ownerValue(ctx);
  return Promise.all(ctx.plan.volumes.map(async (volume): Promise<FoundVolume> => {
    if (volume.reference) {
      const zone = await referenceZone(ctx.plan.name, volume, ctx.plan.offer.region);
      const { volumeId } = volume.reference;
      return { volume, diskName: volume.name, existing: { zone, owned: false, disk: undefined, selfLink: volumeId, id: volumeId } };
    }
    for (const candidate of volume.candidates) {
      if (!isGceName(candidate)) {
        throw new Error(`${ctx.plan.name}: volume name ${JSON.stringify(candidate)} is not a valid GCE disk name (lower-case letters, digits and -, starting with a letter, up to 63)`);
      }
      const found = await findDisk(ctx, candidate, await zones.all());
      if (found) {
        const labels = { ...found.disk.effectiveLabels, ...found.disk.labels };
        const existing = { ...found, owned: labels[OWNER_LABEL] === owner, selfLink: found.disk.selfLink, id: found.disk.id };
        return { volume, diskName: candidate, existing };
      }
    }
    return { volume, diskName: volume.name, existing: undefined };
  }));
}

/** The disk named `name` in the region: in the plan's zone if it is there, else in the first zone (sorted). */
async function findDisk(ctx: GcpContext, name: string, zones: string[]): Promise<{ zone: string; disk: compute.GetDiskResult } | undefined> {
  const answers = await Promise.all(zones.map(async (zone) => ({ zone, disk: await getDiskIfAny(ctx, name, zone) })));
  const present = answers.filter((answer): answer is { zone: string; disk: compute.GetDiskResult } => answer.disk !== undefined);
  return present.find((answer) => answer.zone === ctx.plan.zone) ?? present[0];
}

function getDiskIfAny(ctx: GcpContext, name: string, zone: string): Promise<compute.GetDiskResult | undefined> {
  return diskIfExists({ project: ctx.project, name, zone }, invokeOptions(ctx));
}

/** The disk of `query`, or undefined when GCP answers "not found"; any other failure is thrown. */
export async function diskIfExists(query: compute.GetDiskArgs, options: pulumi.InvokeOptions): Promise<compute.GetDiskResult | undefined> {
  try {
    const disk = await compute.getDisk(query, options);
    return disk.id ? disk : undefined; // provider versions before 5 answered an absent disk with an empty result
  } catch (error) {
    if (/not ?found|\b404\b/i.test(String((error as Error)?.message ?? error))) return undefined;
    throw error;
  }
}

/** The one zone of the volumes that exist, undefined when none does; volumes in several zones are an error. */
export function volumesZone(ctx: GcpContext, found: FoundVolume[]): string | undefined {
  const zones = new Map<string, string[]>();
  for (const { diskName, existing } of found) {
    if (existing) zones.set(existing.zone, [...(zones.get(existing.zone) ?? []), diskName]);
  }
  if (zones.size > 1) {
    const where = [...zones].map(([zone, names]) => `${names.join(", ")} in ${zone}`).join("; ");
    throw new Error(`${ctx.plan.name}: the volumes are in different zones (${where}); a VM attaches disks of its own zone only`);
  }
  return [...zones.keys()][0];
}

/** Declares the disks to create (or keep), in the VM's zone; adopted disks are only referenced. */
export function declareVolumes(ctx: GcpContext, found: FoundVolume[], zone: string): VolumeDisk[] {
  const { plan } = ctx;
  const diskType = diskTypeFor(plan.offer.instance_type);
  return found.map(({ volume, diskName, existing }) => {
    if (existing?.disk && diskType === "hyperdisk-balanced" && isPersistentDiskType(existing.disk.type)) {
      throw new Error(`${plan.name}: disk ${diskName} is a Persistent Disk (${existing.disk.type}); ${plan.offer.instance_type} attaches Hyperdisk only`);
    }
    if (existing && !existing.owned) return { volume, diskName, selfLink: existing.selfLink, id: existing.id };

    const name = childNames.volume(plan.name, volume.name);
    const args: compute.DiskArgs = {
      project: ctx.project,
      name: diskName,
      zone,
      size: volume.sizeGb,
      type: diskType,
      description: `dstack volume ${diskName} (dev environment ${plan.runName})`,
      labels: { ...ctx.labels, dstack_volume: labelValue(diskName), [OWNER_LABEL]: ownerValue(ctx) },
    };
    const extra: pulumi.CustomResourceOptions = { retainOnDelete: !plan.deleteVolumesOnDestroy };
    if (existing?.disk) extra.import = existing.disk.id;
    const disk = new compute.Disk(name, transformed(ctx, "disk", name, args), childOptions(ctx, extra));
    return { volume, diskName, selfLink: disk.selfLink, id: disk.id };
  });
}
