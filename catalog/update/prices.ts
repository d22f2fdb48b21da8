/**
 * How `catalog update` turns computed prices into catalog prices, with the same rules as the
 * bundled catalog's builder: USD per hour to 6 decimals; a spot price not below the region's
 * on-demand price dropped (it saves nothing and can be interrupted); a region with neither price
 * dropped; an instance type with no region left dropped. Live prices are published, never estimated.
 */
import { finishPrice } from "../price-rules";
import type { CatalogInstance, CatalogPrice } from "../types";


/** A catalog price of one region (the catalog's price rules; a zero price is no price), or null when neither price is usable. */
export function livePrice(region: string, zones: readonly string[], onDemand: number | null, spot: number | null): CatalogPrice | null {
  const positive = (value: number | null) => (value !== null && value > 0 ? value : null);
  return finishPrice({ region, zones: [...new Set(zones)].sort(), on_demand: positive(onDemand), spot: positive(spot), on_demand_estimated: false, spot_estimated: false });
}

/** The instance with its usable prices (sorted by region), or null when none is left. */
export function withPrices(instance: Omit<CatalogInstance, "prices">, prices: readonly (CatalogPrice | null)[]): CatalogInstance | null {
  const kept = prices.filter((price): price is CatalogPrice => price !== null).sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
  return kept.length > 0 ? { ...instance, prices: kept } : null;
}

/** The lowest of the known values, or null. */
export function lowest(values: readonly number[]): number | null {
  return values.length > 0 ? Math.min(...values) : null;
}

/** Adds `value` to the list under `key`. */
export function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
