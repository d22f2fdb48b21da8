/**
 * AWS records (as `aws-fetch.ts` reads them from the EC2 and Price List APIs) -> catalog instances.
 * Pure: no SDK, no clock.
 *
 * - Hardware from DescribeInstanceTypes: vCPUs, memory, arch, instance store, GPUs under dstack's
 *   names and nominal memory (`hardware.ts`); fractional or unknown GPUs leave the type out.
 * - Zones from DescribeInstanceTypeOfferings (availability zones of the region itself, not Local
 *   Zones); a region is kept only where the type is offered.
 * - On-demand price from the Price List (Linux, shared tenancy, no pre-installed software, used
 *   capacity, on-demand market, `RunInstances`, hourly USD).
 * - Spot price: the latest price of each zone (DescribeSpotPriceHistory, Linux/UNIX), the lowest over
 *   the zones, as dstack (gpuhunt) takes it.
 */
import { isCatalogAwsType } from "../families";
import { AWS_GPU_MEMORY_FIXES, AWS_GPU_NAMES, AWS_INSTANCE_GPU_FIXES } from "../hardware";
import type { CatalogGpu, CatalogInstance } from "../types";
import { addTo, livePrice, lowest, withPrices } from "./prices";

/** One instance type as DescribeInstanceTypes describes it. */
export interface AwsInstanceType {
  instance_type: string;
  cpus: number;
  memory_mib: number;
  /** `SupportedArchitectures`: `x86_64`, `arm64`, `i386`. */
  architectures: string[];
  /** The first GPU entry (`GpuInfo.Gpus[0]`); null without GPUs. */
  gpu: { name: string; manufacturer: string; count: number; memory_mib: number } | null;
  local_ssd_gb: number | null;
  /** `SupportedUsageClasses`: `on-demand`, `spot`, `capacity-block`. */
  usage_classes: string[];
}

export interface AwsOffering {
  instance_type: string;
  /** Availability zone name (`us-east-1a`). */
  zone: string;
}

export interface AwsSpotPrice {
  instance_type: string;
  zone: string;
  price: number;
  /** When the price took effect, ms since the epoch. */
  timestamp: number;
}

export interface AwsOnDemandPrice {
  instance_type: string;
  region: string;
  price: number;
}

/** What the APIs said about one region. */
export interface AwsRegionRecords {
  region: string;
  offerings: AwsOffering[];
  spot: AwsSpotPrice[];
  on_demand: AwsOnDemandPrice[];
}

export interface AwsRecords {
  types: AwsInstanceType[];
  regions: AwsRegionRecords[];
}

/** The product attributes an on-demand price is taken from (the Price List filters ask for the same). */
const PRICE_LIST_ATTRIBUTES: Record<string, string> = {
  operatingSystem: "Linux",
  tenancy: "Shared",
  preInstalledSw: "NA",
  capacitystatus: "Used",
  operation: "RunInstances",
};

interface PriceListProduct {
  product?: { productFamily?: string; attributes?: Record<string, string> };
  terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, { unit?: string; pricePerUnit?: Record<string, string> }> }> };
}

/** The hourly on-demand price in one Price List product document (GetProducts `PriceList` entry), or null. */
export function onDemandPriceOf(document: unknown): AwsOnDemandPrice | null {
  const { product, terms } = document as PriceListProduct;
  const attributes = product?.attributes ?? {};
  if (!product?.productFamily?.startsWith("Compute Instance") || !attributes.instanceType || !attributes.regionCode) return null;
  if (Object.entries(PRICE_LIST_ATTRIBUTES).some(([key, value]) => attributes[key] !== value)) return null;
  if ((attributes.marketoption ?? "OnDemand") !== "OnDemand" || !(attributes.usagetype ?? "").includes("BoxUsage:")) return null;
  for (const term of Object.values(terms?.OnDemand ?? {})) {
    for (const dimension of Object.values(term.priceDimensions ?? {})) {
      const usd = Number(dimension.pricePerUnit?.USD);
      if (dimension.unit === "Hrs" && Number.isFinite(usd) && usd > 0) return { instance_type: attributes.instanceType, region: attributes.regionCode, price: usd };
    }
  }
  return null;
}

/** A zone of the region itself (`us-east-1a`), not a Local or Wavelength Zone (`us-west-2-lax-1a`). */
export function isRegionZone(region: string, zone: string): boolean {
  return zone.length === region.length + 1 && zone.startsWith(region) && /[a-z]$/.test(zone);
}

/** The catalog GPU of a type; null without GPUs; a string (the reason) when the type cannot be kept. */
export function awsGpu(type: AwsInstanceType): CatalogGpu | null | string {
  const gpu = type.gpu;
  if (!gpu) return null;
  if (!Number.isInteger(gpu.count) || gpu.count < 1) return `fractional GPU (${gpu.count} ${gpu.name})`;
  const vendor = gpu.manufacturer.toLowerCase();
  if (vendor !== "nvidia" && vendor !== "amd") return `GPU vendor ${gpu.manufacturer} not supported`;
  const fixed = AWS_INSTANCE_GPU_FIXES[type.instance_type];
  const name = fixed?.name ?? AWS_GPU_NAMES[gpu.name.toLowerCase()];
  if (!name) return `no dstack name for GPU ${gpu.name}`;
  const memory = fixed?.memory_gb ?? AWS_GPU_MEMORY_FIXES[name] ?? Math.round(gpu.memory_mib / 1024);
  return { vendor, name, memory_gb: memory, count: gpu.count };
}

/** The instance type's hardware (no prices yet), or the reason it is left out. */
export function awsHardware(type: AwsInstanceType): Omit<CatalogInstance, "prices"> | string {
  const gpu = awsGpu(type);
  if (typeof gpu === "string") return gpu;
  return {
    backend: "aws",
    instance_type: type.instance_type,
    cpus: type.cpus,
    memory_gb: type.memory_mib / 1024,
    arch: type.architectures.includes("arm64") ? "arm" : "x86",
    gpu,
    tpu: null,
    local_ssd_gb: type.local_ssd_gb || null,
  };
}

/** The spot price of each type in a region: each zone's latest price, the lowest over the zones. */
export function regionSpotPrices(region: string, records: readonly AwsSpotPrice[]): Map<string, number> {
  const latest = new Map<string, AwsSpotPrice>();
  for (const record of records) {
    if (!isRegionZone(region, record.zone)) continue;
    const key = `${record.instance_type} ${record.zone}`;
    const known = latest.get(key);
    if (!known || record.timestamp > known.timestamp) latest.set(key, record);
  }
  const byType = new Map<string, number[]>();
  for (const record of latest.values()) addTo(byType, record.instance_type, record.price);
  return new Map([...byType].map(([type, prices]) => [type, lowest(prices)!]));
}

/** Catalog instances of the catalog's AWS families; `warn` hears of each type left out and why. */
export function buildAwsInstances(records: AwsRecords, warn: (message: string) => void = () => {}): CatalogInstance[] {
  const perRegion = records.regions.map((regionRecords) => {
    const zones = new Map<string, string[]>();
    for (const offering of regionRecords.offerings) {
      if (isRegionZone(regionRecords.region, offering.zone)) addTo(zones, offering.instance_type, offering.zone);
    }
    const onDemand = new Map<string, number>();
    for (const price of regionRecords.on_demand) {
      if (price.region !== regionRecords.region) continue;
      onDemand.set(price.instance_type, Math.min(price.price, onDemand.get(price.instance_type) ?? Infinity));
    }
    return { region: regionRecords.region, zones, onDemand, spot: regionSpotPrices(regionRecords.region, regionRecords.spot) };
  });
  const instances: CatalogInstance[] = [];
  const types = new Map(records.types.map((type) => [type.instance_type, type]));
  for (const type of types.values()) {
    if (!isCatalogAwsType(type.instance_type)) continue;
    const hardware = awsHardware(type);
    if (typeof hardware === "string") {
      warn(`aws: ${type.instance_type} left out: ${hardware}`);
      continue;
    }
    const sells = (usage: string) => type.usage_classes.length === 0 || type.usage_classes.includes(usage);
    const prices = perRegion.map(({ region, zones, onDemand, spot }) => {
      const typeZones = zones.get(type.instance_type) ?? [];
      if (typeZones.length === 0) return null;
      return livePrice(region, typeZones, sells("on-demand") ? (onDemand.get(type.instance_type) ?? null) : null, sells("spot") ? (spot.get(type.instance_type) ?? null) : null);
    });
    const instance = withPrices(hardware, prices);
    if (instance) instances.push(instance);
  }
  return instances;
}
