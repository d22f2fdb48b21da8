/**
 * AWS instance types: hardware from Karpenter's instance-type table, prices of GPU types from the
 * Vantage (ec2instances.info) region table, prices of CPU types from `aws-cpu-prices.ts`.
 */
import { isCatalogAwsType } from "../../catalog/families";
import { AWS_GPU_MEMORY_FIXES, AWS_GPU_NAMES, AWS_INSTANCE_GPU_FIXES } from "../../catalog/hardware";
import type { CatalogGpu, CatalogInstance, CatalogPrice } from "../../catalog/types";
import { awsCpuPrices, type AwsCpuPriceSources } from "./aws-cpu-prices";
import { groupBy, optionalNumber, requiredNumber, type Row } from "./csv";
import { note, published, type Tally } from "./price";

export interface AwsSources extends AwsCpuPriceSources {
  /** `aws-karpenter-instance-types.csv`. */
  instanceTypes: Row[];
  /** `aws-vantage-gpu-prices.csv`. */
  gpuPrices: Row[];
}

const ARCH: Record<string, "x86" | "arm"> = { amd64: "x86", arm64: "arm" };

/** One Karpenter row as a catalog instance with no prices yet; null for a type with fractional GPUs. */
export function awsInstance(row: Row): CatalogInstance | null {
  const type = row.instance_type;
  const arch = ARCH[row.arch];
  if (!arch) throw new Error(`${type}: unknown arch ${row.arch}`);
  const gpu = awsGpu(row);
  if (gpu === undefined) return null;
  const localSsd = optionalNumber(row, "local_nvme_gb");
  return {
    backend: "aws",
    instance_type: type,
    cpus: requiredNumber(row, "vcpus"),
    memory_gb: requiredNumber(row, "memory_mib") / 1024,
    arch,
    gpu,
    tpu: null,
    local_ssd_gb: localSsd || null,
    prices: [],
  };
}

/** The GPUs of a Karpenter row: null for none, undefined for fractional GPUs (not offered). */
function awsGpu(row: Row): CatalogGpu | null | undefined {
  if (!row.gpu_name) return null;
  const count = optionalNumber(row, "gpu_count") ?? 0;
  if (!Number.isInteger(count) || count < 1) return undefined;
  const fixed = AWS_INSTANCE_GPU_FIXES[row.instance_type];
  const name = fixed?.name ?? AWS_GPU_NAMES[row.gpu_name.toLowerCase()];
  if (!name) throw new Error(`${row.instance_type}: no dstack name for GPU ${row.gpu_name}`);
  if (row.gpu_manufacturer !== "nvidia") throw new Error(`${row.instance_type}: GPU vendor ${row.gpu_manufacturer} not supported`);
  const memory = fixed?.memory_gb ?? AWS_GPU_MEMORY_FIXES[name] ?? Math.round(requiredNumber(row, "gpu_memory_mib_per_gpu") / 1024);
  return { vendor: "nvidia", name, memory_gb: memory, count };
}

/**
 * Prices of a GPU type: the Vantage rows (on-demand; spot = the minimum over the region's AZs, as
 * dstack takes it), plus Karpenter's us-east-1 on-demand price where Vantage has no us-east-1 row.
 */
export function awsGpuPrices(vantageRows: readonly Row[], usEast1OnDemand: number | undefined): CatalogPrice[] {
  const prices = vantageRows.map((row) => published(row.region, optionalNumber(row, "ondemand_usd_per_hour"), optionalNumber(row, "spot_min_usd_per_hour")));
  if (usEast1OnDemand !== undefined && !prices.some((price) => price.region === "us-east-1")) prices.push(published("us-east-1", usEast1OnDemand, null));
  return prices;
}

/** Every AWS instance type of the catalog's families, with its prices (not yet finished). */
export function buildAwsInstances(sources: AwsSources, tally?: Tally): CatalogInstance[] {
  const usEast1 = new Map(sources.onDemandUsEast1.map((row) => [row.instance_type, requiredNumber(row, "ondemand_usd_per_hour")]));
  const vantage = groupBy(sources.gpuPrices, (row) => row.instance_type);
  const cpuPrices = awsCpuPrices(sources, usEast1);
  const instances: CatalogInstance[] = [];
  for (const row of sources.instanceTypes) {
    if (!isCatalogAwsType(row.instance_type)) continue;
    const instance = awsInstance(row);
    if (!instance) {
      note(tally, "aws: fractional-GPU type dropped");
      continue;
    }
    const prices = instance.gpu ? awsGpuPrices(vantage.get(instance.instance_type) ?? [], usEast1.get(instance.instance_type)) : cpuPrices(instance.instance_type);
    instances.push({ ...instance, prices });
  }
  return instances;
}
