/**
 * Prices of AWS CPU instance types. us-east-1 on-demand is published for every type (Karpenter).
 * Other regions are published for one sample size of five families (anycloud's SkyPilot-format table,
 * per AZ with spot); AWS prices are linear in size inside a family, so another size's price there is
 * `us-east-1 price x sample's regional price / sample's us-east-1 price`, marked estimated.
 */
import type { CatalogPrice } from "../../catalog/types";
import { groupBy, optionalNumber, requiredNumber, type Row } from "./csv";
import { cheapest, published } from "./price";

export interface AwsCpuPriceSources {
  /** `aws-karpenter-ondemand-us-east-1.csv`. */
  onDemandUsEast1: Row[];
  /** `aws-skypilot-anycloud-cpu-sample-prices.csv`. */
  cpuSamples: Row[];
}

/** The size of each family whose prices the sample table holds in every region it is offered in. */
export const AWS_REGIONAL_SAMPLES: Record<string, string> = {
  c5: "c5.large",
  c6i: "c6i.xlarge",
  c7g: "c7g.xlarge",
  c7i: "c7i.xlarge",
  m5: "m5.xlarge",
};

/**
 * Families without a regional sample, and the sampled family whose regional price ratios stand in
 * for theirs: the same processor generation (6th-gen Intel and AMD -> c6i, 7th-gen Intel -> c7i,
 * Graviton3 -> c7g), the older Intel burstables -> m5.
 */
export const AWS_RATIO_PROXIES: Record<string, string> = {
  m6i: "c6i", r6i: "c6i", m6a: "c6i", c6a: "c6i", r6a: "c6i",
  m7i: "c7i", r7i: "c7i",
  m7g: "c7g", r7g: "c7g",
  t3: "m5", t2: "m5",
};

/** A sample size's prices in one region: on-demand, and spot = the minimum over the region's own AZs. */
interface RegionalSample {
  onDemand: number;
  spot: number | null;
}

/**
 * An AZ ID of the region itself (`use1-az1`), not of one of its Local Zones (`use1-atl2-az1`,
 * `usw2-lax1-az1`), which the table lists under the parent region but which are priced apart.
 */
function isRegionAzId(azId: string): boolean {
  return /^[a-z]+\d+-az\d+$/.test(azId);
}

/** Sample type -> region -> prices. */
export function regionalSamples(rows: readonly Row[]): Map<string, Map<string, RegionalSample>> {
  const samples = new Map<string, Map<string, RegionalSample>>();
  for (const [key, azRows] of groupBy(rows, (row) => `${row.instance_type} ${row.region}`)) {
    const [type, region] = key.split(" ");
    const onDemands = new Set(azRows.map((row) => requiredNumber(row, "ondemand_usd_per_hour")));
    if (onDemands.size !== 1) throw new Error(`${type} ${region}: more than one on-demand price`);
    const spot = cheapest(azRows.filter((row) => isRegionAzId(row.availability_zone_id)).map((row) => optionalNumber(row, "spot_usd_per_hour")));
    const byRegion = samples.get(type) ?? new Map<string, RegionalSample>();
    byRegion.set(region, { onDemand: [...onDemands][0], spot });
    samples.set(type, byRegion);
  }
  return samples;
}

/** A function from a CPU instance type to its prices. */
export function awsCpuPrices(sources: AwsCpuPriceSources, usEast1: ReadonlyMap<string, number>): (instanceType: string) => CatalogPrice[] {
  const samples = regionalSamples(sources.cpuSamples);
  return (instanceType) => {
    const family = instanceType.split(".")[0];
    const ownSample = AWS_REGIONAL_SAMPLES[family];
    const sampleType = ownSample ?? AWS_REGIONAL_SAMPLES[AWS_RATIO_PROXIES[family]];
    const typeUsEast1 = usEast1.get(instanceType);
    if (typeUsEast1 === undefined) return [];
    const regions = sampleType ? samples.get(sampleType) : undefined;
    const sampleUsEast1 = regions?.get("us-east-1");
    if (!regions || !sampleUsEast1) return [published("us-east-1", typeUsEast1, null)];
    const isSample = instanceType === sampleType;
    /** A sample price carried over to this size (the sample size's own price as it is). */
    const scaled = (samplePrice: number) => (isSample ? samplePrice : (typeUsEast1 * samplePrice) / sampleUsEast1.onDemand);
    return [...regions].map(([region, sample]) => {
      const inUsEast1 = region === "us-east-1";
      // a family priced through a proxy family's ratios gets no spot price: spot markets differ by family
      const spot = ownSample && sample.spot !== null ? scaled(sample.spot) : null;
      return {
        region,
        zones: [],
        on_demand: inUsEast1 ? typeUsEast1 : scaled(sample.onDemand),
        spot,
        on_demand_estimated: !inUsEast1 && !isSample,
        spot_estimated: spot !== null && !isSample,
      };
    });
  };
}
