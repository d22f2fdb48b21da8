/**
 * Execution tests of volumes whose disk has a partition table (GPT made with sgdisk, on loop
 * devices so that the partitions are real block devices): the one partition with a filesystem is
 * mounted, whether udev linked the partitions (google-<device>-partN) or only lsblk knows them (an
 * EBS volume found by its NVMe serial); no partition with a filesystem, or two, stops the boot;
 * nothing is ever formatted (formatIfBlank is true in these scenarios) and no image byte changes.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import { BOOT_TOOLS, ROOT_FSTAB, callsOf, probe, readImageFile, scenarioScript } from "../support/bootstrap-sandbox";
import { assertRefused, hashes, sandboxPool } from "../support/volume-tests";
import { describeNeeds } from "../support/system-tools";

const DATA = Buffer.from("the checkpoint on partition 2\n".repeat(300));
const HF_CACHE = "vol-0a1b2c3d4e5f60718";

describe("bootstrap execution: partitioned volumes", () => {
  // GPT images (sgdisk) on loop devices (losetup, partx: root), their filesystems made with
  // mkfs.ext2/mkfs.ext4 and debugfs; the script probes with blkid and lists partitions with lsblk.
  describeNeeds(["sgdisk", "losetup", "partx", "mkfs.ext4", "mkfs.ext2", "debugfs", "blkid", "lsblk", ...BOOT_TOOLS, "root", "loop devices"]);
  const sandbox = sandboxPool();

  it("gcp-a2: a GPT disk whose filesystem is on partition 2 is mounted from partition 2, nothing formatted or grown", () => {
    const box = sandbox();
    const { image, disk, partitions } = box.partitionedDisk("pd-models", [null, null]);
    box.ext4Image("pd-models-part2", { "weights.bin": DATA }, partitions[1]);
    box.attachGcp("pd-models", disk, { partitions });
    const uuid = probe(partitions[1]!, "UUID");
    const before = hashes([image]);

    const run = box.run(scenarioScript("gcp-a2"));
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(hashes([image]), before, "the image changed");
    assert.deepEqual(callsOf(run.calls, "mkfs.ext4"), []);
    assert.deepEqual(callsOf(run.calls, "resize2fs"), []);
    assert.deepEqual(callsOf(run.calls, "blockdev"), []);
    assert.deepEqual(callsOf(run.calls, "mount"), [[partitions[1], box.at("/mnt/dstack-volumes/models")]]);
    assert.equal(fs.readFileSync(box.at("/etc/fstab"), "utf8"), `${ROOT_FSTAB}UUID=${uuid} /mnt/dstack-volumes/models ext4 defaults,nofail 0 2\n`);
    assert.deepEqual(
      run.log.filter((line) => line.startsWith("volume models")),
      [
        `volume models: ${disk} has a gpt partition table; its partition ${partitions[1]} has a ext4 filesystem, kept`,
        "volume models: added to /etc/fstab",
        `volume models: ${partitions[1]} mounted at /mnt/dstack-volumes/models`,
        `volume models: its filesystem is on the partition ${partitions[1]} of ${disk}: not grown`,
      ],
    );
    assert.ok(readImageFile(partitions[1]!, "weights.bin").equals(DATA));
  });

  it("aws: an EBS volume found by its NVMe serial (no by-id link) has its partitions from lsblk; partition 2 is mounted", () => {
    const box = sandbox();
    const { image, disk, partitions } = box.partitionedDisk("hf-cache", [null, "ext4"]);
    box.setSerial(disk, HF_CACHE.replace("-", ""));
    box.attachAws("vol-0f1e2d3c4b5a69788", box.ext4Image("datasets", {}));
    const before = hashes([image]);

    const run = box.run(scenarioScript("aws-gpu-spot-volumes"));
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(hashes([image]), before, "the image changed");
    assert.deepEqual(callsOf(run.calls, "lsblk"), [["-dpno", "NAME,SERIAL"], ["-lnpo", "NAME,TYPE", disk]]);
    assert.deepEqual(callsOf(run.calls, "mkfs.ext4"), []);
    assert.deepEqual(callsOf(run.calls, "mount", partitions[1]!), [[partitions[1], box.at("/mnt/dstack-volumes/hf-cache")]]);
    assert.ok(run.log.includes(`volume hf-cache: ${disk} has a gpt partition table; its partition ${partitions[1]} has a ext4 filesystem, kept`));
  });

  it("a GPT disk without a filesystem on any partition stops the boot naming the disk (three looks, a second apart); never formatted", () => {
    const box = sandbox();
    const { image, disk, partitions } = box.partitionedDisk("pd-models", [null, null]);
    box.attachGcp("pd-models", disk, { partitions });
    const run = assertRefused(box, scenarioScript("gcp-a2"), [image], `FAILED in step 'volume models': volume models: ${disk} has a gpt partition table and no partition with a filesystem; not formatting it`);
    assert.deepEqual(callsOf(run.calls, "sleep"), [["1"], ["1"]]);
  });

  it("a GPT disk with two filesystem partitions stops the boot listing both with their types; nothing mounted", () => {
    const box = sandbox();
    const { image, disk, partitions } = box.partitionedDisk("pd-models", ["ext2", "ext4"]);
    box.attachGcp("pd-models", disk, { partitions });
    assertRefused(
      box,
      scenarioScript("gcp-a2"),
      [image],
      `FAILED in step 'volume models': volume models: ${disk} has 2 partitions with a filesystem: ${partitions[0]} (ext2), ${partitions[1]} (ext4); not choosing one`,
    );
  });
});
