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
 */
import type { DevEnvironmentSpec } from "../config/schema";
import { capacityRetry, formatSeconds } from "../offers/capacity-retry";
import type { AwsLaunch } from "./args";
import type { FirstDeployment } from "./identity";

/** What a first deployment of `spec` records (today's choice; a stack that exists keeps its own). */
export function firstDeployment(spec: Pick<DevEnvironmentSpec, "retry" | "retry_policy">, explicit: AwsLaunch | undefined): FirstDeployment {
  const fleet = explicit === undefined ? capacityRetry(spec) !== null : explicit === "fleet";
  return fleet ? { awsLaunch: "fleet" } : {};
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
