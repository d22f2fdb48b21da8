/**
 * What makes one accelerator a relevant stand-in for another when nothing matches: the same
 * vendor, the same name family (`A10` and `A10G`, `L40` and `L40S`, `H100` and `H100NVL`) and about
 * the same memory per GPU. The memory of GPUs the catalog may not have comes from their vendors'
 * data sheets (the smallest variant where there are several).
 */
import { tpuShape } from "../catalog/hardware";
import type { GpuVendor } from "../config/gpu";

/** GB per GPU of the GPU names dstack knows (gpuhunt's lists), lower-cased, per vendor. */
const GPU_MEMORY_GB: Record<"nvidia" | "amd", Record<string, number>> = {
  nvidia: {
    a10: 24, a100: 40, a10g: 24, a16: 16, a40: 48, a4000: 16, a4500: 20, a5000: 24, a6000: 48, b200: 180, b300: 270,
    gb200: 186, gh200: 96, h100: 80, h100nvl: 94, h200: 141, h200nvl: 141, k80: 12, l4: 24, l40: 48, l40s: 48, p100: 16,
    p4: 8, rtx2000ada: 16, rtx3090: 24, rtx4000ada: 20, rtx4090: 24, rtx5090: 32, rtx6000: 24, rtx6000ada: 48,
    rtxpro4500: 32, rtxpro6000: 96, t4: 16, v100: 16,
  },
  amd: { mi100: 32, mi210: 64, mi250: 128, mi250x: 128, mi300a: 128, mi300x: 192, mi308x: 192, mi325x: 256, mi355x: 288 },
};

/** Vendors as people write them. */
export const VENDOR_NAMES: Record<GpuVendor, string> = { nvidia: "NVIDIA GPU", amd: "AMD GPU", google: "Google TPU" };

/** The memory per GPU (per slice for a TPU) of a GPU name, when known. */
export function knownGpuMemory(name: string): number | null {
  const lower = name.toLowerCase();
  return GPU_MEMORY_GB.nvidia[lower] ?? GPU_MEMORY_GB.amd[lower] ?? tpuShape(lower)?.hbm_gb ?? null;
}

/**
 * The least memory per GPU of a vendor's GPUs (32GB for AMD, whose GPUs dstack knows are all data
 * centre ones); null for TPUs, whose slices differ too much to stand for one another.
 */
export function vendorGpuMemory(vendor: GpuVendor): number | null {
  return vendor === "google" ? null : Math.min(...Object.values(GPU_MEMORY_GB[vendor]));
}

/**
 * True when two names are one family: equal, or one is the other plus letters only (`a10` and
 * `a10g`, `l40` and `l40s`; `a10` and `a100` are not), or TPU slices of one generation
 * (`v6e-4` and `v6e-8`).
 */
export function sameGpuFamily(a: string, b: string): boolean {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  const [tx, ty] = [tpuShape(x), tpuShape(y)];
  if (tx !== null || ty !== null) return tx?.version === ty?.version;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return long.startsWith(short) && /^[a-z]*$/.test(long.slice(short.length));
}
