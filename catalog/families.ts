/**
 * Which instance families the catalog holds, and why. The builder (`scripts/build-catalog.ts`) and
 * `catalog update` keep exactly these, so a rebuilt catalog has the same scope as the bundled one.
 */
import type { RegionKind } from "./types";

/**
 * AWS families (the part of the instance type before the dot), with the reason each is here.
 * dstack's own list (gpuhunt `AWSProvider.filter`) plus the current general-purpose x86 and Graviton
 * families users ask for. Left out: previous generations (p3, g3, ...), fractional GPUs (g6f, gr6f),
 * accelerators that are not GPUs (inf*, trn*, dl1, dl2q), AMD Radeon (g4ad) and Graviton GPUs (g5g),
 * which the Deep Learning Base OSS Nvidia Driver AMI does not support.
 */
export const AWS_FAMILIES: Record<string, string> = {
  // dstack's CPU families
  t3: "dstack: burstable x86", m5: "dstack", c5: "dstack", m7i: "dstack", c7i: "dstack", r7i: "dstack",
  // more current x86 families users pick
  m6i: "common x86 general purpose", c6i: "common x86 compute", r6i: "common x86 memory",
  m6a: "AMD x86, cheaper than m6i", c6a: "AMD x86", r6a: "AMD x86",
  // Graviton for `cpu: arm` with a custom arm64 image
  m7g: "Graviton3 (arm)", c7g: "Graviton3 (arm)", r7g: "Graviton3 (arm)",
  // dstack's GPU families
  g4dn: "dstack: T4", g5: "dstack: A10G", g6: "dstack: L4", g6e: "dstack: L40S", gr6: "dstack: L4, more memory",
  g7: "dstack", g7e: "dstack", p4d: "dstack: A100 40GB", p4de: "dstack: A100 80GB", p5: "dstack: H100",
  p5e: "dstack: H200", p5en: "dstack: H200", "p6-b200": "dstack: B200", "p6-b300": "dstack: B300",
};

/** `t2.small` is the one t2 size dstack keeps. */
export const AWS_SINGLE_TYPES = ["t2.small"];

/** True when the AWS instance type belongs in the catalog. */
export function isCatalogAwsType(instanceType: string): boolean {
  return AWS_SINGLE_TYPES.includes(instanceType) || Object.hasOwn(AWS_FAMILIES, instanceType.split(".")[0]);
}

/**
 * GCP machine-type prefixes (dstack's `_is_supported_gcp_instance` list plus n2d, c3 and c3d for
 * x86 and t2a/c4a for arm), and N1 only with an attached T4, V100 or P100. Left out: shared-core
 * e2-micro/small, m2/m3 (memory-optimised, 1-3 year commitments), f1/g1, c2 (old), and on-demand
 * a3-highgpu-1/2/4g, a3-ultragpu, a4 and a4x, which GCP sells only as spot or DWS capacity.
 */
export const GCP_PREFIXES = [
  "e2-medium", "e2-standard-", "e2-highmem-", "e2-highcpu-", "n2-", "n2d-", "n4-", "c3-", "c3d-", "c4-", "h3-", "m1-",
  "t2a-", "c4a-", "a2-", "a3-", "a4-", "g2-",
];

/** GPUs the catalog attaches to N1 machine types (P4 and K80 are too old for current drivers). */
export const GCP_N1_ACCELERATORS = ["nvidia-tesla-t4", "nvidia-tesla-v100", "nvidia-tesla-p100"];

/** Machine types GCP offers only as spot (or DWS): no on-demand price is kept for them. */
export function isGcpSpotOnly(machineType: string): boolean {
  return /^a3-highgpu-[124]g$/.test(machineType) || /^(a3-ultragpu-|a4-|a4x-)/.test(machineType);
}

/** True when the GCP machine type belongs in the catalog (N1 GPU machines are added separately). */
export function isCatalogGcpType(machineType: string): boolean {
  return GCP_PREFIXES.some((prefix) => machineType.startsWith(prefix));
}

/** The kind of an AWS region code. */
export function awsRegionKind(region: string): RegionKind {
  if (region.startsWith("us-gov-")) return "govcloud";
  if (region.startsWith("cn-")) return "china";
  if (/-wl\d+(-|$)/.test(region)) return "wavelength";
  if (/^[a-z]{2}-[a-z]+-\d+$/.test(region)) return "standard";
  return "local-zone";
}
