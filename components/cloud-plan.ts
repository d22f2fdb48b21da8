/**
 * What the `DevEnvironment` component hands to a cloud's builder (`aws/`, `gcp/`): every decision
 * already made (offer, zone pin, names, secrets, volumes), so that a builder only declares
 * resources. Builders run inside the component's async `initialize`, so they may await invokes
 * (zone lookups, existing volumes) before declaring resources; no resource is created in `apply`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { BootRepo, SecretRef } from "../bootstrap/types";
import type { DevEnvironmentSpec } from "../config/schema";
import type { Offer } from "../offers/offer";
import type { Identity } from "./identity";
import type { ZoneToKeep } from "./kept-placement";
import type { VolumeHome } from "./volume-home";

/**
 * A child transform: a partial to merge into the child's args, or a function that gets the args,
 * the child's name and its resource options, and edits them in place or returns new ones
 * (`{ args, opts }`), as SST's transforms do: `ignoreChanges`, `protect`, `customTimeouts`, ...
 */
export type Transform<T> =
  | Partial<T>
  | ((args: T, name: string, opts: pulumi.CustomResourceOptions) => void | { args?: T; opts?: pulumi.CustomResourceOptions });

/** Options every child takes from the component's own (`protect`, `retainOnDelete`). */
export interface ChildDefaults {
  protect?: boolean;
  retainOnDelete?: boolean;
}

/**
 * A child's args and options after the component's defaults and the user's transform (plain
 * merging; works under mocks, unlike engine transforms). `parent` and `provider` stay the
 * component's whatever the transform does.
 */
export function applyTransform<T extends object>(
  args: T,
  name: string,
  opts: pulumi.CustomResourceOptions,
  transform: Transform<T> | undefined,
  defaults: ChildDefaults = {},
): [T, pulumi.CustomResourceOptions] {
  let options: pulumi.CustomResourceOptions = { ...opts };
  if (defaults.protect === true) options.protect = true;
  if (defaults.retainOnDelete === true) options.retainOnDelete = true;
  let result = args;
  if (typeof transform === "function") {
    const returned = transform(result, name, options);
    if (returned?.args !== undefined) result = returned.args;
    if (returned?.opts !== undefined) options = returned.opts;
  } else if (transform !== undefined) {
    result = { ...result, ...transform };
  }
  return [result, { ...options, parent: opts.parent, provider: opts.provider }];
}

/** A network volume of `volumes`: the first of its names that exists in the volume scope is used, else one is created with `name`. */
export interface VolumePlan {
  /** The names as written (`name: [a, b]` takes the first that exists). */
  candidates: string[];
  /** The name a created volume gets: the first candidate. */
  name: string;
  /** Where the container sees it. */
  path: string;
  /** Size of a created volume, GB. */
  sizeGb: number;
  /** True when `volumeSizes` names the volume (a smaller size than the volume's is then an error, not ignored). */
  sizeExplicit: boolean;
  /**
   * Set when the volume is declared elsewhere (a `Volume`, or by id): attach it, look nothing up.
   * `formatIfBlank`: the boot may put a file system on it when it is blank (a volume created by
   * the program's `Volume`); else a blank one stops the boot.
   */
  reference?: { name: string; volumeId: pulumi.Input<string>; zone: pulumi.Input<string>; formatIfBlank: boolean };
}

/** A secret the VM reads at boot: an env variable's value or the registry password. */
export interface SecretValue {
  /** The env variable (`HF_TOKEN`), or `registry-password`. */
  key: string;
  /** A Pulumi secret. */
  value: pulumi.Output<string>;
}

export interface CloudPlan {
  /** The component's name: every child name starts with it (`<name>-vm`). */
  name: string;
  /** Who the environment is on the cloud (project, stack, first name): every physical name derives from it. */
  identity: Identity;
  /** The scope of its volumes: a volume of another scope is never found by name. */
  volumeScope: string;
  /** Lower-case run name (DSTACK_RUN_NAME, container name, tags/labels). */
  runName: string;
  spec: DevEnvironmentSpec;
  offer: Offer;
  /** A zone fixed by the lock, an arg or the offer; else the builder picks one where the type is offered. */
  zone: string | undefined;
  /**
   * The zone an earlier deployment chose in this region (kept-placement.ts): the builder takes it
   * instead of the first offered zone when nothing pins another, for the same instance type
   * whatever the offerings say, for a new type while the zone offers it.
   */
  keptZone?: ZoneToKeep;
  /** The user's key, trimmed and checked to be one line ("" while `sshPublicKeyPending`). */
  sshPublicKey: string;
  /** In a preview, a key given as an output not known yet (the boot script waits for it). */
  sshPublicKeyPending?: pulumi.Output<string>;
  /** The networks allowed to reach SSH, checked. */
  allowedCidrs: string[];
  /** In a preview, `allowedCidrs` given as outputs not known yet (`allowedCidrs` is then empty). */
  allowedCidrsPending?: pulumi.Output<string[]>;
  /** Env secrets (sorted by key) and, separately, the registry password. */
  secretEnv: SecretValue[];
  registryPassword: SecretValue | undefined;
  /** The code for /workflow (without its token); undefined: /workflow starts empty. */
  repo?: Omit<BootRepo, "token">;
  /** The repository's token, a secret kept like the others. */
  repoToken?: SecretValue;
  /** The capacity reservation to run in (`reservation`): an AWS `cr-...` id, a GCP reservation name. */
  reservation?: string;
  volumes: VolumePlan[];
  /** Delete volumes this component created on `pulumi destroy` (default: kept). */
  deleteVolumesOnDestroy: boolean;
  /** The VM's desired power state: running, or stopped with its disks kept. */
  running: boolean;
  /** Extra tags (AWS) / labels (GCP). */
  tags: Record<string, string>;
  parent: pulumi.Resource;
  /** An explicit provider for this cloud, passed to every child and invoke. */
  provider: pulumi.ProviderResource | undefined;
}

/**
 * A builder's first step: the invokes that decide where the VM goes (the volumes that exist, by
 * their marks, and the zone), with nothing declared yet; `declare` then declares every child.
 */
export interface Located {
  /** The zone the VM goes to. */
  zone: string;
  /** True when nothing but the offering chose the zone (no volume, pin, lock or subnet): a kept zone may replace it. */
  zoneFree: boolean;
  /** Where the environment's own volumes are (or will be created): the VM's zone. */
  home: VolumeHome;
  /** How many of the plan's own volumes (not referenced) exist already, found by their marks. */
  ownVolumesFound: number;
  /** Declares the children; throws what the lookups found wrong (a foreign volume of the same name, ...). */
  declare(): Promise<CloudResult>;
}

/** A cloud's builder. */
export interface CloudBuilder {
  locate(plan: CloudPlan): Promise<Located>;
  /** How many of the plan's own volumes exist in the offer's region (and zone), by their marks: lookups only. */
  countOwnVolumes(plan: CloudPlan): Promise<number>;
}

/** The bootstrap's `repo`, with the token's place in the secret store: `{ repo }`, or `{}` without a repository. */
export function bootRepo(plan: CloudPlan, token: SecretRef | undefined): { repo?: BootRepo } {
  if (!plan.repo) return {};
  return { repo: { ...plan.repo, ...(token ? { token } : {}) } };
}

/** What a builder gives back. */
export interface CloudResult {
  instanceId: pulumi.Output<string>;
  publicIp: pulumi.Output<string>;
  zone: pulumi.Output<string>;
  /** The SSH user of the VM (`ubuntu`). */
  sshUser: string;
  /** What the cloud says about the VM now (stopped, gone), known once the VM is. */
  liveWarnings: pulumi.Output<string[]>;
}

// ---------------------------------------------------------------------------------------------
// GCP additions (components/gcp). Declared as a second `CloudPlan` that TypeScript merges into the
// one above, so this block stays separate from other clouds' fields.
// ---------------------------------------------------------------------------------------------

/** GCP project and network placement of a dev environment; every field is optional. */
export interface GcpPlacement {
  /**
   * The project to create everything in.
   * @default the provider's project
   * @example "my-project"
   */
  project?: string;
  /**
   * The VPC network (name or self link).
   * @default "default"
   * @example "ml-vpc"
   */
  network?: string;
  /**
   * The subnetwork (name or self link).
   * @default GCP picks the network's subnet in the region
   * @example "ml-vpc-us-central1"
   */
  subnetwork?: string;
  /**
   * Let the project's SSH keys (project metadata `ssh-keys`) log in to the VM too. By default the VM
   * sets `block-project-ssh-keys`: only the environment's own key gets in.
   * @default false
   * @example true
   */
  allowProjectSshKeys?: boolean;
}

/**
 * Child-args transforms by child kind (GCP: `firewall`, `serviceAccount`, `secret`, `secretVersion`,
 * `secretAccess`, `disk`, `instance`, `tpu`: a `tpu.V2Vm`'s args, or a queued TPU's
 * `TpuQueuedResourceArgs`), each a `Transform` of that child's SDK args type.
 * Loosely typed so that this file imports no provider SDK; a builder narrows the entry it reads.
 */
export type ChildTransforms = { readonly [kind: string]: object | undefined };

export interface CloudPlan {
  /** GCP placement (project, network, subnetwork). */
  gcp?: GcpPlacement;
  /** Edits to the args and options of the children, applied before each child is declared. */
  transforms?: ChildTransforms;
  /** Options every child takes from the component's (`protect`, `retainOnDelete`). */
  childDefaults?: ChildDefaults;
  /**
   * GCP, a TPU offer: request the slice through Cloud TPU's queue (a queued resource that waits up
   * to `validUntilSeconds` for capacity; gcp/tpu-queued.ts). Undefined: a TPU VM asked for once.
   * `pluginVersion`: declared as the `dstack` plugin's own resource of that version (the component
   * runs inside the plugin), else as a Node.js dynamic resource (a TypeScript program).
   */
  tpuQueue?: { validUntilSeconds: number; pluginVersion?: string };
}

// ---------------------------------------------------------------------------------------------
// AWS additions (components/aws). AWS transform kinds (keys of `transforms`): `securityGroup`,
// `role`, `policy` (the role's inline policy), `instanceProfile`, `secret` (each SSM
// parameter), `launchTemplate`, `instance`, `instanceState`, `volume`, `volumeAttachment`, `eip`, `eipAssociation`;
// with a fleet, `fleet` and `bootParameter` (each SSM parameter of the boot script).
// ---------------------------------------------------------------------------------------------

export interface CloudPlan {
  /**
   * AWS: the image to boot instead of the default (Deep Learning Base OSS Nvidia Driver AMI on
   * Ubuntu 22.04 for GPU offers, Ubuntu 24.04 LTS otherwise): an AMI id or `resolve:ssm:<parameter>`.
   * Its root device must be `/dev/sda1` (as on Ubuntu images).
   */
  ami?: string;
  /** A fixed public address: an Elastic IP (AWS), a static external address (GCP VM). @default false */
  elasticIp?: boolean;
  /**
   * AWS: network placement. A subnet fixes the VPC and the zone; a VPC alone takes its first
   * subnet (by id) in the chosen zone. @default the default VPC and its default subnet of the zone
   */
  aws?: { vpcId?: string; subnetId?: string };
  /**
   * AWS: launch the VM through an EC2 Fleet of type `instant` over these offers (the plan's offer
   * first, then the offers that can take its place, in order; see aws/fleet.ts), so that EC2 takes
   * the first with capacity in one request. Undefined: one EC2 instance of the plan's offer.
   */
  fleetOffers?: Offer[];
}
