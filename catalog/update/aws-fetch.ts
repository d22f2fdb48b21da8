/**
 * The AWS calls of `catalog update`, through the official SDK v3 clients given to it (tests give
 * clients with a recorded transport), every page followed, answers turned into plain records.
 *
 * Per region: DescribeInstanceTypeOfferings (zones), DescribeInstanceTypes (hardware; only for
 * types of the catalog's families not described in an earlier region), DescribeSpotPriceHistory
 * (Linux/UNIX, from `now`: each zone's current price) and the Price List GetProducts (on-demand).
 */
import type * as Ec2 from "@aws-sdk/client-ec2";
import type * as Pricing from "@aws-sdk/client-pricing";
import { awsRegionKind, isCatalogAwsType } from "../families";
import { allPages, callApi, counted, type Page, type Progress } from "./api";
import { onDemandPriceOf, type AwsInstanceType, type AwsOffering, type AwsOnDemandPrice, type AwsRecords, type AwsRegionRecords, type AwsSpotPrice } from "./aws-build";

/** The SDK modules, loaded only by `catalog update`. */
export interface AwsSdk {
  ec2: typeof Ec2;
  pricing: typeof Pricing;
}

/** Settings for both clients beyond the region: tests give a recorded `requestHandler` and fixed credentials. */
export type AwsClientSettings = Pick<Ec2.EC2ClientConfig, "credentials" | "requestHandler" | "maxAttempts">;

export interface AwsApi {
  sdk: AwsSdk;
  /** The EC2 client of a region (one per region, made on first use). */
  ec2(region: string): Ec2.EC2Client;
  /** The Price List client (the API's endpoint in us-east-1 serves every region). */
  pricing: Pricing.PricingClient;
  /** The region asked for the list of regions. */
  homeRegion: string;
}

/** The Price List API answers in us-east-1 for the prices of every region. */
const PRICE_LIST_REGION = "us-east-1";
/** DescribeInstanceTypes takes at most 100 names per call. */
const DESCRIBE_BATCH = 100;

export function createAwsApi(sdk: AwsSdk, settings: AwsClientSettings = {}, homeRegion = "us-east-1"): AwsApi {
  const clients = new Map<string, Ec2.EC2Client>();
  return {
    sdk,
    homeRegion,
    ec2(region) {
      let client = clients.get(region);
      if (!client) clients.set(region, (client = new sdk.ec2.EC2Client({ ...settings, region })));
      return client;
    },
    pricing: new sdk.pricing.PricingClient({ ...settings, region: PRICE_LIST_REGION }),
  };
}

/** The account's enabled standard regions (DescribeRegions), sorted. */
export async function listAwsRegions(api: AwsApi): Promise<string[]> {
  const client = api.ec2(api.homeRegion);
  const answer = await callApi("AWS EC2 DescribeRegions", `in ${api.homeRegion}`, () => client.send(new api.sdk.ec2.DescribeRegionsCommand({})));
  return (answer.Regions ?? [])
    .map((region) => region.RegionName ?? "")
    .filter((name) => name !== "" && awsRegionKind(name) === "standard")
    .sort();
}

/** Every page of one EC2 call in a region, as records. */
function ec2Pages<T>(api: string, region: string, fetchPage: (token: string | undefined) => Promise<Page<T>>) {
  return allPages((token) => callApi(`AWS EC2 ${api}`, `in ${region}`, () => fetchPage(token)));
}

export async function fetchAwsOfferings(api: AwsApi, region: string) {
  const { DescribeInstanceTypeOfferingsCommand } = api.sdk.ec2;
  return ec2Pages<AwsOffering>("DescribeInstanceTypeOfferings", region, async (NextToken) => {
    const answer = await api.ec2(region).send(new DescribeInstanceTypeOfferingsCommand({ LocationType: "availability-zone", MaxResults: 1000, NextToken }));
    return { items: (answer.InstanceTypeOfferings ?? []).map((offering) => ({ instance_type: offering.InstanceType ?? "", zone: offering.Location ?? "" })), next: answer.NextToken };
  });
}

function instanceTypeRecord(info: Ec2.InstanceTypeInfo): AwsInstanceType {
  const gpu = info.GpuInfo?.Gpus?.[0];
  return {
    instance_type: info.InstanceType ?? "",
    cpus: info.VCpuInfo?.DefaultVCpus ?? 0,
    memory_mib: info.MemoryInfo?.SizeInMiB ?? 0,
    architectures: info.ProcessorInfo?.SupportedArchitectures ?? [],
    gpu: gpu ? { name: gpu.Name ?? "", manufacturer: gpu.Manufacturer ?? "", count: gpu.Count ?? 0, memory_mib: gpu.MemoryInfo?.SizeInMiB ?? 0 } : null,
    local_ssd_gb: info.InstanceStorageInfo?.TotalSizeInGB ?? null,
    usage_classes: info.SupportedUsageClasses ?? [],
  };
}

/** The hardware of the named types (all offered in `region`), 100 names per call. */
export async function fetchAwsInstanceTypes(api: AwsApi, region: string, names: readonly string[]) {
  const { DescribeInstanceTypesCommand } = api.sdk.ec2;
  const result = { items: [] as AwsInstanceType[], pages: 0 };
  for (let start = 0; start < names.length; start += DESCRIBE_BATCH) {
    const InstanceTypes = names.slice(start, start + DESCRIBE_BATCH) as Ec2._InstanceType[];
    const batch = await ec2Pages("DescribeInstanceTypes", region, async (NextToken) => {
      const answer = await api.ec2(region).send(new DescribeInstanceTypesCommand({ InstanceTypes, NextToken }));
      return { items: (answer.InstanceTypes ?? []).map(instanceTypeRecord), next: answer.NextToken };
    });
    result.items.push(...batch.items);
    result.pages += batch.pages;
  }
  return result;
}

/** The current Linux/UNIX spot price of the named types in each zone of the region. */
export async function fetchAwsSpotPrices(api: AwsApi, region: string, names: readonly string[], now: Date) {
  const { DescribeSpotPriceHistoryCommand } = api.sdk.ec2;
  const InstanceTypes = [...names] as Ec2._InstanceType[];
  return ec2Pages<AwsSpotPrice>("DescribeSpotPriceHistory", region, async (NextToken) => {
    const answer = await api
      .ec2(region)
      .send(new DescribeSpotPriceHistoryCommand({ StartTime: now, ProductDescriptions: ["Linux/UNIX"], InstanceTypes, MaxResults: 1000, NextToken }));
    const items = (answer.SpotPriceHistory ?? []).map((entry) => ({
      instance_type: entry.InstanceType ?? "",
      zone: entry.AvailabilityZone ?? "",
      price: Number(entry.SpotPrice),
      timestamp: entry.Timestamp?.getTime() ?? 0,
    }));
    return { items: items.filter((item) => Number.isFinite(item.price)), next: answer.NextToken };
  });
}

/** The Price List filters of an on-demand Linux price in a region. */
export function priceListFilters(region: string): Pricing.Filter[] {
  const terms: Record<string, string> = {
    regionCode: region,
    operatingSystem: "Linux",
    tenancy: "Shared",
    preInstalledSw: "NA",
    capacitystatus: "Used",
    marketoption: "OnDemand",
  };
  return Object.entries(terms).map(([Field, Value]) => ({ Type: "TERM_MATCH", Field, Value }));
}

/** On-demand prices of every instance type of the region (Price List GetProducts, 100 per page). */
export async function fetchAwsOnDemandPrices(api: AwsApi, region: string) {
  const { GetProductsCommand } = api.sdk.pricing;
  return allPages<AwsOnDemandPrice>((NextToken) =>
    callApi("AWS Price List GetProducts", `for ${region}`, async () => {
      const answer = await api.pricing.send(new GetProductsCommand({ ServiceCode: "AmazonEC2", FormatVersion: "aws_v1", Filters: priceListFilters(region), MaxResults: 100, NextToken }));
      // The API gives each product as a JSON string (the SDK wraps it in a String object).
      const documents = (answer.PriceList ?? []) as unknown as (string | object)[];
      const prices = documents.map((document) => onDemandPriceOf(JSON.parse(String(document))));
      return { items: prices.filter((price): price is AwsOnDemandPrice => price !== null), next: answer.NextToken };
    }),
  );
}

/** Everything the AWS build needs, region by region, with a progress line per call. */
export async function fetchAwsRecords(api: AwsApi, regions: readonly string[], now: Date, progress: Progress): Promise<AwsRecords> {
  const types = new Map<string, AwsInstanceType>();
  const perRegion: AwsRegionRecords[] = [];
  for (const [index, region] of regions.entries()) {
    const step = `aws ${region} (${index + 1}/${regions.length})`;
    const offerings = await fetchAwsOfferings(api, region);
    const wanted = [...new Set(offerings.items.map((offering) => offering.instance_type))].filter(isCatalogAwsType).sort();
    progress(`${step}: ${counted(offerings.items.length, "instance type offering")}, ${counted(wanted.length, "type")} of the catalog's families (${counted(offerings.pages, "page")})`);
    const unknown = wanted.filter((name) => !types.has(name));
    if (unknown.length > 0) {
      const described = await fetchAwsInstanceTypes(api, region, unknown);
      for (const type of described.items) types.set(type.instance_type, type);
      progress(`${step}: ${counted(described.items.length, "instance type")} described (${counted(described.pages, "page")})`);
    }
    const spot = wanted.length > 0 ? await fetchAwsSpotPrices(api, region, wanted, now) : { items: [], pages: 0 };
    progress(`${step}: ${counted(spot.items.length, "spot price")} (${counted(spot.pages, "page")})`);
    const onDemand = await fetchAwsOnDemandPrices(api, region);
    progress(`${step}: ${counted(onDemand.items.length, "on-demand price")} from the Price List (${counted(onDemand.pages, "page")})`);
    perRegion.push({ region, offerings: offerings.items, spot: spot.items, on_demand: onDemand.items });
  }
  return { types: [...types.values()], regions: perRegion };
}
