/**
 * Execution tests: the rendered bootstrap of aws-gpu-spot-volumes runs for real in a sandbox
 * (test/support/bootstrap-sandbox.ts): stubs stand in for docker, systemctl, mount and the cloud
 * CLIs; the two EBS volumes are image files that blkid and mkfs.ext4 act on. A first boot formats
 * the blank volume, keeps the one holding data and starts the container; a second boot changes
 * nothing; a settings change replaces the container once and formats nothing.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import path from "node:path";
import { BOOT_TOOLS, BootstrapSandbox, ROOT_FSTAB, callsOf, probe, readImageFile, scenarioScript, steps, type RunResult } from "../support/bootstrap-sandbox";
import type { BootstrapInput } from "../../bootstrap/types";
import { SSH_KEY } from "../support/bootstrap-scenarios";
import { INSTALL_IPYKERNEL } from "../../bootstrap/dstack-commands";
import { mountCalls } from "../support/volume-tests";
import { runArgs } from "../support/container-args";
import { describeNeeds } from "../support/system-tools";

const SCENARIO = "aws-gpu-spot-volumes";
const NAME = "dstack-gpu-spot";
const IMAGE = "dstackai/base:py3.11-0.6-cuda-12.1";
const LABEL_FORMAT = '{{ index .Config.Labels "dstack-pulumi.config" }}';
const RUNNING_FORMAT = "{{ .State.Running }}";
/** 4 KiB of a fixed pattern: the file on the datasets volume that must survive. */
const DATA = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31 + 7) % 256));
const STEPS = ["prepare", "ssh key", "docker", "gpu runtime", "removed volumes", "volume hf-cache", "volume datasets", "container files", "image", "container", "timers", "finish"];
const HASH = /^[0-9a-f]{16}$/;
/** The container's init.sh: dstack's command line of ipykernel, an empty line and the scenario's init commands. */
const INIT_SH = `${INSTALL_IPYKERNEL} && echo && pip install -U transformers && printf '%s\\n' "it's ready"\n`;

/** `docker run` after `--label`: the settings of the scenario, the image and the container's command. */
function gpuRunArgs(sandbox: BootstrapSandbox, hfHome = "/data/hf"): string[] {
  return runArgs(sandbox.root, {
    flags: ["--gpus", "all", "--shm-size", "16384m"],
    env: ["DSTACK_RUN_NAME=gpu-spot", "DSTACK_REPO_ID=gpu-spot", "DSTACK_GPUS_NUM=1", "DSTACK_WORKING_DIR=/workflow", "HOME=/root", `HF_HOME=${hfHome}`],
    volumes: ["/mnt/dstack-volumes/hf-cache:/data", "/mnt/dstack-volumes/datasets:/datasets"],
    image: IMAGE,
  });
}

interface GpuBox {
  sandbox: BootstrapSandbox;
  hf: string;
  datasets: string;
  mnt: (volume: string) => string;
}

const boxes: BootstrapSandbox[] = [];

/** A sandbox with hf-cache attached blank and datasets attached holding data.bin. */
function gpuBox(): GpuBox {
  const sandbox = new BootstrapSandbox();
  boxes.push(sandbox);
  const hf = sandbox.blankImage("hf-cache");
  const datasets = sandbox.ext4Image("datasets", { "data.bin": DATA });
  sandbox.attachAws("vol-0a1b2c3d4e5f60718", hf);
  sandbox.attachAws("vol-0f1e2d3c4b5a69788", datasets);
  return { sandbox, hf, datasets, mnt: (volume) => sandbox.at(`/mnt/dstack-volumes/${volume}`) };
}

/** Runs the script and checks it succeeded, with every log line (and nothing else) on stderr. */
function boot(sandbox: BootstrapSandbox, script: string): RunResult {
  const result = sandbox.run(script);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(result.stderr.split("\n").filter(Boolean).map((line) => line.replace(/^\S+ dstack-bootstrap: /, "")), result.log);
  return result;
}

/** The docker calls that create, replace or start containers (not info, image, inspect). */
function containerCalls(result: RunResult): string[][] {
  return callsOf(result.calls, "docker").filter(([command]) => command === "run" || command === "rm" || command === "start");
}

function withSpec(edit: (spec: BootstrapInput["spec"]) => Partial<BootstrapInput["spec"]>): (input: BootstrapInput) => BootstrapInput {
  return (input) => ({ ...input, spec: { ...input.spec, ...edit(input.spec) } });
}

describe("bootstrap execution: aws-gpu-spot-volumes", () => {
  // The volumes are ext4 images (mkfs.ext4, debugfs) that the script probes with blkid.
  describeNeeds(["mkfs.ext4", "debugfs", "blkid", ...BOOT_TOOLS]);
  const script = scenarioScript(SCENARIO);
  after(() => boxes.forEach((box) => box.remove()));

  it("a first boot formats the blank volume, keeps the one with data, mounts both and starts the container once", () => {
    const { sandbox, hf, datasets, mnt } = gpuBox();
    const datasetsUuid = probe(datasets, "UUID");
    const result = boot(sandbox, script);

    assert.equal(probe(hf, "TYPE"), "ext4");
    assert.equal(probe(datasets, "TYPE"), "ext4");
    assert.equal(probe(datasets, "UUID"), datasetsUuid);
    assert.ok(readImageFile(datasets, "data.bin").equals(DATA), "data.bin on the datasets volume changed");
    const hfUuid = probe(hf, "UUID");
    assert.equal(
      fs.readFileSync(sandbox.at("/etc/fstab"), "utf8"),
      `${ROOT_FSTAB}UUID=${hfUuid} /mnt/dstack-volumes/hf-cache ext4 defaults,nofail 0 2\nUUID=${datasetsUuid} /mnt/dstack-volumes/datasets ext4 defaults,nofail 0 2\n`,
    );

    const container = sandbox.container(NAME);
    assert.ok(container, "no container was created");
    assert.match(container.label, HASH);
    assert.deepEqual(container.args, gpuRunArgs(sandbox));
    assert.equal(container.running, true);
    assert.equal(fs.existsSync(sandbox.at("/mnt/scratch")), false);
    assert.deepEqual(result.calls, [
      ["systemctl", "enable", "--now", "docker.service"],
      ["docker", "info"],
      ["nvidia-smi"],
      ["docker", "info", "--format", "{{json .Runtimes}}"],
      ["sleep", "1"],
      ["sleep", "1"],
      ["mkfs.ext4", "-q", "-F", hf],
      ...mountCalls(sandbox, "hf-cache", hf),
      ...mountCalls(sandbox, "datasets", datasets),
      ["docker", "image", "inspect", IMAGE],
      ["docker", "pull", "--quiet", IMAGE],
      ["mountpoint", "-q", mnt("hf-cache")],
      ["mountpoint", "-q", mnt("datasets")],
      ["docker", "inspect", "--format", LABEL_FORMAT, NAME],
      ["docker", "run", "--detach", "--name", NAME, "--label", `dstack-pulumi.config=${container.label}`, ...gpuRunArgs(sandbox)],
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "dstack-idle.timer"],
    ]);

    assert.deepEqual(steps(result.log), STEPS);
    // No key pair on AWS: ubuntu's key is the user's, from the user data, and nothing else.
    const authorized = sandbox.at("/home/ubuntu/.ssh/authorized_keys");
    assert.equal(fs.readFileSync(authorized, "utf8"), `# dstack-pulumi: rewritten at every boot from the user data\n${SSH_KEY}\n`);
    assert.equal(fs.statSync(authorized).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(authorized)).mode & 0o777, 0o700);
    assert.deepEqual(
      result.log.filter((line) => !line.startsWith("step: ")),
      [
        "the SSH key of ubuntu is set",
        `volume hf-cache: ${hf} has no filesystem, creating ext4`,
        "volume hf-cache: added to /etc/fstab",
        `volume hf-cache: ${hf} mounted at /mnt/dstack-volumes/hf-cache`,
        `volume datasets: ${datasets} has a ext4 filesystem, kept`,
        "volume datasets: added to /etc/fstab",
        `volume datasets: ${datasets} mounted at /mnt/dstack-volumes/datasets`,
        "made the container's ed25519 SSH host key",
        "made the container's ecdsa SSH host key",
        "image dstackai/base:py3.11-0.6-cuda-12.1 pulled",
        "instance volume /mnt/scratch: missing and optional, not mounted",
        `container ${NAME} started`,
        "power off after 7200s without SSH (0 = never) or 28800s of uptime (0 = never)",
        "the dev environment gpu-spot is up",
      ],
    );
    assert.equal(fs.readFileSync(sandbox.at("/var/lib/dstack-pulumi/limits.env"), "utf8"), "DSTACK_INACTIVITY_SECONDS=7200\nDSTACK_MAX_SECONDS=28800\n");
    assert.equal(fs.readFileSync(sandbox.at("/var/lib/dstack-pulumi/container/init.sh"), "utf8"), INIT_SH);
    const keys = sandbox.at("/var/lib/dstack-pulumi/ssh-host-keys");
    assert.equal((fs.statSync(keys).mode & 0o777).toString(8), "700");
    assert.deepEqual(fs.readdirSync(keys).sort(), ["ssh_host_ecdsa_key", "ssh_host_ecdsa_key.pub", "ssh_host_ed25519_key", "ssh_host_ed25519_key.pub"]);
    assert.equal((fs.statSync(`${keys}/ssh_host_ed25519_key`).mode & 0o777).toString(8), "600");
  });

  it("a second boot formats nothing, mounts nothing, starts nothing and rewrites no file", () => {
    const { sandbox, hf, datasets, mnt } = gpuBox();
    boot(sandbox, script);
    const uuids = [probe(hf, "UUID"), probe(datasets, "UUID")];
    const fstab = fs.readFileSync(sandbox.at("/etc/fstab"), "utf8");
    const state = sandbox.snapshot("/var/lib/dstack-pulumi");
    const units = sandbox.snapshot("/etc/systemd/system");
    const { label } = sandbox.container(NAME)!;

    const second = boot(sandbox, script);
    assert.deepEqual(second.calls, [
      ["systemctl", "enable", "--now", "docker.service"],
      ["docker", "info"],
      ["nvidia-smi"],
      ["docker", "info", "--format", "{{json .Runtimes}}"],
      ["mountpoint", "-q", mnt("hf-cache")],
      ["blockdev", "--getsize64", hf],
      ["mountpoint", "-q", mnt("datasets")],
      ["blockdev", "--getsize64", datasets],
      ["docker", "image", "inspect", IMAGE],
      ["mountpoint", "-q", mnt("hf-cache")],
      ["mountpoint", "-q", mnt("datasets")],
      ["docker", "inspect", "--format", LABEL_FORMAT, NAME],
      ["docker", "inspect", "--format", RUNNING_FORMAT, NAME],
      ["systemctl", "enable", "--now", "dstack-idle.timer"],
    ]);
    assert.deepEqual([probe(hf, "UUID"), probe(datasets, "UUID")], uuids);
    assert.ok(readImageFile(datasets, "data.bin").equals(DATA));
    assert.deepEqual(
      second.log.filter((line) => line.startsWith("volume ") || line.startsWith("container ") || line.startsWith("image ")),
      [
        `volume hf-cache: ${hf} has a ext4 filesystem, kept`,
        "volume hf-cache: already mounted at /mnt/dstack-volumes/hf-cache",
        `volume datasets: ${datasets} has a ext4 filesystem, kept`,
        "volume datasets: already mounted at /mnt/dstack-volumes/datasets",
        `image ${IMAGE} is here`,
        `container ${NAME} is running with these settings`,
      ],
    );
    assert.deepEqual(steps(second.log), STEPS);
    assert.equal(fs.readFileSync(sandbox.at("/etc/fstab"), "utf8"), fstab);
    assert.deepEqual(sandbox.container(NAME), { label, running: true, args: gpuRunArgs(sandbox) });
    // Same files, same content and mode, none rewritten; only the boot's activity mark is touched.
    const after = sandbox.snapshot("/var/lib/dstack-pulumi");
    assert.deepEqual([...after.keys()].sort(), [...state.keys()].sort());
    for (const [file, before] of state) {
      const now = after.get(file)!;
      assert.deepEqual(file === "last-activity" ? { ...now, mtimeMs: before.mtimeMs } : now, before, `${file} was rewritten`);
    }
    assert.deepEqual(sandbox.snapshot("/etc/systemd/system"), units);
  });

  it("a new SSH key (new user data after a stop and start): ubuntu's file holds the new key only; an unchanged one is not rewritten", () => {
    const { sandbox } = gpuBox();
    const authorized = sandbox.at("/home/ubuntu/.ssh/authorized_keys");
    boot(sandbox, script);
    const again = boot(sandbox, script);
    assert.ok(!again.log.includes("the SSH key of ubuntu is set"));
    const other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOtherKeyOtherKeyOtherKeyOtherKey0 new@example";
    const rotated = boot(sandbox, scenarioScript(SCENARIO, (input) => ({ ...input, sshPublicKey: other })));
    assert.ok(rotated.log.includes("the SSH key of ubuntu is set"));
    assert.equal(fs.readFileSync(authorized, "utf8"), `# dstack-pulumi: rewritten at every boot from the user data\n${other}\n`);
  });

  it("a boot after the container stopped starts it again, without a new docker run", () => {
    const { sandbox } = gpuBox();
    boot(sandbox, script);
    const { label } = sandbox.container(NAME)!;
    sandbox.stopContainer(NAME);
    const result = boot(sandbox, script);
    assert.deepEqual(containerCalls(result), [["start", NAME]]);
    assert.ok(result.log.includes(`container ${NAME} started again`));
    assert.deepEqual(sandbox.container(NAME), { label, running: true, args: gpuRunArgs(sandbox) });
  });

  const changes: { what: string; edit: (input: BootstrapInput) => BootstrapInput; hfHome: string; initSh: string }[] = [
    { what: "an init command (a file mounted into the container)", edit: withSpec((spec) => ({ init: [...spec.init, "echo changed"] })), hfHome: "/data/hf", initSh: `${INIT_SH.trimEnd()} && echo changed\n` },
    { what: "an env value (a docker run argument)", edit: withSpec((spec) => ({ env: { ...spec.env, HF_HOME: "/data/hf2" } })), hfHome: "/data/hf2", initSh: INIT_SH },
  ];
  for (const { what, edit, hfHome, initSh } of changes) {
    it(`a change of ${what} replaces the container once and formats nothing`, () => {
      const { sandbox, hf, datasets } = gpuBox();
      boot(sandbox, script);
      const uuids = [probe(hf, "UUID"), probe(datasets, "UUID")];
      const { label } = sandbox.container(NAME)!;
      const changed = scenarioScript(SCENARIO, edit);

      const result = boot(sandbox, changed);
      const container = sandbox.container(NAME)!;
      assert.match(container.label, HASH);
      assert.notEqual(container.label, label);
      assert.deepEqual(containerCalls(result), [
        ["rm", "-f", NAME],
        ["run", "--detach", "--name", NAME, "--label", `dstack-pulumi.config=${container.label}`, ...gpuRunArgs(sandbox, hfHome)],
      ]);
      assert.ok(result.log.includes(`container ${NAME} has other settings: replacing it`));
      assert.deepEqual(callsOf(result.calls, "mkfs.ext4"), []);
      assert.deepEqual(callsOf(result.calls, "mount"), []);
      assert.deepEqual([probe(hf, "UUID"), probe(datasets, "UUID")], uuids);
      assert.ok(readImageFile(datasets, "data.bin").equals(DATA));
      assert.equal(fs.readFileSync(sandbox.at("/var/lib/dstack-pulumi/container/init.sh"), "utf8"), initSh);

      const again = boot(sandbox, changed);
      assert.deepEqual(containerCalls(again), []);
      assert.equal(sandbox.container(NAME)!.label, container.label);
    });
  }
});
