/**
 * What the bootstrap is rendered from: the configuration, the chosen offer, and what the
 * component decided (run name, SSH key, where each volume shows up, where each secret is kept).
 */
import type { DevEnvironmentSpec } from "../config/schema";
import type { Offer } from "../offers/offer";

/** Where a secret lives; the VM reads it at boot with its own identity. */
export type SecretRef =
  | { store: "aws-ssm"; region: string; parameter: string }
  | { store: "gcp-secret-manager"; project: string; secret: string };

/** How the VM finds an attached network volume. */
export type VolumeDevice =
  /** AWS EBS: the NVMe serial is the volume id without the dash. */
  | { kind: "aws-ebs"; volumeId: string }
  /** GCP persistent disk: `/dev/disk/by-id/google-<deviceName>`. */
  | { kind: "gcp-pd"; deviceName: string };

export interface AttachedVolume {
  /** The volume's name (its host folder is `/mnt/dstack-volumes/<name>`). */
  name: string;
  /** Where the container sees it. */
  path: string;
  device: VolumeDevice;
  /**
   * True when this project created the volume, so a blank one gets ext4 (dstack too formats only
   * the volumes it created); false for a volume registered by id, which is never formatted: a
   * blank one stops the boot.
   */
  formatIfBlank: boolean;
}

export type BootstrapTarget = "aws-vm" | "gcp-vm" | "gcp-tpu-vm";

/**
 * The code the boot puts in /workflow (dstack puts the user's repository there before `init`):
 * cloned on the first boot, then never touched again.
 */
export interface BootRepo {
  /** An `https://`, `http://` or `git://` URL without credentials (the component turns `git@host:org/repo` into https). */
  url: string;
  /** The branch to check out; null: the remote's default branch. */
  branch: string | null;
  /** The commit to check out (the branch is reset to it); null: the branch's head. */
  hash: string | null;
  /** Clone the branch only (`single_branch`). */
  singleBranch: boolean;
  /**
   * Where the repository goes, relative to /workflow (`.` = /workflow itself; `repos[].path`), a
   * plain relative path without `..`.
   */
  path: string;
  /**
   * The token of a private repository, kept in the cloud's secret store: git gets it from a
   * root-only file in tmpfs through `GIT_ASKPASS`, never in a URL, an argument, a log or `.git/config`.
   */
  token?: SecretRef;
}

export interface BootstrapInput {
  target: BootstrapTarget;
  /** The run name: the container's name and `DSTACK_RUN_NAME`. */
  runName: string;
  /** `DSTACK_REPO_ID`. @default the run name */
  repoId?: string;
  spec: DevEnvironmentSpec;
  offer: Offer;
  /** The user's SSH public key (one line): the only key the container's sshd accepts. */
  sshPublicKey: string;
  /** The network volumes of `spec.volumes`, as attached to this VM, in the same order. */
  volumes: AttachedVolume[];
  /** Environment variables whose values are secrets, by name. */
  secretEnv: Record<string, SecretRef>;
  /** The registry password, when `registry_auth` is set. */
  registryPassword?: SecretRef;
  /** The code for /workflow; absent: /workflow starts empty (no repository, as `dstack apply --no-repo`). */
  repo?: BootRepo;
}

/** A bootstrap that cannot be rendered (a missing secret, a volume without a device, ...). */
export class BootstrapError extends Error {
  override readonly name = "BootstrapError";
}
