/**
 * Real block devices for the execution tests that need them (as root, which CI is): loop devices
 * over image files, with their partitions; images with a GPT (sgdisk) or an xfs filesystem; and the
 * clean-up of the mounts and loop devices a sandbox leaves, also after a failed test.
 *
 * Partitions: `losetup --partscan` asks the kernel for them, and `partx --update` adds those the
 * kernel did not find (a kernel built without that partition table's parser leaves it to user
 * space); either way they are /dev/loopNpM.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { SYSTEM_PATH, toolPath, type Tool } from "./system-tools";

const MIB = 1024 * 1024;

/**
 * Runs a real system tool (blkid, mkfs.ext4, losetup, ...), found in SYSTEM_PATH
 * (test/support/system-tools.ts: a test that runs one requires it first); throws with its output
 * when it fails.
 */
export function systemTool(command: Tool, args: string[]): Buffer {
  const result = spawnSync(toolPath(command), args, { env: { PATH: SYSTEM_PATH } });
  if (result.error || result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}): ${result.error?.message ?? result.stderr.toString()}`);
  }
  return result.stdout;
}

/** `blkid -p -s TAG -o value`: the file system's TYPE or UUID as found on the image or device. */
export function probe(image: string, tag: "TYPE" | "UUID"): string {
  return systemTool("blkid", ["-p", "-s", tag, "-o", "value", image]).toString().trim();
}

/** The exit status of `blkid -p` on the image (0 found, 2 nothing, 8 ambivalent). */
export function probeStatus(image: string): number | null {
  return spawnSync(toolPath("blkid"), ["-p", image], { env: { PATH: SYSTEM_PATH } }).status;
}

/** A file of an ext4 image, read with debugfs (no mount). */
export function readImageFile(image: string, name: string): Buffer {
  return systemTool("debugfs", ["-R", `cat ${name}`, image]);
}

/** `blkid -p -s TAG -o value`: what blkid finds on the image or device for TAG ("" for nothing). */
export function probeTag(device: string, tag: "TYPE" | "UUID" | "PTTYPE" | "USAGE"): string {
  return spawnSync(toolPath("blkid"), ["-p", "-s", tag, "-o", "value", device], { env: { PATH: SYSTEM_PATH }, encoding: "utf8" }).stdout.trim();
}

/** A sparse file of that many bytes (zeros). */
export function sparseFile(file: string, bytes: number): void {
  fs.writeFileSync(file, "");
  fs.truncateSync(file, bytes);
}

/** An image of `bytes` with a GPT of `count` partitions: the first ones of `partitionMiB` each, the last one up to the end. */
export function gptImage(file: string, bytes: number, count: number, partitionMiB: number): void {
  sparseFile(file, bytes);
  const layout = Array.from({ length: count }, (_, i) => ["-n", `${i + 1}:0:${i === count - 1 ? "0" : `+${partitionMiB}M`}`]).flat();
  systemTool("sgdisk", [...layout, file]);
}

/** An image of `bytes` holding an xfs filesystem as large as the image (xfsprogs 6 makes none under 300 MiB). */
export function xfsImage(file: string, bytes: number): void {
  if (bytes < 300 * MIB) throw new Error("mkfs.xfs makes no filesystem under 300 MiB");
  sparseFile(file, bytes);
  systemTool("mkfs.xfs", ["-q", file]);
}

/** The loop devices of a sandbox, by image. */
export class LoopDevices {
  private readonly devices = new Map<string, string>();

  /** A loop device over the image (its partitions are DEVICEp1, DEVICEp2, ...). */
  attach(image: string): string {
    const device = systemTool("losetup", ["--find", "--show", "--partscan", image]).toString().trim();
    this.devices.set(image, device);
    if (probeTag(device, "PTTYPE") !== "") systemTool("partx", ["--update", device]);
    return device;
  }

  /** The loop device over the image, if any. */
  of(image: string): string | undefined {
    return this.devices.get(image);
  }

  /** The image file grew: its loop device takes the new size, as a disk the cloud enlarged does. */
  refresh(image: string): void {
    const device = this.devices.get(image);
    if (device) systemTool("losetup", ["--set-capacity", device]);
  }

  /** Detaches every loop device; returns the errors (a device still in use, ...). */
  detachAll(): string[] {
    const errors: string[] = [];
    for (const device of this.devices.values()) {
      try {
        systemTool("losetup", ["--detach", device]);
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    this.devices.clear();
    return errors;
  }
}

/** The mount points under the folder, deepest first, as /proc/self/mounts lists them (octal escapes undone). */
export function mountsUnder(dir: string): string[] {
  return fs
    .readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split(" ")[1]!.replace(/\\([0-7]{3})/g, (_, code: string) => String.fromCharCode(parseInt(code, 8))))
    .filter((point) => point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/** Unmounts everything mounted under the folder; returns the errors. */
export function unmountUnder(dir: string): string[] {
  const errors: string[] = [];
  for (const point of mountsUnder(dir)) {
    try {
      systemTool("umount", [point]);
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  return errors;
}
