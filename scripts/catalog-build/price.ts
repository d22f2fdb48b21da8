/**
 * Prices as the builder makes them: rounding, per-zone rows collapsed into one price per region,
 * and the last checks every instance's prices pass before they go into the catalog.
 */
import type { CatalogInstance, CatalogPrice } from "../../catalog/types";
import { finishPrice } from "../../catalog/price-rules";
import { groupBy } from "./csv";

/** Counts of what the builder dropped or derived, by reason (printed by the CLI, quoted in CATALOG.md). */
export type Tally = Map<string, number>;

export function note(tally: Tally | undefined, reason: string, count = 1): void {
  if (tally && count > 0) tally.set(reason, (tally.get(reason) ?? 0) + count);
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

/** The prices an instance keeps under the catalog's price rules (`catalog/price-rules.ts`); null when none is left. */
export function finishInstance(instance: CatalogInstance, tally?: Tally): CatalogInstance | null {
  const prices: CatalogPrice[] = [];
  for (const price of instance.prices) {
    const finished = finishPrice(price, (reason) =>
      note(tally, `${instance.backend}: ${reason === "neither price" ? "region with neither price dropped" : "spot price not below on-demand, spot dropped"}`),
    );
    if (finished) prices.push(finished);
  }
  if (prices.length === 0) {
    note(tally, `${instance.backend}: instance type with no price dropped`);
    return null;
  }
  return { ...instance, prices };
}
