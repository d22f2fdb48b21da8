/**
 * The device name each EBS volume is attached as, from its name, not its position: removing,
 * adding or reordering volumes leaves the others' attachments as they are (a new device name
 * would replace the attachment). The names are `/dev/xvdba` to `/dev/xvdcz` (52), which EC2 takes
 * for EBS data volumes on every current instance type. A volume's slot is a hash of its name; two
 * names with the same slot take the next free slots in name order. The bootstrap finds each
 * volume by its NVMe serial (the volume id), never by this name.
 */
import { shortHash } from "../names";

export const DEVICE_NAMES: readonly string[] = ["b", "c"].flatMap((first) => "abcdefghijklmnopqrstuvwxyz".split("").map((second) => `/dev/xvd${first}${second}`));

/** The device name of each volume, by volume name. More volumes than device names is an error. */
export function deviceNames(volumes: readonly string[]): Map<string, string> {
  if (volumes.length > DEVICE_NAMES.length) throw new Error(`${volumes.length} volumes: an AWS VM here takes at most ${DEVICE_NAMES.length}`);
  const taken = new Set<number>();
  const devices = new Map<string, string>();
  for (const volume of [...new Set(volumes)].sort()) {
    let slot = parseInt(shortHash(volume), 16) % DEVICE_NAMES.length;
    while (taken.has(slot)) slot = (slot + 1) % DEVICE_NAMES.length;
    taken.add(slot);
    devices.set(volume, DEVICE_NAMES[slot]);
  }
  return devices;
}
