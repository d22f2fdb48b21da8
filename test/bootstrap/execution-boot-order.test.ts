/**
 * Execution tests of the boot order: the container must not start before its volumes are
 * mounted, at any boot. The docker stub models dockerd coming up after a reboot and starting what
 * the restart policies say (test/fixtures/bootstrap-stubs/stub.sh); these tests check that model,
 * show that the old policy (`unless-stopped`) started the container before the mounts, and that
 * with policy `no` the bootstrap starts it only after mounting and checking every volume.
 */
import { strict as assert } from "node:assert";
import { BOOT_TOOLS, callsOf, scenarioScript, type RunResult } from "../support/bootstrap-sandbox";
import { mountCalls, sandboxPool } from "../support/volume-tests";
import { requireTools, type Need } from "../support/system-tools";

const NAME = "dstack-gpu-spot";
const IMAGE = "dstackai/base:py3.11-0.6-cuda-12.1";
const HF_CACHE = "vol-0a1b2c3d4e5f60718";
const DATASETS = "vol-0f1e2d3c4b5a69788";
/** What the boots with volumes need: ext4 images (mkfs.ext4) that the script probes with blkid. */
const VOLUME_TOOLS: Need[] = ["mkfs.ext4", "blkid", ...BOOT_TOOLS];

/** The index of the first call equal to `call`; fails when there is none. */
function indexOf(run: RunResult, call: string[]): number {
  const index = run.calls.findIndex((made) => JSON.stringify(made) === JSON.stringify(call));
  assert.ok(index >= 0, `no call ${JSON.stringify(call)}`);
  return index;
}

describe("bootstrap execution: boot order", () => {
  const sandbox = sandboxPool();
  const script = scenarioScript("aws-gpu-spot-volumes");

  /** A sandbox after a first boot of aws-gpu-spot-volumes (both volumes hold ext4) and a reboot. */
  function rebooted(bootScript = script) {
    const box = sandbox();
    const hf = box.ext4Image("hf-cache", {});
    const datasets = box.ext4Image("datasets", {});
    box.attachAws(HF_CACHE, hf);
    box.attachAws(DATASETS, datasets);
    const first = box.run(bootScript);
    assert.equal(first.status, 0, first.stderr);
    box.reboot();
    assert.equal(box.container(NAME)?.running, false);
    return { box, hf, datasets, mnt: (volume: string) => box.at(`/mnt/dstack-volumes/${volume}`) };
  }

  it("the docker stub's dockerd, coming up after a reboot, starts exactly what Docker's restart policies say", () => {
    const box = sandbox();
    const run = (name: string, policy: string) => `docker run --detach --name ${name} --label dstack-pulumi.config=x --restart ${policy} alpine:3 sleep infinity >/dev/null`;
    const made = box.run(
      [
        "set -e",
        "systemctl enable --now docker.service",
        ...["no", "always", "unless-stopped", "on-failure"].map((policy) => run(`c-${policy}`, policy)),
        run("stopped-always", "always"),
        run("stopped-unless-stopped", "unless-stopped"),
        "docker stop stopped-always >/dev/null",
        "docker stop stopped-unless-stopped >/dev/null",
        "",
      ].join("\n"),
    );
    assert.equal(made.status, 0, made.stderr);
    box.reboot();
    const boot = box.run("systemctl enable --now docker.service\n");
    // always: even after `docker stop`; unless-stopped: unless stopped by the user; on-failure:
    // killed at shutdown (exit 137) is a failure; no: never.
    assert.deepEqual(boot.calls, [
      ["systemctl", "enable", "--now", "docker.service"],
      ["dockerd", "start", "c-always"],
      ["dockerd", "start", "c-on-failure"],
      ["dockerd", "start", "c-unless-stopped"],
      ["dockerd", "start", "stopped-always"],
    ]);
    assert.equal(box.container("c-no")?.running, false);
    assert.equal(box.container("stopped-unless-stopped")?.running, false);
  });

  it("with the former policy (unless-stopped), dockerd started the container at boot before any volume was mounted", function () {
    requireTools(this, VOLUME_TOOLS);
    const former = script.replace("args=(--restart no ", "args=(--restart unless-stopped ");
    assert.notEqual(former, script);
    const { box, hf, mnt } = rebooted(former);
    const boot = box.run(former);
    assert.equal(boot.status, 0, boot.stderr);
    assert.deepEqual(boot.calls.slice(0, 2), [["systemctl", "enable", "--now", "docker.service"], ["dockerd", "start", NAME]]);
    assert.ok(indexOf(boot, ["dockerd", "start", NAME]) < indexOf(boot, ["mount", hf, mnt("hf-cache")]));
  });

  it("after a reboot, with a volume that shows up late, the container starts only after every volume is mounted and checked", function () {
    requireTools(this, VOLUME_TOOLS);
    const { box, hf, datasets, mnt } = rebooted();
    // hf-cache's device shows up only after three polls (2 s apart).
    box.detachAws(HF_CACHE);
    box.attachAws(HF_CACHE, hf, { afterSleeps: 3 });
    const boot = box.run(script);
    assert.equal(boot.status, 0, boot.stderr);
    const poll = [["lsblk", "-dpno", "NAME,SERIAL"], ["sleep", "2"]];
    assert.deepEqual(boot.calls, [
      ["systemctl", "enable", "--now", "docker.service"],
      ["docker", "info"],
      ["nvidia-smi"],
      ["docker", "info", "--format", "{{json .Runtimes}}"],
      ...poll, ...poll, ...poll,
      ...mountCalls(box, "hf-cache", hf),
      ...mountCalls(box, "datasets", datasets),
      ["docker", "image", "inspect", IMAGE],
      ["mountpoint", "-q", mnt("hf-cache")],
      ["mountpoint", "-q", mnt("datasets")],
      ["docker", "inspect", "--format", '{{ index .Config.Labels "dstack-pulumi.config" }}', NAME],
      ["docker", "inspect", "--format", "{{ .State.Running }}", NAME],
      ["docker", "start", NAME],
      ["systemctl", "enable", "--now", "dstack-idle.timer"],
    ]);
    const start = indexOf(boot, ["docker", "start", NAME]);
    assert.ok(start > indexOf(boot, ["mount", hf, mnt("hf-cache")]) && start > indexOf(boot, ["mount", datasets, mnt("datasets")]));
    assert.ok(boot.log.includes(`container ${NAME} started again`));
    assert.equal(box.container(NAME)?.running, true);
  });

  it("a volume whose mount did not hold when the container would start: the boot stops, the container is not started", function () {
    requireTools(this, VOLUME_TOOLS);
    const { box, mnt } = rebooted();
    box.loseMounts();
    const boot = box.run(script);
    assert.equal(boot.status, 1);
    assert.equal(boot.log.at(-1), "FAILED in step 'container': volume hf-cache: /mnt/dstack-volumes/hf-cache is not a mount point: not starting the container");
    assert.deepEqual(callsOf(boot.calls, "mountpoint").slice(-1), [["-q", mnt("hf-cache")]]);
    assert.deepEqual(callsOf(boot.calls, "docker", "start"), []);
    assert.deepEqual(callsOf(boot.calls, "docker", "run"), []);
    assert.deepEqual(callsOf(boot.calls, "dockerd"), []);
    assert.equal(box.container(NAME)?.running, false);
  });
});
