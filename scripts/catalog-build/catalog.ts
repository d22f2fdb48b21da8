/**
 * The whole catalog from the parsed source tables: AWS types, GCP fixed machine types, N1 with
 * attached GPUs and TPU slices, each price finished the same way, and the regions that have a price.
 */
import { awsRegionKind } from "../../catalog/families";
import type { Catalog, CatalogInstance, CatalogRegion } from "../../catalog/types";
import { indexAnycloud } from "./anycloud";
import { buildAwsInstances } from "./aws";
import type { Row } from "./csv";
import { buildGcpMachines } from "./gcp";
import { buildN1GpuInstances } from "./gcp-n1";
import { finishInstance, type Tally } from "./price";
import { makeStamp, SOURCE_FILES, type SourceName } from "./stamp";
import { buildTpuInstances } from "./tpu";

/** The rows of every source file, by source name. */
export type SourceRows = Record<SourceName, Row[]>;

export function buildInstances(rows: SourceRows, tally?: Tally): CatalogInstance[] {
  const anycloud = indexAnycloud(rows.gcpAnycloud);
  const built = [
    ...buildAwsInstances({ instanceTypes: rows.awsInstanceTypes, onDemandUsEast1: rows.awsOnDemandUsEast1, gpuPrices: rows.awsGpuPrices, cpuSamples: rows.awsCpuSamples }, tally),
    ...buildGcpMachines({ prices: rows.gcpPrices, machineTypeRegions: rows.gcpMachineTypeRegions }, anycloud, tally),
    ...buildN1GpuInstances(anycloud),
    ...buildTpuInstances(anycloud, tally),
  ];
  return built.map((instance) => finishInstance(instance, tally)).filter((instance) => instance !== null);
}

/** Every region with at least one price, with its kind (every GCP region is standard). */
export function catalogRegions(instances: readonly CatalogInstance[]): CatalogRegion[] {
  const regions = new Map<string, CatalogRegion>();
  for (const instance of instances) {
    for (const { region } of instance.prices) {
      regions.set(`${instance.backend} ${region}`, { backend: instance.backend, name: region, kind: instance.backend === "aws" ? awsRegionKind(region) : "standard" });
    }
  }
  return [...regions.values()];
}

export function buildCatalog(rows: SourceRows, tally?: Tally): Catalog {
  const instances = buildInstances(rows, tally);
  return { stamp: makeStamp(Object.values(SOURCE_FILES)), regions: catalogRegions(instances), instances };
}
