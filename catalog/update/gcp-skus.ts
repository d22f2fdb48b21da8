/**
 * Compute Engine's Cloud Billing SKUs (service `6F81-5844-456A`) -> unit prices per region: a vCPU
 * and a GB of RAM per machine family, a GPU per accelerator type, a GB of local SSD, each on demand
 * (`OnDemand`) and as spot (`Preemptible`). Pure. The description rules follow gpuhunt's
 * (`Prices.add_compute_sku`): `[Spot Preemptible ]<family> <Core|Ram|GPU> ...`, e.g.
 * `N1 Predefined Instance Core running in Americas` -> n1 vCPU, `Nvidia Tesla T4 GPU attached to
 * Spot Preemptible VMs running in Americas` -> nvidia-tesla-t4 spot.
 */

/** One SKU as the fetch keeps it. */
export interface GcpSku {
  description: string;
  /** `category.resourceFamily`: `Compute`, `Storage`, `License`, ... */
  resource_family: string;
  /** `category.usageType`: `OnDemand`, `Preemptible`, `Commit1Yr`, ... */
  usage_type: string;
  /** `serviceRegions`. */
  regions: string[];
  /** `pricingExpression.usageUnit`: `h`, `GiBy.h`, `GiBy.mo`. */
  unit: string;
  /** USD per unit of the first tier of the current pricing (units + nanos). */
  price: number;
}

export type Resource = "core" | "ram" | "gpu" | "local-ssd";

/** Unit prices: resource -> family (or accelerator type) -> `region spot|on-demand` -> USD per hour. */
export type PriceBook = Record<Resource, Map<string, Map<string, number>>>;

/** SKUs that are not the plain predefined VM prices. */
const SKIPPED_WORDS = ["Sole Tenancy", "Reserved", "Premium", "Custom", "suspended", "DWS", "Calendar"];

/** Core/RAM SKU family names that are not `<letter><digit>... `. */
const NAMED_FAMILIES: Record<string, string> = {
  "Memory-optimized Instance": "m1",
  "Compute optimized Instance": "c2",
  "Compute optimized": "c2",
  "A3Plus Instance": "a3-megagpu",
};

/** GPU SKU names that differ from the accelerator type's name. */
const GPU_ALIASES: Record<string, string> = {
  "nvidia-tesla-a100-80gb": "nvidia-a100-80gb",
  "nvidia-h100-80gb-mega": "nvidia-h100-mega-80gb",
  "nvidia-h100-80gb-plus": "nvidia-h100-mega-80gb",
};

const HOURS_PER_MONTH = 730;

/** The machine families priced by a family of their own beyond the first name token. */
const MULTI_TOKEN_FAMILIES = ["a3-megagpu"];

/** The SKU family a machine type is priced by: `n1-standard-4` -> `n1`, `a3-megagpu-8g` -> `a3-megagpu`. */
export function machineFamily(machineType: string): string {
  return MULTI_TOKEN_FAMILIES.find((family) => machineType.startsWith(family + "-")) ?? machineType.split("-")[0];
}

export function priceKey(region: string, spot: boolean): string {
  return `${region} ${spot ? "spot" : "on-demand"}`;
}

/** What one SKU prices, or null when it is not a unit price the catalog uses. */
export function classifySku(sku: GcpSku): { resource: Resource; family: string; spot: boolean; hourly: number } | null {
  if (sku.usage_type !== "OnDemand" && sku.usage_type !== "Preemptible") return null;
  if (SKIPPED_WORDS.some((word) => sku.description.includes(word))) return null;
  const spot = sku.usage_type === "Preemptible";
  if (sku.resource_family === "Storage") {
    if (!sku.description.toLowerCase().startsWith("ssd backed local storage") || sku.unit !== "GiBy.mo") return null;
    return { resource: "local-ssd", family: "local-ssd", spot, hourly: sku.price / HOURS_PER_MONTH };
  }
  if (sku.resource_family !== "Compute") return null;
  const match = /^(?:spot preemptible )?(.+?) (gpu|ram|core)\b/i.exec(sku.description);
  if (!match) return null;
  const resource = match[2].toLowerCase() as "gpu" | "ram" | "core";
  let family: string;
  if (resource === "gpu") {
    const name = match[1].replace(/ /g, "-").toLowerCase();
    family = GPU_ALIASES[name] ?? name;
  } else {
    family = /^([a-z]\d[a-z0-9]?) /.exec(match[1].toLowerCase())?.[1] ?? NAMED_FAMILIES[match[1]] ?? match[1].toLowerCase();
  }
  return { resource, family, spot, hourly: sku.price };
}

/** The price book of the SKUs; a later SKU for the same family, region and usage replaces an earlier one (as in gpuhunt). */
export function priceBook(skus: readonly GcpSku[]): PriceBook {
  const book: PriceBook = { core: new Map(), ram: new Map(), gpu: new Map(), "local-ssd": new Map() };
  for (const sku of skus) {
    const priced = classifySku(sku);
    if (!priced || !(priced.hourly > 0)) continue;
    let family = book[priced.resource].get(priced.family);
    if (!family) book[priced.resource].set(priced.family, (family = new Map()));
    for (const region of sku.regions) family.set(priceKey(region, priced.spot), priced.hourly);
  }
  return book;
}

/** One unit price, or null when the SKUs have none. */
export function unitPrice(book: PriceBook, resource: Resource, family: string, region: string, spot: boolean): number | null {
  return book[resource].get(family)?.get(priceKey(region, spot)) ?? null;
}
