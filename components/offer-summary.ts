/**
 * The `offer` output of `DevEnvironment`: the chosen offer as named types, so that every Pulumi
 * language gets it typed, with the names each language expects (camelCase here and in the schema:
 * `instanceType` is `instance_type` in Python and `InstanceType` in Go and C#). `offers --json` and
 * `plan --json` keep dstack's snake_case. `gpu` and `tpu` are absent (not null) when the offer has
 * none.
 */
import type { Offer } from "../offers/offer";
import type { CloudBackend } from "./args";

/** The CPU architecture of an offer. */
export const CpuArchitecture = {
  /** x86-64. */
  X86: "x86",
  /** 64-bit Arm (AWS Graviton, GCP Axion and Ampere). */
  Arm: "arm",
} as const;
export type CpuArchitecture = (typeof CpuArchitecture)[keyof typeof CpuArchitecture];

/** The GPUs of an offer. */
export interface OfferGpu {
  /** `nvidia`, `amd`, ... */
  vendor: string;
  /** dstack's GPU name, such as `A100` or `L4`. */
  name: string;
  /** Memory of one GPU, GB. */
  memoryGb: number;
  /**
   * How many.
   * @integer
   */
  count: number;
}

/** The TPU slice of an offer. */
export interface OfferTpu {
  /** The generation, such as `v5litepod`. */
  version: string;
  /**
   * TPU chips in the slice.
   * @integer
   */
  chips: number;
  /**
   * TPU VM hosts of the slice.
   * @integer
   */
  hosts: number;
  /** High-bandwidth memory of the slice, GB; absent when the catalog does not know it. */
  hbmGb?: number;
}

/** An offer: one instance type (or TPU slice) at one price in one region. */
export interface OfferSummary {
  /** The cloud. */
  backend: CloudBackend;
  /** The region, such as `us-east-1`. */
  region: string;
  /** The zones the catalog knows the offer in (empty: any zone of the region). */
  zones: string[];
  /** The instance type, or the TPU slice (`v5litepod-8`). */
  instanceType: string;
  /**
   * vCPUs.
   * @integer
   */
  cpus: number;
  /** Memory, GB. */
  memoryGb: number;
  /** The CPU architecture. */
  arch: CpuArchitecture;
  /** The GPUs; absent without GPUs. */
  gpu?: OfferGpu;
  /** The TPU slice; absent unless a TPU. */
  tpu?: OfferTpu;
  /**
   * The boot disk, GB.
   * @integer
   */
  diskGb: number;
  /** True for a spot (preemptible) price. */
  spot: boolean;
  /** USD per hour. */
  pricePerHour: number;
  /** True when the catalog derived the price instead of taking it from a price list. */
  estimatedPrice: boolean;
}

/** `offer` as an `OfferSummary`. */
export function offerSummary(offer: Offer): OfferSummary {
  const summary: OfferSummary = {
    backend: offer.backend,
    region: offer.region,
    zones: [...offer.zones],
    instanceType: offer.instance_type,
    cpus: offer.cpus,
    memoryGb: offer.memory_gb,
    arch: offer.arch,
    diskGb: offer.disk_gb,
    spot: offer.spot,
    pricePerHour: offer.price_per_hour,
    estimatedPrice: offer.estimated_price,
  };
  if (offer.gpu) summary.gpu = { vendor: offer.gpu.vendor, name: offer.gpu.name, memoryGb: offer.gpu.memory_gb, count: offer.gpu.count };
  if (offer.tpu) {
    summary.tpu = { version: offer.tpu.version, chips: offer.tpu.chips, hosts: offer.tpu.hosts };
    if (offer.tpu.hbm_gb !== null) summary.tpu.hbmGb = offer.tpu.hbm_gb;
  }
  return summary;
}
