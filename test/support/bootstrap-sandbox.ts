/**
 * A sandbox to run a rendered bootstrap script on this machine: a temporary folder T with
 * - T/root: the VM's file system ($DSTACK_BOOTSTRAP_ROOT), with the folders a cloud image has and
 *   an /etc/fstab holding the root file system's line;
 * - T/bin: first on PATH, the stand-ins of test/fixtures/bootstrap-stubs/stub.sh (docker,
 *   systemctl, the cloud CLIs, mount, sleep, ...), each call a JSON line in T/calls.log (git is
 *   recorded and run for real; docker too with `realDocker`: podman's Docker CLI, usually
 *   /usr/bin/docker); the rest of PATH is SYSTEM_PATH (test/support/system-tools.ts), where the
 *   script finds blkid and the other real tools;
 * - T/state: what the stubs remember (images, containers, mounts, the `docker login` password);
 * - T/secrets: the fake secret stores (SSM parameters, Secret Manager secrets);
 * - T/images: the volumes, real image files that `blkid -p` and `mkfs.ext4` act on for real, or
 *   loop devices over them (test/support/block-devices.ts) where a test needs real block devices:
 *   partitions, a disk that grows, a real mount (`new BootstrapSandbox({ realMounts: true })`).
 * `remove()` unmounts and detaches all of it; call it in an `after` hook.
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { renderBootPayload } from "../../bootstrap/render";
import type { BootstrapInput, SecretRef } from "../../bootstrap/types";
import { scenarios } from "./bootstrap-scenarios";
import { LoopDevices, gptImage, sparseFile, systemTool, unmountUnder, xfsImage } from "./block-devices";
import { SYSTEM_PATH, toolPath, type Need } from "./system-tools";

export { probe, probeStatus, readImageFile } from "./block-devices";

/**
 * What a boot that gets to the step 'container files' runs for real: ssh-keygen, for the
 * container's SSH host keys (test/support/system-tools.ts).
 */
export const BOOT_TOOLS: Need[] = ["ssh-keygen"];

const STUB = path.resolve(__dirname, "../../../test/fixtures/bootstrap-stubs/stub.sh");
const STUBBED = [
  "docker", "nvidia-smi", "nvidia-ctk", "systemctl", "aws", "gcloud", "mount", "mountpoint", "mkfs.ext4", "resize2fs", "xfs_growfs", "blockdev",
  "apt-get", "curl", "gpg", "sleep", "ss", "lsblk", "git",
];
/** A cloud image's fstab: the line the bootstrap must keep. */
export const ROOT_FSTAB = "LABEL=cloudimg-rootfs\t/\text4\tdiscard,errors=remount-ro\t0 1\n";
const IMAGE_BYTES = 32 * 1024 * 1024;
const LOG_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ dstack-bootstrap: (.*)$/;

/** The script of a scenario of test/support/bootstrap-scenarios.ts, its input changed by `edit`. */
export function scenarioScript(name: string, edit: (input: BootstrapInput) => BootstrapInput = (input) => input): string {
  const scenario = scenarios().find((candidate) => candidate.name === name);
  if (!scenario) throw new Error(`no bootstrap scenario ${name}`);
  return renderBootPayload(edit(scenario.input)).script;
}

export function sha256(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** What this run added to the bootstrap log: the messages, without the time stamp. */
  log: string[];
  /** The stub calls of this run: [command, ...arguments]. */
  calls: string[][];
  ms: number;
}

export interface Container {
  label: string;
  running: boolean;
  /** The `docker run` arguments after the label (settings, image, command). */
  args: string[];
}

/** A file's mode, content hash and modification time, by path under the folder. */
export type Snapshot = Map<string, { mode: string; sha256: string; mtimeMs: number }>;

/** How an attached volume shows up: its partitions (by-id links -part1, -part2, ...), and when. */
export interface Attach {
  /** The disk's partitions, in order: udev links them as `<link>-part<N>`. */
  partitions?: string[];
  /** The links show up only after that many `sleep` calls of the script (a volume attached late). */
  afterSleeps?: number;
}

export class BootstrapSandbox {
  readonly dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-exec-")));
  readonly root = path.join(this.dir, "root");
  private readonly state = path.join(this.dir, "state");
  private readonly loops = new LoopDevices();
  private readonly timeoutMs: number;
  private runs = 0;

  /** `realMounts`: mount and mountpoint are real (loop devices); `realDocker`: docker too; `timeoutMs` of a run (30 s). */
  constructor(options: { realMounts?: boolean; realDocker?: boolean; timeoutMs?: number } = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    for (const dir of ["bin", "state", "secrets", "images"]) fs.mkdirSync(path.join(this.dir, dir));
    if (options.realMounts) fs.writeFileSync(path.join(this.state, "real-mounts"), "");
    if (options.realDocker) fs.writeFileSync(path.join(this.state, "real-docker"), toolPath("docker"));
    for (const dir of ["etc", "var/log", "var/lib", "run", "mnt", "dev/disk/by-id"]) fs.mkdirSync(path.join(this.root, dir), { recursive: true });
    fs.writeFileSync(path.join(this.root, "etc/fstab"), ROOT_FSTAB);
    const stub = path.join(this.dir, "bin", "stub");
    fs.copyFileSync(STUB, stub);
    fs.chmodSync(stub, 0o755);
    for (const name of STUBBED) fs.symlinkSync("stub", path.join(this.dir, "bin", name));
    fs.writeFileSync(path.join(this.dir, "calls.log"), "");
  }

  /** Under the sandbox's root: `at("/etc/fstab")`. */
  at(vmPath: string): string {
    return path.join(this.root, vmPath);
  }

  /** A blank (all zero, sparse) image file, 32 MiB unless said. */
  blankImage(name: string, bytes = IMAGE_BYTES): string {
    const image = this.imagePath(name);
    sparseFile(image, bytes);
    return image;
  }

  /** An ext4 image (or device) holding the files (written with debugfs); a new 32 MiB image unless a device is given. */
  ext4Image(name: string, files: Record<string, Buffer>, device = this.blankImage(name)): string {
    systemTool("mkfs.ext4", ["-q", "-F", device]);
    for (const [file, content] of Object.entries(files)) {
      const source = path.join(this.dir, "images", `${name}.${file}`);
      fs.writeFileSync(source, content);
      systemTool("debugfs", ["-w", "-R", `write ${source} ${file}`, device]);
    }
    return device;
  }

  /** An image holding an xfs filesystem as large as the image (at least 300 MiB, sparse). */
  xfsImage(name: string, bytes: number): string {
    const image = this.imagePath(name);
    xfsImage(image, bytes);
    return image;
  }

  /**
   * A 64 MiB image with a GPT of as many partitions as `filesystems` (16 MiB each, the last to the
   * end), on a loop device; each partition gets the filesystem named (mkfs.<type>) or stays blank.
   */
  partitionedDisk(name: string, filesystems: ("ext4" | "ext2" | null)[]): { image: string; disk: string; partitions: string[] } {
    const image = this.imagePath(name);
    gptImage(image, 64 * 1024 * 1024, filesystems.length, 16);
    const disk = this.loopDevice(image);
    const partitions = filesystems.map((_, i) => `${disk}p${i + 1}`);
    filesystems.forEach((type, i) => type && systemTool(`mkfs.${type}`, ["-q", "-F", partitions[i]!]));
    return { image, disk, partitions };
  }

  /** A loop device over the image: a real block device (detached by `remove()`). */
  loopDevice(image: string): string {
    return this.loops.attach(image);
  }

  /** The volume grew (as the cloud enlarges one): the image file, and its loop device if it has one. */
  growImage(image: string, bytes: number): void {
    fs.truncateSync(image, bytes);
    this.loops.refresh(image);
  }

  /** Where an attached EBS volume shows up: /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_<id without "-">. */
  attachAws(volumeId: string, device: string, how: Attach = {}): void {
    this.attach(`nvme-Amazon_Elastic_Block_Store_${volumeId.replace(/-/g, "")}`, device, how);
  }

  /** Where an attached persistent disk shows up: /dev/disk/by-id/google-<device name>. */
  attachGcp(deviceName: string, device: string, how: Attach = {}): void {
    this.attach(`google-${deviceName}`, device, how);
  }

  /** The EBS volume is detached: its by-id link is gone. */
  detachAws(volumeId: string): void {
    fs.unlinkSync(this.at(`/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volumeId.replace(/-/g, "")}`));
  }

  /** What lsblk reports as the device's serial (an NVMe device without a by-id link). */
  setSerial(device: string, serial: string): void {
    fs.appendFileSync(path.join(this.state, "serials"), `${device} ${serial}\n`);
  }

  /**
   * A reboot: systemd stops docker.service (dockerd kills the running containers), the mounts and
   * /run are gone; at the next run dockerd comes up when the script starts docker.service, and
   * starts again what the restart policies say (test/fixtures/bootstrap-stubs/stub.sh).
   */
  reboot(): void {
    const stopped = spawnSync(path.join(this.dir, "bin", "systemctl"), ["stop", "docker.service"], { env: { PATH: SYSTEM_PATH } });
    if (stopped.status !== 0) throw new Error(`systemctl stop docker.service: ${stopped.stderr}`);
    const errors = unmountUnder(this.root);
    if (errors.length > 0) throw new Error(errors.join("\n"));
    fs.rmSync(path.join(this.state, "mounts"), { force: true });
    fs.rmSync(this.at("/run"), { recursive: true, force: true });
    fs.mkdirSync(this.at("/run"));
  }

  /** From now on each mount the script makes is undone at once (the mount point stays empty). */
  loseMounts(): void {
    fs.writeFileSync(path.join(this.state, "mounts-vanish"), "");
  }

  private imagePath(name: string): string {
    return path.join(this.dir, "images", `${name}.img`);
  }

  /** udev's by-id links of a disk and its partitions, now or once the script has slept `afterSleeps` times. */
  private attach(linkName: string, device: string, { partitions = [], afterSleeps }: Attach): void {
    const links: [string, string][] = [[this.at(`/dev/disk/by-id/${linkName}`), device], ...partitions.map((part, i): [string, string] => [this.at(`/dev/disk/by-id/${linkName}-part${i + 1}`), part])];
    if (afterSleeps === undefined) {
      for (const [link, target] of links) fs.symlinkSync(target, link);
      return;
    }
    const sleeps = path.join(this.state, "sleeps");
    const after = (fs.existsSync(sleeps) ? Number(fs.readFileSync(sleeps, "utf8")) : 0) + afterSleeps;
    fs.appendFileSync(path.join(this.state, "late-links"), links.map(([link, target]) => `${after} ${link} ${target}\n`).join(""));
  }

  /** Puts a value in the fake secret store the aws / gcloud stubs read. */
  putSecret(ref: SecretRef, value: string): void {
    const file = ref.store === "aws-ssm" ? path.join(this.dir, "secrets", ref.store, ref.region, ref.parameter) : path.join(this.dir, "secrets", ref.store, ref.project, ref.secret);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, value);
  }

  /** Runs the script with bash, as root at boot would, but with the stubs first on PATH. */
  run(script: string): RunResult {
    const file = path.join(this.dir, `bootstrap-${++this.runs}.sh`);
    fs.writeFileSync(file, script, { mode: 0o755 });
    const logBefore = this.logLines().length;
    const callsBefore = this.calls().length;
    const started = performance.now();
    const result = spawnSync("bash", [file], {
      encoding: "utf8",
      env: { PATH: `${path.join(this.dir, "bin")}:${SYSTEM_PATH}`, HOME: this.dir, DSTACK_BOOTSTRAP_ROOT: this.root },
      timeout: this.timeoutMs,
    });
    const ms = performance.now() - started;
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, log: this.logLines().slice(logBefore), calls: this.calls().slice(callsBefore), ms };
  }

  /** Every stub call so far. */
  calls(): string[][] {
    return this.read("calls.log")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string[]);
  }

  /** The bootstrap log's messages (each line checked for its time stamp). */
  logLines(): string[] {
    const file = this.at("/var/log/dstack-bootstrap.log");
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const match = LOG_LINE.exec(line);
        if (!match) throw new Error(`log line without time stamp: ${line}`);
        return match[1]!;
      });
  }

  /** A file of the sandbox (calls.log, state/login, ...) as text. */
  read(relative: string): string {
    return fs.readFileSync(path.join(this.dir, relative), "utf8");
  }

  /** The container `docker run` created, as the docker stub keeps it, or undefined. */
  container(name: string): Container | undefined {
    const dir = path.join(this.state, "containers", name);
    if (!fs.existsSync(dir)) return undefined;
    const text = (file: string) => fs.readFileSync(path.join(dir, file), "utf8");
    return { label: text("label").trim(), running: text("running").trim() === "true", args: text("args").split("\n").slice(0, -1) };
  }

  /** Makes the docker stub report the container as stopped (as after `docker stop` or a crash). */
  stopContainer(name: string): void {
    fs.writeFileSync(path.join(this.state, "containers", name, "running"), "false\n");
  }

  /** Every regular file under the folder (a path under the root), with its mode, hash and time. */
  snapshot(vmDir: string): Snapshot {
    const top = this.at(vmDir);
    const files: Snapshot = new Map();
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        if (!entry.isFile()) continue;
        const stat = fs.statSync(full);
        files.set(path.relative(top, full), { mode: (stat.mode & 0o7777).toString(8), sha256: sha256(fs.readFileSync(full)), mtimeMs: stat.mtimeMs });
      }
    };
    walk(top);
    return files;
  }

  /** Unmounts, detaches the loop devices, deletes the folder; throws (deleting nothing) while something stays mounted. */
  remove(): void {
    const errors = [...unmountUnder(this.dir), ...this.loops.detachAll()];
    if (errors.length > 0) throw new Error(`sandbox ${this.dir} not removed:\n${errors.join("\n")}`);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The calls of one command, without the command's name: `callsOf(run.calls, "mount")`. */
export function callsOf(calls: string[][], command: string, ...prefix: string[]): string[][] {
  return calls.filter(([name, ...args]) => name === command && prefix.every((word, i) => args[i] === word)).map(([, ...args]) => args);
}

/** The step names a run logged (`step: NAME`), in order. */
export function steps(log: string[]): string[] {
  return log.filter((line) => line.startsWith("step: ")).map((line) => line.slice("step: ".length));
}
