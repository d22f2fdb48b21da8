/**
 * What the component tells the user about the VM's power: when it powers itself off, what to do
 * when it is found stopped or gone, and that its address changes with a stop and start unless it
 * is fixed. Texts only; the clouds' power resources are in aws/power.ts and gcp/instance.ts.
 */
import { describePowerOff, powerOffLimits } from "../bootstrap/power-off";
import type { CloudPlan } from "./cloud-plan";

/** What to run to start a VM that is stopped behind Pulumi's back. */
export const RESUME_HINT = "pulumi up --refresh starts it again (options: {refresh: always} in Pulumi.yaml makes every pulumi up do so)";

/** The warning for a VM found `status` (stopped, terminated, ...) while it should run. */
export function stoppedVmWarning(plan: Pick<CloudPlan, "spec" | "offer">, status: string): string {
  const normalized = status.toLowerCase();
  if (normalized === "terminated" && plan.offer.backend === "aws") {
    return `the VM is gone (terminated${plan.offer.spot ? ": a spot interruption" : ""}); pulumi up --refresh sees it gone and launches a new one (the volumes keep their data; the root disk is new)`;
  }
  const when = describePowerOff(powerOffLimits(plan.spec));
  const why = when === null ? "" : ` (it powers itself off ${when})`;
  return `the VM is ${normalized}${why}: ${RESUME_HINT}`;
}

/** The preview's warning when an update replaces the VM. */
export const REPLACE_WARNING =
  "this update replaces the VM (pulumi preview --diff shows the input that forces it): its root disk is lost, with the container and what was installed in it, " +
  "and /workflow unless it is on a volume; network volumes keep their data. See the README's table of edits for the changes that do not replace it.";

/** The note on addresses: null when the address is fixed. */
export function addressNote(plan: Pick<CloudPlan, "elasticIp" | "offer">): string | null {
  if (plan.elasticIp === true && !plan.offer.tpu) return null;
  const fix = plan.offer.tpu ? "a TPU VM cannot take a fixed address" : "give elasticIp: true for a fixed address";
  return `the public IP changes when the VM stops and starts (${fix}); publicIp and sshConfig follow on the next pulumi up --refresh`;
}
