/**
 * The arguments of `Volume` (`dstack:index:Volume`): a standalone network volume, like dstack's
 * `type: volume` configuration. `zone`, `sizeGb` and `tags` are inputs (a config value, a stack
 * reference's output) that must be known when the program runs, since a dev environment that
 * mounts the volume is placed in its zone at preview; the other args name or find the volume and
 * are plain.
 *
 * This interface is also the component's multi-language schema (provider/): no unions (enums are
 * `as const` objects), maps are index signatures, and every field's JSDoc starts with its prose,
 * then `@default` and `@example`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CloudBackend } from "./args";

export interface VolumeArgs {
  /**
   * The cloud of the volume: `aws` (an EBS volume) or `gcp` (a persistent disk).
   * @example "aws"
   */
  backend: CloudBackend;
  /**
   * The region of the volume. A dev environment that mounts it runs in this region.
   * @example "us-east-1"
   */
  region: string;
  /**
   * The volume's name, as dstack configurations mount it (`volumes: - name: hf-cache`). On AWS the
   * `Name` and `dstack:volume` tags of the EBS volume, on GCP the `dstack_volume` label and the start
   * of the disk's name (`<volume>-<scope hash>`; lower-case letters, digits and `-`, starting with
   * a letter, up to 54 characters). A `DevEnvironment` of the same scope that mounts this name finds it.
   * @default the component's name, lower-cased, each run of other characters than letters and digits as `-`, at most 54 characters; on GCP with `volumeId`, the disk's name
   * @example "hf-cache"
   */
  volumeName?: string;
  /**
   * The zone of the volume, in `region`. A dev environment that mounts it runs in this zone. Once
   * created, the volume stays in its zone: a later zone (or region) that differs is an error.
   * @default the first zone of the region (sorted by name) that is available at the first deployment, then that zone
   * @example "us-east-1a"
   */
  zone?: pulumi.Input<string>;
  /**
   * The size in GB: a whole number, 1 to 16384 on AWS, 10 to 65536 on GCP. Ignored with `volumeId`
   * (the existing volume's size is reported).
   * @default 100
   * @example 500
   * @integer
   */
  sizeGb?: pulumi.Input<number>;
  /**
   * The volume type: an EBS volume type on AWS, a disk type on GCP.
   * @default "gp3" on AWS, "pd-balanced" on GCP
   * @example "gp3"
   */
  diskType?: string;
  /**
   * Register an existing volume instead of creating one (dstack's `volume_id`): on AWS an EBS
   * volume id, on GCP a disk name (looked up in `zone`, else in every zone of the region). It
   * is never changed or deleted; the outputs (zone, size) come from the lookup.
   * @default none: a volume is created
   * @example "vol-0123456789abcdef0"
   */
  volumeId?: string;
  /**
   * Delete the volume on `pulumi destroy`. By default the volume this component creates is kept
   * (it leaves the stack but stays in the cloud, with its data). An existing volume given by
   * `volumeId` is never deleted.
   * @default false
   * @example true
   */
  deleteOnDestroy?: boolean;
  /**
   * Extra tags (AWS) or labels (GCP: keys and values lower-cased, other characters than letters,
   * digits, `_` and `-` as `_`). They cannot replace the volume's own `Name` / `dstack:volume`
   * tags or `dstack_volume` label.
   * @default {}
   * @example { "team": "ml" }
   */
  tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
  /**
   * The scope the volume is marked with: a `DevEnvironment` of the same scope that mounts its name
   * finds it; one of another scope never does. A team that shares volumes across stacks names a common
   * scope (and gives the same `volumeScope` to its dev environments).
   * @default "<Pulumi project>/<stack>"
   * @example "ml-team"
   */
  volumeScope?: string;
  /**
   * GCP only: the project of the disk.
   * @default the provider's project
   * @example "my-project"
   */
  project?: string;
}
