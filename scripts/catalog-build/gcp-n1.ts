/**
 * GCP N1 machine types with attached GPUs. GCP prices them as the machine plus the GPUs; anycloud
 * has both per zone (a machine-type row and a GPU row for each count), so a zone's price is their sum
 * (on-demand and spot apart) where the zone has both rows, and the region's price the cheapest zone's.
 */
import { GCP_N1_ACCELERATORS } from "../../catalog/families";
import { GCP_ACCELERATORS, GCP_N1_GPU_LIMITS } from "../../catalog/hardware";
import type { CatalogInstance } from "../../catalog/types";
import { gpuKey, zonePrice, type AnycloudIndex } from "./anycloud";
import { requiredNumber, type Row } from "./csv";
import { collapseZones, type ZonePrice } from "./price";

/** GCE accelerator type -> the name of its GPU rows in anycloud. */
export const ANYCLOUD_N1_GPU_NAMES: Record<string, string> = {
  "nvidia-tesla-t4": "T4",
  "nvidia-tesla-v100": "V100",
  "nvidia-tesla-p100": "P100",
  "nvidia-tesla-p4": "P4",
};

/** The N1 types that take GPUs: standard, highmem and highcpu (not megamem, ultramem or the TPU hosts). */
export function isN1GpuHost(machineType: string): boolean {
  return /^n1-(standard|highmem|highcpu)-\d+$/.test(machineType);
}

/** Zone prices of machine + GPUs where the zone has both rows; a side is known only when both rows have it. */
export function sumPerZone(hostRows: readonly Row[], gpuRows: readonly Row[]): ZonePrice[] {
  const sum = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
  const result: ZonePrice[] = [];
  for (const host of hostRows.map(zonePrice)) {
    for (const gpu of gpuRows.map(zonePrice).filter((row) => row.zone === host.zone)) {
      result.push({ region: host.region, zone: host.zone, on_demand: sum(host.on_demand, gpu.on_demand), spot: sum(host.spot, gpu.spot) });
    }
  }
  return result;
}

/** Every N1 type with every allowed count of each attachable GPU of the catalog (not yet finished). */
export function buildN1GpuInstances(anycloud: AnycloudIndex): CatalogInstance[] {
  const instances: CatalogInstance[] = [];
  for (const [type, hostRows] of anycloud.hosts) {
    if (!isN1GpuHost(type)) continue;
    const cpus = requiredNumber(hostRows[0], "vCPUs");
    const memory = Math.round(requiredNumber(hostRows[0], "MemoryGiB") * 100) / 100;
    for (const accelerator of GCP_N1_ACCELERATORS) {
      const gpu = GCP_ACCELERATORS[accelerator];
      for (const limit of GCP_N1_GPU_LIMITS[accelerator]) {
        if (cpus > limit.max_cpus || memory > limit.max_memory_gb) continue;
        const gpuRows = anycloud.gpus.get(gpuKey(ANYCLOUD_N1_GPU_NAMES[accelerator], limit.count)) ?? [];
        instances.push({
          backend: "gcp",
          instance_type: type,
          cpus,
          memory_gb: memory,
          arch: "x86",
          gpu: { vendor: "nvidia", name: gpu.name, memory_gb: gpu.memory_gb, count: limit.count },
          tpu: null,
          local_ssd_gb: null,
          prices: collapseZones(sumPerZone(hostRows, gpuRows)),
        });
      }
    }
  }
  return instances;
}
