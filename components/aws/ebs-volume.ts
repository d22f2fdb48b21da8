/**
 * The EBS volume of a `Volume` on AWS. Declared as `<name>-volume`: encrypted, in the given zone
 * or the region's first available zone (sorted by name; kept after the first deployment), tagged
 * `Name=<volume name>`, `dstack:volume=<volume name>` and `dstack:scope=<scope>` but without
 * `DevEnvironment`'s owner tag, so that a dev environment of the scope mounting that name attaches
 * it (never declares or deletes it). Kept by `pulumi destroy` unless `deleteOnDestroy`. With
 * `volumeId`, nothing is declared: the volume is looked up (`ebs.getVolume`) for its zone and size.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as ebs from "@pulumi/aws/ebs";
import { getAvailabilityZones } from "@pulumi/aws/getAvailabilityZones";
import { keptVolumeZone } from "../volume-place";
import { volumeChildOptions, type DeclaredVolume, type VolumeRequest } from "../volume";
import { SCOPE_TAG, VOLUME_TAG } from "./context";

function invokeOptions(request: VolumeRequest): pulumi.InvokeOptions {
  return { parent: request.parent, provider: request.provider };
}

/** The first zone of the region (sorted by name) that is available; Local and Wavelength Zones left out. */
async function firstAvailableZone(request: VolumeRequest): Promise<string> {
  const filters = [{ name: "zone-type", values: ["availability-zone"] }];
  const zones = await getAvailabilityZones({ region: request.region, state: "available", filters }, invokeOptions(request));
  const first = [...(zones.names ?? [])].sort()[0];
  if (first === undefined) throw new Error(`${request.name}: no availability zone of ${request.region} is available`);
  return first;
}

/** The existing volume `volumeId`: its zone (which a given zone must match) and size. */
async function lookUpVolume(request: VolumeRequest, volumeId: string): Promise<DeclaredVolume> {
  const { name, region, zone } = request;
  let found: ebs.GetVolumeResult;
  try {
    found = await ebs.getVolume({ region, filters: [{ name: "volume-id", values: [volumeId] }] }, invokeOptions(request));
  } catch (error) {
    throw new Error(`${name}: EBS volume ${volumeId} could not be looked up in ${region}: ${(error as Error)?.message ?? String(error)}`);
  }
  if (zone !== undefined && found.availabilityZone !== zone) {
    throw new Error(`${name}: EBS volume ${volumeId} is in ${found.availabilityZone}, not in the given zone ${zone}`);
  }
  return { volumeId, zone: found.availabilityZone, sizeGb: found.size };
}

/** Declares the volume of `request` (or looks up its `volumeId`); see the file comment. */
export async function declareEbsVolume(request: VolumeRequest): Promise<DeclaredVolume> {
  if (request.volumeId !== undefined) return lookUpVolume(request, request.volumeId);
  const zone = await keptVolumeZone(request, request.zone ?? (await firstAvailableZone(request)));
  const args: ebs.VolumeArgs = {
    region: request.region,
    availabilityZone: zone,
    size: request.sizeGb,
    type: request.diskType,
    encrypted: true,
    // The user's tags first: they cannot replace the name a dev environment looks the volume up by.
    tags: { ...request.tags, Name: request.volumeName, [VOLUME_TAG]: request.volumeName, [SCOPE_TAG]: request.scope },
  };
  const options: pulumi.CustomResourceOptions = { ...volumeChildOptions(request) };
  const volume = new ebs.Volume(request.childName, args, options);
  return { volumeId: volume.id, zone, sizeGb: request.sizeGb };
}
