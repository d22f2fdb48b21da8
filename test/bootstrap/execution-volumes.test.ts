/**
 * Execution tests of the volume steps on GCP and GCP TPU, of the boots that must stop (a volume
 * that never shows up, a device blkid cannot classify, data that is no filesystem, a partition
 * table without a filesystem, a blank volume this stack did not create: none is formatted), and
 * of a volume taken out of the configuration (its fstab line goes). See
 * test/support/bootstrap-sandbox.ts for the sandbox.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { isInstanceMount } from "../../config/volumes";
import type { BootstrapInput } from "../../bootstrap/types";
import { BOOT_TOOLS, BootstrapSandbox, ROOT_FSTAB, callsOf, probe, probeStatus, readImageFile, scenarioScript, steps, type RunResult } from "../support/bootstrap-sandbox";
import { assertRefused, sandboxPool } from "../support/volume-tests";
import { runArgs } from "../support/container-args";
import { describeNeeds, requireTools, toolPath } from "../support/system-tools";

const DATA = Buffer.from("the model weights stay\n".repeat(200));
const HF_CACHE = "vol-0a1b2c3d4e5f60718";
const DATASETS = "vol-0f1e2d3c4b5a69788";

/** The `docker run` arguments after the label, or undefined when no container was run. */
function dockerRun(result: RunResult): string[] | undefined {
  const runs = callsOf(result.calls, "docker", "run");
  assert.ok(runs.length <= 1, "more than one docker run");
  return runs[0]?.slice(6);
}

/** The scenario's input with the volume's formatIfBlank set. */
function formatIfBlank(volume: string, value: boolean): (input: BootstrapInput) => BootstrapInput {
  return (input) => ({ ...input, volumes: input.volumes.map((attached) => (attached.name === volume ? { ...attached, formatIfBlank: value } : attached)) });
}

/** The scenario's input without the network volume NAME (in the configuration and attached). */
function withoutVolume(name: string): (input: BootstrapInput) => BootstrapInput {
  return (input) => ({
    ...input,
    spec: { ...input.spec, volumes: input.spec.volumes.filter((mount) => isInstanceMount(mount) || mount.name !== name) },
    volumes: input.volumes.filter((volume) => volume.name !== name),
  });
}

describe("bootstrap execution: volumes", () => {
  // The volumes are images, blank or ext4 (mkfs.ext4, debugfs), that the script probes with blkid.
  describeNeeds(["mkfs.ext4", "debugfs", "blkid"]);
  const sandbox = sandboxPool();

  /**
   * A first boot of a GCP scenario whose disk DEVICE_NAME is attached blank: it succeeds, the disk
   * gets ext4 (one mkfs.ext4), is mounted once at /mnt/dstack-volumes/VOLUME and has its fstab line.
   */
  function bootOnBlankDisk(scenario: string, deviceName: string, volume: string): { box: BootstrapSandbox; result: RunResult } {
    const box = sandbox();
    const disk = box.blankImage(deviceName);
    box.attachGcp(deviceName, disk);
    const result = box.run(scenarioScript(scenario));
    assert.equal(result.status, 0, result.stderr);
    assert.equal(probe(disk, "TYPE"), "ext4");
    assert.deepEqual(callsOf(result.calls, "mkfs.ext4"), [["-q", "-F", disk]]);
    assert.deepEqual(callsOf(result.calls, "mount"), [[disk, box.at(`/mnt/dstack-volumes/${volume}`)]]);
    assert.equal(fs.readFileSync(box.at("/etc/fstab"), "utf8"), `${ROOT_FSTAB}UUID=${probe(disk, "UUID")} /mnt/dstack-volumes/${volume} ext4 defaults,nofail 0 2\n`);
    return { box, result };
  }

  describe("gcp-a2", () => {
    describeNeeds(BOOT_TOOLS);
    it("finds the persistent disk at /dev/disk/by-id/google-pd-models, formats it and mounts it", () => {
      const { box, result } = bootOnBlankDisk("gcp-a2", "pd-models", "models");
      assert.deepEqual(steps(result.log), ["prepare", "docker", "gpu runtime", "removed volumes", "volume models", "container files", "image", "container", "timers", "finish"]);
      assert.deepEqual(dockerRun(result)?.slice(0, 10), ["--restart", "no", "--network", "host", "--entrypoint", "/bin/sh", "--user", "0", "--gpus", "all"]);
      assert.ok(dockerRun(result)?.includes(`${box.root}/mnt/dstack-volumes/models:/models`));
      // max_duration: off and no inactivity_duration: no power-off timer.
      assert.ok(result.log.includes("no inactivity or duration limit"));
      assert.deepEqual(callsOf(result.calls, "systemctl"), [["enable", "--now", "docker.service"]]);
      assert.equal(fs.existsSync(box.at("/etc/systemd/system/dstack-idle.timer")), false);
    });
  });

  describe("tpu-v5litepod-8", () => {
    describeNeeds(BOOT_TOOLS);
    it("formats the TPU VM's disk and runs the container privileged with PJRT_DEVICE=TPU, without the GPU runtime", () => {
      const { box, result } = bootOnBlankDisk("tpu-v5litepod-8", "persistent-disk-1", "tpu-data");
      assert.deepEqual(
        dockerRun(result),
        runArgs(box.root, {
          flags: ["--privileged"],
          env: ["DSTACK_RUN_NAME=tpu-box", "DSTACK_REPO_ID=tpu-box", "DSTACK_GPUS_NUM=1", "DSTACK_WORKING_DIR=/workflow", "HOME=/root", "PJRT_DEVICE=TPU"],
          volumes: ["/mnt/dstack-volumes/tpu-data:/data"],
          image: "dstackai/base:py3.11-0.6-cuda-12.1",
        }),
      );
      assert.deepEqual(callsOf(result.calls, "nvidia-smi"), []);
      assert.deepEqual(steps(result.log), ["prepare", "docker", "removed volumes", "volume tpu-data", "container files", "image", "container", "timers", "finish"]);
    });
  });

  describe("boots that stop", () => {
    const script = scenarioScript("aws-gpu-spot-volumes");
    const missing = `FAILED in step 'volume hf-cache': volume ${HF_CACHE} is not attached: no device after 180s`;
    const failed = (reason: string) => `FAILED in step 'volume hf-cache': volume hf-cache: ${reason}`;

    it("a volume that never shows up: waits 180s (90 sleeps of 2s), fails naming the step, formats and starts nothing", () => {
      const box = sandbox();
      const datasets = box.blankImage("datasets");
      box.attachAws(DATASETS, datasets);
      const result = assertRefused(box, script, [datasets], missing);
      assert.deepEqual(steps(result.log), ["prepare", "ssh key", "docker", "gpu runtime", "removed volumes", "volume hf-cache"]);
      assert.deepEqual(callsOf(result.calls, "sleep"), Array.from({ length: 90 }, () => ["2"]));
      assert.deepEqual(callsOf(result.calls, "lsblk"), Array.from({ length: 91 }, () => ["-dpno", "NAME,SERIAL"]));
    });

    it("a blank volume this stack did not create (formatIfBlank false): not formatted, the boot stops saying how to allow it", () => {
      const box = sandbox();
      const disk = box.blankImage("hf-cache");
      box.attachAws(HF_CACHE, disk);
      box.attachAws(DATASETS, box.ext4Image("datasets", { "data.bin": DATA }));
      const run = assertRefused(
        box,
        scenarioScript("aws-gpu-spot-volumes", formatIfBlank("hf-cache", false)),
        [disk],
        failed(`${disk} is blank and was not created by this stack: not formatting it; to let the dev environment format it, set formatIfBlank: true on its entry in the volumes arg`),
      );
      assert.equal(probeStatus(disk), 2);
      // blkid -p asked three times, a second apart, as before any formatting.
      assert.deepEqual(run.calls, [["systemctl", "enable", "--now", "docker.service"], ["docker", "info"], ["nvidia-smi"], ["docker", "info", "--format", "{{json .Runtimes}}"], ["sleep", "1"], ["sleep", "1"]]);
    });

    it("a volume this stack did not create that holds a filesystem is mounted as any other", function () {
      requireTools(this, BOOT_TOOLS);
      const box = sandbox();
      const disk = box.ext4Image("hf-cache", { "data.bin": DATA });
      box.attachAws(HF_CACHE, disk);
      box.attachAws(DATASETS, box.ext4Image("datasets", {}));
      const run = box.run(scenarioScript("aws-gpu-spot-volumes", (input) => ({ ...input, volumes: input.volumes.map((volume) => ({ ...volume, formatIfBlank: false })) })));
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(callsOf(run.calls, "mkfs.ext4"), []);
      assert.deepEqual(callsOf(run.calls, "mount", disk), [[disk, box.at("/mnt/dstack-volumes/hf-cache")]]);
      assert.ok(readImageFile(disk, "data.bin").equals(DATA));
    });

    /** Writes `bytes` at `offset` of the image, as a tool other than mkfs.ext4 might have left them. */
    function patch(image: string, offset: number, bytes: Buffer): void {
      const fd = fs.openSync(image, "r+");
      fs.writeSync(fd, bytes, 0, bytes.length, offset);
      fs.closeSync(fd);
    }

    /** hf-cache attached as `disk`, which blkid -p answers `status` for: the boot stops with `reason` and leaves it alone. */
    function refusedDisk(disk: string, status: number, reason: string): RunResult {
      assert.equal(probeStatus(disk), status);
      const box = sandbox();
      box.attachAws(HF_CACHE, disk);
      return assertRefused(box, script, [disk], failed(reason));
    }

    it("a device blkid finds two file system signatures on (ambivalent, exit 8): not formatted, the boot fails naming the step", () => {
      const disk = sandbox().ext4Image("hf-cache", { "data.bin": DATA });
      // The BFS magic at offset 0, in ext4's unused boot block: blkid -p now sees ext4 and bfs.
      patch(disk, 0, Buffer.from([0xce, 0xfa, 0xad, 0x1b]));
      refusedDisk(disk, 8, `cannot tell whether ${disk} holds data (blkid -p exit 8); not formatting it`);
    });

    it("a device holding data that is no filesystem (swap, blkid USAGE other): not formatted, not mounted, the boot fails naming the step", function () {
      requireTools(this, ["mkswap"]);
      const disk = sandbox().blankImage("hf-cache");
      const swap = spawnSync(toolPath("mkswap"), [disk]);
      assert.equal(swap.status, 0, swap.stderr?.toString());
      refusedDisk(disk, 0, `${disk} holds swap data but no filesystem; not formatting it`);
    });

    it("a device holding an MBR partition table and no filesystem on its partition: never formatted, the boot fails naming the device", function () {
      // The stub runs the real lsblk to list the partitions.
      requireTools(this, ["lsblk"]);
      const disk = sandbox().blankImage("hf-cache");
      // An MBR with one Linux partition from sector 2048 to the end.
      const mbr = Buffer.alloc(512);
      mbr[446 + 4] = 0x83;
      mbr.writeUInt32LE(2048, 446 + 8);
      mbr.writeUInt32LE(32 * 2048 - 2048, 446 + 12);
      mbr.writeUInt16LE(0xaa55, 510);
      patch(disk, 0, mbr);
      const run = refusedDisk(disk, 0, `${disk} has a dos partition table and no partition with a filesystem; not formatting it`);
      // No partition link and no lsblk child (an image is no block device): asked three times.
      assert.deepEqual(callsOf(run.calls, "lsblk"), Array.from({ length: 3 }, () => ["-lnpo", "NAME,TYPE", disk]));
      assert.deepEqual(callsOf(run.calls, "sleep"), [["1"], ["1"]]);
    });
  });

  describe("a volume taken out of the configuration", () => {
    describeNeeds(BOOT_TOOLS);
    it("loses its fstab line at the next boot (stays mounted until the reboot, then is not mounted); other lines stay", () => {
      const box = sandbox();
      const hf = box.ext4Image("hf-cache", {});
      const datasets = box.ext4Image("datasets", { "data.bin": DATA });
      box.attachAws(HF_CACHE, hf);
      box.attachAws(DATASETS, datasets);
      assert.equal(box.run(scenarioScript("aws-gpu-spot-volumes")).status, 0);
      const line = (image: string, volume: string) => `UUID=${probe(image, "UUID")} /mnt/dstack-volumes/${volume} ext4 defaults,nofail 0 2\n`;
      // Lines this script does not manage: a comment, another folder, a folder below a volume's.
      const others = "# UUID=0000 /mnt/dstack-volumes/datasets ext4 defaults 0 2\nUUID=1111 /mnt/other ext4 defaults 0 2\nUUID=2222 /mnt/dstack-volumes/datasets/inner ext4 defaults 0 2\n";
      fs.appendFileSync(box.at("/etc/fstab"), others);
      const mountsBefore = box.read("state/mounts");

      const removed = box.run(scenarioScript("aws-gpu-spot-volumes", withoutVolume("datasets")));
      assert.equal(removed.status, 0, removed.stderr);
      assert.equal(fs.readFileSync(box.at("/etc/fstab"), "utf8"), `${ROOT_FSTAB}${line(hf, "hf-cache")}${others}`);
      assert.deepEqual(
        removed.log.filter((line) => line.startsWith("volume datasets")),
        ["volume datasets: no longer in the configuration: removed from /etc/fstab, not unmounted"],
      );
      assert.equal(box.read("state/mounts"), mountsBefore, "something was mounted or unmounted");
      assert.deepEqual(callsOf(removed.calls, "mount"), []);
      assert.ok(!dockerRun(removed)?.includes("/mnt/dstack-volumes/datasets:/datasets"));

      box.reboot();
      const after = box.run(scenarioScript("aws-gpu-spot-volumes", withoutVolume("datasets")));
      assert.equal(after.status, 0, after.stderr);
      assert.deepEqual(callsOf(after.calls, "mount"), [[hf, box.at("/mnt/dstack-volumes/hf-cache")]]);
      assert.ok(!after.log.some((line) => line.startsWith("volume datasets")));
      assert.ok(readImageFile(datasets, "data.bin").equals(DATA));
    });
  });
});
