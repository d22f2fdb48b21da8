/**
 * The arguments of `DevEnvironment`. Args that decide which resources exist or how they are named
 * (the configuration, volumes, pins) are plain values; secrets may be `Input`s.
 *
 * This interface is also the component's multi-language schema (provider/): the provider's
 * analyzer reads it, so every type here is one a Pulumi schema can express (no unions: enums are
 * `as const` objects, nested objects are named interfaces, maps are index signatures). TypeScript-
 * only options (functions) live in `DevEnvironmentOptions`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { GcpPlacement, Transform } from "./cloud-plan";

/** The clouds a dev environment can run on. */
export const CloudBackend = {
  /** Amazon Web Services (EC2). */
  Aws: "aws",
  /** Google Cloud (Compute Engine, Cloud TPU). */
  Gcp: "gcp",
} as const;
export type CloudBackend = (typeof CloudBackend)[keyof typeof CloudBackend];

/** Which kind of price an offer may have (dstack's `spot_policy`). */
export const SpotPolicy = {
  /** Spot (preemptible) instances only. */
  Spot: "spot",
  /** On-demand instances only. */
  OnDemand: "on-demand",
  /** Both kinds, cheapest first. */
  Auto: "auto",
} as const;
export type SpotPolicy = (typeof SpotPolicy)[keyof typeof SpotPolicy];

/** How an AWS VM is launched (see `DevEnvironmentArgs.awsLaunch`). */
export const AwsLaunch = {
  /** One EC2 instance of the chosen offer. */
  Instance: "instance",
  /** An EC2 Fleet of type instant over the ranked offers of the region: the first with capacity launches. */
  Fleet: "fleet",
} as const;
export type AwsLaunch = (typeof AwsLaunch)[keyof typeof AwsLaunch];

/** How a GCP TPU slice is requested (see `DevEnvironmentArgs.tpuLaunch`). */
export const TpuLaunch = {
  /** A TPU VM asked for once (`tpu.V2Vm`): no capacity in the zone fails the update at once. */
  Vm: "vm",
  /** A Cloud TPU queued resource: the request waits in Cloud TPU's queue until capacity frees up (at most `retry.duration`). */
  Queued: "queued",
} as const;
export type TpuLaunch = (typeof TpuLaunch)[keyof typeof TpuLaunch];

/** AWS network placement of a dev environment. */
export interface AwsPlacement {
  /**
   * The VPC. Without a subnet, its first subnet (by id) in the chosen zone is used.
   * @default the region's default VPC
   * @example "vpc-0123456789abcdef0"
   */
  vpcId?: string;
  /**
   * The subnet: fixes the VPC and the zone.
   * @default the default subnet of the chosen zone
   * @example "subnet-0123456789abcdef0"
   */
  subnetId?: string;
}

/**
 * A network volume declared elsewhere (by a `Volume` component, or any existing one by id), for a
 * name the configuration's `volumes` mount. The VM goes to its zone; it is attached, never
 * changed or deleted by the dev environment.
 */
export interface VolumeReference {
  /**
   * The name the configuration's `volumes` use for it.
   * @example "hf-cache"
   */
  name: string;
  /**
   * AWS: the EBS volume id. GCP: the disk's id (`projects/<project>/zones/<zone>/disks/<name>`).
   * @example "vol-0123456789abcdef0"
   */
  volumeId: pulumi.Input<string>;
  /**
   * The volume's zone: the offer is chosen in its region and the VM goes to this zone.
   * @example "us-east-1a"
   */
  zone: pulumi.Input<string>;
  /**
   * Let the boot put a file system (ext4) on the volume when it is blank: for a volume your program
   * has just created (`Volume.reference` sets it for the volumes a `Volume` creates). Otherwise a
   * blank volume stops the boot, and nothing starts: a volume registered by id is never formatted.
   * @default false
   * @example true
   */
  formatIfBlank?: boolean;
}

/** A git repository the boot clones into /workflow (as dstack puts the run's repository there). */
export interface RepoSource {
  /**
   * The repository's URL: https, http or git://; `git@host:org/repo.git` and `ssh://` addresses are
   * cloned over https (the VM has no SSH key). No credentials in it: give `token`.
   * @example "https://github.com/acme/research.git"
   */
  url: string;
  /**
   * The branch to check out.
   * @default the remote's default branch
   * @example "main"
   */
  branch?: string;
  /**
   * The commit to check out (the branch is set to it).
   * @default the branch's head
   * @example "4b9c2e1f0a7d3b5c6e8f9a0b1c2d3e4f5a6b7c8d"
   */
  hash?: string;
  /**
   * A token for a private https repository, kept as a secret in the cloud's secret store and given
   * to git at boot from memory: never in the boot script, a URL, a command line, a log or `.git/config`.
   * @default none: a public repository
   * @example "ghp_0123456789abcdefghijklmnopqrstuvwxyz"
   * @secret
   */
  token?: pulumi.Input<string>;
}

export interface DevEnvironmentArgs {
  /**
   * Path of the `.dstack.yml` to deploy. Exactly one of `configPath` and `config` is given.
   * @default none: give this or `config`
   * @example "examples/gpu/.dstack.yml"
   */
  configPath?: string;
  /**
   * The configuration itself: YAML text, or an object (a map) as the YAML would give; anything
   * else is refused. Exactly one of `config` and `configPath` is given. A secret in every
   * language (it may hold `registry_auth.password` or env values), so state stores it encrypted.
   * @default none: give this or `configPath`
   * @example "type: dev-environment\nide: vscode\nresources:\n  gpu: L4\n"
   * @secret
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- text or object in every language: a schema has no unions
  config?: any;
  /**
   * Your SSH public key (one line). The VM's `ubuntu` user and the container's sshd accept only it.
   * It may be another resource's output (a generated key pair's public key).
   * @example "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI... you@laptop"
   */
  sshPublicKey: pulumi.Input<string>;
  /**
   * Networks allowed to reach SSH (port 22 of the VM); each may be another resource's output.
   * @default ["0.0.0.0/0"] (with a warning)
   * @example ["203.0.113.4/32"]
   */
  allowedCidrs?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Values of env variables, kept as secrets (in SSM Parameter Store or Secret Manager, read by
   * the VM at boot). A variable the configuration names without a value that is not given here is
   * taken from the environment of the process that runs Pulumi. Give the values from the stack's
   * secret configuration; they are secrets in state whatever the language.
   * @default {}
   * @example { "HF_TOKEN": "hf_0123456789abcdef" }
   * @secret
   */
  env?: { [name: string]: pulumi.Input<string> };
  /**
   * The registry password (a secret in state whatever the language).
   * @default `registry_auth.password` of the configuration (a `${{ env.NAME }}` reference is looked up like env)
   * @example "ghp_0123456789abcdefghijklmnopqrstuvwxyz"
   * @secret
   */
  registryPassword?: pulumi.Input<string>;
  /**
   * Override the configuration's `backends` (`aws`, `gcp`).
   * @default the configuration's, else both
   * @example ["gcp"]
   */
  backends?: string[];
  /**
   * Override the configuration's `regions`.
   * @default the configuration's, else every standard region
   * @example ["us-east-1", "us-west-2"]
   */
  regions?: string[];
  /**
   * Override `spot_policy`.
   * @default the configuration's, else "on-demand"
   * @example "auto"
   */
  spotPolicy?: SpotPolicy;
  /**
   * Override `max_price` (USD per hour).
   * @default the configuration's, else no limit
   * @example 1.5
   */
  maxPrice?: number;
  /**
   * Pin the backend.
   * @default none: the cheapest offer's
   * @example "gcp"
   */
  backend?: CloudBackend;
  /**
   * Pin the region.
   * @default none: the cheapest offer's
   * @example "us-central1"
   */
  region?: string;
  /**
   * Pin the zone.
   * @default none: a volume's zone, else the lock's, else the first zone that offers the instance type
   * @example "us-central1-a"
   */
  zone?: string;
  /**
   * Pin the instance type (for a TPU, the slice).
   * @default none: the cheapest offer's
   * @example "g5.xlarge"
   */
  instanceType?: string;
  /**
   * The lock file of the chosen offer (see `dstack-pulumi lock`).
   * @default `<configPath without .yml>.lock.json` when `configPath` is given
   * @example "examples/gpu/.dstack.lock.json"
   */
  lockFile?: string;
  /**
   * The lock itself: the text of a lock file (from `dstack-pulumi lock`), for programs that pass
   * files as content (YAML's `fn::readFile`). At most one of `lockFile` and `lockContent` is given.
   * @default none: the lock file (`lockFile`, or the one next to `configPath`)
   * @example "{\"format\": 1, \"offer\": {\"backend\": \"aws\", \"region\": \"us-east-1\", \"instance_type\": \"g5.xlarge\", ...}, ...}"
   */
  lockContent?: string;
  /**
   * A catalog file from `dstack-pulumi catalog update`.
   * @default the bundled catalog
   * @example "catalog.json"
   */
  catalogPath?: string;
  /**
   * Size (GB) of each network volume this component creates, by volume name.
   * @default 100 for each
   * @example { "hf-cache": 500 }
   * @integer
   */
  volumeSizes?: { [volume: string]: number };
  /**
   * Network volumes declared elsewhere, by the name the configuration mounts them as: attached
   * as they are (no lookup by name, nothing created). Use it for a `Volume` of the same program
   * (its `volumeId` and `zone` outputs).
   * @default []
   * @example [{ "name": "hf-cache", "volumeId": "vol-0123456789abcdef0", "zone": "us-east-1a" }]
   */
  volumes?: VolumeReference[];
  /**
   * Delete the volumes this component created when the environment (or the volume) is removed:
   * `pulumi destroy`, or a volume taken out of the configuration. No other change ever deletes or
   * replaces one. Volumes of other components and referenced ones are never deleted.
   * @default false
   * @example true
   */
  deleteVolumesOnDestroy?: boolean;
  /**
   * The scope of the network volumes: the volumes this component creates are marked with it, and a
   * volume is found by name only among volumes of the same scope (a volume of another scope is
   * never attached because of its name). A team that shares volumes across stacks names a common scope.
   * @default "<Pulumi project>/<stack>"
   * @example "ml-team"
   */
  volumeScope?: string;
  /**
   * Extra tags (AWS) or labels (GCP); inputs that must be known when the program runs.
   * @default {}
   * @example { "team": "ml" }
   */
  tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
  /**
   * AWS: an AMI id (or `resolve:ssm:<parameter>`) to boot instead of the Ubuntu / Deep Learning AMI.
   * @default Deep Learning Base OSS Nvidia Driver AMI (Ubuntu 22.04) for GPUs, Ubuntu 24.04 otherwise
   * @example "ami-0123456789abcdef0"
   */
  ami?: string;
  /**
   * A fixed public address that survives a stop and start: an Elastic IP on AWS, a static external
   * address on GCP (TPU VMs cannot take one). Without it the address changes when the VM stops and
   * starts (`running`, or its idle power-off); `publicIp` and `sshConfig` then follow on the next
   * `pulumi up --refresh`.
   * @default false
   * @example true
   */
  elasticIp?: boolean;
  /**
   * Keep the VM running (`true`) or stopped (`false`): a stopped VM keeps its root disk, volumes,
   * and address if fixed, and costs only their storage (`dstack-pulumi plan` shows how much). After
   * the VM powered itself off (`inactivity_duration`, `max_duration`), `pulumi up --refresh` (or
   * `options: {refresh: always}` in Pulumi.yaml) starts it again. TPU VMs cannot be stopped.
   * @default true
   * @example false
   */
  running?: boolean;
  /**
   * AWS: network placement. A subnet fixes the VPC and the zone; a VPC alone takes its first
   * subnet (by id) in the chosen zone.
   * @default the default VPC and its default subnet of the zone
   * @example { "subnetId": "subnet-0123456789abcdef0" }
   */
  aws?: AwsPlacement;
  /**
   * AWS: how the VM is launched. `fleet`: one EC2 Fleet request (type instant) over the offers of
   * the region that can take the chosen one's place (same image, market and volumes' zone), in
   * offer order; EC2 launches the first with capacity. `instance`: one EC2 instance of the chosen
   * offer. Unset: a new stack whose configuration has `retry` (on `no-capacity`) uses a fleet, any
   * other stack an instance, and a stack keeps what it was first deployed with (a change of
   * launch replaces the VM: only this arg makes one).
   * @default "fleet" for a new stack with retry, else "instance"; then what the stack has
   * @example "fleet"
   */
  awsLaunch?: AwsLaunch;
  /**
   * GCP TPU slices: how the TPU VM is requested. `queued`: a Cloud TPU queued resource, which waits
   * in Cloud TPU's queue until the slice is free in the zone (spot or on demand as the offer is;
   * the guaranteed tier of `reservation`), for at most `retry.duration` (dstack's default hour
   * without it); `pulumi up` waits with it, and a request that runs out of time fails as "no
   * capacity". It calls the Cloud TPU API itself, with `GOOGLE_OAUTH_ACCESS_TOKEN` or your gcloud
   * login, in every language (other languages: as the `dstack` plugin's own resource
   * `dstack:index:TpuQueuedResource`). `vm`: a TPU VM asked for once. Unset: a new stack
   * whose configuration has `retry` (on `no-capacity`) and no `reservation` queues, any other a
   * TPU VM, and a stack keeps what it was first deployed with (a change of launch replaces the TPU
   * VM: only this arg makes one).
   * @default "queued" for a new stack with retry, else "vm"; then what the stack has
   * @example "queued"
   */
  tpuLaunch?: TpuLaunch;
  /**
   * GCP: project and network placement.
   * @default the provider's project, network "default"
   * @example { "project": "my-project", "network": "ml-vpc" }
   */
  gcp?: GcpPlacement;
  /**
   * The repository the boot clones into /workflow on the first boot (never touched again once
   * there): dstack puts the run's repository there before `init`.
   * @default the configuration's `repos` entry, else the git repository holding `configPath`: its origin, current branch and commit (with a warning for uncommitted or unpushed work, which stays behind)
   * @example { "url": "https://github.com/acme/research.git", "branch": "main" }
   */
  repo?: RepoSource;
  /**
   * Start /workflow empty: no repository, as `dstack apply --no-repo`.
   * @default false
   * @example true
   */
  noRepo?: boolean;
  /**
   * The run name: the container's name, DSTACK_RUN_NAME, the SSH host alias.
   * @default the configuration's `name`, else the component's name (lower-cased, hyphens)
   * @example "gpu-box"
   */
  runName?: string;
}

/**
 * The resource options of `DevEnvironment`, with what only TypeScript programs can pass
 * (functions), kept out of the args so that the args stay a multi-language schema.
 */
export interface DevEnvironmentOptions extends pulumi.ComponentResourceOptions {
  /**
   * Edit the args of a child before it is declared, by kind (`securityGroup`, `instance`, `volume`,
   * `launchTemplate`, `role`, `firewall`, `disk`, `tpu`, ...): a partial to merge or a function.
   * @default {}
   * @example { instance: { tags: { team: "ml" } } }
   */
  childTransforms?: { [kind: string]: Transform<Record<string, unknown>> };
  /**
   * Set by the multi-language provider (provider/host.ts) to its own version: a queued TPU is then
   * the plugin's resource `dstack:index:TpuQueuedResource` of that version, whose create, read,
   * update and delete the plugin serves, rather than a Node.js dynamic resource (which Pulumi cannot
   * run for programs in other languages, pulumi/pulumi#5455).
   * @internal
   * @default undefined
   * @example "0.1.0"
   */
  queuedTpuPluginVersion?: string;
}
