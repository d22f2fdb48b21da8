/**
 * Execution tests of a volume the cloud enlarged: at the next boot its filesystem grows to fill
 * it, ext4 and xfs, and a boot after that changes nothing. gcp-a2's volume `models`:
 * - ext4: a 32 MiB filesystem (32768 blocks of 1 KiB) on a 32 MiB image that grows to 64 MiB.
 *   mount is stubbed, so resize2fs grows it offline (as it may: never mounted, clean); on a VM it
 *   is mounted and resize2fs grows it online.
 * - xfs: mkfs.xfs (xfsprogs 6) makes no filesystem under 300 MiB, so a 300 MiB filesystem (76800
 *   blocks of 4 KiB) on a 300 MiB image that grows to 400 MiB, on a loop device, really mounted
 *   (xfs_growfs works on a mounted filesystem only).
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import { BOOT_TOOLS, type BootstrapSandbox, type RunResult, callsOf, readImageFile, scenarioScript } from "../support/bootstrap-sandbox";
import { systemTool } from "../support/block-devices";
import { sandboxPool } from "../support/volume-tests";
import { requireTools, type Need } from "../support/system-tools";

const MIB = 1024 * 1024;
const DATA = Buffer.from("survives the growth\n".repeat(100));
const MOUNT = "/mnt/dstack-volumes/models";

/** `dumpe2fs -h`: the ext4 filesystem's block count and block size. */
function ext4Blocks(device: string): { count: number; size: number } {
  const header = systemTool("dumpe2fs", ["-h", device]).toString();
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)$`, "m").exec(header)?.[1]);
  return { count: field("Block count"), size: field("Block size") };
}

/** `xfs_info`: the xfs filesystem's data blocks and block size. */
function xfsBlocks(device: string): { count: number; size: number } {
  const data = /^data\s+=\s+bsize=(\d+)\s+blocks=(\d+),/m.exec(systemTool("xfs_info", [device]).toString());
  return { count: Number(data?.[2]), size: Number(data?.[1]) };
}

/** The log lines of volume `models`. */
function modelsLog(log: string[]): string[] {
  return log.filter((line) => line.startsWith("volume models"));
}

/** A filesystem type as these tests grow it. */
interface Growth {
  fstype: "ext4" | "xfs";
  /** Sizes, bytes: the volume (and filesystem) at first, the volume grown. */
  from: number;
  to: number;
  /** What the test needs of this machine. */
  needs: Need[];
  /** The filesystem's blocks at first and grown. */
  blocks: { from: { count: number; size: number }; to: { count: number; size: number } };
  realMounts: boolean;
  /** The volume `pd-models` holding DATA: its image, and the device the script sees. */
  volume: (box: BootstrapSandbox) => { image: string; disk: string };
  /** The filesystem's block count and size. */
  measure: (disk: string) => { count: number; size: number };
  /** The tool's call: [name, ...arguments]. */
  growCall: (box: BootstrapSandbox, disk: string) => string[];
  /** DATA as read back from the grown volume. */
  data: (box: BootstrapSandbox, disk: string) => Buffer;
}

const GROWTHS: Growth[] = [
  {
    fstype: "ext4", from: 32 * MIB, to: 64 * MIB, realMounts: false,
    needs: ["mkfs.ext4", "debugfs", "dumpe2fs", "resize2fs", "blkid", ...BOOT_TOOLS],
    blocks: { from: { count: 32768, size: 1024 }, to: { count: 65536, size: 1024 } },
    volume: (box) => {
      const image = box.ext4Image("pd-models", { "data.bin": DATA });
      return { image, disk: image };
    },
    measure: ext4Blocks,
    growCall: (_, disk) => ["resize2fs", disk],
    data: (_, disk) => readImageFile(disk, "data.bin"),
  },
  {
    fstype: "xfs", from: 300 * MIB, to: 400 * MIB, realMounts: true,
    // A loop device, really mounted: root; the stub runs the real mount, mountpoint and blockdev.
    needs: ["mkfs.xfs", "xfs_info", "xfs_growfs", "blkid", "losetup", "mount", "umount", "mountpoint", "blockdev", ...BOOT_TOOLS, "root", "loop devices"],
    blocks: { from: { count: 76800, size: 4096 }, to: { count: 102400, size: 4096 } },
    volume: (box) => {
      const image = box.xfsImage("pd-models", 300 * MIB);
      return { image, disk: box.loopDevice(image) };
    },
    measure: xfsBlocks,
    growCall: (box) => ["xfs_growfs", box.at(MOUNT)],
    data: (box) => fs.readFileSync(box.at(`${MOUNT}/data.bin`)),
  },
];

describe("bootstrap execution: growing volumes", () => {
  const sandbox = sandboxPool();
  const script = scenarioScript("gcp-a2");

  for (const growth of GROWTHS) {
    const { fstype, from, to, blocks } = growth;
    it(`${fstype}: a filesystem of ${from / MIB} MiB on a volume grown to ${to / MIB} MiB grows to fill it at the next boot, once`, function () {
      requireTools(this, growth.needs);
      const box = sandbox({ realMounts: growth.realMounts });
      const { image, disk } = growth.volume(box);
      box.attachGcp("pd-models", disk);
      const grows = (run: RunResult) => callsOf(run.calls, growth.growCall(box, disk)[0]!);
      const boot = (): RunResult => {
        const run = box.run(script);
        assert.equal(run.status, 0, run.stderr);
        return run;
      };
      const first = boot();
      assert.deepEqual(grows(first), []);
      assert.deepEqual(callsOf(first.calls, "blockdev"), [["--getsize64", disk]]);
      assert.deepEqual(growth.measure(disk), blocks.from);
      // Mounted for real (xfs): a file written there is on the volume.
      if (growth.realMounts) fs.writeFileSync(box.at(`${MOUNT}/data.bin`), DATA);

      box.reboot();
      if (growth.realMounts) assert.equal(fs.existsSync(box.at(`${MOUNT}/data.bin`)), false, "still mounted after the reboot");
      box.growImage(image, to);
      const kept = [`volume models: ${disk} has a ${fstype} filesystem, kept`, `volume models: ${disk} mounted at ${MOUNT}`];
      const grown = boot();
      assert.deepEqual(grows(grown), [growth.growCall(box, disk).slice(1)]);
      assert.deepEqual(modelsLog(grown.log), [...kept, `volume models: its ${fstype} filesystem grew from ${from} to ${to} bytes (the volume has ${to})`]);
      assert.deepEqual(growth.measure(disk), blocks.to);
      assert.ok(growth.data(box, disk).equals(DATA));

      box.reboot();
      const again = boot();
      assert.deepEqual(grows(again), []);
      assert.deepEqual(modelsLog(again.log), kept);
      assert.deepEqual(growth.measure(disk), blocks.to);
    });
  }

  it("ext4: a growth that fails is logged with the tool's reason and the boot goes on at the old size", function () {
    requireTools(this, ["mkfs.ext4", "debugfs", "dumpe2fs", "resize2fs", "blkid", ...BOOT_TOOLS]);
    const box = sandbox();
    const disk = box.ext4Image("pd-models", {});
    // Mounted (in 2030) since its last check: resize2fs refuses to grow it offline.
    systemTool("debugfs", ["-w", "-R", "ssv mtime 20300101", disk]);
    box.growImage(disk, 64 * MIB);
    box.attachGcp("pd-models", disk);
    const run = box.run(script);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(callsOf(run.calls, "resize2fs"), [[disk]]);
    assert.equal(modelsLog(run.log).at(-1), `volume models: growing its ext4 filesystem failed (exit 1: Please run 'e2fsck -f ${disk}' first.); it stays at ${32 * MIB} bytes`);
    assert.deepEqual(ext4Blocks(disk), { count: 32768, size: 1024 });
    assert.equal(callsOf(run.calls, "docker", "run").length, 1);
  });
});
