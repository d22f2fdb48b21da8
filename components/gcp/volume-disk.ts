/**
 * The persistent disk of a `Volume` on GCP. Declared as `<name>-volume`: the disk is named after
 * the volume, in the given zone or the region's first zone that is UP (sorted by name), labelled
 * `dstack_volume=<volume name>` without `DevEnvironment`'s owner label, so that a dev environment
 * mounting that name adopts it. Kept by `pulumi destroy` unless `deleteOnDestroy`. With
 * `volumeId` (a disk name), nothing is declared: the disk is looked up (`compute.getDisk`, in the
 * given zone) for its id and size.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import type { DeclaredVolume, VolumeRequest } from "../volume";
import { labelValue } from "./names";

/** The label that marks a standalone volume's disk (value: its volume name, label-safe). */
export const VOLUME_LABEL = "dstack_volume";

function invokeOptions(request: VolumeRequest): pulumi.InvokeOptions {
  return { parent: request.parent, provider: request.provider };
}

/** The first zone of the region (sorted by name) whose status is UP. */
async function firstUpZone(request: VolumeRequest): Promise<string> {
  const zones = await compute.getZones({ project: request.project, region: request.region, status: "UP" }, invokeOptions(request));
  const first = [...(zones.names ?? [])].sort()[0];
  if (first === undefined) throw new Error(`${request.name}: no zone of ${request.region} is UP`);
  return first;
}

/** The user's tags as labels (keys and values label-safe), then the volume's own label. */
function diskLabels(request: VolumeRequest): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.tags)) labels[labelValue(key)] = labelValue(value);
  return { ...labels, [VOLUME_LABEL]: labelValue(request.volumeName) };
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
    if (request.zone === undefined) throw new Error(`${request.name}: volumeId ${request.volumeId} needs zone on GCP`);
    return lookUpDisk(request, request.volumeId, request.zone);
  }
  const zone = request.zone ?? (await firstUpZone(request));
  const args: compute.DiskArgs = {
    name: request.volumeName,
    zone,
    size: request.sizeGb,
    type: request.diskType,
    description: `dstack volume ${request.volumeName}`,
    labels: diskLabels(request),
  };
  if (request.project !== undefined) args.project = request.project;
  const options: pulumi.CustomResourceOptions = { retainOnDelete: !request.deleteOnDestroy, parent: request.parent, provider: request.provider };
  const disk = new compute.Disk(request.childName, args, options);
  return { volumeId: disk.id, zone, sizeGb: request.sizeGb };
}
