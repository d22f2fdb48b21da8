/**
 * Merging a rebuilt part of the catalog into an existing one: `catalog update --backend aws
 * --region us-east-1` refreshes those prices and keeps everything else (other clouds, other
 * regions, TPU slices the live APIs do not rebuild) from the catalog it updates.
 */
import { compareInstances } from "./file-format";
import type { Backend, Catalog, CatalogInstance, CatalogRegion, CatalogSource } from "./types";

/** What a live build covered: these backends, these regions of them (undefined = every region), and whether TPU slices. */
export interface RebuiltScope {
  backends: readonly Backend[];
  regions?: readonly string[];
  tpu: boolean;
}

const keyOf = (instance: CatalogInstance) => `${instance.backend}/${instance.instance_type}/${instance.gpu?.name ?? ""}/${instance.gpu?.count ?? 0}`;

/** True when the live build replaced this price row of `base`. */
function rebuilt(instance: CatalogInstance, region: string, scope: RebuiltScope): boolean {
  if (!scope.backends.includes(instance.backend)) return false;
  if (instance.tpu !== null && !scope.tpu) return false;
  return scope.regions === undefined || scope.regions.includes(region);
}

/** `live` over `base`: live instances and prices win; what the live build did not cover is carried over. */
export function mergeCatalogs(base: Catalog, live: Catalog, scope: RebuiltScope): Catalog {
  const merged = new Map<string, CatalogInstance>();
  let carried = 0;
  for (const instance of base.instances) {
    const prices = instance.prices.filter((price) => !rebuilt(instance, price.region, scope));
    carried += prices.length;
    if (prices.length > 0) merged.set(keyOf(instance), { ...instance, prices });
  }
  for (const instance of live.instances) {
    const previous = merged.get(keyOf(instance));
    const regions = new Set(instance.prices.map((price) => price.region));
    const kept = previous ? previous.prices.filter((price) => !regions.has(price.region)) : [];
    merged.set(keyOf(instance), { ...instance, prices: [...kept, ...instance.prices].sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0)) });
  }
  const instances = [...merged.values()].sort(compareInstances);
  const sources: CatalogSource[] = [...live.stamp.sources, ...(carried > 0 ? base.stamp.sources : [])];
  const dates = sources.map((source) => source.data_date).sort();
  return {
    stamp: { format: 1, built_from: "live", data_date: dates[dates.length - 1] ?? live.stamp.data_date, oldest_data_date: dates[0] ?? live.stamp.data_date, sources },
    regions: usedRegions(instances, [...live.regions, ...base.regions]),
    instances,
  };
}

/** The regions some price refers to, with their kind from the first catalog that names them. */
function usedRegions(instances: readonly CatalogInstance[], known: readonly CatalogRegion[]): CatalogRegion[] {
  const kinds = new Map<string, CatalogRegion>();
  for (const region of known) if (!kinds.has(`${region.backend}/${region.name}`)) kinds.set(`${region.backend}/${region.name}`, region);
  const used = new Map<string, CatalogRegion>();
  for (const instance of instances) {
    for (const price of instance.prices) {
      const key = `${instance.backend}/${price.region}`;
      used.set(key, kinds.get(key) ?? { backend: instance.backend, name: price.region, kind: "standard" });
    }
  }
  return [...used.values()].sort((a, b) => (a.backend + "/" + a.name < b.backend + "/" + b.name ? -1 : 1));
}
