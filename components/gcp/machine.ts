/**
 * What the GCE machine type of an offer implies: the accelerators to attach (N1 only; a2/a3/a4/g2/g4
 * types come with their GPUs), the maintenance policy, and the disk type its family accepts.
 */
import { GCP_N1_ACCELERATORS } from "../../catalog/families";
import { GCP_ACCELERATORS } from "../../catalog/hardware";
import type { Offer } from "../../offers/offer";

/**
 * Families that take Hyperdisk only, no Persistent Disk (dstack's `instance_type_supports_persistent_disk`
 * list, `m4- c4- n4- h3- v6e a4- g4-`, plus the Arm and AMD variants c4a-, c4d- and a4x-). Their boot disk
 * and the volumes this component creates for them are `hyperdisk-balanced`; a `pd-*` disk cannot attach.
 */
export const HYPERDISK_ONLY_PREFIXES = ["a4-", "a4x-", "c4-", "c4a-", "c4d-", "g4-", "h3-", "m4-", "n4-", "v6e"];

/** `pd-balanced`, or `hyperdisk-balanced` for the families without Persistent Disk. */
export function diskTypeFor(machineType: string): "pd-balanced" | "hyperdisk-balanced" {
  return HYPERDISK_ONLY_PREFIXES.some((prefix) => machineType.startsWith(prefix)) ? "hyperdisk-balanced" : "pd-balanced";
}

/** True when the disk type (`pd-ssd`, or a `.../diskTypes/pd-ssd` URL) is a Persistent Disk type. */
export function isPersistentDiskType(type: string): boolean {
  return (type.split("/").pop() ?? type).startsWith("pd-");
}

/** The GCE accelerator type of an offer's GPU on N1 (`T4` -> `nvidia-tesla-t4`); null when the type bundles its GPUs or has none. */
export function attachedAccelerator(offer: Offer): { type: string; count: number } | null {
  if (!offer.gpu || !offer.instance_type.startsWith("n1-")) return null;
  const gpu = offer.gpu;
  const names = GCP_N1_ACCELERATORS.filter((type) => GCP_ACCELERATORS[type]?.name.toLowerCase() === gpu.name.toLowerCase());
  const type = names.find((name) => GCP_ACCELERATORS[name].memory_gb === gpu.memory_gb) ?? names[0];
  if (type === undefined) {
    throw new Error(`no GCE accelerator type for ${gpu.name} (${gpu.memory_gb} GB) on ${offer.instance_type}; N1 takes ${GCP_N1_ACCELERATORS.join(", ")}`);
  }
  return { type, count: gpu.count };
}

/** GPU VMs cannot live-migrate: they stop for host maintenance. */
export function needsTerminateOnMaintenance(offer: Offer): boolean {
  return offer.gpu !== null;
}
