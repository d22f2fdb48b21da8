/**
 * The `offer` output of `DevEnvironment`: the chosen offer in the shape of `offers --json` (its
 * snake_case keys), as named types so that every Pulumi language gets it typed. `gpu` and `tpu`
 * are absent (not null) when the offer has none.
 */
import type { Offer } from "../offers/offer";

/** The GPUs of an offer. */
export interface OfferGpu {
  /** `nvidia`, `amd`, ... */
  vendor: string;
  /** dstack's GPU name, such as `A100` or `L4`. */
  name: string;
  /** Memory of one GPU, GB. */
  memory_gb: number;
  /** How many. */
  count: number;
}

/** The TPU slice of an offer. */
export interface OfferTpu {
  /** The generation, such as `v5litepod`. */
  version: string;
  /** TPU chips in the slice. */
  chips: number;
  /** TPU VM hosts of the slice. */
  hosts: number;
  /** High-bandwidth memory of the slice, GB; absent when the catalog does not know it. */
  hbm_gb?: number;
}

/** An offer: one instance type (or TPU slice) at one price in one region. */
export interface OfferSummary {
  /** `aws` or `gcp`. */
  backend: string;
  /** The region, such as `us-east-1`. */
  region: string;
  /** The zones the catalog knows the offer in (empty: any zone of the region). */
  zones: string[];
  /** The instance type, or the TPU slice (`v5litepod-8`). */
  instance_type: string;
  /** vCPUs. */
  cpus: number;
  /** Memory, GB. */
  memory_gb: number;
  /** `x86` or `arm`. */
  arch: string;
  /** The GPUs; absent without GPUs. */
  gpu?: OfferGpu;
  /** The TPU slice; absent unless a TPU. */
  tpu?: OfferTpu;
  /** The boot disk, GB. */
  disk_gb: number;
  /** True for a spot (preemptible) price. */
  spot: boolean;
  /** USD per hour. */
  price_per_hour: number;
  /** True when the catalog derived the price instead of taking it from a price list. */
  estimated_price: boolean;
}

/** `offer` as an `OfferSummary`. */
export function offerSummary(offer: Offer): OfferSummary {
  const summary: OfferSummary = {
    backend: offer.backend,
    region: offer.region,
    zones: [...offer.zones],
    instance_type: offer.instance_type,
    cpus: offer.cpus,
    memory_gb: offer.memory_gb,
    arch: offer.arch,
    disk_gb: offer.disk_gb,
    spot: offer.spot,
    price_per_hour: offer.price_per_hour,
    estimated_price: offer.estimated_price,
  };
  if (offer.gpu) summary.gpu = { vendor: offer.gpu.vendor, name: offer.gpu.name, memory_gb: offer.gpu.memory_gb, count: offer.gpu.count };
  if (offer.tpu) {
    summary.tpu = { version: offer.tpu.version, chips: offer.tpu.chips, hosts: offer.tpu.hosts };
    if (offer.tpu.hbm_gb !== null) summary.tpu.hbm_gb = offer.tpu.hbm_gb;
  }
  return summary;
}
