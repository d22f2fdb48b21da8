/**
 * Network volumes as GCE persistent disks (found by disk-lookup.ts): the environment's own are
 * declared, the others only attached.
 * - A disk this environment created is declared again with `import` set to its id: a no-op while
 *   it is in the state, and it is taken back after a `destroy` that kept it. It keeps its name, its
 *   type and its size (a disk never shrinks: GCE would replace it).
 * - A new disk is `<volume>-<scope hash>` in the VM's zone, `pd-balanced` (`hyperdisk-balanced`
 *   for families without Persistent Disk), labelled with its marks, kept on `destroy` unless the
 *   plan says otherwise.
 * - A VM attaches each disk through its own `compute.AttachedDisk` (device `pd-<volume>`), kept
 *   (`retainOnDelete`) when the volume leaves the configuration: GCE would detach a disk live,
 *   under its mounted file system. The disk stays attached until the VM is replaced or destroyed
 *   (deleting a VM detaches its disks after it has shut down).
 */
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import type { VolumePlan } from "../cloud-plan";
import { childOptions, child, type GcpContext } from "./context";
import { OWNER_LABEL, ownerLabel, SCOPE_LABEL, VOLUME_LABEL, type ExistingDisk, type FoundVolume } from "./disk-lookup";
import { diskTypeFor, isPersistentDiskType } from "./machine";
import { childNames, labelValue, scopeLabel } from "./names";

/** A volume ready to attach. */
export interface VolumeDisk {
  volume: VolumePlan;
  diskName: string;
  /** `https://.../zones/<zone>/disks/<name>` (VM `AttachedDisk.disk`). */
  selfLink: pulumi.Input<string>;
  /** `projects/<p>/zones/<zone>/disks/<name>` (TPU `dataDisks`). */
  id: pulumi.Input<string>;
  /** The boot may format it when blank (this project created it). */
  formatIfBlank: boolean;
  /** The declared disk; undefined when only attached. */
  resource: compute.Disk | undefined;
}

/** The last part of a disk type's URL (`.../diskTypes/pd-ssd` -> `pd-ssd`). */
function shortType(type: string): string {
  return type.slice(type.lastIndexOf("/") + 1);
}

/** The size to declare: the plan's, never below the disk's current size (a smaller size replaces a GCE disk). */
function declaredSize(ctx: GcpContext, volume: VolumePlan, existing: ExistingDisk | undefined): number {
  const current = existing?.disk?.size;
  if (current === undefined || current <= volume.sizeGb) return volume.sizeGb;
  if (volume.sizeExplicit) {
    throw new Error(`${ctx.plan.name}: volume ${volume.name} is ${current} GB and volumeSizes asks for ${volume.sizeGb} GB: a disk cannot shrink; ask for ${current} or more`);
  }
  return current;
}

function declareDisk(ctx: GcpContext, found: FoundVolume, zone: string): compute.Disk {
  const { plan } = ctx;
  const { volume, diskName, existing } = found;
  const name = childNames.volume(plan.name, volume.name);
  const args: compute.DiskArgs = {
    project: ctx.project,
    name: diskName,
    zone,
    size: declaredSize(ctx, volume, existing),
    type: existing?.disk ? shortType(existing.disk.type) : diskTypeFor(plan.offer.instance_type),
    description: `dstack volume ${volume.name}`,
    labels: { ...ctx.labels, [VOLUME_LABEL]: labelValue(volume.name), [SCOPE_LABEL]: scopeLabel(plan.volumeScope), [OWNER_LABEL]: ownerLabel(plan.identity) },
  };
  // Earlier versions put the run name in the description, which GCE cannot change (a new one replaces the disk).
  const extra: pulumi.CustomResourceOptions = { retainOnDelete: !plan.deleteVolumesOnDestroy, ignoreChanges: ["description"] };
  if (existing?.disk) extra.import = existing.disk.id;
  return new compute.Disk(name, ...child(ctx, "disk", name, args, childOptions(ctx, extra)));
}

/** Declares the environment's own disks in the VM's zone; the others are only referenced. Sorted by volume name. */
export function declareVolumes(ctx: GcpContext, found: FoundVolume[], zone: string): VolumeDisk[] {
  const { plan } = ctx;
  const hyperdiskOnly = diskTypeFor(plan.offer.instance_type) === "hyperdisk-balanced";
  const sorted = [...found].sort((a, b) => (a.volume.name < b.volume.name ? -1 : a.volume.name > b.volume.name ? 1 : 0));
  return sorted.map((entry) => {
    const { volume, diskName, existing } = entry;
    if (existing?.disk && hyperdiskOnly && isPersistentDiskType(existing.disk.type)) {
      throw new Error(`${plan.name}: disk ${diskName} is a Persistent Disk (${shortType(existing.disk.type)}); ${plan.offer.instance_type} attaches Hyperdisk only`);
    }
    const formatIfBlank = volume.reference ? volume.reference.formatIfBlank : true;
    if (existing && existing.ownership !== "own") return { volume, diskName, selfLink: existing.selfLink, id: existing.id, formatIfBlank, resource: undefined };
    const disk = declareDisk(ctx, entry, zone);
    return { volume, diskName, selfLink: disk.selfLink, id: disk.id, formatIfBlank, resource: disk };
  });
}

/** The device name a VM gives an attached disk (dstack's `pd-<volume>`). */
export function vmDeviceName(volume: string): string {
  return `pd-${volume}`;
}

/** One `AttachedDisk` per disk (see the file comment); replaced delete-first, never detached by Pulumi. */
export function attachDisks(ctx: GcpContext, disks: readonly VolumeDisk[], instance: compute.Instance, zone: string): compute.AttachedDisk[] {
  return disks.map((disk) => {
    const name = childNames.attachment(ctx.plan.name, disk.volume.name);
    const args: compute.AttachedDiskArgs = {
      project: ctx.project,
      zone,
      disk: disk.selfLink,
      instance: instance.selfLink,
      deviceName: vmDeviceName(disk.volume.name),
      mode: "READ_WRITE",
    };
    const options = childOptions(ctx, { retainOnDelete: true, deleteBeforeReplace: true });
    return new compute.AttachedDisk(name, ...child(ctx, "attachedDisk", name, args, options));
  });
}
