/**
 * `plan`'s fallback order, when the configuration has `retry`: how `pulumi up` looks for capacity
 * (an AWS fleet: one request over the overrides `plan` lists with the fleet; a TPU slice through
 * Cloud TPU's queue: one request that waits for capacity in its zone) and the order in which
 * `dstack-pulumi up` tries offers after a capacity error (each GCP offer zone by zone), with the
 * time it keeps trying. Without retry there is none: `pulumi up` asks for the one offer once.
 */
import type { DevEnvironmentSpec } from "../config/schema";
import { capacityRetry, formatSeconds } from "../offers/capacity-retry";
import type { OfferChoice } from "../offers/choose";
import { fallbackOrder } from "../offers/fallback";
import { offerJson, type Offer } from "../offers/offer";
import type { OfferIndex } from "../offers/offer-index";
import type { PlannedResource } from "../components/plan-run";
import { QUEUED_TPU_TYPE } from "../components/gcp/tpu-request";
import { expandTargets } from "./capacity-loop";

export interface PlanFallback {
  retry: { field: "retry" | "retry_policy"; duration_seconds: number };
  /** The AWS fleet's overrides as `instance_type@zone`, in priority order; null without a fleet. */
  fleet: string[] | null;
  /** A TPU slice requested through Cloud TPU's queue: where, in which tier, and how long it waits (absent otherwise). */
  queued_tpu?: { accelerator_type: string; zone: string; tier: "spot" | "reserved" | "on-demand"; wait_seconds: number };
  /** What `dstack-pulumi up` tries, in order: each offer (and its zone when it pins one). */
  order: (Record<string, unknown> & { zone: string | null })[];
}

/** The fallback of a plan; null without retry. */
export function planFallback(spec: DevEnvironmentSpec, choice: OfferChoice, index: OfferIndex, resources: readonly PlannedResource[]): PlanFallback | null {
  const retry = capacityRetry(spec);
  if (retry === null) return null;
  const fleet = resources.find((resource) => resource.type === "aws:ec2/fleet:Fleet");
  const overrides = (fleet?.inputs.launchTemplateConfigs as { overrides?: { instanceType: string; availabilityZone: string }[] }[] | undefined)?.[0]?.overrides;
  const queued = resources.find((resource) => resource.type === QUEUED_TPU_TYPE)?.inputs;
  return {
    retry: { field: retry.field, duration_seconds: retry.durationSeconds },
    fleet: overrides ? overrides.map((override) => `${override.instanceType}@${override.availabilityZone}`) : null,
    ...(queued === undefined ? {} : {
      queued_tpu: {
        accelerator_type: String(queued.acceleratorType),
        zone: String(queued.zone),
        tier: queued.spot === true ? ("spot" as const) : queued.reservationName !== undefined ? ("reserved" as const) : ("on-demand" as const),
        wait_seconds: Number(queued.validUntilSeconds),
      },
    }),
    order: expandTargets(fallbackOrder(choice.offer, choice.requirements, index)).map((target) => ({ ...offerJson(target.offer), zone: target.zone })),
  };
}

/** The section as `plan` prints it. */
export function fallbackLines(fallback: PlanFallback, machine: (offer: Offer) => string): string[] {
  const lines = [`Fallback (${fallback.retry.field}: keep looking for capacity for up to ${formatSeconds(fallback.retry.duration_seconds)}):`];
  if (fallback.fleet) {
    lines.push(`  pulumi up: one EC2 Fleet request over ${fallback.fleet.length} overrides, the first with capacity launches: ${fallback.fleet.join(", ")}`);
    lines.push("    (offline, plan knows no AWS zones: pulumi up puts each type in every zone of the region that offers it, unless a volume holds the VM to one)");
  }
  else if (fallback.queued_tpu) {
    const { accelerator_type, zone, tier, wait_seconds } = fallback.queued_tpu;
    lines.push(`  pulumi up: one request in Cloud TPU's queue for ${accelerator_type} (${tier}) in ${zone}, waiting up to ${formatSeconds(wait_seconds)} for capacity (a queued resource; pulumi up waits with it)`);
  }
  else lines.push("  pulumi up: the offer above, once");
  lines.push("  dstack-pulumi up, after a capacity error (the zones the error names first), in this order:");
  fallback.order.forEach((entry, i) => lines.push(`  ${String(i + 1).padStart(3)}. ${machine(entry as unknown as Offer)}${entry.zone ? `, zone ${entry.zone}` : ""}`));
  return lines;
}
