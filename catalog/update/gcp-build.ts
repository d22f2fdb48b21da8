/**
 * GCP records (machine types and accelerator types per zone, Compute Engine billing SKUs) -> catalog
 * instances. Pure: no SDK, no clock.
 *
 * - Machine types of the catalog's families (`families.ts`) with their bundled GPUs; N1 standard,
 *   highmem and highcpu types with each attachable GPU (T4, V100, P100) and count their vCPUs and
 *   memory allow (`GCP_N1_GPU_LIMITS`), in the zones that have both the machine and the GPU.
 * - A region's price = vCPUs x the family's core SKU + GB x its RAM SKU + GPUs x the GPU SKU + bundled
 *   local SSD GB x the local SSD SKU, on demand and spot (`Preemptible`); a part without a SKU leaves
 *   that price unknown. Shared-core types bill a fraction of their vCPUs (e2-medium: 1 of 2). Types
 *   GCP sells only as spot or DWS capacity keep no on-demand price.
 * - TPU slices are not built here (see `update.ts`).
 */
import { GCP_N1_ACCELERATORS, isCatalogGcpType, isGcpSpotOnly } from "../families";
import { GCP_ACCELERATORS, GCP_ARM_PREFIXES, GCP_N1_GPU_LIMITS } from "../hardware";
import type { CatalogGpu, CatalogInstance } from "../types";
import { priceBook, machineFamily, unitPrice, type GcpSku, type PriceBook } from "./gcp-skus";
import { addTo, livePrice, withPrices } from "./prices";

/** One machine type in one zone (machineTypes.aggregatedList). */
export interface GcpMachineType {
  name: string;
  zone: string;
  cpus: number;
  memory_mb: number;
  /** Bundled GPUs (`accelerators`): accelerator type and count. */
  accelerators: { type: string; count: number }[];
  /** `bundledLocalSsds.partitionCount` (375 GB each); 0 for none. */
  local_ssd_partitions: number;
  /** `X86_64`, `ARM64`, or empty when the API does not say. */
  architecture: string;
  /** `deprecated.state` is DEPRECATED, OBSOLETE or DELETED. */
  deprecated: boolean;
}

/** One accelerator type in one zone (acceleratorTypes.aggregatedList). */
export interface GcpAcceleratorType {
  name: string;
  zone: string;
  max_per_instance: number;
}

export interface GcpRecords {
  machine_types: GcpMachineType[];
  accelerator_types: GcpAcceleratorType[];
  skus: GcpSku[];
}

const LOCAL_SSD_PARTITION_GB = 375;

/** vCPUs billed for shared-core machine types (Compute Engine pricing: e2-medium bills 1 vCPU). */
const SHARED_CORE_BILLED_CPUS: Record<string, number> = { "e2-micro": 0.25, "e2-small": 0.5, "e2-medium": 1 };

/** `us-central1-a` -> `us-central1`. */
export function zoneRegion(zone: string): string {
  return zone.replace(/-[a-z]$/, "");
}

/** The N1 types that take GPUs: standard, highmem and highcpu (not megamem or ultramem). */
export function isN1GpuHost(machineType: string): boolean {
  return /^n1-(standard|highmem|highcpu)-\d+$/.test(machineType);
}

/** A machine type's hourly price in a region, or null when a SKU it needs is missing. */
export function machinePrice(book: PriceBook, machine: GcpMachineType, region: string, spot: boolean, gpu?: { type: string; count: number }): number | null {
  const family = machineFamily(machine.name);
  const core = unitPrice(book, "core", family, region, spot);
  const ram = unitPrice(book, "ram", family, region, spot);
  if (core === null || ram === null) return null;
  let price = (SHARED_CORE_BILLED_CPUS[machine.name] ?? machine.cpus) * core + (machine.memory_mb / 1024) * ram;
  if (gpu) {
    const perGpu = unitPrice(book, "gpu", gpu.type, region, spot);
    if (perGpu === null) return null;
    price += gpu.count * perGpu;
  }
  if (machine.local_ssd_partitions > 0) {
    const perGb = unitPrice(book, "local-ssd", "local-ssd", region, spot);
    if (perGb === null) return null;
    price += machine.local_ssd_partitions * LOCAL_SSD_PARTITION_GB * perGb;
  }
  return price;
}

function gcpGpu(accelerator: string, count: number): CatalogGpu | string {
  const known = GCP_ACCELERATORS[accelerator];
  if (!known) return `unknown accelerator type ${accelerator}`;
  if (!Number.isInteger(count) || count < 1) return `fractional GPU (${count} ${accelerator})`;
  return { vendor: "nvidia", name: known.name, memory_gb: known.memory_gb, count };
}

function hardware(machine: GcpMachineType, gpu: CatalogGpu | null): Omit<CatalogInstance, "prices"> {
  const arm = machine.architecture ? machine.architecture === "ARM64" : GCP_ARM_PREFIXES.some((prefix) => machine.name.startsWith(prefix));
  return {
    backend: "gcp",
    instance_type: machine.name,
    cpus: machine.cpus,
    memory_gb: Math.round((machine.memory_mb / 1024) * 100) / 100,
    arch: arm ? "arm" : "x86",
    gpu,
    tpu: null,
    local_ssd_gb: machine.local_ssd_partitions * LOCAL_SSD_PARTITION_GB || null,
  };
}

/** Zones by region, keeping only `regions` when given. */
function zonesByRegion(zones: Iterable<string>, regions?: ReadonlySet<string>): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const zone of zones) {
    const region = zoneRegion(zone);
    if (!regions || regions.has(region)) addTo(result, region, zone);
  }
  return result;
}

/** One price per region where the machine (and its GPU) is offered. */
function regionPrices(book: PriceBook, machine: GcpMachineType, zones: Map<string, string[]>, gpu?: { type: string; count: number }) {
  return [...zones].map(([region, regionZones]) =>
    livePrice(region, regionZones, isGcpSpotOnly(machine.name) ? null : machinePrice(book, machine, region, false, gpu), machinePrice(book, machine, region, true, gpu)),
  );
}

/** Catalog instances of the catalog's GCP families; `warn` hears of each type left out and why. */
export function buildGcpInstances(records: GcpRecords, regions?: readonly string[], warn: (message: string) => void = () => {}): CatalogInstance[] {
  const book = priceBook(records.skus);
  const regionSet = regions ? new Set(regions) : undefined;
  const machines = new Map<string, { machine: GcpMachineType; zones: Set<string> }>();
  for (const machine of records.machine_types) {
    if (machine.deprecated) continue;
    const known = machines.get(machine.name);
    if (known) known.zones.add(machine.zone);
    else machines.set(machine.name, { machine, zones: new Set([machine.zone]) });
  }
  const acceleratorZones = new Map<string, Set<string>>();
  for (const accelerator of records.accelerator_types) {
    acceleratorZones.set(accelerator.name, (acceleratorZones.get(accelerator.name) ?? new Set()).add(accelerator.zone));
  }
  const instances: (CatalogInstance | null)[] = [];
  for (const { machine, zones } of machines.values()) {
    if (isCatalogGcpType(machine.name)) {
      const bundled = machine.accelerators[0];
      const gpu = bundled ? gcpGpu(bundled.type, bundled.count) : null;
      if (typeof gpu === "string") warn(`gcp: ${machine.name} left out: ${gpu}`);
      else instances.push(withPrices(hardware(machine, gpu), regionPrices(book, machine, zonesByRegion(zones, regionSet), bundled)));
    }
    if (!isN1GpuHost(machine.name)) continue;
    for (const accelerator of GCP_N1_ACCELERATORS) {
      const withGpu = [...zones].filter((zone) => acceleratorZones.get(accelerator)?.has(zone));
      if (withGpu.length === 0) continue;
      for (const limit of GCP_N1_GPU_LIMITS[accelerator]) {
        if (machine.cpus > limit.max_cpus || machine.memory_mb / 1024 > limit.max_memory_gb) continue;
        const gpu = gcpGpu(accelerator, limit.count) as CatalogGpu;
        instances.push(withPrices(hardware(machine, gpu), regionPrices(book, machine, zonesByRegion(withGpu, regionSet), { type: accelerator, count: limit.count })));
      }
    }
  }
  return instances.filter((instance): instance is CatalogInstance => instance !== null);
}
