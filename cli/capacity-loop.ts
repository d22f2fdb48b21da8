/**
 * `dstack-pulumi up`'s loop, as dstack looks for capacity: run the update; on a capacity error pin
 * the next offer the error allows (the zones it names as available first, then the next offers in
 * the fallback order, across regions and backends as the configuration allows), record it in the
 * lock and run again, until one update succeeds or `retry.duration` runs out. When every offer was
 * tried once, wait, then start again from the first. A quota error or any other error ends the
 * loop at once; without `retry` there is one attempt. The update itself is a `Runner` (the
 * Automation API over the user's Pulumi CLI: pulumi-runner.ts); the clock, the sleep and the lock
 * writer are given, so that tests run it in no time.
 */
import type { CatalogStamp } from "../catalog/types";
import { formatSeconds, type CapacityRetry } from "../offers/capacity-retry";
import { makeLock, type OfferLock } from "../offers/lock";
import type { Offer } from "../offers/offer";
import { classifyFailure, type ClassifiedFailure } from "./capacity-errors";

/** One `pulumi up`: whether it succeeded and what it printed (for the classification). */
export interface Runner {
  up(options: { replace: string[]; onOutput?: (text: string) => void }): Promise<{ ok: boolean; output: string }>;
}

/** An offer and the zone to pin (null: the component picks one). */
export interface Target {
  offer: Offer;
  zone: string | null;
}

export type LoopEvent =
  | { event: "attempt"; attempt: number; target: Target; elapsedSeconds: number; replace: string[] }
  | { event: "capacity_error"; attempt: number; reason: string; zonesAvailable: string[] }
  | { event: "lock_written"; file: string; target: Target }
  | { event: "waiting"; seconds: number }
  | { event: "done"; outcome: LoopOutcome; attempts: number; message: string };

export type LoopOutcome = "succeeded" | "no_capacity" | "quota" | "error";

export interface LoopInputs {
  /** The fallback order, the stack's current offer first (offers/fallback.ts). */
  order: Offer[];
  /** The first attempt: what the stack would do now (the lock's offer and zone, or the top offer). */
  first: Target;
  retry: CapacityRetry | null;
  lockFile: string;
  stamp: CatalogStamp;
  /** Seconds to wait once every offer was tried, before trying them again. */
  waitSeconds: number;
}

export interface LoopEnv {
  runner: Runner;
  /** Milliseconds (Date.now in the CLI). */
  now(): number;
  sleep(milliseconds: number): Promise<void>;
  writeLock(file: string, lock: OfferLock): void;
  emit(event: LoopEvent): void;
  /** The update's own output, as it comes. */
  onOutput?(text: string): void;
}

const keyOf = (offer: Offer, zone: string | null) => `${offer.backend}/${offer.region}/${offer.instance_type}/${offer.spot ? "spot" : "on-demand"}/${zone ?? "*"}`;

/** Each offer once (AWS: the component or its fleet picks the zone), a GCP offer once per zone it lists. */
export function expandTargets(order: readonly Offer[]): Target[] {
  return order.flatMap((offer): Target[] => (offer.backend === "gcp" && offer.zones.length > 0 ? offer.zones.map((zone) => ({ offer, zone })) : [{ offer, zone: null }]));
}

/** What a capacity error rules out: the target, the zone it names, every type an EC2 Fleet tried in its region. */
function markTried(tried: Set<string>, target: Target, failure: ClassifiedFailure, order: readonly Offer[]): void {
  tried.add(keyOf(target.offer, target.zone));
  const { tried: named } = failure;
  if (named.zone !== null && named.instanceTypes.includes(target.offer.instance_type)) tried.add(keyOf(target.offer, named.zone));
  if (named.backend === "aws" && named.zone === null) {
    for (const offer of order) {
      if (offer.backend === "aws" && offer.region === named.region && offer.spot === target.offer.spot && named.instanceTypes.includes(offer.instance_type)) tried.add(keyOf(offer, null));
    }
  }
}

/** The next target the error allows: an available zone of the same offer, else the next untried target; null when all were tried. */
export function nextTarget(current: Target, failure: ClassifiedFailure, targets: readonly Target[], tried: ReadonlySet<string>): Target | null {
  for (const zone of failure.zonesAvailable) {
    const allowed = current.offer.zones.length === 0 || current.offer.zones.includes(zone);
    if (allowed && zone.startsWith(current.offer.region) && !tried.has(keyOf(current.offer, zone))) return { offer: current.offer, zone };
  }
  return targets.find((target) => !tried.has(keyOf(target.offer, target.zone))) ?? null;
}

/** Runs the loop; resolves to how it ended. */
export async function runCapacityLoop(inputs: LoopInputs, env: LoopEnv): Promise<{ outcome: LoopOutcome; attempts: number; message: string }> {
  const start = env.now();
  const deadline = start + (inputs.retry?.durationSeconds ?? 0) * 1000;
  const targets = expandTargets(inputs.order);
  const tried = new Set<string>();
  const done = (outcome: LoopOutcome, attempts: number, message: string) => {
    env.emit({ event: "done", outcome, attempts, message });
    return { outcome, attempts, message };
  };
  let target = inputs.first;
  let replace: string[] = [];
  let attempt = 0;
  for (;;) {
    attempt += 1;
    env.emit({ event: "attempt", attempt, target, elapsedSeconds: Math.round((env.now() - start) / 1000), replace });
    const result = await env.runner.up({ replace, onOutput: env.onOutput });
    if (result.ok) return done("succeeded", attempt, `${describeTarget(target)}: the update succeeded`);
    const failure = classifyFailure(result.output);
    if (failure.kind === "quota") {
      return done("quota", attempt, `${describeTarget(target)}: a quota stops the update, and retrying does not lift it: ${failure.reason}. Ask the cloud for a higher quota (AWS: Service Quotas; GCP: IAM & Admin > Quotas), or pin another offer (dstack-pulumi lock)`);
    }
    if (failure.kind === "other") return done("error", attempt, `${describeTarget(target)}: the update failed (not for capacity: not retried): ${failure.reason}`);
    env.emit({ event: "capacity_error", attempt, reason: failure.reason, zonesAvailable: failure.zonesAvailable });
    if (inputs.retry === null) {
      return done("no_capacity", attempt, `${describeTarget(target)}: no capacity: ${failure.reason}. The configuration has no retry: add retry: {on_events: [no-capacity], duration: 1h} to try the next offers`);
    }
    markTried(tried, target, failure, inputs.order);
    let next = nextTarget(target, failure, targets, tried);
    if (next === null) {
      // Every offer was tried once: wait, then start again from the first (as dstack resubmits).
      if (env.now() + inputs.waitSeconds * 1000 >= deadline) break;
      env.emit({ event: "waiting", seconds: inputs.waitSeconds });
      await env.sleep(inputs.waitSeconds * 1000);
      tried.clear();
      next = targets[0] ?? target;
    }
    if (env.now() >= deadline) break;
    replace = failure.replace !== null && failure.tried.backend === next.offer.backend && failure.tried.region === next.offer.region ? [failure.replace] : [];
    env.writeLock(inputs.lockFile, makeLock(next.offer, next.zone, inputs.stamp));
    env.emit({ event: "lock_written", file: inputs.lockFile, target: next });
    target = next;
  }
  return done("no_capacity", attempt, `no capacity within ${inputs.retry.field}.duration (${formatSeconds(inputs.retry.durationSeconds)}): ${attempt} attempt(s), the last on ${describeTarget(target)} (the lock holds it)`);
}

/** `aws us-east-1 g5.xlarge (us-east-1b) on demand`. */
export function describeTarget(target: Target): string {
  const { offer } = target;
  return `${offer.backend} ${offer.region} ${offer.instance_type}${target.zone ? ` (${target.zone})` : ""}${offer.spot ? " spot" : ""}`;
}
