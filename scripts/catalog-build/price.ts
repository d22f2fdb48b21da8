/**
 * Prices as the builder makes them: rounding, per-zone rows collapsed into one price per region,
 * and the last checks every instance's prices pass before they go into the catalog.
 */
import type { CatalogInstance, CatalogPrice } from "../../catalog/types";
import { groupBy } from "./csv";

/** Counts of what the builder dropped or derived, by reason (printed by the CLI, quoted in CATALOG.md). */
export type Tally = Map<string, number>;

export function note(tally: Tally | undefined, reason: string, count = 1): void {
  if (tally && count > 0) tally.set(reason, (tally.get(reason) ?? 0) + count);
}

/** USD per hour, at most 6 decimals (no float noise such as 0.30000000000000004). */
export function roundPrice(value: number): number {
  return Number(value.toFixed(6));
}

export function published(region: string, onDemand: number | null, spot: number | null, zones: string[] = []): CatalogPrice {
  return { region, zones, on_demand: onDemand, spot, on_demand_estimated: false, spot_estimated: false };
}

/** One zone's prices, before they are collapsed into their region. */
export interface ZonePrice {
  region: string;
  zone: string;
  on_demand: number | null;
  spot: number | null;
}

/**
 * One price per region: the cheapest on-demand and the cheapest spot price over its zones (dstack
 * offers a region at its cheapest zone), and the zones that have either price.
 */
export function collapseZones(rows: readonly ZonePrice[]): CatalogPrice[] {
  const priced = rows.filter((row) => row.on_demand !== null || row.spot !== null);
  return [...groupBy(priced, (row) => row.region)].map(([region, zoneRows]) =>
    published(region, cheapest(zoneRows.map((row) => row.on_demand)), cheapest(zoneRows.map((row) => row.spot)), [...new Set(zoneRows.map((row) => row.zone))].sort()),
  );
}

export function cheapest(values: readonly (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length > 0 ? Math.min(...known) : null;
}

/**
 * The prices an instance keeps: rounded; a spot price not below the on-demand price of the same
 * region dropped (a spot market at its on-demand cap saves nothing and can be interrupted); a region
 * left with neither price dropped. Null when no price is left.
 */
export function finishInstance(instance: CatalogInstance, tally?: Tally): CatalogInstance | null {
  const prices: CatalogPrice[] = [];
  for (const price of instance.prices) {
    const onDemand = price.on_demand === null ? null : roundPrice(price.on_demand);
    let spot = price.spot === null ? null : roundPrice(price.spot);
    if (spot !== null && onDemand !== null && spot >= onDemand) {
      note(tally, `${instance.backend}: spot price not below on-demand, spot dropped`);
      spot = null;
    }
    if (onDemand === null && spot === null) {
      note(tally, `${instance.backend}: region with neither price dropped`);
      continue;
    }
    prices.push({ ...price, on_demand: onDemand, spot, on_demand_estimated: onDemand !== null && price.on_demand_estimated, spot_estimated: spot !== null && price.spot_estimated });
  }
  if (prices.length === 0) {
    note(tally, `${instance.backend}: instance type with no price dropped`);
    return null;
  }
  return { ...instance, prices };
}
