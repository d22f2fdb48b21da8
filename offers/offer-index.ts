/**
 * The catalog prepared for queries: every candidate expanded once and sorted in offer order, and
 * bucketed by accelerator (GPU name or TPU slice) so that a GPU request only looks at machines with
 * those GPUs. A query filters an already-sorted list: no sorting per query; the checks that read
 * only the instance type run once per instance type, not once per region and kind of price.
 * The index is built only once the queries before it, which scan the catalog directly, have made
 * about as many candidates as it holds (`DIRECT_SCAN_CANDIDATES_PER_INSTANCE`): a process that asks
 * a few questions (the CLI, `pulumi up` of a few dozen environments) never pays for the index,
 * one that asks many pays at most about twice what building it first would have cost.
 */

import type { Catalog, RegionKind } from "../catalog/types";
import { acceleratorKey, candidatesOfInstance, compareCandidates, expandCandidates, regionKindsOf, type Candidate } from "./candidate";
import { acceleratorOf, CONSTRAINTS } from "./constraints";
import type { Requirements } from "./requirements";

/**
 * Direct scans may make this many candidates per instance type of the catalog, in all, before the
 * index is built: about what the index holds (the bundled catalog has 34 per instance type).
 */
export const DIRECT_SCAN_CANDIDATES_PER_INSTANCE = 32;

const PER_INSTANCE = CONSTRAINTS.filter((constraint) => constraint.perInstance);
const PER_OFFER = CONSTRAINTS.filter((constraint) => !constraint.perInstance);

/** A list of candidates in offer order, kept whole and split by kind of price. */
class Bucket {
  readonly both: Candidate[] = [];
  readonly onDemand: Candidate[] = [];
  readonly spot: Candidate[] = [];

  add(candidate: Candidate): void {
    this.both.push(candidate);
    (candidate.spot ? this.spot : this.onDemand).push(candidate);
  }

  /** The list a spot policy can match (a reservation is on-demand capacity). */
  forPolicy(requirements: Requirements): Candidate[] {
    if (requirements.spotPolicy === "on-demand" || requirements.reservation !== null) return this.onDemand;
    return requirements.spotPolicy === "spot" ? this.spot : this.both;
  }
}

export class OfferIndex {
  private sorted: Candidate[] | undefined;
  private readonly everything = new Bucket();
  private readonly byAccelerator = new Map<string, Bucket>();
  private readonly withAccelerator = new Bucket();
  private readonly byVendor = new Map<string, Bucket>();
  /** Candidates made by the direct scans so far. */
  private directCandidates = 0;
  /** Region kinds by `backend/region`. */
  readonly regionKinds: ReadonlyMap<string, RegionKind>;
  /** Names the catalog knows (for hints on names that match nothing), lower-cased -> as written. */
  readonly known = { instanceTypes: new Map<string, string>(), regions: new Map<string, string>(), accelerators: new Map<string, string>() };

  constructor(readonly catalog: Catalog) {
    for (const instance of catalog.instances) {
      this.known.instanceTypes.set(instance.instance_type.toLowerCase(), instance.instance_type);
      const accelerator = instance.tpu ? instance.instance_type : instance.gpu?.name;
      if (accelerator) this.known.accelerators.set(accelerator.toLowerCase(), accelerator);
    }
    for (const region of catalog.regions) this.known.regions.set(region.name.toLowerCase(), region.name);
    this.regionKinds = regionKindsOf(catalog);
  }

  /** Every candidate, in offer order (builds the index). */
  get all(): readonly Candidate[] {
    if (this.sorted === undefined) {
      this.sorted = expandCandidates(this.catalog.instances, this.regionKinds).sort(compareCandidates);
      for (const candidate of this.sorted) {
        this.everything.add(candidate);
        const key = acceleratorKey(candidate.instance);
        if (key === null) continue;
        this.withAccelerator.add(candidate);
        bucketOf(this.byAccelerator, key).add(candidate);
        bucketOf(this.byVendor, acceleratorOf(candidate.instance)!.vendor).add(candidate);
      }
    }
    return this.sorted;
  }

  /** True once the index is built (by `all`, or after enough direct scans). */
  get indexed(): boolean {
    return this.sorted !== undefined;
  }

  /** True when the next query scans the catalog directly: the index is not built and the direct scans so far have made fewer candidates than it would hold. */
  scansDirectly(): boolean {
    return this.sorted === undefined && this.directCandidates < DIRECT_SCAN_CANDIDATES_PER_INSTANCE * this.catalog.instances.length;
  }

  /** Counts the candidates a direct scan made. */
  countDirectScan(candidates: number): void {
    this.directCandidates += candidates;
  }

  /**
   * The candidates that can match, in offer order, of the kinds of price the policy allows: all of
   * them without a GPU request or when a CPU-only machine may match (count may be 0); else only
   * machines with the named accelerators, or with the requested vendor's, or with any accelerator.
   */
  candidatesFor(requirements: Requirements): readonly Candidate[] {
    void this.all;
    const gpu = requirements.gpu;
    if (gpu === null || (gpu.count.min ?? 0) === 0) return this.everything.forPolicy(requirements);
    if (gpu.names !== null) return mergeSorted(gpu.names.map((name) => this.byAccelerator.get(name)?.forPolicy(requirements) ?? []));
    if (gpu.vendor !== null) return this.byVendor.get(gpu.vendor)?.forPolicy(requirements) ?? [];
    return this.withAccelerator.forPolicy(requirements);
  }
}

/**
 * Calls `visit` with every candidate that meets the requirements, in offer order (the same
 * candidates as `satisfies` keeps, which the tests check against a full scan).
 */
export function scanMatches(index: OfferIndex, requirements: Requirements, visit: (candidate: Candidate) => void): void {
  if (index.scansDirectly()) return scanDirectly(index, requirements, visit);
  const verdicts = new Int8Array(index.catalog.instances.length); // 0 = not yet checked, 1 = meets, 2 = misses
  for (const candidate of index.candidatesFor(requirements)) {
    let verdict = verdicts[candidate.instanceId];
    if (verdict === 0) {
      verdict = PER_INSTANCE.every((constraint) => constraint.check(candidate, requirements) === null) ? 1 : 2;
      verdicts[candidate.instanceId] = verdict;
    }
    if (verdict === 2) continue;
    if (PER_OFFER.every((constraint) => constraint.check(candidate, requirements) === null)) visit(candidate);
  }
}

/** One query without the index: instance types that fail their own checks are skipped whole; the matches are sorted. */
function scanDirectly(index: OfferIndex, requirements: Requirements, visit: (candidate: Candidate) => void): void {
  const matches: Candidate[] = [];
  let made = 0;
  index.catalog.instances.forEach((instance, instanceId) => {
    // The per-instance checks read the instance only: no candidate is made for an instance type that fails them.
    const probe = { instance } as Candidate;
    if (!PER_INSTANCE.every((constraint) => constraint.check(probe, requirements) === null)) return;
    const candidates = candidatesOfInstance(instance, instanceId, index.regionKinds);
    made += candidates.length;
    for (const candidate of candidates) {
      if (PER_OFFER.every((constraint) => constraint.check(candidate, requirements) === null)) matches.push(candidate);
    }
  });
  index.countDirectScan(made);
  matches.sort(compareCandidates).forEach(visit);
}

function bucketOf(map: Map<string, Bucket>, key: string): Bucket {
  let bucket = map.get(key);
  if (!bucket) map.set(key, (bucket = new Bucket()));
  return bucket;
}

/** Merges lists already in offer order into one (duplicate names give the same list once). */
function mergeSorted(lists: Candidate[][]): Candidate[] {
  const distinct = [...new Set(lists)].filter((list) => list.length > 0);
  if (distinct.length <= 1) return distinct[0] ?? [];
  let merged = distinct[0];
  for (const list of distinct.slice(1)) {
    const out: Candidate[] = new Array(merged.length + list.length);
    let i = 0, j = 0, k = 0;
    while (i < merged.length && j < list.length) out[k++] = compareCandidates(merged[i], list[j]) <= 0 ? merged[i++] : list[j++];
    while (i < merged.length) out[k++] = merged[i++];
    while (j < list.length) out[k++] = list[j++];
    merged = out;
  }
  return merged;
}
