/**
 * The EBS volumes of `volumes` and their attachments. A volume of the scope made by another
 * component, or a referenced one, is only attached. The environment's own is declared: gp3,
 * encrypted, in the VM's zone, tagged with its name and its marks (scope, volume name, owner). It
 * is kept by `pulumi destroy` (`retainOnDelete`) unless the plan asks to delete it; one this
 * environment made earlier is declared with `import: <id>`, a no-op while the stack holds it that
 * takes a kept volume back after a destroy. An own volume never shrinks: a smaller size asked for
 * is an error, and without an explicit size it keeps the size it has.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ebs from "@pulumi/aws/ebs";
import * as ec2 from "@pulumi/aws/ec2";
import type { CloudPlan, VolumePlan } from "../cloud-plan";
import { ownerKey } from "../identity";
import { childName, childOptions, OWNER_TAG, regionOf, SCOPE_TAG, tagsFor, child, VOLUME_TAG } from "./context";
import { deviceNames } from "./devices";
import type { BootVolume } from "./user-data";
import type { FoundVolume } from "./volume-lookup";

export interface AwsVolume extends BootVolume {
  /** The declared volume; undefined when only attached. */
  resource: ebs.Volume | undefined;
}

/** The resource options of a declared volume. */
export function volumeOptions(plan: CloudPlan, found: FoundVolume | undefined): pulumi.CustomResourceOptions {
  const extra: pulumi.CustomResourceOptions = { retainOnDelete: !plan.deleteVolumesOnDestroy };
  if (found?.ownership === "own" && typeof found.id === "string") extra.import = found.id;
  return childOptions(plan, extra);
}

/** The size to declare: the plan's, never below the volume's current size. */
export function declaredSize(plan: CloudPlan, volume: VolumePlan, found: FoundVolume | undefined): number {
  const current = found?.sizeGb;
  if (current === undefined || current <= volume.sizeGb) return volume.sizeGb;
  if (volume.sizeExplicit) {
    throw new Error(`${plan.name}: volume ${volume.name} is ${current} GB and volumeSizes asks for ${volume.sizeGb} GB: a volume cannot shrink; ask for ${current} or more`);
  }
  return current;
}

function declareVolume(plan: CloudPlan, volume: VolumePlan, zone: string, found: FoundVolume | undefined): ebs.Volume {
  const name = childName(plan, `vol-${volume.name}`);
  const args: ebs.VolumeArgs = {
    region: regionOf(plan),
    availabilityZone: zone,
    size: declaredSize(plan, volume, found),
    type: "gp3",
    encrypted: true,
    tags: { ...tagsFor(plan, volume.name), [VOLUME_TAG]: volume.name, [SCOPE_TAG]: plan.volumeScope, [OWNER_TAG]: ownerKey(plan.identity) },
  };
  return new ebs.Volume(name, ...child(plan, "volume", name, args, volumeOptions(plan, found)));
}

/** Every volume of the plan, attached only or declared, in plan order. */
export function declareVolumes(plan: CloudPlan, found: readonly (FoundVolume | undefined)[], zone: string): AwsVolume[] {
  return plan.volumes.map((volume, i) => {
    const existing = found[i];
    const formatIfBlank = volume.reference ? volume.reference.formatIfBlank : true;
    if (existing && existing.ownership !== "own") return { name: volume.name, path: volume.path, volumeId: existing.id, formatIfBlank, resource: undefined };
    const resource = declareVolume(plan, volume, zone, existing);
    return { name: volume.name, path: volume.path, volumeId: resource.id, formatIfBlank, resource };
  });
}

/**
 * One attachment per volume, as the device its name gives. Deleting one only forgets it
 * (`skipDestroy`): a volume is never detached from a running VM under its mounted file system.
 * Removed from the configuration, it stays attached (no longer mounted from the next boot on)
 * until the VM is replaced or destroyed: terminating the VM detaches it after the OS has shut
 * down. `ignoreChanges: deviceName` keeps an attachment as it was made (including ones from
 * earlier versions, which numbered devices by position). Replaced delete-first: an EBS volume
 * attaches to one instance at a time.
 */
export function attachVolumes(plan: CloudPlan, volumes: readonly AwsVolume[], instanceId: pulumi.Input<string>): ec2.VolumeAttachment[] {
  const devices = deviceNames(volumes.map((volume) => volume.name));
  return volumes.map((volume) => {
    const name = childName(plan, `attach-${volume.name}`);
    const args: ec2.VolumeAttachmentArgs = {
      region: regionOf(plan),
      deviceName: devices.get(volume.name)!,
      volumeId: volume.volumeId,
      instanceId,
      skipDestroy: true,
    };
    const options = childOptions(plan, { deleteBeforeReplace: true, ignoreChanges: ["deviceName"] });
    return new ec2.VolumeAttachment(name, ...child(plan, "volumeAttachment", name, args, options));
  });
}
