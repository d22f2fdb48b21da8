/**
 * The catalog prepared for queries: every candidate expanded once and sorted in offer order, and
 * bucketed by accelerator (GPU name or TPU slice) so that a GPU request only looks at machines with
 * those GPUs. A query filters an already-sorted list: no sorting per query.
 */
import type { Catalog, RegionKind } from "../catalog/types";
import { acceleratorKey, compareCandidates, expandCandidates, type Candidate } from "./candidate";
import { acceleratorOf } from "./constraints";
import type { Requirements } from "./requirements";

export class OfferIndex {
  /** Every candidate, in offer order. */
  readonly all: readonly Candidate[];
  private readonly byAccelerator = new Map<string, Candidate[]>();
  private readonly withAccelerator: Candidate[] = [];
  private readonly byVendor = new Map<string, Candidate[]>();

  constructor(readonly catalog: Catalog) {
    const kinds = new Map<string, RegionKind>(catalog.regions.map((region) => [`${region.backend}/${region.name}`, region.kind]));
    this.all = expandCandidates(catalog.instances, kinds).sort(compareCandidates);
    for (const candidate of this.all) {
      const key = acceleratorKey(candidate.instance);
      if (key === null) continue;
      this.withAccelerator.push(candidate);
      push(this.byAccelerator, key, candidate);
      push(this.byVendor, acceleratorOf(candidate.instance)!.vendor, candidate);
    }
  }

  /**
   * The candidates that can match, in offer order: all of them without a GPU request or when a
   * CPU-only machine may match (count may be 0); else only machines with the named accelerators,
   * or with the requested vendor's accelerators, or with any accelerator.
   */
  candidatesFor(requirements: Requirements): readonly Candidate[] {
    const gpu = requirements.gpu;
    if (gpu === null || (gpu.count.min ?? 0) === 0) return this.all;
    if (gpu.names !== null) return mergeSorted(gpu.names.map((name) => this.byAccelerator.get(name) ?? []));
    if (gpu.vendor !== null) return this.byVendor.get(gpu.vendor) ?? [];
    return this.withAccelerator;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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
