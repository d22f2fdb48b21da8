/**
 * A candidate: one instance type, in one region, at one kind of price (on-demand or spot). The
 * catalog expands into candidates once; queries filter them.
 */
import type { Catalog, CatalogInstance, CatalogPrice, RegionKind } from "../catalog/types";

export interface Candidate {
  instance: CatalogInstance;
  /** The instance's position in the catalog (for per-instance memos). */
  instanceId: number;
  price: CatalogPrice;
  regionKind: RegionKind;
  spot: boolean;
  pricePerHour: number;
  estimated: boolean;
}

/**
 * The explicit, deterministic order of offers: cheapest first; at equal price on-demand before
 * spot (it is not interrupted), then backend, region, instance type and GPU count by name/number.
 */
export function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    a.pricePerHour - b.pricePerHour ||
    Number(a.spot) - Number(b.spot) ||
    compareText(a.instance.backend, b.instance.backend) ||
    compareText(a.price.region, b.price.region) ||
    compareText(a.instance.instance_type, b.instance.instance_type) ||
    (a.instance.gpu?.count ?? 0) - (b.instance.gpu?.count ?? 0) ||
    compareText(a.instance.gpu?.name ?? "", b.instance.gpu?.name ?? "")
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The kind of each region of a catalog, by `backend/region`. */
export function regionKindsOf(catalog: Catalog): Map<string, RegionKind> {
  return new Map(catalog.regions.map((region) => [`${region.backend}/${region.name}`, region.kind]));
}

/** The candidates of one instance type: each price row once on demand and once as spot, where priced. */
export function candidatesOfInstance(instance: CatalogInstance, instanceId: number, regionKinds: ReadonlyMap<string, RegionKind>): Candidate[] {
  const candidates: Candidate[] = [];
  for (const price of instance.prices) {
    const regionKind = regionKinds.get(`${instance.backend}/${price.region}`) ?? "standard";
    if (price.on_demand !== null) {
      candidates.push({ instance, instanceId, price, regionKind, spot: false, pricePerHour: price.on_demand, estimated: price.on_demand_estimated });
    }
    if (price.spot !== null) {
      candidates.push({ instance, instanceId, price, regionKind, spot: true, pricePerHour: price.spot, estimated: price.spot_estimated });
    }
  }
  return candidates;
}

/** Every candidate of the catalog, unsorted. */
export function expandCandidates(instances: readonly CatalogInstance[], regionKinds: ReadonlyMap<string, RegionKind>): Candidate[] {
  return instances.flatMap((instance, instanceId) => candidatesOfInstance(instance, instanceId, regionKinds));
}

/** What a candidate's accelerator is called for name matching: the GPU name or the TPU slice name, lower-cased. */
export function acceleratorKey(instance: CatalogInstance): string | null {
  if (instance.tpu) return instance.instance_type.toLowerCase();
  return instance.gpu ? instance.gpu.name.toLowerCase() : null;
}
