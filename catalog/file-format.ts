/**
 * The catalog on disk: one JSON document, one instance type per line (so a catalog update reads as
 * a reviewable diff), prices as compact tuples. `encodeCatalog` and `decodeCatalog` are inverses.
 *
 * ```json
 * {"stamp": {...}, "regions": [{"backend": "aws", "name": "us-east-1", "kind": "standard"}, ...],
 *  "instances": [
 *   {"backend": "gcp", "instance_type": "g2-standard-4", "cpus": 4, ..., "prices": "us-central1|0.706832|0.28|0|-a,-b,-c;us-east1|..."}
 *  ]}
 * ```
 * `prices` is one string: entries `region|on_demand|spot|flags|zone suffixes` joined by `;` (an
 * empty price = none; flags bit 1 = on-demand price estimated, bit 2 = spot price estimated; a zone
 * is its region followed by its suffix: `us-central1` + `-a`, `us-east-1` + `a`). One string per
 * instance type keeps the file small and fast to parse: prices are decoded only for the instance
 * types a query gets to.
 */
import type { Catalog, CatalogInstance, CatalogPrice } from "./types";


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

const PRICE_SEPARATOR = ";";
const FIELD_SEPARATOR = "|";

function encodePrice(price: CatalogPrice): string {
  const flags = (price.on_demand_estimated ? ON_DEMAND_ESTIMATED : 0) | (price.spot_estimated ? SPOT_ESTIMATED : 0);
  const suffixes = price.zones.map((zone) => {
    if (!zone.startsWith(price.region)) throw new Error(`zone ${zone} is not in region ${price.region}`);
    return zone.slice(price.region.length);
  });
  for (const text of [price.region, ...suffixes]) {
    if (/[;|,]/.test(text)) throw new Error(`a region or zone name holds ; | or ,: ${text}`);
  }
  return [price.region, price.on_demand ?? "", price.spot ?? "", flags, [...suffixes].sort().join(",")].join(FIELD_SEPARATOR);
}

/** The prices of one instance type from their encoded string. */
export function decodePrices(encoded: string): CatalogPrice[] {
  if (encoded === "") return [];
  return encoded.split(PRICE_SEPARATOR).map((entry) => {
    const [region, onDemand, spot, flags, suffixes] = entry.split(FIELD_SEPARATOR);
    return {
      region,
      zones: suffixes === "" ? [] : suffixes.split(",").map((suffix) => region + suffix),
      on_demand: onDemand === "" ? null : Number(onDemand),
      spot: spot === "" ? null : Number(spot),
      on_demand_estimated: (Number(flags) & ON_DEMAND_ESTIMATED) !== 0,
      spot_estimated: (Number(flags) & SPOT_ESTIMATED) !== 0,
    };
  });
}

/** The catalog as its file text: deterministic (sorted instances, regions and prices). */
export function encodeCatalog(catalog: Catalog): string {
  const regions = [...catalog.regions].sort((a, b) => compareText(a.backend, b.backend) || compareText(a.name, b.name));
  const instances = [...catalog.instances].sort(compareInstances).map((instance) => {
    const prices = [...instance.prices].sort((a, b) => compareText(a.region, b.region)).map(encodePrice).join(PRICE_SEPARATOR);
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

/**
 * Parses catalog file text (no validation beyond JSON; see `loadCatalogFile`). An instance's
 * prices are decoded when first read: a query that rules an instance type out by its hardware
 * never pays for its regions.
 */
export function decodeCatalog(text: string): Catalog {
  const raw = JSON.parse(text) as { stamp: Catalog["stamp"]; regions: Catalog["regions"]; instances: (Omit<CatalogInstance, "prices"> & { prices: string })[] };
  return {
    stamp: raw.stamp,
    regions: raw.regions,
    instances: raw.instances.map((instance) => {
      const encoded = instance.prices;
      let prices: CatalogPrice[] | undefined;
      return Object.defineProperty({ ...instance }, "prices", {
        enumerable: true,
        get: () => (prices ??= decodePrices(encoded)),
        set: (value: CatalogPrice[]) => void (prices = value),
      }) as unknown as CatalogInstance;
    }),
  };
}
