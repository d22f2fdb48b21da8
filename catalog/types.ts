/**
 * The shape of the bundled catalog: what instance types (and TPU slices) AWS and GCP offer, with
 * their hardware, and where, at which on-demand and spot price. Pure data types; the loader is
 * `load.ts`, the on-disk form `file-format.ts`.
 */

/** The clouds this project provisions. */
export const SUPPORTED_BACKENDS = ["aws", "gcp"] as const;
export type Backend = (typeof SUPPORTED_BACKENDS)[number];

/**
 * What kind of location a region is. Only `standard` regions are offered unless the user names a
 * region in `regions`: AWS Local Zones (`us-west-2-lax-1`), Wavelength zones, GovCloud and China
 * regions need opt-in, separate accounts or partitions.
 */
export type RegionKind = "standard" | "local-zone" | "wavelength" | "govcloud" | "china";

export interface CatalogRegion {
  backend: Backend;
  /** `us-east-1`, `us-west-2-lax-1`, `us-central1`. */
  name: string;
  kind: RegionKind;
}

/** One data source the catalog was built from. */
export interface CatalogSource {
  /** Short id, e.g. `aws-vantage-gpu-prices`. */
  id: string;
  /** What the source gave the catalog. */
  description: string;
  /** The date of the data (not of the download), `YYYY-MM-DD`. */
  data_date: string;
  /** Where it came from (a repository path with commit, or an API). */
  origin: string;
  license: string;
}

/** Identifies a catalog: format, how it was made, and the age of its data. */
export interface CatalogStamp {
  format: 1;
  /** `sources` for the bundled catalog built by `scripts/build-catalog`, `live` for `catalog update`. */
  built_from: "sources" | "live";
  /** The newest `data_date` among the sources, `YYYY-MM-DD`. */
  data_date: string;
  /** The oldest `data_date` among the sources (prices can be this old). */
  oldest_data_date: string;
  sources: CatalogSource[];
}

export type AcceleratorVendor = "nvidia" | "amd" | "google";

/** The GPUs of an instance type, under dstack's (gpuhunt's) GPU names. */
export interface CatalogGpu {
  vendor: "nvidia" | "amd";
  /** dstack's name: `A100`, `H100`, `L4`, `A10G`, `RTXPRO6000`. The memory tells A100 40GB from 80GB. */
  name: string;
  /** Memory per GPU, GB (GiB, as dstack counts). */
  memory_gb: number;
  /** GPUs per instance (whole GPUs only). */
  count: number;
}

/** A TPU slice (GCP). The instance type is the slice name (`v5litepod-8`). */
export interface CatalogTpu {
  /** `v2`, `v3`, `v4`, `v5p`, `v5litepod`, `v6e`. */
  version: string;
  chips: number;
  /** Host VMs in the slice: 1 for single-host slices. */
  hosts: number;
  /** High-bandwidth memory of the whole slice, GB; null where no public figure is known. */
  hbm_gb: number | null;
}

/** One instance type (or N1 machine type with a given attached GPU, or TPU slice). */
export interface CatalogInstance {
  backend: Backend;
  /** `g5.xlarge`, `n1-standard-8`, `a2-ultragpu-1g`, `v5litepod-8`. */
  instance_type: string;
  /** vCPUs (of one host for a TPU slice). */
  cpus: number;
  /** Memory, GB (GiB; of one host for a TPU slice). */
  memory_gb: number;
  arch: "x86" | "arm";
  /** Null for CPU-only instance types and TPU slices. */
  gpu: CatalogGpu | null;
  /** Set for TPU slices only. */
  tpu: CatalogTpu | null;
  /** Bundled local SSD / instance store, GB; null when none. */
  local_ssd_gb: number | null;
  prices: CatalogPrice[];
}

/** Where an instance type is offered and what it costs there, USD per hour. */
export interface CatalogPrice {
  region: string;
  /** Zones of the region where it is known to be offered; empty when not known. */
  zones: string[];
  /** Null when not offered on demand in this region (or no price is known). */
  on_demand: number | null;
  /** Null when not offered as spot in this region (or no price is known). */
  spot: number | null;
  /** True when the on-demand price is derived (for example from another region's ratio), not published. */
  on_demand_estimated: boolean;
  spot_estimated: boolean;
}

export interface Catalog {
  stamp: CatalogStamp;
  regions: CatalogRegion[];
  instances: CatalogInstance[];
}
