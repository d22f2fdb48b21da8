/**
 * What the container gets: its image, `docker run` arguments, environment, mounts, and the files
 * mounted at /dstack-pulumi (settings, the user's key, the init commands).
 *
 * Restart policy `no`: Docker never starts the container by itself; the bootstrap, which runs at
 * every boot, starts it (`docker start` of the stopped container, or `docker run`) once every
 * volume is mounted and checked to be a mount point. With `unless-stopped` (or `always`), dockerd
 * would start it again at boot as soon as the daemon is up, before the bootstrap has mounted the
 * volumes (their fstab lines are `nofail`, so nothing waits for them): the container would write
 * into the empty folders under /mnt/dstack-volumes and see none of the volumes' data. Ordering
 * docker.service after the mounts with systemd instead would hold Docker itself (and every other
 * container) hostage to a volume that is slow or gone, and still check nothing. dstack's shim
 * likewise runs the job container without a restart policy: when the container ends, the run ends;
 * here it is started again at the next boot. A container that stops while the VM runs (its main
 * process exits, or dockerd restarts) stays stopped until then.
 *
 * As dstack's shim runs it: the entrypoint is `/bin/sh` (the image's ENTRYPOINT, such as
 * `text-generation-launcher`, is replaced) and the user root (the image's USER is overridden);
 * the container's init (bootstrap/shell/container-init.sh) runs `init` as the configuration's
 * `user`. What holds a secret reaches it in memory only: the VM's tmpfs file of secret env values
 * is mounted read-only into the container's own tmpfs (`/run/dstack-pulumi`), where its init also
 * writes the SSH sessions' environment; nothing secret is a Docker setting (`docker inspect`,
 * the container's config on disk). The sshd host keys are the VM's, mounted read-only.
 * Host paths start with `$R` (empty on a VM, the sandbox's root in tests).
 */
import { isEnvPlaceholder } from "../config/env";
import { parsePythonInt } from "../config/py-values";
import { isInstanceMount } from "../config/volumes";
import type { DevEnvironmentSpec } from "../config/schema";
import { containerImage } from "./image";
import { shellQuote } from "./shell-quote";
import { BootstrapError, type BootstrapInput } from "./types";

export const PROJECT_DIR = "/workflow";
/** The container's tmpfs: the secrets file and the host keys mounted in it, the sessions' environment. */
export const CONTAINER_RUNTIME_DIR = "/run/dstack-pulumi";
/** The port of the container's sshd on the VM's 127.0.0.1 (components/connection.ts connects to it). */
export const CONTAINER_SSH_PORT = 10022;

/** The working directory in the container: `working_dir` relative to /workflow, or /workflow. */
export function workingDir(spec: DevEnvironmentSpec): string {
  const dir = spec.working_dir;
  if (!dir || dir === ".") return PROJECT_DIR;
  if (dir.startsWith("/")) return dir;
  return `${PROJECT_DIR}/${dir.replace(/^\.\//, "").replace(/\/+$/, "")}`;
}

/** The shell that runs `init`: the configured one, else bash for dstack's image and sh for a custom one. */
export function initShell(spec: DevEnvironmentSpec): string {
  const shell = spec.shell ?? (spec.image ? "sh" : "bash");
  return shell.startsWith("/") ? shell : `/bin/${shell}`;
}

/**
 * `user` for the container's init: each part a name, or an id in plain decimal (`+5` and `1_000`
 * are ids to dstack's Python); empty for root.
 */
export function containerUser(spec: DevEnvironmentSpec): string {
  if (spec.user === null) return "";
  return spec.user
    .split(":")
    .map((part) => String(parsePythonInt(part) ?? part.trim()))
    .join(":");
}

/** `--shm-size` in MB (Docker's `m`), from GB. */
function shmSize(gb: number): string {
  return `${Math.round(gb * 1024)}m`;
}

export interface ContainerSettings {
  image: string;
  /** `docker run` arguments before the image, as shell words (already quoted). */
  args: string[];
  /** Instance volumes: mounted only when present (or created). */
  instanceMounts: { hostPath: string; path: string; optional: boolean }[];
}

/** `-v` of a host path (under `$R`) and the container's path, the host part of the configuration quoted. */
export function hostMount(hostPath: string, path: string): string {
  return `-v "$R"${shellQuote(`${hostPath}:${path}`)}`;
}

export function containerSettings(input: BootstrapInput): ContainerSettings {
  const { spec, offer } = input;
  const tpu = input.target === "gcp-tpu-vm";
  const args = ["--restart no", "--network host", "--entrypoint /bin/sh", "--user 0"];
  if (offer.gpu) args.push("--gpus all");
  if (spec.privileged || tpu || spec.docker) args.push("--privileged");
  if (spec.resources.shm_size !== null) args.push(`--shm-size ${shmSize(spec.resources.shm_size)}`);
  const env: [string, string][] = [
    ["DSTACK_RUN_NAME", input.runName],
    ["DSTACK_REPO_ID", input.repoId ?? input.runName],
    ["DSTACK_GPUS_NUM", String(offer.gpu?.count ?? (offer.tpu ? 1 : 0))],
    ["DSTACK_WORKING_DIR", workingDir(spec)],
    ["HOME", spec.home_dir],
  ];
  if (tpu) env.push(["PJRT_DEVICE", "TPU"]);
  for (const [name, value] of Object.entries(spec.env)) {
    if (Object.hasOwn(input.secretEnv, name)) continue;
    if (isEnvPlaceholder(value)) throw new BootstrapError(`env ${name} has no value in the configuration: give it as a secret (the component's env) or in the environment`);
    if (value.includes("\n")) throw new BootstrapError(`env ${name}: a value with a line break cannot be passed to the container`);
    env.push([name, value]);
  }
  for (const [name, value] of env) args.push(`-e ${shellQuote(`${name}=${value}`)}`);
  args.push(`--tmpfs ${CONTAINER_RUNTIME_DIR}:mode=0755`);
  if (Object.keys(input.secretEnv).length > 0) args.push(`-v "$R$RUNTIME_DIR/secrets.env:${CONTAINER_RUNTIME_DIR}/secrets.env:ro"`);
  args.push(`-v "$R$STATE_DIR/ssh-host-keys:${CONTAINER_RUNTIME_DIR}/host-keys:ro"`);
  const networkMounts = spec.volumes.filter((mount) => !isInstanceMount(mount));
  if (networkMounts.length !== input.volumes.length) {
    throw new BootstrapError(`the configuration has ${networkMounts.length} network volumes, ${input.volumes.length} are attached`);
  }
  for (const volume of input.volumes) args.push(hostMount(`/mnt/dstack-volumes/${volume.name}`, volume.path));
  args.push(
    `-v "$R$STATE_DIR/container:/dstack-pulumi:ro"`,
    `-v "$R/var/log/dstack-pulumi:/var/log/dstack-pulumi"`,
    `-v "$R$STATE_DIR/workflow:${PROJECT_DIR}"`,
    `-w ${shellQuote(workingDir(spec))}`,
  );
  const instanceMounts = spec.volumes.filter(isInstanceMount).map((mount) => ({ hostPath: mount.instance_path, path: mount.path, optional: mount.optional }));
  return { image: containerImage(spec), args, instanceMounts };
}
