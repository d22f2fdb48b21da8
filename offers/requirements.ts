/**
 * What a configuration asks of a machine, as dstack's `Requirements` (and gpuhunt's query filter):
 * ranges with dstack's defaults, the spot policy, the price cap and the placement filters, plus the
 * overrides a caller gives (CLI flags, component args).
 */
import type { GpuVendor } from "../config/gpu";
import { inferGpuVendor } from "../config/gpu-vendor";
import type { Range } from "../config/range";
import { DEFAULT_DISK_SIZE } from "../config/resources";
import type { SpotPolicy } from "../config/run-fields";
import type { DevEnvironmentSpec } from "../config/schema";

/** The GPU part of a request; null when the configuration asks nothing of GPUs (any or none). */
export interface GpuRequirement {
  vendor: GpuVendor | null;
  /** Lower-cased names, any of which matches (GPU names or TPU slice names). */
  names: string[] | null;
  /** The names as written, for messages. */
  writtenNames: string[] | null;
  count: Range;
  memory: Range | null;
  totalMemory: Range | null;
  /** Minimum CUDA compute capability `[major, minor]`. */
  computeCapability: [number, number] | null;
}

export interface Requirements {
  cpus: Range;
  /** x86 unless the configuration says `arm` (see `toRequirements`). */
  arch: "x86" | "arm";
  memory: Range;
  gpu: GpuRequirement | null;
  disk: Range;
  spotPolicy: SpotPolicy;
  /** USD per hour; null = no cap. */
  maxPrice: number | null;
  /** As written (lower-cased); null = all. Names this project does not provision are kept here and reported. */
  backends: string[] | null;
  regions: string[] | null;
  zones: string[] | null;
  instanceTypes: string[] | null;
  /** A capacity reservation: spot offers are dropped, as dstack does. */
  reservation: string | null;
}

/** Caller overrides: CLI flags and component args win over the configuration. */
export interface RequirementOverrides {
  backends?: string[];
  regions?: string[];
  zones?: string[];
  instanceTypes?: string[];
  spotPolicy?: SpotPolicy;
  maxPrice?: number;
}

/** Lower-cased; absent is null (no filter). An empty list stays empty and matches nothing, as in dstack. */
const lower = (values: readonly string[] | null | undefined): string[] | null => (values ? values.map((value) => value.toLowerCase()) : null);

/**
 * Builds the requirements of a configuration. Dev environments default to on-demand (dstack's
 * `DevEnvironmentJobConfigurator`). The architecture is x86 unless `cpu` says `arm`: dstack reads
 * a custom image's manifest to decide, which needs the registry; an arm64-only image must say
 * `cpu: arm:...` here.
 */
export function toRequirements(spec: DevEnvironmentSpec, overrides: RequirementOverrides = {}): Requirements {
  const { resources } = spec;
  const gpu = inferGpuVendor(resources.gpu, { docker: spec.docker });
  return {
    cpus: resources.cpu.count,
    arch: resources.cpu.arch ?? "x86",
    memory: resources.memory,
    gpu: gpu === null ? null : {
      vendor: gpu.vendor,
      names: lower(gpu.name),
      writtenNames: gpu.name,
      count: gpu.count,
      memory: gpu.memory,
      totalMemory: gpu.total_memory,
      computeCapability: gpu.compute_capability,
    },
    disk: resources.disk?.size ?? DEFAULT_DISK_SIZE,
    spotPolicy: overrides.spotPolicy ?? spec.spot_policy ?? "on-demand",
    maxPrice: overrides.maxPrice ?? spec.max_price ?? null,
    backends: lower(overrides.backends ?? spec.backends),
    regions: lower(overrides.regions ?? spec.regions),
    zones: lower(overrides.zones ?? spec.availability_zones),
    instanceTypes: lower(overrides.instanceTypes ?? spec.instance_types),
    reservation: spec.reservation ?? null,
  };
}

/** True when `value` is inside the inclusive range (a null bound is open). */
export function inRange(value: number, range: Range): boolean {
  return (range.min === null || value >= range.min) && (range.max === null || value <= range.max);
}
