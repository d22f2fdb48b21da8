/**
 * An offer: a machine this project can provision, where, at what price; and its JSON form for
 * `offers --json`, the lock file and `plan`.
 */
import type { Backend, CatalogInstance } from "../catalog/types";
import type { Candidate } from "./candidate";
import { allowedZones, diskSize } from "./constraints";
import type { Requirements } from "./requirements";

/** The machine (as the catalog describes it), where, and at what price. */
export interface Offer extends Pick<CatalogInstance, "backend" | "instance_type" | "cpus" | "memory_gb" | "arch" | "gpu" | "tpu"> {
  region: string;
  /** Zones the offer may use (known from the catalog or named in `availability_zones`); empty = any zone of the region. */
  zones: string[];
  /** The boot disk, GB: the smallest size the request and the backend both allow. */
  disk_gb: number;
  spot: boolean;
  price_per_hour: number;
  /** True when the price is derived rather than published (see catalog/CATALOG.md). */
  estimated_price: boolean;
}

/** True when two offers are the same machine: backend, region, instance type, market (and GPU count). */
export function sameMachine(a: Offer, b: Offer): boolean {
  return a.backend === b.backend && a.region === b.region && a.instance_type === b.instance_type && a.spot === b.spot && a.gpu?.count === b.gpu?.count;
}

/** The offer a matching candidate makes under these requirements. */
export function toOffer(candidate: Candidate, requirements: Requirements): Offer {
  const { instance, price } = candidate;
  return {
    backend: instance.backend,
    region: price.region,
    zones: allowedZones(candidate, requirements.zones),
    instance_type: instance.instance_type,
    cpus: instance.cpus,
    memory_gb: instance.memory_gb,
    arch: instance.arch,
    gpu: instance.gpu,
    tpu: instance.tpu,
    disk_gb: diskSize(instance.backend, requirements.disk) ?? 0,
    spot: candidate.spot,
    price_per_hour: candidate.pricePerHour,
    estimated_price: candidate.estimated,
  };
}

/** The JSON form, with the keys in the documented order. */
export function offerJson(offer: Offer): Record<string, unknown> {
  return {
    backend: offer.backend,
    region: offer.region,
    zones: offer.zones,
    instance_type: offer.instance_type,
    cpus: offer.cpus,
    memory_gb: offer.memory_gb,
    arch: offer.arch,
    gpu: offer.gpu && { vendor: offer.gpu.vendor, name: offer.gpu.name, memory_gb: offer.gpu.memory_gb, count: offer.gpu.count },
    tpu: offer.tpu && { version: offer.tpu.version, chips: offer.tpu.chips, hosts: offer.tpu.hosts, hbm_gb: offer.tpu.hbm_gb },
    disk_gb: offer.disk_gb,
    spot: offer.spot,
    price_per_hour: offer.price_per_hour,
    estimated_price: offer.estimated_price,
  };
}

/** Offers grouped per backend, then per region, each group in offer order. */
export function groupOffers(offers: readonly Offer[]): Map<Backend, Map<string, Offer[]>> {
  const groups = new Map<Backend, Map<string, Offer[]>>();
  for (const offer of offers) {
    let regions = groups.get(offer.backend);
    if (!regions) groups.set(offer.backend, (regions = new Map()));
    let list = regions.get(offer.region);
    if (!list) regions.set(offer.region, (list = []));
    list.push(offer);
  }
  return groups;
}
