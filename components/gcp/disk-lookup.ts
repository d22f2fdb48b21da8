/**
 * Which persistent disks of the plan's volumes exist already, in the region, by their marks (see
 * ../volume-marks.ts). For each volume, each of its names in order, each zone of the region: a
 * `compute.getDisk` invoke (@pulumi/gcp 9 has no list-disks invoke; "not found" counts as absent,
 * any other failure stops the build) for the scope's disk name (`<volume>-<scope hash>`), then for
 * the bare name (disks of earlier versions, or made by hand). A disk this environment created
 * (owner label) is declared again; one of the scope made by a `Volume` is attached; another
 * scope's is ignored; a disk without marks is a problem, raised only if this place is used.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import type { VolumePlan } from "../cloud-plan";
import { ownerKey, type Identity } from "../identity";
import { foreignVolumeError, ownership, type Ownership } from "../volume-marks";
import { referenceZone } from "../volume-reference";
import { invokeOptions, type GcpContext } from "./context";
import { diskNameFor, isGceName, labelValue, MAX_GCP_VOLUME_NAME, scopeLabel } from "./names";
import type { RegionZones } from "./zones";

/** The label that marks the disks a `DevEnvironment` created (value: `ownerLabel`). */
export const OWNER_LABEL = "dstack_pulumi_owner";
/** The label that marks every disk this project creates with its scope (`scopeLabel`). */
export const SCOPE_LABEL = "dstack_scope";
/** The label that holds a disk's volume name. */
export const VOLUME_LABEL = "dstack_volume";

/** The owner label's value of an environment: project, stack and first name. */
export function ownerLabel(identity: Identity): string {
  return labelValue(`${identity.project}_${identity.stack}_${identity.name}`);
}

/** A disk that exists (or that a `Volume` of the program declares): where it is and how to attach it. */
export interface ExistingDisk {
  zone: string;
  ownership: Ownership | "reference";
  /** The disk's name on GCE. */
  diskName: string;
  /** The disk as `getDisk` reports it; undefined for a referenced volume (nothing looked up). */
  disk: compute.GetDiskResult | undefined;
  /** Attach by this (VM `AttachedDisk.disk`, TPU `dataDisks.sourceDisk`). */
  selfLink: pulumi.Input<string>;
  id: pulumi.Input<string>;
}

/** A volume after the lookup: the disk to create (`diskName`), or the disk that exists. */
export interface FoundVolume {
  volume: VolumePlan;
  diskName: string;
  existing: ExistingDisk | undefined;
}

export interface DiskLookup {
  found: FoundVolume[];
  problems: Error[];
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

/** The disks named `name` in the region's zones (sorted), with their ownership for this environment. */
async function disksNamed(ctx: GcpContext, name: string, zones: string[]): Promise<(ExistingDisk & { disk: compute.GetDiskResult })[]> {
  const { plan } = ctx;
  const mine = { scope: plan.volumeScope, owner: ownerKey(plan.identity) };
  const answers = await Promise.all(zones.map(async (zone) => ({ zone, disk: await diskIfExists({ project: ctx.project, name, zone }, invokeOptions(ctx)) })));
  return answers.flatMap(({ zone, disk }) => {
    if (disk === undefined) return [];
    const labels = { ...disk.effectiveLabels, ...disk.labels };
    const scope = labels[SCOPE_LABEL] === undefined ? undefined : labels[SCOPE_LABEL] === scopeLabel(mine.scope) ? mine.scope : labels[SCOPE_LABEL];
    const owner = labels[OWNER_LABEL] === undefined ? undefined : labels[OWNER_LABEL] === ownerLabel(plan.identity) ? mine.owner : labels[OWNER_LABEL];
    return [{ zone, ownership: ownership({ scope, owner }, mine), diskName: name, disk, selfLink: disk.selfLink, id: disk.id }];
  });
}

/** The one that counts among disks of one name: the plan's zone if it holds one, else the first zone's. */
function pick<T extends { zone: string }>(ctx: GcpContext, disks: T[]): T | undefined {
  return disks.find((disk) => disk.zone === ctx.plan.zone) ?? disks[0];
}

async function findVolume(ctx: GcpContext, volume: VolumePlan, zones: RegionZones): Promise<FoundVolume | Error> {
  const { plan } = ctx;
  if (volume.reference) {
    const zone = await referenceZone(plan.name, volume, plan.offer.region);
    const { volumeId } = volume.reference;
    return { volume, diskName: volume.name, existing: { zone, ownership: "reference", diskName: volume.name, disk: undefined, selfLink: volumeId, id: volumeId } };
  }
  let foreign: ExistingDisk | undefined;
  for (const candidate of volume.candidates) {
    if (!isGceName(candidate) || candidate.length > MAX_GCP_VOLUME_NAME) {
      return new Error(`${plan.name}: volume name ${JSON.stringify(candidate)} is not a valid GCP volume name (lower-case letters, digits and -, starting with a letter, up to ${MAX_GCP_VOLUME_NAME})`);
    }
    const scoped = (await disksNamed(ctx, diskNameFor(candidate, plan.volumeScope), await zones.all())).filter((disk) => disk.ownership === "own" || disk.ownership === "scope");
    const bare = (await disksNamed(ctx, candidate, await zones.all())).filter((disk) => disk.ownership !== "other");
    const existing = pick(ctx, scoped) ?? pick(ctx, bare.filter((disk) => disk.ownership !== "foreign"));
    if (existing) return { volume, diskName: existing.diskName, existing };
    foreign ??= pick(ctx, bare);
  }
  if (foreign === undefined) return { volume, diskName: diskNameFor(volume.name, plan.volumeScope), existing: undefined };
  const register = `{ name: "${volume.name}", volumeId: "${String(foreign.id)}", zone: "${foreign.zone}" }`;
  return foreignVolumeError(plan.name, volume.name, `the disk ${foreign.diskName} in ${foreign.zone}`, plan.volumeScope, register);
}

/** Looks every volume up (see the file comment). */
export async function findVolumes(ctx: GcpContext, zones: RegionZones): Promise<DiskLookup> {
  const answers = await Promise.all(ctx.plan.volumes.map((volume) => findVolume(ctx, volume, zones)));
  return {
    found: answers.filter((answer): answer is FoundVolume => !(answer instanceof Error)),
    problems: answers.filter((answer): answer is Error => answer instanceof Error),
  };
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
