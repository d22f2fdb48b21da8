/**
 * The EBS volumes of `volumes` and their attachments. An adopted volume (someone else's, found by
 * name) is only attached. Any other is declared: gp3, encrypted, `sizeGb`, in the VM's zone, tagged
 * `Name=<volume name>` and with this component's owner id. A declared volume is kept by
 * `pulumi destroy` (`retainOnDelete`) unless the plan asks to delete it; one this component made
 * earlier (found by its owner tag) is declared with `import: <id>`, which is a no-op while the
 * stack holds it and takes a kept volume back after a destroy.
 * Devices: `/dev/sdf`, `/dev/sdg`, ... in plan order; the bootstrap finds each volume by its NVMe
 * serial (the volume id), not by this name.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ebs from "@pulumi/aws/ebs";
import * as ec2 from "@pulumi/aws/ec2";
import type { CloudPlan, VolumePlan } from "../cloud-plan";
import { childName, childOptions, OWNER_TAG, ownerId, regionOf, tagsFor, transformed } from "./context";
import type { BootVolume } from "./user-data";
import type { FoundVolume } from "./volume-lookup";

/** The device names EC2 recommends for EBS data volumes. */
export const DEVICE_NAMES = "fghijklmnop".split("").map((letter) => `/dev/sd${letter}`);

export interface AwsVolume extends BootVolume {
  /** The declared volume; undefined when adopted. */
  resource: ebs.Volume | undefined;
}

/** The resource options of a declared volume. */
export function volumeOptions(plan: CloudPlan, found: FoundVolume | undefined): pulumi.CustomResourceOptions {
  const extra: pulumi.CustomResourceOptions = { retainOnDelete: !plan.deleteVolumesOnDestroy };
  if (found?.owned && typeof found.id === "string") extra.import = found.id;
  return childOptions(plan, extra);
}

function declareVolume(plan: CloudPlan, volume: VolumePlan, zone: string, found: FoundVolume | undefined): ebs.Volume {
  const name = childName(plan, `vol-${volume.name}`);
  const args: ebs.VolumeArgs = {
    region: regionOf(plan),
    availabilityZone: zone,
    size: volume.sizeGb,
    type: "gp3",
    encrypted: true,
    tags: { ...tagsFor(plan, volume.name), [OWNER_TAG]: ownerId(plan) },
  };
  return new ebs.Volume(name, transformed(plan, "volume", name, args), volumeOptions(plan, found));
}

/** Every volume of the plan, adopted or declared, in plan order. */
export function declareVolumes(plan: CloudPlan, found: readonly (FoundVolume | undefined)[], zone: string): AwsVolume[] {
  if (plan.volumes.length > DEVICE_NAMES.length) throw new Error(`${plan.volumes.length} volumes: an AWS VM here takes at most ${DEVICE_NAMES.length}`);
  return plan.volumes.map((volume, i) => {
    const existing = found[i];
    if (existing && !existing.owned) return { name: volume.name, path: volume.path, volumeId: existing.id, resource: undefined };
    const resource = declareVolume(plan, volume, zone, existing);
    return { name: volume.name, path: volume.path, volumeId: resource.id, resource };
  });
}

/**
 * One attachment per volume. Deleting one only forgets it (`skipDestroy`): the volume is detached
 * when its VM terminates (on destroy, or when the VM is replaced, which then happens delete-first,
 * see instance.ts), never pulled from under a mounted filesystem of a running VM. Replaced
 * delete-first too: an EBS volume attaches to one instance at a time.
 */
export function attachVolumes(plan: CloudPlan, volumes: readonly AwsVolume[], instance: ec2.Instance): ec2.VolumeAttachment[] {
  return volumes.map((volume, i) => {
    const name = childName(plan, `attach-${volume.name}`);
    const args: ec2.VolumeAttachmentArgs = {
      region: regionOf(plan),
      deviceName: DEVICE_NAMES[i],
      volumeId: volume.volumeId,
      instanceId: instance.id,
      skipDestroy: true,
    };
    return new ec2.VolumeAttachment(name, transformed(plan, "volumeAttachment", name, args), childOptions(plan, { deleteBeforeReplace: true }));
  });
}
