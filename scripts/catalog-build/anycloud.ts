/**
 * The GCP table in SkyPilot's format (anycloud `gcp/vms.csv`), one row per zone, split into its three
 * kinds: machine-type rows (host VM: vCPU and RAM only), GPU rows (that many GPUs, no machine) and
 * TPU rows (a whole slice).
 */
import { groupBy, optionalNumber, type Row } from "./csv";
import type { ZonePrice } from "./price";

export interface AnycloudIndex {
  /** Machine type -> its rows (every zone). */
  hosts: Map<string, Row[]>;
  /** `<AcceleratorName> <count>` (`T4 2`) -> its rows. */
  gpus: Map<string, Row[]>;
  /** Slice name (`v5litepod-8`) -> its rows. */
  tpus: Map<string, Row[]>;
}

export function indexAnycloud(rows: readonly Row[]): AnycloudIndex {
  const hosts = rows.filter((row) => row.InstanceType && !row.AcceleratorName);
  const gpus = rows.filter((row) => !row.InstanceType && row.AcceleratorName && !row.AcceleratorName.startsWith("tpu-"));
  const tpus = rows.filter((row) => row.AcceleratorName.startsWith("tpu-"));
  return {
    hosts: groupBy(hosts, (row) => row.InstanceType),
    gpus: groupBy(gpus, (row) => gpuKey(row.AcceleratorName, Number(row.AcceleratorCount))),
    tpus: groupBy(tpus, (row) => row.AcceleratorName.slice("tpu-".length)),
  };
}

export function gpuKey(acceleratorName: string, count: number): string {
  return `${acceleratorName} ${count}`;
}

/** A row's zone prices (empty cells as null). */
export function zonePrice(row: Row): ZonePrice {
  return { region: row.Region, zone: row.AvailabilityZone, on_demand: optionalNumber(row, "Price"), spot: optionalNumber(row, "SpotPrice") };
}
