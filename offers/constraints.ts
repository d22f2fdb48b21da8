/**
 * The constraints an offer must meet, in the order they are reported when nothing is left: where,
 * how it is bought, the accelerator (what people ask for first), then CPU, memory, disk and price. Each
 * check returns null when the candidate passes, else how far it is off (0 < gap; 1 for a plain
 * mismatch, the relative distance for numbers), which ranks the nearest offers.
 *
 * The GPU checks follow gpuhunt's `matches`: with no GPU request both CPU and GPU machines match;
 * a CPU-only machine passes a GPU request only when its count may be 0; names are any-of,
 * case-insensitive; compute capability applies to NVIDIA GPUs with a known figure only.
 */
import { COMPUTE_CAPABILITY } from "../catalog/hardware";
import type { Backend, CatalogInstance } from "../catalog/types";
import type { Range } from "../config/range";
import type { Candidate } from "./candidate";
import type { Requirements } from "./requirements";

/** The boot disk sizes each backend accepts, GB (dstack's `CONFIGURABLE_DISK_SIZE`). */
export const BACKEND_DISK_RANGES: Record<Backend, { min: number; max: number }> = {
  aws: { min: 100, max: 16 * 1024 },
  gcp: { min: 20, max: 32 * 1024 },
};

export type ConstraintId =
  | "backend" | "region" | "zone" | "instance_type" | "spot_policy" | "reservation" | "gpu_name" | "gpu_vendor"
  | "gpu_memory" | "gpu_total_memory" | "compute_capability" | "gpu_count" | "tpu_hosts" | "arch" | "cpus" | "memory"
  | "disk" | "max_price";

export interface Constraint {
  id: ConstraintId;
  /** True when the check reads only the instance type, not the region, zones or kind of price. */
  perInstance: boolean;
  check(candidate: Candidate, requirements: Requirements): number | null;
}

/** The accelerator as gpuhunt sees it: a TPU slice is one "GPU" named after the slice, with the slice's HBM. */
export interface Accelerator {
  vendor: "nvidia" | "amd" | "google";
  name: string;
  count: number;
  memoryGb: number | null;
}

export function acceleratorOf(instance: CatalogInstance): Accelerator | null {
  if (instance.tpu) return { vendor: "google", name: instance.instance_type, count: 1, memoryGb: instance.tpu.hbm_gb };
  if (instance.gpu) return { vendor: instance.gpu.vendor, name: instance.gpu.name, count: instance.gpu.count, memoryGb: instance.gpu.memory_gb };
  return null;
}

/** Distance of a value from a range: null inside, else relative to the nearest bound (at least a small positive number). */
export function rangeGap(value: number, range: Range | null): number | null {
  if (range === null) return null;
  if (range.min !== null && value < range.min) return Math.max((range.min - value) / Math.max(range.min, 1), 1e-6);
  if (range.max !== null && value > range.max) return Math.max((value - range.max) / Math.max(range.max, 1), 1e-6);
  return null;
}

const miss = (passes: boolean): number | null => (passes ? null : 1);

/** The disk an offer gets: the smallest size both the request and the backend allow, or null. */
export function diskSize(backend: Backend, request: Range): number | null {
  const allowed = BACKEND_DISK_RANGES[backend];
  const min = Math.max(request.min ?? 0, allowed.min);
  const max = Math.min(request.max ?? Infinity, allowed.max);
  return min <= max ? min : null;
}

/** The zones of a candidate that the request allows: its known zones, or the named zones in its region. */
export function allowedZones(candidate: Candidate, zones: readonly string[] | null): string[] {
  const known = candidate.price.zones;
  if (zones === null) return known;
  if (known.length > 0) return known.filter((zone) => zones.includes(zone.toLowerCase()));
  const region = candidate.price.region.toLowerCase();
  return zones.filter((zone) => zone.startsWith(region) && /^-?[a-z]$/.test(zone.slice(region.length)));
}

type GpuRequest = NonNullable<Requirements["gpu"]>;

/** The GPU constraints a machine without GPUs is reported under: the first the request sets, else the count. */
function firstGpuConstraint(gpu: GpuRequest): ConstraintId {
  if (gpu.names !== null) return "gpu_name";
  if (gpu.vendor !== null) return "gpu_vendor";
  return "gpu_count";
}

/**
 * Skips the GPU checks when gpuhunt does (no GPU request; a machine without GPUs and a count that
 * may be 0). A machine without GPUs fails a GPU request once, under its first constraint.
 */
function gpuCheck(id: ConstraintId, check: (accelerator: Accelerator, gpu: GpuRequest) => number | null) {
  return {
    id,
    perInstance: true,
    check(candidate: Candidate, requirements: Requirements): number | null {
      const gpu = requirements.gpu;
      if (gpu === null) return null;
      const accelerator = acceleratorOf(candidate.instance);
      if (accelerator === null) return (gpu.count.min ?? 0) === 0 || firstGpuConstraint(gpu) !== id ? null : 1;
      return check(accelerator, gpu);
    },
  };
}

function compareCapability(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

export const CONSTRAINTS: readonly Constraint[] = [
  { id: "backend", perInstance: true, check: (c, r) => miss(r.backends === null || r.backends.includes(c.instance.backend)) },
  { id: "region", perInstance: false, check: (c, r) => miss(r.regions === null ? c.regionKind === "standard" : r.regions.includes(c.price.region.toLowerCase())) },
  { id: "zone", perInstance: false, check: (c, r) => miss(r.zones === null || allowedZones(c, r.zones).length > 0) },
  { id: "instance_type", perInstance: true, check: (c, r) => miss(r.instanceTypes === null || r.instanceTypes.includes(c.instance.instance_type.toLowerCase())) },
  { id: "spot_policy", perInstance: false, check: (c, r) => miss(r.spotPolicy === "auto" || c.spot === (r.spotPolicy === "spot")) },
  { id: "reservation", perInstance: false, check: (c, r) => miss(r.reservation === null || !c.spot) },
  // gpuhunt checks vendor, count, name, capability, memory; any order gives the same matches, and
  // this one names the most specific constraint when nothing is left.
  gpuCheck("gpu_name", (a, gpu) => miss(gpu.names === null || gpu.names.includes(a.name.toLowerCase()))),
  gpuCheck("gpu_vendor", (a, gpu) => miss(gpu.vendor === null || a.vendor === gpu.vendor)),
  gpuCheck("gpu_memory", (a, gpu) => (gpu.memory === null ? null : a.memoryGb === null ? 1 : rangeGap(a.memoryGb, gpu.memory))),
  gpuCheck("gpu_total_memory", (a, gpu) => (gpu.totalMemory === null ? null : a.memoryGb === null ? 1 : rangeGap(a.memoryGb * a.count, gpu.totalMemory))),
  gpuCheck("compute_capability", (a, gpu) => {
    if (gpu.computeCapability === null) return null;
    const known = a.vendor === "nvidia" ? COMPUTE_CAPABILITY[a.name] : undefined;
    if (known === undefined) return 1;
    const [major, minor] = known.split(".").map(Number);
    return miss(compareCapability([major, minor], gpu.computeCapability) >= 0);
  }),
  gpuCheck("gpu_count", (a, gpu) => rangeGap(a.count, gpu.count)),
  // dstack runs dev environments on single-host TPU slices only, and never on v4.
  { id: "tpu_hosts", perInstance: true, check: (c) => miss(c.instance.tpu === null || (c.instance.tpu.hosts === 1 && c.instance.tpu.version !== "v4")) },
  { id: "arch", perInstance: true, check: (c, r) => miss(c.instance.arch === r.arch) },
  { id: "cpus", perInstance: true, check: (c, r) => rangeGap(c.instance.cpus, r.cpus) },
  { id: "memory", perInstance: true, check: (c, r) => rangeGap(c.instance.memory_gb, r.memory) },
  { id: "disk", perInstance: true, check: (c, r) => miss(diskSize(c.instance.backend, r.disk) !== null) },
  { id: "max_price", perInstance: false, check: (c, r) => (r.maxPrice === null ? null : rangeGap(c.pricePerHour, { min: null, max: r.maxPrice })) },
];

/** True when the candidate meets every constraint. */
export function satisfies(candidate: Candidate, requirements: Requirements): boolean {
  for (const constraint of CONSTRAINTS) {
    if (constraint.check(candidate, requirements) !== null) return false;
  }
  return true;
}
