/**
 * The offers that came nearest when nothing matched, with what they miss. Placement constraints
 * (backend, region, zone, instance types) must hold: a nearest offer is one the user could take by
 * changing the resources or the policy, not by going elsewhere. For a GPU request, relevance comes
 * first: an accelerator of the asked vendor and kind (GPU or TPU; other vendors only when there is
 * none of the asked one there), of an asked name or its family (`A10G` for `a10`, `v6e-4` for
 * `v6e-3`), with at least the memory per GPU of the asked names (192GB for `MI300X`; 32GB for `amd`
 * alone; none when the request gives a memory), or the least short of it; then the fewest missed
 * constraints, the least memory beyond the asked, the smallest distance and the price. A multi-host TPU slice is shown only when asked for by
 * name (to say why it does not fit). One offer per machine, so the list shows different choices.
 */
import type { Candidate } from "./candidate";
import { acceleratorOf, CONSTRAINTS, type Accelerator, type ConstraintId } from "./constraints";
import { describeConstraint, describeMachine, describeMiss } from "./describe";
import { knownGpuMemory, sameGpuFamily, vendorGpuMemory } from "./gpu-family";
import { toOffer, type Offer } from "./offer";
import type { Requirements } from "./requirements";

export interface NearOffer {
  offer: Offer;
  /** What the offer misses, in words: `8 GPUs (gpu count 2)`. */
  misses: string[];
  /** The offer's machine in words. */
  machine: string;
}

const NEAREST = 3;
const PLACEMENT = new Set<ConstraintId>(["backend", "region", "zone", "instance_type"]);

interface Scored {
  candidate: Candidate;
  failed: ConstraintId[];
  /** For a GPU request: 0 the asked vendor, 1 another vendor's GPU (or TPU), 2 a TPU for a GPU or the reverse, 3 no accelerator; else 0. */
  tier: number;
  /** 0 when the accelerator is of an asked name or its family, else 1. */
  named: number;
  /** Missed constraints, a miss of the name's family not counted. */
  rank: number;
  /** How much memory per GPU (per slice) is missing relative to the asked names' own (0 when none is known, or for a GPU of the asked family). */
  memoryShort: number;
  /** How much more memory per GPU it has than the asked names' own, relative (0 likewise). */
  memoryOver: number;
  gap: number;
}

/**
 * The memory per GPU the request implies: none when it gives a memory, else its names' smallest,
 * else (a vendor alone) the vendor's least.
 */
function impliedMemory(candidates: readonly Candidate[], requirements: Requirements): number | null {
  const gpu = requirements.gpu;
  if (gpu === null || gpu.memory !== null) return null;
  if (gpu.names === null) return gpu.vendor === null ? null : vendorGpuMemory(gpu.vendor);
  const sizes = gpu.names.map((name) => {
    const inCatalog = candidates.map((c) => acceleratorOf(c.instance)).filter((a): a is Accelerator => a !== null && a.name.toLowerCase() === name && a.memoryGb !== null);
    return inCatalog.length > 0 ? Math.min(...inCatalog.map((a) => a.memoryGb!)) : knownGpuMemory(name);
  });
  const known = sizes.filter((size): size is number => size !== null);
  return known.length > 0 ? Math.min(...known) : null;
}

/**
 * Scores every placed candidate; null for one outside the placement constraints, and for a
 * multi-host TPU slice other than an asked one (no change to the request makes it usable).
 */
function score(candidate: Candidate, requirements: Requirements, memory: number | null): Scored | null {
  const gpu = requirements.gpu;
  const accelerator = acceleratorOf(candidate.instance);
  const failed: ConstraintId[] = [];
  let gap = 0;
  for (const { id, check } of CONSTRAINTS) {
    const miss = check(candidate, requirements);
    if (miss === null) continue;
    if (PLACEMENT.has(id)) return null;
    if (id === "tpu_hosts" && !(gpu?.names ?? []).includes(candidate.instance.instance_type.toLowerCase())) return null;
    failed.push(id);
    gap += miss;
  }
  const wanted = gpu !== null && (gpu.count.min ?? 0) > 0;
  const tpu = (vendor: string | null) => vendor === "google";
  const tier = !wanted ? 0 : accelerator === null ? 3 : tpu(accelerator.vendor) !== tpu(gpu.vendor) ? 2 : gpu.vendor !== null && accelerator.vendor !== gpu.vendor ? 1 : 0;
  const family = accelerator !== null && (gpu?.names ?? []).some((name) => sameGpuFamily(name, accelerator.name));
  const rank = failed.length - (family && failed.includes("gpu_name") ? 1 : 0);
  // A GPU of the asked family is as good as the asked one; TPU slices of one generation differ in size.
  const compared = (family && !tpu(accelerator.vendor)) || memory === null || accelerator?.memoryGb == null ? 0 : (accelerator.memoryGb - memory) / memory;
  return { candidate, failed, tier, named: family ? 0 : 1, rank, memoryShort: Math.max(0, -compared), memoryOver: Math.max(0, compared), gap };
}

/** The nearest offers to a request nothing satisfies; `candidates` are every candidate, in offer order. */
export function nearestOffers(candidates: readonly Candidate[], requirements: Requirements): NearOffer[] {
  const memory = impliedMemory(candidates, requirements);
  let scored = candidates.map((candidate) => score(candidate, requirements, memory)).filter((entry): entry is Scored => entry !== null);
  // Another vendor's or kind's accelerators only where the asked one has none within the
  // placement; a machine without any only where there is no accelerator at all.
  const lowest = Math.min(...scored.map((entry) => entry.tier));
  scored = scored.filter((entry) => entry.tier === lowest);
  scored.sort((a, b) => a.tier - b.tier || a.named - b.named || a.memoryShort - b.memoryShort || a.rank - b.rank || a.memoryOver - b.memoryOver || a.gap - b.gap || a.candidate.pricePerHour - b.candidate.pricePerHour);
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
