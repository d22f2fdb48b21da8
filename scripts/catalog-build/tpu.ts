/**
 * GCP TPU slices: anycloud's TPU rows (one per zone, the whole slice's price), shape from the slice
 * name, host VM from the single-host table or the generation's multi-host host.
 */
import { TPU_GENERATIONS, TPU_SINGLE_HOST_SPECS, tpuShape } from "../../catalog/hardware";
import type { CatalogInstance } from "../../catalog/types";
import { zonePrice, type AnycloudIndex } from "./anycloud";
import type { Row } from "./csv";
import { collapseZones, note, type Tally, type ZonePrice } from "./price";

/** The value anycloud's TPU rows carry where the price is unknown (v6e in some zones). */
export const TPU_PLACEHOLDER_PRICE = 700;

/** A TPU row's zone prices with the placeholder dropped, each side on its own. */
export function tpuZonePrice(row: Row, tally?: Tally): ZonePrice {
  const price = zonePrice(row);
  const keep = (value: number | null, side: string) => {
    if (value !== TPU_PLACEHOLDER_PRICE) return value;
    note(tally, `gcp: TPU ${side} placeholder 700.0 dropped`);
    return null;
  };
  return { ...price, on_demand: keep(price.on_demand, "on-demand"), spot: keep(price.spot, "spot") };
}

/** One slice type as a catalog instance, with its prices per region (not yet finished). */
export function tpuInstance(slice: string, rows: readonly Row[], tally?: Tally): CatalogInstance {
  const shape = tpuShape(slice);
  if (!shape) throw new Error(`unknown TPU slice ${slice}`);
  const host = shape.hosts === 1 && TPU_SINGLE_HOST_SPECS[slice] ? TPU_SINGLE_HOST_SPECS[slice] : { cpus: TPU_GENERATIONS[shape.version].host_cpus, memory_gb: TPU_GENERATIONS[shape.version].host_memory_gb };
  return {
    backend: "gcp",
    instance_type: slice,
    cpus: host.cpus,
    memory_gb: host.memory_gb,
    arch: "x86",
    gpu: null,
    tpu: { version: shape.version, chips: shape.chips, hosts: shape.hosts, hbm_gb: shape.hbm_gb },
    local_ssd_gb: null,
    prices: collapseZones(rows.map((row) => tpuZonePrice(row, tally))),
  };
}

export function buildTpuInstances(anycloud: AnycloudIndex, tally?: Tally): CatalogInstance[] {
  return [...anycloud.tpus].map(([slice, rows]) => tpuInstance(slice, rows, tally));
}
