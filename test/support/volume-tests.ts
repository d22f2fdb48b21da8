/**
 * What the volume execution tests share: their sandboxes, removed by one `after` hook even when a
 * test failed (mounts and loop devices included), and the check of a boot that refused a volume.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import { BootstrapSandbox, ROOT_FSTAB, callsOf, sha256, type RunResult } from "./bootstrap-sandbox";

/** Call inside a `describe`: a maker of sandboxes that its `after` hook removes, all of them. */
export function sandboxPool(): (options?: { realMounts?: boolean }) => BootstrapSandbox {
  const boxes: BootstrapSandbox[] = [];
  after(() => {
    const errors: string[] = [];
    for (const box of boxes.splice(0)) {
      try {
        box.remove();
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    if (errors.length > 0) throw new Error(errors.join("\n"));
  });
  return (options) => {
    const box = new BootstrapSandbox(options);
    boxes.push(box);
    return box;
  };
}

/** The stub calls of mounting a volume that is not mounted yet: the mount point check, the mount, the growth check. */
export function mountCalls(box: BootstrapSandbox, volume: string, device: string): string[][] {
  const dir = box.at(`/mnt/dstack-volumes/${volume}`);
  return [["mountpoint", "-q", dir], ["mount", device, dir], ["blockdev", "--getsize64", device]];
}

/** The sha256 of each image file, to show that a boot wrote nothing to them. */
export function hashes(images: string[]): string[] {
  return images.map((image) => sha256(fs.readFileSync(image)));
}

/**
 * Runs the script and checks the boot stopped in the step with exactly `failed` as its last log
 * line (the only FAILED line), exit status 1, and touched nothing: the images' bytes, /etc/fstab,
 * no mkfs, no mount, no container run or started.
 */
export function assertRefused(box: BootstrapSandbox, script: string, images: string[], failed: string): RunResult {
  const before = hashes(images);
  const run = box.run(script);
  assert.equal(run.status, 1);
  assert.deepEqual(run.log.filter((line) => line.startsWith("FAILED")), [failed]);
  assert.equal(run.log.at(-1), failed);
  assert.deepEqual(hashes(images), before, "an image changed");
  assert.deepEqual(callsOf(run.calls, "mkfs.ext4"), []);
  assert.deepEqual(callsOf(run.calls, "mount"), []);
  assert.deepEqual(callsOf(run.calls, "docker", "run"), []);
  assert.deepEqual(callsOf(run.calls, "docker", "start"), []);
  assert.deepEqual(callsOf(run.calls, "dockerd"), []);
  assert.equal(fs.readFileSync(box.at("/etc/fstab"), "utf8"), ROOT_FSTAB);
  return run;
}
