/**
 * A sandbox to run a rendered bootstrap script on this machine: a temporary folder T with
 * - T/root: the VM's file system ($DSTACK_BOOTSTRAP_ROOT), with the folders a cloud image has and
 *   an /etc/fstab holding the root file system's line;
 * - T/bin: first on PATH, the stand-ins of test/fixtures/bootstrap-stubs/stub.sh (docker,
 *   systemctl, the cloud CLIs, mount, sleep, ...), each call a JSON line in T/calls.log;
 * - T/state: what the stubs remember (images, containers, mounts, the `docker login` password);
 * - T/secrets: the fake secret stores (SSM parameters, Secret Manager secrets);
 * - T/images: the volumes, real image files that `blkid -p` and `mkfs.ext4` act on for real.
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { renderBootPayload } from "../../bootstrap/render";
import type { BootstrapInput, SecretRef } from "../../bootstrap/types";
import { scenarios } from "./bootstrap-scenarios";

const STUB = path.resolve(__dirname, "../../../test/fixtures/bootstrap-stubs/stub.sh");
const STUBBED = ["docker", "nvidia-smi", "nvidia-ctk", "systemctl", "aws", "gcloud", "mount", "mountpoint", "mkfs.ext4", "apt-get", "curl", "gpg", "sleep", "ss", "lsblk"];
const SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
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

/** Runs a real system tool (blkid, mkfs.ext4, debugfs); throws with its output when it fails. */
function tool(command: string, args: string[]): Buffer {
  const result = spawnSync(command, args, { env: { PATH: SYSTEM_PATH } });
  if (result.error || result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}): ${result.error?.message ?? result.stderr.toString()}`);
  }
  return result.stdout;
}

/** `blkid -p -s TAG -o value`: the file system's TYPE or UUID as found on the image. */
export function probe(image: string, tag: "TYPE" | "UUID"): string {
  return tool("blkid", ["-p", "-s", tag, "-o", "value", image]).toString().trim();
}

/** The exit status of `blkid -p` on the image (0 found, 2 nothing, 8 ambivalent). */
export function probeStatus(image: string): number | null {
  return spawnSync("blkid", ["-p", image], { env: { PATH: SYSTEM_PATH } }).status;
}

/** A file of an ext4 image, read with debugfs (no mount). */
export function readImageFile(image: string, name: string): Buffer {
  return tool("debugfs", ["-R", `cat ${name}`, image]);
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

export class BootstrapSandbox {
  readonly dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-exec-")));
  readonly root = path.join(this.dir, "root");
  private readonly state = path.join(this.dir, "state");
  private runs = 0;

  constructor() {
    for (const dir of ["bin", "state", "secrets", "images"]) fs.mkdirSync(path.join(this.dir, dir));
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

  /** A blank (all zero, sparse) 32 MiB image file. */
  blankImage(name: string): string {
    const image = path.join(this.dir, "images", `${name}.img`);
    fs.writeFileSync(image, "");
    fs.truncateSync(image, IMAGE_BYTES);
    return image;
  }

  /** An ext4 image holding the files (written with debugfs). */
  ext4Image(name: string, files: Record<string, Buffer>): string {
    const image = this.blankImage(name);
    tool("mkfs.ext4", ["-q", "-F", image]);
    for (const [file, content] of Object.entries(files)) {
      const source = path.join(this.dir, "images", `${name}.${file}`);
      fs.writeFileSync(source, content);
      tool("debugfs", ["-w", "-R", `write ${source} ${file}`, image]);
    }
    return image;
  }

  /** Where an attached EBS volume shows up: /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_<id without "-">. */
  attachAws(volumeId: string, image: string): void {
    fs.symlinkSync(image, this.at(`/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volumeId.replace(/-/g, "")}`));
  }

  /** Where an attached persistent disk shows up: /dev/disk/by-id/google-<device name>. */
  attachGcp(deviceName: string, image: string): void {
    fs.symlinkSync(image, this.at(`/dev/disk/by-id/google-${deviceName}`));
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
      timeout: 30_000,
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

  remove(): void {
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
