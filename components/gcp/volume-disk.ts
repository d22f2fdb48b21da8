/**
 * The persistent disk of a `Volume` on GCP. Declared as `<name>-volume`: the disk is named
 * `<volume>-<scope hash>` (two stacks' volumes of one name are two disks), in the given zone or the
 * region's first zone that is UP (sorted by name; kept after the first deployment), labelled
 * `dstack_volume=<volume name>` and `dstack_scope=<scope>` without `DevEnvironment`'s owner label,
 * so that a dev environment of the scope mounting that name attaches it. Kept by `pulumi destroy`
 * unless `deleteOnDestroy`. With `volumeId` (a disk name), nothing is declared: the disk is looked
 * up (`compute.getDisk`, in the given zone, else in every zone of the region, as dstack registers an
 * external disk) for its id and size.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import { keptVolumeZone } from "../volume-place";
import { volumeChildOptions, type DeclaredVolume, type VolumeRequest } from "../volume";
import { diskIfExists, SCOPE_LABEL, VOLUME_LABEL } from "./disk-lookup";
import { diskNameFor, labelValue, scopeLabel } from "./names";

function invokeOptions(request: VolumeRequest): pulumi.InvokeOptions {
  return { parent: request.parent, provider: request.provider };
}

/** The zones of the region whose status is UP, sorted by name. */
async function upZones(request: VolumeRequest): Promise<string[]> {
  const zones = await compute.getZones({ project: request.project, region: request.region, status: "UP" }, invokeOptions(request));
  const names = [...(zones.names ?? [])].sort();
  if (names.length === 0) throw new Error(`${request.name}: no zone of ${request.region} is UP`);
  return names;
}

/** True when the region's zone `zone` has a disk named `diskName`. */
async function hasDisk(request: VolumeRequest, diskName: string, zone: string): Promise<boolean> {
  return (await diskIfExists({ project: request.project, name: diskName, zone }, invokeOptions(request))) !== undefined;
}

/** The one zone of the region holding a disk named `diskName` (as dstack registers an external disk: every zone searched). */
async function zoneOfDisk(request: VolumeRequest, diskName: string): Promise<string> {
  const zones = await upZones(request);
  const found = (await Promise.all(zones.map(async (zone) => ((await hasDisk(request, diskName, zone)) ? zone : undefined)))).filter((zone): zone is string => zone !== undefined);
  if (found.length === 0) throw new Error(`${request.name}: no disk named ${diskName} in any zone of ${request.region} (${zones.join(", ")})`);
  if (found.length > 1) throw new Error(`${request.name}: disks named ${diskName} in ${found.join(", ")}: give zone`);
  return found[0];
}

/** The user's tags as labels (keys and values label-safe), then the volume's own label. */
function diskLabels(request: VolumeRequest): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.tags)) labels[labelValue(key)] = labelValue(value);
  return { ...labels, [VOLUME_LABEL]: labelValue(request.volumeName), [SCOPE_LABEL]: scopeLabel(request.scope) };
}

/** The existing disk `diskName` in the given zone: its id and size. */
async function lookUpDisk(request: VolumeRequest, diskName: string, zone: string): Promise<DeclaredVolume> {
  let disk: compute.GetDiskResult;
  try {
    disk = await compute.getDisk({ project: request.project, name: diskName, zone }, invokeOptions(request));
  } catch (error) {
    throw new Error(`${request.name}: disk ${diskName} could not be looked up in ${zone}: ${(error as Error)?.message ?? String(error)}`);
  }
  return { volumeId: disk.id, zone, sizeGb: disk.size };
}

/** Declares the disk of `request` (or looks up its `volumeId`); see the file comment. */
export async function declareGcpDisk(request: VolumeRequest): Promise<DeclaredVolume> {
  if (request.volumeId !== undefined) {
    return lookUpDisk(request, request.volumeId, request.zone ?? (await zoneOfDisk(request, request.volumeId)));
  }
  const zone = await keptVolumeZone(request, request.zone ?? (await upZones(request))[0]);
  const args: compute.DiskArgs = {
    name: diskNameFor(request.volumeName, request.scope),
    zone,
    size: request.sizeGb,
    type: request.diskType,
    description: `dstack volume ${request.volumeName}`,
    labels: diskLabels(request),
  };
  if (request.project !== undefined) args.project = request.project;
  // The disk's name never changes (a new one would replace the disk): a changed scope leaves it as created.
  const options: pulumi.CustomResourceOptions = { ...volumeChildOptions(request), ignoreChanges: ["name"] };
  const disk = new compute.Disk(request.childName, args, options);
  return { volumeId: disk.id, zone, sizeGb: request.sizeGb };
}
