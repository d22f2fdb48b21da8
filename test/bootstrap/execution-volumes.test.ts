/**
 * Execution tests of the volume steps on GCP and GCP TPU, and of the boots that must stop: a
 * volume that never shows up, and a device that blkid cannot classify (it must not be formatted).
 * See test/support/bootstrap-sandbox.ts for the sandbox.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import { BootstrapSandbox, ROOT_FSTAB, callsOf, probe, probeStatus, readImageFile, scenarioScript, sha256, steps, type RunResult } from "../support/bootstrap-sandbox";

const DATA = Buffer.from("the model weights stay\n".repeat(200));
const IMAGE = "dstackai/base:py3.11-0.6-cuda-12.1";
const boxes: BootstrapSandbox[] = [];

function sandbox(): BootstrapSandbox {
  const box = new BootstrapSandbox();
  boxes.push(box);
  return box;
}

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

/** The `docker run` arguments after the label, or undefined when no container was run. */
function dockerRun(result: RunResult): string[] | undefined {
  const runs = callsOf(result.calls, "docker", "run");
  assert.ok(runs.length <= 1, "more than one docker run");
  return runs[0]?.slice(6);
}

describe("bootstrap execution: volumes", () => {
  after(() => boxes.forEach((box) => box.remove()));

  describe("gcp-a2", () => {
    it("finds the persistent disk at /dev/disk/by-id/google-pd-models, formats it and mounts it", () => {
      const { box, result } = bootOnBlankDisk("gcp-a2", "pd-models", "models");
      assert.deepEqual(steps(result.log), ["prepare", "docker", "gpu runtime", "volume models", "container files", "image", "container", "timers", "finish"]);
      assert.deepEqual(dockerRun(result)?.slice(0, 6), ["--restart", "unless-stopped", "--network", "host", "--gpus", "all"]);
      assert.ok(dockerRun(result)?.includes("/mnt/dstack-volumes/models:/models"));
      // max_duration: off and no inactivity_duration: no power-off timer.
      assert.ok(result.log.includes("no inactivity or duration limit"));
      assert.deepEqual(callsOf(result.calls, "systemctl"), [["enable", "--now", "docker.service"]]);
      assert.equal(fs.existsSync(box.at("/etc/systemd/system/dstack-idle.timer")), false);
    });

    it("uses the disk's first partition (google-pd-models-part1) and leaves the whole disk alone", () => {
      const box = sandbox();
      const whole = box.blankImage("pd-models-whole");
      const partition = box.ext4Image("pd-models-part1", { "weights.bin": DATA });
      const uuid = probe(partition, "UUID");
      box.attachGcp("pd-models", whole);
      box.attachGcp("pd-models-part1", partition);
      const result = box.run(scenarioScript("gcp-a2"));

      assert.equal(result.status, 0, result.stderr);
      assert.equal(probeStatus(whole), 2, "the whole disk was written to");
      assert.equal(probe(partition, "UUID"), uuid);
      assert.ok(readImageFile(partition, "weights.bin").equals(DATA));
      assert.deepEqual(callsOf(result.calls, "mkfs.ext4"), []);
      assert.deepEqual(callsOf(result.calls, "mount"), [[partition, box.at("/mnt/dstack-volumes/models")]]);
      assert.ok(result.log.includes(`volume models: ${partition} has a ext4 filesystem, kept`));
    });
  });

  describe("tpu-v5litepod-8", () => {
    it("formats the TPU VM's disk and runs the container privileged with PJRT_DEVICE=TPU, without the GPU runtime", () => {
      const { result } = bootOnBlankDisk("tpu-v5litepod-8", "persistent-disk-1", "tpu-data");
      assert.deepEqual(dockerRun(result), [
        "--restart", "unless-stopped", "--network", "host", "--privileged",
        "-e", "DSTACK_RUN_NAME=tpu-box", "-e", "DSTACK_REPO_ID=tpu-box", "-e", "DSTACK_GPUS_NUM=1", "-e", "DSTACK_WORKING_DIR=/workflow", "-e", "HOME=/root", "-e", "PJRT_DEVICE=TPU",
        "-v", "/mnt/dstack-volumes/tpu-data:/data",
        "-v", "/var/lib/dstack-pulumi/container:/dstack-pulumi:ro", "-v", "/var/log/dstack-pulumi:/var/log/dstack-pulumi", "-v", "/var/lib/dstack-pulumi/workflow:/workflow",
        "-w", "/workflow", IMAGE, "/bin/sh", "/dstack-pulumi/init-container.sh",
      ]);
      assert.deepEqual(callsOf(result.calls, "nvidia-smi"), []);
      assert.deepEqual(steps(result.log), ["prepare", "docker", "volume tpu-data", "container files", "image", "container", "timers", "finish"]);
    });
  });

  describe("boots that stop", () => {
    const script = scenarioScript("aws-gpu-spot-volumes");
    const missing = "FAILED in step 'volume hf-cache': volume vol-0a1b2c3d4e5f60718 is not attached: no device after 180s";
    let box: BootstrapSandbox;
    let result: RunResult;

    /** hf-cache never shows up (no by-id link, lsblk knows no such serial); datasets is attached. */
    before(() => {
      box = sandbox();
      box.attachAws("vol-0f1e2d3c4b5a69788", box.blankImage("datasets"));
      result = box.run(script);
    });

    it("a volume that never shows up: waits 180s (90 sleeps of 2s), fails naming the step, formats and starts nothing", () => {
      assert.equal(result.status, 1);
      assert.ok(result.log.includes(missing), result.log.join("\n"));
      assert.deepEqual(steps(result.log), ["prepare", "docker", "gpu runtime", "volume hf-cache"]);
      assert.deepEqual(callsOf(result.calls, "sleep"), Array.from({ length: 90 }, () => ["2"]));
      assert.deepEqual(callsOf(result.calls, "lsblk"), Array.from({ length: 91 }, () => ["-dpno", "NAME,SERIAL"]));
      assert.deepEqual(callsOf(result.calls, "mkfs.ext4"), []);
      assert.deepEqual(callsOf(result.calls, "mount"), []);
      assert.deepEqual(callsOf(result.calls, "docker", "run"), []);
      assert.equal(fs.readFileSync(box.at("/etc/fstab"), "utf8"), ROOT_FSTAB);
    });

    it("a volume that never shows up: the log's last line (the only FAILED line) gives the reason", () => {
      assert.deepEqual(result.log.filter((line) => line.startsWith("FAILED")), [missing]);
      assert.equal(result.log.at(-1), missing);
    });

    /** Writes `bytes` at `offset` of the image, as a tool other than mkfs.ext4 might have left them. */
    function patch(image: string, offset: number, bytes: Buffer): void {
      const fd = fs.openSync(image, "r+");
      fs.writeSync(fd, bytes, 0, bytes.length, offset);
      fs.closeSync(fd);
    }

    /** hf-cache attached as `disk`, which blkid -p answers `status` for: the boot stops with `reason` and leaves it alone. */
    function assertRefused(box: BootstrapSandbox, disk: string, status: number, reason: string): void {
      assert.equal(probeStatus(disk), status);
      const before = sha256(fs.readFileSync(disk));
      box.attachAws("vol-0a1b2c3d4e5f60718", disk);
      const run = box.run(script);

      assert.equal(run.status, 1);
      assert.equal(run.log.at(-1), `FAILED in step 'volume hf-cache': volume hf-cache: ${reason}`);
      assert.equal(sha256(fs.readFileSync(disk)), before, "the image changed");
      assert.deepEqual(callsOf(run.calls, "mkfs.ext4"), []);
      assert.deepEqual(callsOf(run.calls, "mount"), []);
      assert.deepEqual(callsOf(run.calls, "docker", "run"), []);
      assert.equal(fs.readFileSync(box.at("/etc/fstab"), "utf8"), ROOT_FSTAB);
    }

    it("a device blkid finds two file system signatures on (ambivalent, exit 8): not formatted, the boot fails naming the step", () => {
      const box = sandbox();
      const disk = box.ext4Image("hf-cache", { "data.bin": DATA });
      // The BFS magic at offset 0, in ext4's unused boot block: blkid -p now sees ext4 and bfs.
      patch(disk, 0, Buffer.from([0xce, 0xfa, 0xad, 0x1b]));
      assertRefused(box, disk, 8, `cannot tell whether ${disk} holds data (blkid -p exit 8); not formatting it`);
    });

    it("a device holding a partition table and no file system (blkid exit 0, no TYPE): not formatted, the boot fails naming the step", () => {
      const box = sandbox();
      const disk = box.blankImage("hf-cache");
      // An MBR with one Linux partition from sector 2048 to the end.
      const mbr = Buffer.alloc(512);
      mbr[446 + 4] = 0x83;
      mbr.writeUInt32LE(2048, 446 + 8);
      mbr.writeUInt32LE(32 * 2048 - 2048, 446 + 12);
      mbr.writeUInt16LE(0xaa55, 510);
      patch(disk, 0, mbr);
      assertRefused(box, disk, 0, `${disk} holds a partition table or other data but no filesystem; not formatting it`);
    });
  });
});
