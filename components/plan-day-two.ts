/**
 * `plan`'s day-two section: when the box powers itself off and how it comes back, what it costs
 * while stopped, whether its address survives a stop, and which edits replace it (losing its root
 * disk), stop and start it, or change it in place (components/day-two-edits.ts).
 */
import { describePowerOff, powerOffLimits } from "../bootstrap/power-off";
import type { DevEnvironmentSpec } from "../config/schema";
import type { Offer } from "../offers/offer";
import { columnOf, editsByEffect } from "./day-two-edits";
import type { PlanCost } from "./plan-cost";
import type { PlannedResource } from "./plan-run";
import { addressNote, RESUME_HINT } from "./power";

/** USD per month of a fixed public IPv4 address while the VM is stopped (AWS: $0.005/h; GCP: an unused static address, $0.01/h). */
export const STOPPED_ADDRESS_PER_MONTH = { aws: 3.65, gcp: 7.3 } as const;

export interface DayTwo {
  /** `after 6h of uptime (max_duration)`; null when it never powers itself off. */
  power_off: string | null;
  /** How a stopped box comes back. */
  resume: string;
  /** USD per month while stopped (disks, volumes, a fixed address); null when it cannot be stopped (TPU VM). */
  stopped_per_month: number | null;
  /** The address note (it changes at a stop and start); null when fixed. */
  address: string | null;
  /** The edits of the README's table by what they do to this VM. */
  edits: { replace: string[]; stop_start: string[]; in_place: string[]; nothing: string[] };
}

const round = (value: number) => Math.round(value * 100) / 100;

export function planDayTwo(spec: DevEnvironmentSpec, offer: Offer, cost: PlanCost, resources: readonly PlannedResource[]): DayTwo {
  const fleet = resources.some((resource) => resource.type === "aws:ec2/fleet:Fleet");
  const groups = editsByEffect(columnOf(offer, fleet));
  const fixed = resources.some((resource) => resource.type === "aws:ec2/eip:Eip" || resource.type === "gcp:compute/address:Address");
  const address = fixed ? STOPPED_ADDRESS_PER_MONTH[offer.backend] : 0;
  return {
    power_off: describePowerOff(powerOffLimits(spec)),
    resume: offer.tpu ? "a TPU VM cannot be stopped or started by Pulumi: gcloud compute tpus tpu-vm start starts it" : RESUME_HINT,
    stopped_per_month: offer.tpu ? null : round(cost.disks_per_month + address),
    address: addressNote({ elasticIp: fixed, offer }),
    edits: { replace: groups.replace, stop_start: groups["stop-start"], in_place: groups["in-place"], nothing: groups.none },
  };
}

/** The section as `plan` prints it. */
export function dayTwoLines(dayTwo: DayTwo, usd: (value: number) => string): string[] {
  const lines = ["Day two:"];
  lines.push(dayTwo.power_off === null ? "  never powers itself off (max_duration: off, no inactivity_duration)" : `  powers itself off ${dayTwo.power_off}: a pause; ${dayTwo.resume}`);
  lines.push(dayTwo.stopped_per_month === null ? "  cannot be stopped (running: false is refused): remove it to stop paying" : `  stopped (running: false, or powered off): ~${usd(dayTwo.stopped_per_month)}/month (disks, volumes and a fixed address)`);
  if (dayTwo.address !== null) lines.push(`  ${dayTwo.address}`);
  const { edits } = dayTwo;
  if (edits.replace.length > 0) lines.push(`  replace the VM (its root disk is lost; volumes are kept): ${edits.replace.join(", ")}`);
  if (edits.stop_start.length > 0) lines.push(`  stop and start it: ${edits.stop_start.join(", ")}`);
  if (edits.in_place.length > 0) lines.push(`  change it in place: ${edits.in_place.join(", ")}`);
  if (edits.nothing.length > 0) lines.push(`  leave it as it is: ${edits.nothing.join(", ")}`);
  return lines;
}
