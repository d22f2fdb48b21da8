/**
 * GCP fixed machine types (a2/a3/g2 with their bundled GPUs included): prices per region from
 * Cyclenerd's table (built from the Cloud Billing Catalog), kept only where `gcloud compute
 * machine-types list` offers the type (Cyclenerd's machine-type/region table), hardware from that
 * table, zones from the anycloud machine-type rows.
 */
import { isCatalogGcpType, isGcpSpotOnly } from "../../catalog/families";
import { GCP_ACCELERATORS, GCP_ARM_PREFIXES } from "../../catalog/hardware";
import type { CatalogGpu, CatalogInstance, CatalogPrice } from "../../catalog/types";
import { gpuKey, type AnycloudIndex } from "./anycloud";
import { groupBy, optionalNumber, requiredNumber, type Row } from "./csv";
import { cheapest, note, published, type Tally } from "./price";

export interface GcpMachineSources {
  /** `gcp-cyclenerd-instance-prices.csv`. */
  prices: Row[];
  /** `gcp-cyclenerd-machinetype-regions.csv`. */
  machineTypeRegions: Row[];
}

/** Cyclenerd's `gpu_key` -> the GCE accelerator type and the anycloud GPU row name of the same GPU. */
export const CYCLENERD_GPUS: Record<string, { accelerator: string; anycloud: string }> = {
  a100: { accelerator: "nvidia-tesla-a100", anycloud: "A100" },
  "a100-80gb": { accelerator: "nvidia-a100-80gb", anycloud: "A100-80GB" },
  "h100-80gb": { accelerator: "nvidia-h100-80gb", anycloud: "H100" },
  "h100-80gb-mega": { accelerator: "nvidia-h100-mega-80gb", anycloud: "H100-MEGA" },
  l4: { accelerator: "nvidia-l4", anycloud: "L4" },
  rtx6000: { accelerator: "nvidia-rtx-pro-6000", anycloud: "RTXPRO6000" },
};

/** GCP hardware of a machine type from its `gcloud` row; memory_gb there is GiB to 2 decimals. */
export function gcpMachine(typeRow: Row, priceRow: Row): CatalogInstance {
  const type = typeRow.machine_type;
  const localSsd = optionalNumber(priceRow, "local_ssd_gb");
  return {
    backend: "gcp",
    instance_type: type,
    cpus: requiredNumber(typeRow, "vcpus"),
    memory_gb: requiredNumber(typeRow, "memory_gb"),
    arch: GCP_ARM_PREFIXES.some((prefix) => type.startsWith(prefix)) ? "arm" : "x86",
    gpu: bundledGpu(priceRow),
    tpu: null,
    local_ssd_gb: localSsd || null,
    prices: [],
  };
}

function bundledGpu(row: Row): CatalogGpu | null {
  if (!row.gpu_key) return null;
  const accelerator = GCP_ACCELERATORS[CYCLENERD_GPUS[row.gpu_key]?.accelerator];
  if (!accelerator) throw new Error(`${row.machine_type}: unknown gpu_key ${row.gpu_key}`);
  return { vendor: "nvidia", name: accelerator.name, memory_gb: accelerator.memory_gb, count: requiredNumber(row, "gpu_count") };
}

/**
 * Where Cyclenerd's billing SKUs lack the GPU, its total is the host's CPU/RAM (and local SSD) only.
 * Such a price is dropped: it is below anycloud's host price plus half of anycloud's price of the
 * same GPUs in that region. Without both anycloud rows the price is kept.
 */
function missesGpuSku(total: number | null, hostRows: readonly Row[], gpuRows: readonly Row[], side: "Price" | "SpotPrice"): boolean {
  const host = cheapest(hostRows.map((row) => optionalNumber(row, side)));
  const gpus = cheapest(gpuRows.map((row) => optionalNumber(row, side)));
  return total !== null && host !== null && gpus !== null && total < host + gpus / 2;
}

/** The price of a machine type in one region (a Cyclenerd row), with the zones anycloud lists. */
function regionPrice(row: Row, anycloud: AnycloudIndex, tally?: Tally): CatalogPrice {
  const type = row.machine_type;
  const hostRows = (anycloud.hosts.get(type) ?? []).filter((host) => host.Region === row.region);
  const gpu = row.gpu_key ? CYCLENERD_GPUS[row.gpu_key] : undefined;
  const gpuRows = gpu ? (anycloud.gpus.get(gpuKey(gpu.anycloud, Number(row.gpu_count))) ?? []).filter((gpuRow) => gpuRow.Region === row.region) : [];
  let onDemand = isGcpSpotOnly(type) ? null : optionalNumber(row, "ondemand_usd_per_hour");
  let spot = optionalNumber(row, "spot_usd_per_hour");
  if (missesGpuSku(onDemand, hostRows, gpuRows, "Price")) {
    note(tally, "gcp: on-demand total without its GPU SKU dropped");
    onDemand = null;
  }
  if (missesGpuSku(spot, hostRows, gpuRows, "SpotPrice")) {
    note(tally, "gcp: spot total without its GPU SKU dropped");
    spot = null;
  }
  return published(row.region, onDemand, spot, [...new Set(hostRows.map((host) => host.AvailabilityZone))].sort());
}

/** Every GCP fixed machine type of the catalog's families with its prices (not yet finished). */
export function buildGcpMachines(sources: GcpMachineSources, anycloud: AnycloudIndex, tally?: Tally): CatalogInstance[] {
  const offered = new Map(sources.machineTypeRegions.map((row) => [`${row.machine_type} ${row.region}`, row]));
  const instances: CatalogInstance[] = [];
  for (const [type, rows] of groupBy(sources.prices, (row) => row.machine_type)) {
    if (!isCatalogGcpType(type)) continue;
    const kept = rows.filter((row) => {
      const typeRow = offered.get(`${type} ${row.region}`);
      return typeRow !== undefined && !typeRow.deprecated;
    });
    note(tally, "gcp: price row of a region that does not offer the type dropped", rows.length - kept.length);
    if (kept.length === 0) continue;
    const machine = gcpMachine(offered.get(`${type} ${kept[0].region}`)!, kept[0]);
    if (machine.gpu && !Number.isInteger(machine.gpu.count)) {
      note(tally, "gcp: fractional-GPU type dropped");
      continue;
    }
    instances.push({ ...machine, prices: kept.map((row) => regionPrice(row, anycloud, tally)) });
  }
  return instances;
}
