/**
 * Whether an AWS environment launches its VM through an EC2 Fleet (aws/fleet.ts) or as one
 * instance. A fleet is opt-in: a stack that has an `aws:ec2/instance:Instance` must never find it
 * replaced by a fleet because of an upgrade or an edit, as the replacement takes the root disk.
 * So the choice is made once, at the first deployment, and kept with the environment's identity:
 * - `awsLaunch` (the arg) decides when given, a change of it replaces the VM (the user asked);
 * - else a first deployment whose configuration has `retry` on `no-capacity` records `fleet`;
 * - else (no retry at the first deployment, or a stack deployed by a version without fleets) the
 *   VM is an instance, and stays one when `retry` is added later: a warning says so and how to
 *   switch. `dstack-pulumi up` retries either way.
 * A capacity reservation is capacity already held: its VM is an instance.
 *
 * A GCP TPU slice likewise: `tpuLaunch` `queued` requests it through Cloud TPU's queue (a queued
 * resource, gcp/tpu-queued.ts, waiting up to `retry.duration` for capacity), `vm` asks for a TPU
 * VM once; unset, a first deployment with `retry` and without a reservation records `queued`, and
 * a stack keeps its launch, with a warning when `retry` asks for more than a TPU VM gives
 * (programs in other languages get the `dstack` plugin's own queued TPU resource).
 */
import type { DevEnvironmentSpec } from "../config/schema";
import { capacityRetry, DEFAULT_RETRY_SECONDS, formatSeconds } from "../offers/capacity-retry";
import type { Offer } from "../offers/offer";
import type { AwsLaunch, TpuLaunch } from "./args";
import type { FirstDeployment } from "./identity";

/** How a TPU slice may be launched where the environment is declared. */
export interface TpuLaunchSetting {
  explicit?: TpuLaunch;
  reservation?: string;
}

/** What a first deployment of `spec` records (today's choice; a stack that exists keeps its own). */
export function firstDeployment(spec: Pick<DevEnvironmentSpec, "retry" | "retry_policy">, explicit: AwsLaunch | undefined, tpu: TpuLaunchSetting = {}): FirstDeployment {
  const retry = capacityRetry(spec) !== null;
  const fleet = explicit === undefined ? retry : explicit === "fleet";
  const queued = tpu.explicit === undefined ? retry && tpu.reservation === undefined : tpu.explicit === "queued";
  return { ...(fleet ? { awsLaunch: "fleet" as const } : {}), ...(queued ? { tpuLaunch: "queued" as const } : {}) };
}

/** How the VM is launched, and a warning when `retry` asks for more than the kept launch gives. */
/**
 * What `retry` does for an environment whose offer is on `backend` without a fleet: a note that
 * `pulumi up` asks once and `dstack-pulumi up` keeps trying; null without retry or with a fleet.
 */
export function retryNote(spec: Pick<DevEnvironmentSpec, "retry" | "retry_policy">, backend: string, fleet: boolean): string | null {
  const retry = capacityRetry(spec);
  if (retry === null || (backend === "aws" && fleet)) return null;
  return `${retry.field}: pulumi up asks ${backend === "aws" ? "EC2" : "GCP"} for this VM once; dstack-pulumi up tries the next offers (the zones the error names first) for up to ${formatSeconds(retry.durationSeconds)}`;
}

export function awsLaunchOf(
  name: string,
  spec: Pick<DevEnvironmentSpec, "retry" | "retry_policy">,
  recorded: FirstDeployment,
  explicit: AwsLaunch | undefined,
  reservation: string | undefined,
): { fleet: boolean; warning: string | null } {
  if (explicit !== undefined && explicit !== "fleet" && explicit !== "instance") {
    throw new Error(`${name}: awsLaunch ${JSON.stringify(explicit)} is not a launch: give "fleet" or "instance"`);
  }
  if (reservation !== undefined) return { fleet: false, warning: null };
  if (explicit !== undefined) return { fleet: explicit === "fleet", warning: null };
  if (recorded.awsLaunch === "fleet") return { fleet: true, warning: null };
  const retry = capacityRetry(spec);
  if (retry === null) return { fleet: false, warning: null };
  return {
    fleet: false,
    warning:
      `${retry.field}: this stack's VM is one EC2 instance (deployed without retry, or by an earlier version) and stays one, as an EC2 Fleet would replace it; ` +
      `dstack-pulumi up still tries the next offers. awsLaunch: "fleet" launches through a fleet (the VM is replaced once)`,
  };
}

/** How a TPU slice is launched: `queue` (its wait) when queued, and a warning when `retry` asks for more than the kept launch gives. */
export function tpuLaunchOf(
  name: string,
  spec: Pick<DevEnvironmentSpec, "retry" | "retry_policy">,
  recorded: FirstDeployment,
  setting: TpuLaunchSetting,
): { queue: { validUntilSeconds: number } | null; warning: string | null } {
  const { explicit, reservation } = setting;
  if (explicit !== undefined && explicit !== "vm" && explicit !== "queued") {
    throw new Error(`${name}: tpuLaunch ${JSON.stringify(explicit)} is not a launch: give "queued" or "vm"`);
  }
  const retry = capacityRetry(spec);
  const queue = { validUntilSeconds: retry?.durationSeconds ?? DEFAULT_RETRY_SECONDS };
  if (explicit !== undefined) return { queue: explicit === "queued" ? queue : null, warning: null };
  if (reservation !== undefined) return { queue: null, warning: null };
  if (recorded.tpuLaunch === "queued") return { queue, warning: null };
  if (retry === null) return { queue: null, warning: null };
  return {
    queue: null,
    warning:
      `${retry.field}: this stack's TPU slice is a TPU VM asked for once (deployed without retry, or by an earlier version) and stays one, as a queued resource would replace it; ` +
      `dstack-pulumi up still tries the next offers. tpuLaunch: "queued" waits in Cloud TPU's queue instead (the TPU VM is replaced once)`,
  };
}

/** What `retry` does for a TPU slice requested through Cloud TPU's queue; null without retry. */
export function queuedTpuNote(spec: Pick<DevEnvironmentSpec, "retry" | "retry_policy">, validUntilSeconds: number): string | null {
  const retry = capacityRetry(spec);
  if (retry === null) return null;
  return `${retry.field}: the TPU slice waits in Cloud TPU's queue (a queued resource) for up to ${formatSeconds(validUntilSeconds)}, and pulumi up waits with it; a request that runs out of time fails as no capacity`;
}

/** The note on the launch of the chosen offer: the kept launch's warning, else what `retry` does with it. */
export function launchNote(
  spec: Pick<DevEnvironmentSpec, "retry" | "retry_policy">,
  offer: Pick<Offer, "backend" | "tpu">,
  aws: { fleet: boolean; warning: string | null },
  tpu: { queue: { validUntilSeconds: number } | null; warning: string | null },
): string | null {
  if (offer.backend === "aws") return aws.warning ?? retryNote(spec, "aws", aws.fleet);
  if (offer.tpu && tpu.queue !== null) return queuedTpuNote(spec, tpu.queue.validUntilSeconds);
  if (offer.tpu && tpu.warning !== null) return tpu.warning;
  return retryNote(spec, offer.backend, false);
}
