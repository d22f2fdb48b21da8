/**
 * The arguments of `DevEnvironment`. Args that decide which resources exist or how they are named
 * (the configuration, volumes, pins) are plain values; secrets may be `Input`s.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SpotPolicy } from "../config/run-fields";
import type { Transform } from "./cloud-plan";

export interface DevEnvironmentArgs {
  /**
   * Path of the `.dstack.yml` to deploy. Exactly one of `configPath` and `config` is given.
   * @example "examples/gpu/.dstack.yml"
   */
  configPath?: string;
  /**
   * The configuration itself: YAML text, or an object as the YAML would give.
   * @example "type: dev-environment\nide: vscode\nresources:\n  gpu: L4\n"
   */
  config?: string | Record<string, unknown>;
  /**
   * Your SSH public key (one line). The VM's `ubuntu` user and the container's sshd accept only it.
   * @example fs.readFileSync(os.homedir() + "/.ssh/id_ed25519.pub", "utf8")
   */
  sshPublicKey: string;
  /**
   * Networks allowed to reach SSH (port 22 of the VM).
   * @default ["0.0.0.0/0"] (with a warning)
   * @example ["203.0.113.4/32"]
   */
  allowedCidrs?: string[];
  /**
   * Values of env variables, kept as secrets (in SSM Parameter Store or Secret Manager, read by
   * the VM at boot). A variable the configuration names without a value that is not given here is
   * taken from the environment of the process that runs Pulumi.
   * @default {}
   * @example { HF_TOKEN: config.requireSecret("hfToken") }
   */
  env?: Record<string, pulumi.Input<string>>;
  /**
   * The registry password, as a secret.
   * @default `registry_auth.password` of the configuration (a `${{ env.NAME }}` reference is looked up like env)
   */
  registryPassword?: pulumi.Input<string>;
  /**
   * Override the configuration's `backends` (`aws`, `gcp`).
   * @default the configuration's, else both
   */
  backends?: string[];
  /**
   * Override the configuration's `regions`.
   * @default the configuration's, else every standard region
   */
  regions?: string[];
  /** Override `spot_policy`. @default the configuration's, else "on-demand" */
  spotPolicy?: SpotPolicy;
  /** Override `max_price` (USD per hour). @default the configuration's */
  maxPrice?: number;
  /** Pin the backend. @example "gcp" */
  backend?: string;
  /** Pin the region. @example "us-central1" */
  region?: string;
  /** Pin the zone. @example "us-central1-a" */
  zone?: string;
  /** Pin the instance type. @example "g5.xlarge" */
  instanceType?: string;
  /**
   * The lock file of the chosen offer (see `dstack-pulumi lock`).
   * @default `<configPath without .yml>.lock.json` when `configPath` is given
   */
  lockFile?: string;
  /**
   * A catalog file from `dstack-pulumi catalog update`.
   * @default the bundled catalog
   */
  catalogPath?: string;
  /**
   * Size (GB) of each network volume this component creates, by volume name.
   * @default 100 for each
   * @example { "hf-cache": 500 }
   */
  volumeSizes?: Record<string, number>;
  /**
   * Delete the volumes this component created on `pulumi destroy`. Adopted volumes are never deleted.
   * @default false
   */
  deleteVolumesOnDestroy?: boolean;
  /** Extra tags (AWS) or labels (GCP). @default {} */
  tags?: Record<string, string>;
  /** AWS: an AMI id to boot instead of the Ubuntu / Deep Learning AMI. @example "ami-0123456789abcdef0" */
  ami?: string;
  /** AWS: attach an Elastic IP. @default false */
  elasticIp?: boolean;
  /**
   * AWS: network placement. A subnet fixes the VPC and the zone; a VPC alone takes its first
   * subnet (by id) in the chosen zone.
   * @default the default VPC and its default subnet of the zone
   * @example { subnetId: "subnet-0123456789abcdef0" }
   */
  aws?: { vpcId?: string; subnetId?: string };
  /** GCP: project and network placement. @default the provider's project, network "default" */
  gcp?: { project?: string; network?: string; subnetwork?: string };
  /**
   * Edit the args of a child before it is declared, by kind (`securityGroup`, `instance`, `volume`,
   * `launchTemplate`, `role`, `firewall`, `disk`, `tpu`, ...): a partial to merge or a function.
   * @example { instance: { tags: { team: "ml" } } }
   */
  transforms?: Record<string, Transform<Record<string, unknown>>>;
  /**
   * The run name: the container's name, DSTACK_RUN_NAME, the SSH host alias.
   * @default the configuration's `name`, else the component's name (lower-cased, hyphens)
   */
  runName?: string;
}
