/**
 * Why nothing matched: the constraint that removed the last candidates (in the order of
 * `CONSTRAINTS`), and the offers that came nearest, with what they miss.
 */
import type { Candidate } from "./candidate";
import { acceleratorOf, CONSTRAINTS, type ConstraintId } from "./constraints";
import { describeConstraint, describeMachine, describeMiss, describeRequest } from "./describe";
import { toOffer, type Offer } from "./offer";
import type { Requirements } from "./requirements";

export interface NearOffer {
  offer: Offer;
  /** What the offer misses, in words: `8 GPUs (gpu count 2)`. */
  misses: string[];
  /** The offer's machine in words. */
  machine: string;
}

export interface NoOffers {
  /** The constraint that left no candidate; null when the catalog itself is empty for the backends. */
  constraint: ConstraintId | null;
  /** Candidates left just before that constraint. */
  remaining: number;
  /** One line: `no offer for 2 x A100 80GB, ...: gpu count 2 removed the last 3 candidates`. */
  message: string;
  nearest: NearOffer[];
}

const NEAREST = 3;

/** Explains an empty result; `candidates` are every candidate of the catalog, in offer order. */
export function explainNoOffers(candidates: readonly Candidate[], requirements: Requirements): NoOffers {
  let remaining: readonly Candidate[] = candidates;
  let constraint: ConstraintId | null = null;
  let before = remaining.length;
  for (const { id, check } of CONSTRAINTS) {
    const next = remaining.filter((candidate) => check(candidate, requirements) === null);
    if (next.length === 0) {
      constraint = id;
      before = remaining.length;
      break;
    }
    remaining = next;
  }
  const request = describeRequest(requirements, true);
  const scope = requirements.backends?.filter((backend) => backend === "aws" || backend === "gcp").join(" or ");
  const subject = scope ? `no ${scope} offer` : "no offer";
  const message =
    constraint === null
      ? `${subject} for ${request}: the catalog has no machines`
      : `${subject} for ${request}: ${describeConstraint(constraint, requirements)} removed the last ${before === 1 ? "candidate" : `${before} candidates`}`;
  return { constraint, remaining: before, message, nearest: nearestOffers(candidates, requirements) };
}

/**
 * The candidates missing the fewest constraints, then by the smallest total distance, then by
 * price; one per machine (backend, instance type and GPUs), so the list shows different choices.
 * Placement constraints (backend, region, zone, instance types) must hold: the nearest offer is one
 * the user could take by changing the resources or the policy, not by going elsewhere.
 */
function nearestOffers(candidates: readonly Candidate[], requirements: Requirements): NearOffer[] {
  const placement = new Set<ConstraintId>(["backend", "region", "zone", "instance_type"]);
  // A machine without GPUs misses a GPU request more than any GPU machine does.
  const gpuWanted = requirements.gpu !== null && (requirements.gpu.count.min ?? 0) > 0;
  const scored: { candidate: Candidate; failed: ConstraintId[]; rank: number; gap: number }[] = [];
  for (const candidate of candidates) {
    const failed: ConstraintId[] = [];
    let gap = 0;
    let placed = true;
    for (const { id, check } of CONSTRAINTS) {
      const miss = check(candidate, requirements);
      if (miss === null) continue;
      if (placement.has(id)) {
        placed = false;
        break;
      }
      failed.push(id);
      gap += miss;
    }
    const rank = failed.length + (gpuWanted && acceleratorOf(candidate.instance) === null ? CONSTRAINTS.length : 0);
    if (placed) scored.push({ candidate, failed, rank, gap });
  }
  scored.sort((a, b) => a.rank - b.rank || a.gap - b.gap || a.candidate.pricePerHour - b.candidate.pricePerHour);
  const seen = new Set<string>();
  const nearest: NearOffer[] = [];
  for (const { candidate, failed } of scored) {
    const { instance } = candidate;
    const key = `${instance.backend}/${instance.instance_type}/${instance.gpu?.name}/${instance.gpu?.count}`;
    if (seen.has(key)) continue;
    seen.add(key);
    nearest.push({
      offer: toOffer(candidate, requirements),
      machine: describeMachine(candidate),
      misses: failed.map((id) => `${describeMiss(id, candidate)} (${describeConstraint(id, requirements)})`),
    });
    if (nearest.length === NEAREST) break;
  }
  return nearest;
}
