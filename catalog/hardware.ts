/**
 * Public hardware facts the catalog builder and `catalog update` share: dstack's GPU names for the
 * clouds' GPU identifiers, per-GPU memory, the GPUs N1 machines can attach, and TPU slices.
 */

/** AWS DescribeInstanceTypes GPU names (lower-cased) -> dstack's GPU name. */
export const AWS_GPU_NAMES: Record<string, string> = {
  a100: "A100",
  a10g: "A10G",
  b200: "B200",
  b300: "B300",
  h100: "H100",
  h200: "H200",
  l4: "L4",
  l40s: "L40S",
  t4: "T4",
  t4g: "T4",
  v100: "V100",
  "rtx-pro-4500": "RTXPRO4500",
  "rtx pro 4500": "RTXPRO4500",
  "rtx-pro-server-6000": "RTXPRO6000",
  "rtx pro server 6000": "RTXPRO6000",
};

/**
 * Per-GPU memory (GB) where the EC2 API's figure is not the GPU's nominal size: L4 and A10G are
 * reported as 22888 MiB (24 GB parts; gpuhunt sets 24 for L4), L40S as 45776 MiB (48 GB), B200 as
 * 183359 MiB and B300 as 275040 MiB (180 and 270, the sizes dstack's GPU table and GCP give them).
 * Other GPUs take the reported MiB / 1024, rounded. p4de.24xlarge is the 80 GB A100 (below).
 */
export const AWS_GPU_MEMORY_FIXES: Record<string, number> = { A10G: 24, B200: 180, B300: 270, L4: 24, L40S: 48 };
export const AWS_INSTANCE_GPU_FIXES: Record<string, { name: string; memory_gb: number }> = {
  "p4de.24xlarge": { name: "A100", memory_gb: 80 },
};

/** GCE machine-type prefixes of Arm CPUs (Ampere Altra, Google Axion); every other GCE type is x86. */
export const GCP_ARM_PREFIXES = ["t2a-", "c4a-", "a4x-"];

/** GCE accelerator type -> dstack's GPU name and per-GPU memory (GB). */
export const GCP_ACCELERATORS: Record<string, { name: string; memory_gb: number }> = {
  "nvidia-b200": { name: "B200", memory_gb: 180 },
  "nvidia-a100-80gb": { name: "A100", memory_gb: 80 },
  "nvidia-h100-80gb": { name: "H100", memory_gb: 80 },
  "nvidia-h100-mega-80gb": { name: "H100", memory_gb: 80 },
  "nvidia-h200-141gb": { name: "H200", memory_gb: 141 },
  "nvidia-l4": { name: "L4", memory_gb: 24 },
  "nvidia-tesla-a100": { name: "A100", memory_gb: 40 },
  "nvidia-tesla-k80": { name: "K80", memory_gb: 12 },
  "nvidia-tesla-p100": { name: "P100", memory_gb: 16 },
  "nvidia-tesla-p4": { name: "P4", memory_gb: 8 },
  "nvidia-tesla-t4": { name: "T4", memory_gb: 16 },
  "nvidia-tesla-v100": { name: "V100", memory_gb: 16 },
  "nvidia-rtx-pro-6000": { name: "RTXPRO6000", memory_gb: 96 },
};

/**
 * GPUs attachable to N1 machine types: for each allowed count, the largest N1 vCPU count and memory
 * (GB) that may carry it. An N1 type qualifies when its vCPUs and memory are within the limit.
 */
export const GCP_N1_GPU_LIMITS: Record<string, { count: number; max_cpus: number; max_memory_gb: number }[]> = {
  "nvidia-tesla-t4": [
    { count: 1, max_cpus: 48, max_memory_gb: 312 },
    { count: 2, max_cpus: 48, max_memory_gb: 312 },
    { count: 4, max_cpus: 96, max_memory_gb: 624 },
  ],
  "nvidia-tesla-v100": [
    { count: 1, max_cpus: 12, max_memory_gb: 78 },
    { count: 2, max_cpus: 24, max_memory_gb: 156 },
    { count: 4, max_cpus: 48, max_memory_gb: 312 },
    { count: 8, max_cpus: 96, max_memory_gb: 624 },
  ],
  "nvidia-tesla-p100": [
    { count: 1, max_cpus: 16, max_memory_gb: 104 },
    { count: 2, max_cpus: 32, max_memory_gb: 208 },
    { count: 4, max_cpus: 96, max_memory_gb: 624 },
  ],
  "nvidia-tesla-p4": [
    { count: 1, max_cpus: 24, max_memory_gb: 156 },
    { count: 2, max_cpus: 48, max_memory_gb: 312 },
    { count: 4, max_cpus: 96, max_memory_gb: 624 },
  ],
};

/** CUDA compute capability of the NVIDIA GPUs the catalog holds (public NVIDIA figures). */
export const COMPUTE_CAPABILITY: Record<string, string> = {
  A100: "8.0", A10G: "8.6", B200: "10.0", B300: "10.3", H100: "9.0", H200: "9.0", K80: "3.7", L4: "8.9", L40S: "8.9",
  P100: "6.0", P4: "6.1", RTXPRO4500: "12.0", RTXPRO6000: "12.0", T4: "7.5", V100: "7.0",
};

/** TPU generations. */
export const TPU_VERSIONS = ["v2", "v3", "v4", "v5p", "v5litepod", "v6e"] as const;

/**
 * Per TPU generation: how the slice-name suffix counts (TensorCores: 2 per chip; or chips), chips per
 * host in a multi-host slice, the largest single-host slice, HBM per chip (GB), and the host VM.
 */
export const TPU_GENERATIONS: Record<string, { suffix: "cores" | "chips"; chips_per_host: number; max_single_host_suffix: number; hbm_per_chip_gb: number; host_cpus: number; host_memory_gb: number }> = {
  v2: { suffix: "cores", chips_per_host: 4, max_single_host_suffix: 8, hbm_per_chip_gb: 16, host_cpus: 96, host_memory_gb: 334 },
  v3: { suffix: "cores", chips_per_host: 4, max_single_host_suffix: 8, hbm_per_chip_gb: 32, host_cpus: 96, host_memory_gb: 334 },
  v4: { suffix: "cores", chips_per_host: 4, max_single_host_suffix: 8, hbm_per_chip_gb: 32, host_cpus: 240, host_memory_gb: 407 },
  v5p: { suffix: "cores", chips_per_host: 4, max_single_host_suffix: 8, hbm_per_chip_gb: 95, host_cpus: 208, host_memory_gb: 448 },
  v5litepod: { suffix: "chips", chips_per_host: 4, max_single_host_suffix: 8, hbm_per_chip_gb: 16, host_cpus: 112, host_memory_gb: 192 },
  v6e: { suffix: "chips", chips_per_host: 4, max_single_host_suffix: 8, hbm_per_chip_gb: 32, host_cpus: 180, host_memory_gb: 720 },
};

/** Host VMs of single-host slices whose host differs from the generation's multi-host host (gpuhunt's table). */
export const TPU_SINGLE_HOST_SPECS: Record<string, { cpus: number; memory_gb: number }> = {
  "v2-8": { cpus: 96, memory_gb: 334 },
  "v3-8": { cpus: 96, memory_gb: 334 },
  "v4-8": { cpus: 240, memory_gb: 407 },
  "v5litepod-1": { cpus: 24, memory_gb: 48 },
  "v5litepod-4": { cpus: 112, memory_gb: 192 },
  "v5litepod-8": { cpus: 224, memory_gb: 384 },
  "v5p-8": { cpus: 208, memory_gb: 448 },
  "v6e-1": { cpus: 44, memory_gb: 176 },
  "v6e-4": { cpus: 180, memory_gb: 720 },
  "v6e-8": { cpus: 180, memory_gb: 1440 },
};

/** A TPU slice's shape from its name (`v5litepod-16` -> 16 chips on 4 hosts), or null when not a TPU. */
export function tpuShape(sliceName: string): { version: string; chips: number; hosts: number; hbm_gb: number } | null {
  const match = /^(v\d+[a-z]*)-(\d+)$/.exec(sliceName);
  const generation = match ? TPU_GENERATIONS[match[1]] : undefined;
  if (!match || !generation) return null;
  const suffix = Number(match[2]);
  const chips = generation.suffix === "cores" ? Math.max(1, suffix / 2) : suffix;
  const hosts = suffix <= generation.max_single_host_suffix ? 1 : Math.ceil(chips / generation.chips_per_host);
  return { version: match[1], chips, hosts, hbm_gb: chips * generation.hbm_per_chip_gb };
}
