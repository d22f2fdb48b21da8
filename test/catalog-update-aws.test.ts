/**
 * `catalog update` for AWS, through the real SDK v3 clients (`@aws-sdk/client-ec2`,
 * `@aws-sdk/client-pricing`) whose transport answers with recorded EC2 Query API XML and Price List
 * JSON (`test/fixtures/catalog-update/aws`).
 */
import { strict as assert } from "node:assert";
import type { CatalogInstance, CatalogPrice } from "../catalog/types";
import { isRegionZone, onDemandPriceOf, regionSpotPrices } from "../catalog/update/aws-build";
import { createAwsApi, type AwsApi } from "../catalog/update/aws-fetch";
import { loadSdks, type Sdks } from "../catalog/update/sdk";
import { buildLiveCatalog } from "../catalog/update/update";
import { AwsReplay, FAKE_AWS_CREDENTIALS, type AwsCall, type Failure } from "./fixtures/catalog-update/replay";

const NOW = new Date("2026-08-20T12:00:00Z");
const TODAY = "2026-08-20";

function price(region: string, zones: string[], onDemand: number | null, spot: number | null): CatalogPrice {
  return { region, zones, on_demand: onDemand, spot, on_demand_estimated: false, spot_estimated: false };
}

function aws(instance_type: string, cpus: number, memory_gb: number, arch: "x86" | "arm", gpu: CatalogInstance["gpu"], local_ssd_gb: number | null, prices: CatalogPrice[]): CatalogInstance {
  return { backend: "aws", instance_type, cpus, memory_gb, arch, gpu, tpu: null, local_ssd_gb, prices };
}

const EAST_ZONES = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1f"];

/** What the recorded answers must give, computed by hand from the fixtures. */
const EXPECTED_AWS: CatalogInstance[] = [
  aws("c7g.large", 2, 4, "arm", null, null, [price("us-west-2", ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"], 0.0725, 0.02535)]),
  aws("g5.xlarge", 4, 16, "x86", { vendor: "nvidia", name: "A10G", memory_gb: 24, count: 1 }, 250, [
    // us-east-1a's latest spot price is 0.399 (an older 0.35 no longer holds); the lowest zone is 1b.
    price("us-east-1", EAST_ZONES, 1.006, 0.3837),
    // The Local Zone us-west-2-lax-1a (offered, spot 0.401) is not a zone of us-west-2.
    price("us-west-2", ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"], 1.006, 0.5226),
  ]),
  aws("m7i.large", 2, 8, "x86", null, null, [price("us-east-1", EAST_ZONES, 0.1008, 0.0398), price("us-west-2", ["us-west-2a", "us-west-2b", "us-west-2c"], 0.1008, null)]),
  aws("p4de.24xlarge", 96, 1152, "x86", { vendor: "nvidia", name: "A100", memory_gb: 80, count: 8 }, 8000, [price("us-east-1", ["us-east-1b", "us-east-1c"], 27.44705, null)]),
];

const EXPECTED_AWS_PROGRESS = [
  "aws: 2 regions: us-east-1, us-west-2",
  "aws us-east-1 (1/2): 14 instance type offerings, 3 types of the catalog's families (2 pages)",
  "aws us-east-1 (1/2): 3 instance types described (1 page)",
  "aws us-east-1 (1/2): 8 spot prices (2 pages)",
  "aws us-east-1 (1/2): 4 on-demand prices from the Price List (2 pages)",
  "aws us-west-2 (2/2): 12 instance type offerings, 3 types of the catalog's families (1 page)",
  "aws us-west-2 (2/2): 1 instance type described (1 page)",
  "aws us-west-2 (2/2): 8 spot prices (1 page)",
  "aws us-west-2 (2/2): 3 on-demand prices from the Price List (1 page)",
  "aws: 4 instance types",
];

const OFFERINGS_TOKEN = "AAEAAdRjGqQbGYjOVMfR0OVwsUM8Q0Wx2pZlc1kE7g1sgtNkAAAAAAAAAAD1Ikq8n9TqN0n5CkW1xYwq";
const SPOT_TOKEN = "eyJ2IjoiMiIsImMiOiJLM2x3b3BiZ3FvNm1uM3pqQ3d0eE5nPT0iLCJzIjoiMSJ9";
const PRICE_LIST_TOKEN = "Tq8tVnVQ4bV3ZrUe1Mv4Kw==:Xb3kM6cQ0ZyR7Hn2pTj9LwVd5Fg8Ss1Ea4Ui7Oq2Yx6Ce0Nr3Wm9Bh5Jk8Pz1Lt4";

function priceListRequest(region: string, NextToken?: string): Record<string, unknown> {
  const terms = { regionCode: region, operatingSystem: "Linux", tenancy: "Shared", preInstalledSw: "NA", capacitystatus: "Used", marketoption: "OnDemand" };
  return {
    ServiceCode: "AmazonEC2",
    Filters: Object.entries(terms).map(([Field, Value]) => ({ Type: "TERM_MATCH", Field, Value })),
    FormatVersion: "aws_v1",
    ...(NextToken ? { NextToken } : {}),
    MaxResults: 100,
  };
}

function spotRequest(types: string[], NextToken?: string): Record<string, string> {
  return {
    StartTime: "2026-08-20T12:00:00Z",
    ...Object.fromEntries(types.map((type, index) => [`InstanceType.${index + 1}`, type])),
    "ProductDescription.1": "Linux/UNIX",
    MaxResults: "1000",
    ...(NextToken ? { NextToken } : {}),
  };
}

const OFFERINGS_REQUEST = { LocationType: "availability-zone", MaxResults: "1000" };
const EAST_TYPES = ["g5.xlarge", "m7i.large", "p4de.24xlarge"];

describe("catalog update: AWS through the SDK clients and recorded answers", () => {
  let sdks: Sdks;
  before(async () => {
    sdks = await loadSdks(["aws"]);
  });

  function replayed(failures?: Record<string, Failure>): { api: AwsApi; replay: AwsReplay } {
    const replay = new AwsReplay(failures);
    return { replay, api: createAwsApi(sdks.aws!, { credentials: FAKE_AWS_CREDENTIALS, requestHandler: replay }, "us-east-1") };
  }

  async function build(api: AwsApi, regions?: string[]) {
    const progress: string[] = [];
    const catalog = await buildLiveCatalog({ aws: api }, { backends: ["aws"], regions, today: TODAY, now: NOW, progress: (message) => progress.push(message) });
    return { catalog, progress };
  }

  it("builds each instance type's hardware, zones, on-demand and spot prices; inf2 (outside the families) is dropped", async () => {
    const { catalog } = await build(replayed().api);
    assert.deepStrictEqual(catalog.instances, EXPECTED_AWS);
    assert.deepStrictEqual(catalog.regions, [
      { backend: "aws", name: "us-east-1", kind: "standard" },
      { backend: "aws", name: "us-west-2", kind: "standard" },
    ]);
  });

  it("asks DescribeRegions, follows every NextToken, and describes only types not described in an earlier region", async () => {
    const { api, replay } = replayed();
    await build(api);
    const call = (service: AwsCall["service"], region: string, action: string, params: Record<string, unknown>): AwsCall => ({ service, region, action, params });
    assert.deepStrictEqual(replay.calls, [
      call("ec2", "us-east-1", "DescribeRegions", {}),
      call("ec2", "us-east-1", "DescribeInstanceTypeOfferings", OFFERINGS_REQUEST),
      call("ec2", "us-east-1", "DescribeInstanceTypeOfferings", { ...OFFERINGS_REQUEST, NextToken: OFFERINGS_TOKEN }),
      call("ec2", "us-east-1", "DescribeInstanceTypes", { "InstanceType.1": "g5.xlarge", "InstanceType.2": "m7i.large", "InstanceType.3": "p4de.24xlarge" }),
      call("ec2", "us-east-1", "DescribeSpotPriceHistory", spotRequest(EAST_TYPES)),
      call("ec2", "us-east-1", "DescribeSpotPriceHistory", spotRequest(EAST_TYPES, SPOT_TOKEN)),
      call("pricing", "us-east-1", "GetProducts", priceListRequest("us-east-1")),
      call("pricing", "us-east-1", "GetProducts", priceListRequest("us-east-1", PRICE_LIST_TOKEN)),
      call("ec2", "us-west-2", "DescribeInstanceTypeOfferings", OFFERINGS_REQUEST),
      call("ec2", "us-west-2", "DescribeInstanceTypes", { "InstanceType.1": "c7g.large" }),
      call("ec2", "us-west-2", "DescribeSpotPriceHistory", spotRequest(["c7g.large", "g5.xlarge", "m7i.large"])),
      call("pricing", "us-east-1", "GetProducts", priceListRequest("us-west-2")),
    ]);
  });

  it("reports progress per region and call, with counts and pages", async () => {
    const { progress } = await build(replayed().api);
    assert.deepStrictEqual(progress, EXPECTED_AWS_PROGRESS);
  });

  it("asks only the regions given, without DescribeRegions", async () => {
    const { api, replay } = replayed();
    const { catalog } = await build(api, ["us-east-1"]);
    assert.deepStrictEqual(
      replay.calls.map((call) => `${call.service} ${call.region} ${call.action}`),
      [
        "ec2 us-east-1 DescribeInstanceTypeOfferings",
        "ec2 us-east-1 DescribeInstanceTypeOfferings",
        "ec2 us-east-1 DescribeInstanceTypes",
        "ec2 us-east-1 DescribeSpotPriceHistory",
        "ec2 us-east-1 DescribeSpotPriceHistory",
        "pricing us-east-1 GetProducts",
        "pricing us-east-1 GetProducts",
      ],
    );
    const inEast = EXPECTED_AWS.map((instance) => ({ ...instance, prices: instance.prices.filter((price) => price.region === "us-east-1") }));
    assert.deepStrictEqual(catalog.instances, inEast.filter((instance) => instance.prices.length > 0));
    assert.deepStrictEqual(catalog.stamp.sources[0].origin, "AWS EC2 API, regions us-east-1");
  });

  it("turns an AuthFailure (401) into one line naming the API and the region, with a hint", async () => {
    const { api } = replayed({ "ec2 us-east-1 DescribeInstanceTypeOfferings": { status: 401, file: "aws/errors/AuthFailure.xml" } });
    await assert.rejects(build(api, ["us-east-1"]), {
      name: "CatalogUpdateError",
      message:
        "AWS EC2 DescribeInstanceTypeOfferings in us-east-1 failed: AuthFailure: AWS was not able to validate the provided access credentials. " +
          "Check the AWS credentials (aws configure, AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).",
    });
  });

  it("takes the on-demand price only from a Linux, shared, on-demand RunInstances product priced per hour", () => {
    const product = (attributes: Record<string, string>, unit = "Hrs", usd = "0.1008000000") => ({
      product: {
        productFamily: "Compute Instance",
        attributes: { instanceType: "m7i.large", regionCode: "us-east-1", operatingSystem: "Linux", tenancy: "Shared", preInstalledSw: "NA", capacitystatus: "Used", operation: "RunInstances", usagetype: "BoxUsage:m7i.large", marketoption: "OnDemand", ...attributes },
      },
      terms: { OnDemand: { "X.JRTCKXETXF": { priceDimensions: { "X.JRTCKXETXF.6YS6EN2CT7": { unit, pricePerUnit: { USD: usd } } } } } },
    });
    assert.deepStrictEqual(onDemandPriceOf(product({})), { instance_type: "m7i.large", region: "us-east-1", price: 0.1008 });
    assert.equal(onDemandPriceOf(product({ operation: "RunInstances:0002" })), null);
    assert.equal(onDemandPriceOf(product({ tenancy: "Dedicated" })), null);
    assert.equal(onDemandPriceOf(product({ usagetype: "UnusedBox:m7i.large" })), null);
    assert.equal(onDemandPriceOf(product({ marketoption: "CapacityBlock" })), null);
    assert.equal(onDemandPriceOf(product({}, "Quantity")), null);
    assert.equal(onDemandPriceOf(product({}, "Hrs", "0.0000000000")), null);
  });

  it("keeps each zone's latest spot price and the lowest zone, ignoring Local Zones", () => {
    const spot = (zone: string, price: number, timestamp: number) => ({ instance_type: "g5.xlarge", zone, price, timestamp });
    const prices = regionSpotPrices("us-west-2", [spot("us-west-2a", 0.3, 1), spot("us-west-2a", 0.6, 2), spot("us-west-2b", 0.55, 1), spot("us-west-2-lax-1a", 0.1, 3)]);
    assert.deepStrictEqual([...prices], [["g5.xlarge", 0.55]]);
    assert.equal(isRegionZone("us-west-2", "us-west-2-lax-1a"), false);
    assert.equal(isRegionZone("us-east-1", "us-east-1f"), true);
  });
});
