/**
 * A small hand-made catalog for resolution tests: a few AWS and GCP machines with round prices, so
 * each rule can be checked in isolation with exact expectations.
 */
import type { Catalog, CatalogGpu, CatalogInstance, CatalogPrice, CatalogTpu } from "../../catalog/types";

export function price(region: string, onDemand: number | null, spot: number | null = null, zones: string[] = [], estimated = false): CatalogPrice {
  return { region, zones, on_demand: onDemand, spot, on_demand_estimated: estimated, spot_estimated: false };
}

export function machine(
  backend: "aws" | "gcp",
  instanceType: string,
  cpus: number,
  memory: number,
  prices: CatalogPrice[],
  extra: { gpu?: CatalogGpu; tpu?: CatalogTpu; arch?: "x86" | "arm" } = {},
): CatalogInstance {
  return { backend, instance_type: instanceType, cpus, memory_gb: memory, arch: extra.arch ?? "x86", gpu: extra.gpu ?? null, tpu: extra.tpu ?? null, local_ssd_gb: null, prices };
}

export const gpu = (name: string, memory: number, count: number): CatalogGpu => ({ vendor: "nvidia", name, memory_gb: memory, count });

export function miniCatalog(): Catalog {
  return {
    stamp: { format: 1, built_from: "sources", data_date: "2026-08-21", oldest_data_date: "2025-11-30", sources: [] },
    regions: [
      { backend: "aws", name: "us-east-1", kind: "standard" },
      { backend: "aws", name: "eu-west-1", kind: "standard" },
      { backend: "aws", name: "us-west-2-lax-1", kind: "local-zone" },
      { backend: "gcp", name: "us-central1", kind: "standard" },
    ],
    instances: [
      machine("aws", "m5.large", 2, 8, [price("us-east-1", 0.096, 0.04), price("eu-west-1", 0.107, null, [], true), price("us-west-2-lax-1", 0.05)]),
      machine("aws", "c7g.xlarge", 4, 8, [price("us-east-1", 0.145, 0.06)], { arch: "arm" }),
      machine("aws", "g5.xlarge", 4, 16, [price("us-east-1", 1.006, 0.45)], { gpu: gpu("A10G", 24, 1) }),
      machine("aws", "g6.xlarge", 4, 16, [price("us-east-1", 0.805, 0.3)], { gpu: gpu("L4", 24, 1) }),
      machine("aws", "p4d.24xlarge", 96, 1152, [price("us-east-1", 21.96, 8)], { gpu: gpu("A100", 40, 8) }),
      machine("aws", "p4de.24xlarge", 96, 1152, [price("us-east-1", 27.45)], { gpu: gpu("A100", 80, 8) }),
      machine("gcp", "e2-standard-2", 2, 8, [price("us-central1", 0.067, 0.02, ["us-central1-a", "us-central1-b"])]),
      machine("gcp", "n1-standard-4", 4, 15, [price("us-central1", 0.54, 0.18, ["us-central1-a", "us-central1-b"])], { gpu: { vendor: "nvidia", name: "T4", memory_gb: 16, count: 1 } }),
      machine("gcp", "a2-ultragpu-2g", 24, 340, [price("us-central1", 10.1, 3.4, ["us-central1-a"])], { gpu: gpu("A100", 80, 2) }),
      machine("gcp", "v5litepod-8", 224, 384, [price("us-central1", 9.6, 4.8, ["us-central1-a"])], { tpu: { version: "v5litepod", chips: 8, hosts: 1, hbm_gb: 128 } }),
      machine("gcp", "v5litepod-16", 112, 192, [price("us-central1", 19.2, null, ["us-central1-a"])], { tpu: { version: "v5litepod", chips: 16, hosts: 4, hbm_gb: 256 } }),
      // Same price as e2-standard-2 on demand: the tie-break decides.
      machine("aws", "t3.large", 2, 8, [price("us-east-1", 0.067)]),
    ],
  };
}
