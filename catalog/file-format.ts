/**
 * The catalog on disk: one JSON document, one instance type per line (so a catalog update reads as
 * a reviewable diff), prices as compact tuples. `encodeCatalog` and `decodeCatalog` are inverses.
 *
 * ```json
 * {"stamp": {...}, "regions": [{"backend": "aws", "name": "us-east-1", "kind": "standard"}, ...],
 *  "instances": [
 *   {"backend": "aws", "instance_type": "g5.xlarge", "cpus": 4, ..., "prices": [["us-east-1", 1.006, 0.4, 0, ["a", "b"]], ...]}
 *  ]}
 * ```
 * A price tuple is `[region, on_demand | null, spot | null, flags, zone suffixes]`; flags bit 1 =
 * on-demand price estimated, bit 2 = spot price estimated; a zone is its region followed by its suffix
 * (`us-central1` + `-a`, `us-east-1` + `a`).
 */
import type { Catalog, CatalogInstance, CatalogPrice } from "./types";

export type PriceTuple = [region: string, onDemand: number | null, spot: number | null, flags: number, zoneSuffixes: string[]];

const ON_DEMAND_ESTIMATED = 1;
const SPOT_ESTIMATED = 2;

/** The order instances are stored and listed in: backend, instance type, GPU name, GPU count. */
export function compareInstances(a: CatalogInstance, b: CatalogInstance): number {
  return (
    compareText(a.backend, b.backend) ||
    compareText(a.instance_type, b.instance_type) ||
    compareText(a.gpu?.name ?? "", b.gpu?.name ?? "") ||
    (a.gpu?.count ?? 0) - (b.gpu?.count ?? 0)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function encodePrice(price: CatalogPrice): PriceTuple {
  const flags = (price.on_demand_estimated ? ON_DEMAND_ESTIMATED : 0) | (price.spot_estimated ? SPOT_ESTIMATED : 0);
  const suffixes = price.zones.map((zone) => {
    if (!zone.startsWith(price.region)) throw new Error(`zone ${zone} is not in region ${price.region}`);
    return zone.slice(price.region.length);
  });
  return [price.region, price.on_demand, price.spot, flags, [...suffixes].sort()];
}

export function decodePrice([region, onDemand, spot, flags, suffixes]: PriceTuple): CatalogPrice {
  return {
    region,
    zones: suffixes.map((suffix) => region + suffix),
    on_demand: onDemand,
    spot,
    on_demand_estimated: (flags & ON_DEMAND_ESTIMATED) !== 0,
    spot_estimated: (flags & SPOT_ESTIMATED) !== 0,
  };
}

/** The catalog as its file text: deterministic (sorted instances, regions and prices). */
export function encodeCatalog(catalog: Catalog): string {
  const regions = [...catalog.regions].sort((a, b) => compareText(a.backend, b.backend) || compareText(a.name, b.name));
  const instances = [...catalog.instances].sort(compareInstances).map((instance) => {
    const prices = [...instance.prices].sort((a, b) => compareText(a.region, b.region)).map(encodePrice);
    return JSON.stringify({ ...instance, prices });
  });
  return [
    "{",
    `"stamp": ${JSON.stringify(catalog.stamp)},`,
    `"regions": [\n${regions.map((region) => JSON.stringify(region)).join(",\n")}\n],`,
    `"instances": [\n${instances.join(",\n")}\n]`,
    "}",
    "",
  ].join("\n");
}

/** Parses catalog file text (no validation beyond JSON; see `validateCatalog`). */
export function decodeCatalog(text: string): Catalog {
  const raw = JSON.parse(text) as { stamp: Catalog["stamp"]; regions: Catalog["regions"]; instances: (Omit<CatalogInstance, "prices"> & { prices: PriceTuple[] })[] };
  return {
    stamp: raw.stamp,
    regions: raw.regions,
    instances: raw.instances.map((instance) => ({ ...instance, prices: instance.prices.map(decodePrice) })),
  };
}
