/**
 * The GPU vendor dstack infers from GPU names when the file gives none (dstack 0.18.2x does this in
 * its CLI): known NVIDIA and AMD names and TPU slice names (`v5litepod-8`).
 */
import type { GpuSpec, GpuVendor } from "./gpu";

/** NVIDIA GPU names known to gpuhunt (the catalog library dstack uses). */
export const KNOWN_NVIDIA_GPUS = [
  "A10", "A100", "A10G", "A16", "A40", "A4000", "A4500", "A5000", "A6000", "B200", "B300", "GB200", "GH200", "H100",
  "H100NVL", "H200", "H200NVL", "K80", "L4", "L40", "L40S", "P100", "P4", "RTX2000Ada", "RTX2060", "RTX2060SUPER", "RTX2070",
  "RTX2070SUPER", "RTX2080", "RTX2080SUPER", "RTX2080Ti", "RTX3050", "RTX3060", "RTX3060Ti", "RTX3070", "RTX3070Ti",
  "RTX3080", "RTX3080Ti", "RTX3090", "RTX3090Ti", "RTX4000Ada", "RTX4060", "RTX4060Ti", "RTX4070", "RTX4070SUPER",
  "RTX4070Ti", "RTX4070TiSUPER", "RTX4080", "RTX4080SUPER", "RTX4090", "RTX5060", "RTX5060Ti", "RTX5070", "RTX5070Ti",
  "RTX5080", "RTX5090", "RTX6000", "RTX6000Ada", "RTXPRO4500", "RTXPRO6000", "T4", "V100",
] as const;

/** AMD accelerator names known to gpuhunt. */
export const KNOWN_AMD_GPUS = ["MI100", "MI210", "MI250", "MI250X", "MI300A", "MI300X", "MI308X", "MI325X", "MI355X"] as const;

/** TPU generations; a TPU slice name is `<version>-<number>` (`v2-8`, `v5litepod-16`). */
export const TPU_VERSIONS = ["v2", "v3", "v4", "v5p", "v5litepod", "v6e"] as const;

const NVIDIA = new Set(KNOWN_NVIDIA_GPUS.map((name) => name.toLowerCase()));
const AMD = new Set(KNOWN_AMD_GPUS.map((name) => name.toLowerCase()));
const TPU_NAME = new RegExp(`^(?:${TPU_VERSIONS.join("|")})-\\d+$`, "i");

/** True for a TPU slice name such as `v2-8` or `V5LITEPOD-16`. */
export function isTpuName(name: string): boolean {
  return TPU_NAME.test(name);
}

/** The vendor of one GPU name, or null when the name is unknown. */
export function vendorOfName(name: string): GpuVendor | null {
  const lower = name.toLowerCase();
  if (NVIDIA.has(lower)) return "nvidia";
  if (AMD.has(lower)) return "amd";
  if (isTpuName(name)) return "google";
  return null;
}

/** Every vendor the names point at (unknown names ignored). */
export function vendorsOfNames(names: readonly string[]): Set<GpuVendor> {
  const vendors = new Set<GpuVendor>();
  for (const name of names) {
    const vendor = vendorOfName(name);
    if (vendor) vendors.add(vendor);
  }
  return vendors;
}

/**
 * dstack 0.18.2x's vendor inference: a request without names means NVIDIA; names of exactly one
 * known vendor set it; unknown or mixed names leave it null. A request for no GPU stays as it is.
 * With `docker: true` (a later field) a request without names stays vendor-neutral, as in recent
 * dstack, since the NVIDIA default belongs to dstack's base image.
 */
export function inferGpuVendor(gpu: GpuSpec | null, context: { docker?: boolean | null } = {}): GpuSpec | null {
  if (gpu === null || gpu.count.max === 0 || gpu.vendor !== null) return gpu;
  if (gpu.name === null) return context.docker ? gpu : { ...gpu, vendor: "nvidia" };
  const names = gpu.name;
  const vendors = names.map(vendorOfName);
  if (vendors.some((vendor) => vendor === null)) return gpu;
  const distinct = new Set(vendors);
  return distinct.size === 1 ? { ...gpu, vendor: vendors[0] } : gpu;
}

/** True when the request is for AMD GPUs, declared or named (even among other vendors' names). */
export function requestsAmd(gpu: GpuSpec | null): boolean {
  if (gpu === null || gpu.count.max === 0) return false;
  if (gpu.vendor !== null) return gpu.vendor === "amd";
  return vendorsOfNames(gpu.name ?? []).has("amd");
}
