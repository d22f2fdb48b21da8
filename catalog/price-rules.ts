/**
 * The rules every catalog price follows, whoever builds it (the bundled builder in `scripts/`, or
 * `catalog update`): USD per hour to at most 6 decimals; a spot price not below the region's
 * on-demand price dropped (a spot market at its on-demand cap saves nothing and can be
 * interrupted); a region with neither price dropped.
 */
import type { CatalogPrice } from "./types";

/** USD per hour, at most 6 decimals (no float noise such as 0.30000000000000004). */
export function roundPrice(value: number): number {
  return Number(value.toFixed(6));
}

/** Why `finishPrice` changed a price; reported by the builders. */
export type PriceDrop = "spot not below on-demand" | "neither price";

/** The price as the catalog keeps it, or null when neither price is left; `dropped` hears what was removed. */
export function finishPrice(price: CatalogPrice, dropped: (reason: PriceDrop) => void = () => {}): CatalogPrice | null {
  const onDemand = price.on_demand === null ? null : roundPrice(price.on_demand);
  let spot = price.spot === null ? null : roundPrice(price.spot);
  if (spot !== null && onDemand !== null && spot >= onDemand) {
    dropped("spot not below on-demand");
    spot = null;
  }
  if (onDemand === null && spot === null) {
    dropped("neither price");
    return null;
  }
  return { ...price, on_demand: onDemand, spot, on_demand_estimated: onDemand !== null && price.on_demand_estimated, spot_estimated: spot !== null && price.spot_estimated };
}
