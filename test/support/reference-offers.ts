/**
 * A reference for offer resolution written apart from offers/: the matching rules and the order
 * spelled out plainly, one small test per rule, from the documented behaviour (dstack's
 * requirements and gpuhunt's `matches`), sharing no code with offers/ (no compareCandidates,
 * satisfies, allowedZones, diskSize or rangeGap). It only reads the catalog's data, and the table
 * of CUDA compute capabilities (data, not a rule). Slow and obvious on purpose: it walks every
 * price row of every instance for each query.
 */
import { COMPUTE_CAPABILITY } from "../../catalog/hardware";
import type { Catalog, CatalogInstance, CatalogPrice } from "../../catalog/types";
import type { Range } from "../../config/range";
import type { Offer } from "../../offers/offer";
import type { Requirements } from "../../offers/requirements";

/** The boot disk sizes each cloud accepts, GB: AWS 100 GB to 16 TiB, GCP 20 GB to 32 TiB. */
const DISK_LIMITS = { aws: [100, 16384], gcp: [20, 32768] } as const;

/** A number inside a range: a missing bound is open, both bounds included. */
function within(value: number, range: Range): boolean {
  if (range.min !== null && value < range.min) return false;
  if (range.max !== null && value > range.max) return false;
  return true;
}

/** One way to buy an instance: a price row, on demand or spot. */
interface Row {
  instance: CatalogInstance;
  price: CatalogPrice;
  spot: boolean;
  cost: number;
  estimated: boolean;
}

/** The zones a row may use: all its known zones when none are asked for; else those asked for. */
function zonesOf(row: Row, asked: string[] | null): string[] {
  const known = row.price.zones;
  if (asked === null) return known;
  if (known.length > 0) return known.filter((zone) => asked.includes(zone.toLowerCase()));
  // The catalog names no zones: the asked zones of this region (`us-east-1c`, `us-central1-a`).
  const region = row.price.region.toLowerCase();
  return asked.filter((zone) => {
    const letter = zone.slice(-1);
    return /^[a-z]$/.test(letter) && (zone === `${region}${letter}` || zone === `${region}-${letter}`);
  });
}

/** The disk the offer gets: the smallest size the request and the cloud both allow; null when none. */
function diskOf(row: Row, asked: Range): number | null {
  const [cloudMin, cloudMax] = DISK_LIMITS[row.instance.backend];
  const smallest = Math.max(asked.min ?? 0, cloudMin);
  const largest = Math.min(asked.max ?? Number.POSITIVE_INFINITY, cloudMax);
  return smallest <= largest ? smallest : null;
}

/** Whether the machine's accelerators meet the GPU request (gpuhunt's rules). */
function gpuMatches(instance: CatalogInstance, gpu: NonNullable<Requirements["gpu"]>): boolean {
  // A TPU slice counts as one accelerator named after the slice, with the slice's memory.
  let vendor: string;
  let name: string;
  let count: number;
  let memory: number | null;
  if (instance.tpu !== null) {
    [vendor, name, count, memory] = ["google", instance.instance_type, 1, instance.tpu.hbm_gb];
  } else if (instance.gpu !== null) {
    [vendor, name, count, memory] = [instance.gpu.vendor, instance.gpu.name, instance.gpu.count, instance.gpu.memory_gb];
  } else {
    // No accelerator: fine only when the request allows zero GPUs.
    return gpu.count.min === null || gpu.count.min === 0;
  }
  if (gpu.vendor !== null && vendor !== gpu.vendor) return false;
  if (gpu.names !== null && !gpu.names.includes(name.toLowerCase())) return false;
  if (!within(count, gpu.count)) return false;
  if (gpu.memory !== null && (memory === null || !within(memory, gpu.memory))) return false;
  if (gpu.totalMemory !== null && (memory === null || !within(memory * count, gpu.totalMemory))) return false;
  if (gpu.computeCapability !== null) {
    const figure = vendor === "nvidia" ? COMPUTE_CAPABILITY[name] : undefined;
    if (figure === undefined) return false;
    const [major, minor] = figure.split(".").map(Number);
    const [wantMajor, wantMinor] = gpu.computeCapability;
    if (major < wantMajor || (major === wantMajor && minor < wantMinor)) return false;
  }
  return true;
}

/** Whether a row meets every requirement. */
function matches(row: Row, r: Requirements, regionKind: string): boolean {
  const { instance, price } = row;
  if (r.backends !== null && !r.backends.includes(instance.backend)) return false;
  // Without a regions list, only standard regions (no Local Zones, GovCloud...).
  if (r.regions === null ? regionKind !== "standard" : !r.regions.includes(price.region.toLowerCase())) return false;
  if (r.zones !== null && zonesOf(row, r.zones).length === 0) return false;
  if (r.instanceTypes !== null && !r.instanceTypes.includes(instance.instance_type.toLowerCase())) return false;
  if (r.spotPolicy === "spot" && !row.spot) return false;
  if (r.spotPolicy === "on-demand" && row.spot) return false;
  if (r.reservation !== null && row.spot) return false;
  if (r.gpu !== null && !gpuMatches(instance, r.gpu)) return false;
  // Dev environments run on single-host TPU slices only, never v4.
  if (instance.tpu !== null && (instance.tpu.hosts !== 1 || instance.tpu.version === "v4")) return false;
  if (instance.arch !== r.arch) return false;
  if (!within(instance.cpus, r.cpus) || !within(instance.memory_gb, r.memory)) return false;
  if (diskOf(row, r.disk) === null) return false;
  if (r.maxPrice !== null && row.cost > r.maxPrice) return false;
  return true;
}

/**
 * The order: cheapest first; at the same price on demand before spot; then backend, region and
 * instance type by name, GPU count, GPU name.
 */
function sortKey(row: Row): (number | string)[] {
  return [row.cost, row.spot ? 1 : 0, row.instance.backend, row.price.region, row.instance.instance_type, row.instance.gpu?.count ?? 0, row.instance.gpu?.name ?? ""];
}

function byKey(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

/** The offers a query gets, in order, the first `limit` of them, and how many match in all. */
export function referenceOffers(catalog: Catalog, r: Requirements, limit = Infinity): { offers: Offer[]; total: number } {
  const kinds = new Map(catalog.regions.map((region) => [`${region.backend} ${region.name}`, region.kind]));
  const rows: Row[] = [];
  for (const instance of catalog.instances) {
    for (const price of instance.prices) {
      const kind = kinds.get(`${instance.backend} ${price.region}`) ?? "standard";
      const ways: Row[] = [];
      if (price.on_demand !== null) ways.push({ instance, price, spot: false, cost: price.on_demand, estimated: price.on_demand_estimated });
      if (price.spot !== null) ways.push({ instance, price, spot: true, cost: price.spot, estimated: price.spot_estimated });
      rows.push(...ways.filter((row) => matches(row, r, kind)));
    }
  }
  rows.sort((a, b) => byKey(sortKey(a), sortKey(b)));
  const offers = rows.slice(0, limit).map(
    (row): Offer => ({
      backend: row.instance.backend,
      region: row.price.region,
      zones: zonesOf(row, r.zones),
      instance_type: row.instance.instance_type,
      cpus: row.instance.cpus,
      memory_gb: row.instance.memory_gb,
      arch: row.instance.arch,
      gpu: row.instance.gpu,
      tpu: row.instance.tpu,
      disk_gb: diskOf(row, r.disk)!,
      spot: row.spot,
      price_per_hour: row.cost,
      estimated_price: row.estimated,
    }),
  );
  return { offers, total: rows.length };
}
