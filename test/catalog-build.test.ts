/**
 * The catalog builder on excerpts of the real source tables (test/fixtures/catalog-build: a few rows
 * of each file, copied unchanged), with exact instances and prices.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { decodeCatalog, encodeCatalog } from "../catalog/file-format";
import type { Catalog, CatalogInstance, CatalogPrice } from "../catalog/types";
import { readSourceRows } from "../scripts/build-catalog";
import { indexAnycloud } from "../scripts/catalog-build/anycloud";
import { awsInstance } from "../scripts/catalog-build/aws";
import { buildCatalog, type SourceRows } from "../scripts/catalog-build/catalog";
import { buildGcpMachines } from "../scripts/catalog-build/gcp";
import { roundPrice } from "../catalog/price-rules";
import type { Tally } from "../scripts/catalog-build/price";

const FIXTURES = join(__dirname, "..", "..", "test", "fixtures", "catalog-build");

function price(region: string, onDemand: number | null, spot: number | null, zones: string[] = [], estimated: { on_demand?: boolean; spot?: boolean } = {}): CatalogPrice {
  return { region, zones, on_demand: onDemand, spot, on_demand_estimated: estimated.on_demand ?? false, spot_estimated: estimated.spot ?? false };
}

describe("catalog builder", () => {
  let rows: SourceRows;
  let catalog: Catalog;
  let tally: Tally;

  before(() => {
    rows = readSourceRows(FIXTURES);
    tally = new Map();
    catalog = buildCatalog(rows, tally);
  });

  function find(instanceType: string, gpu?: string, count?: number): CatalogInstance {
    const found = catalog.instances.filter((i) => i.instance_type === instanceType && (gpu === undefined || i.gpu?.name === gpu) && (count === undefined || i.gpu?.count === count));
    assert.equal(found.length, 1, `${instanceType} ${gpu ?? ""} ${count ?? ""}: ${found.length} matches`);
    return { ...found[0], prices: [...found[0].prices].sort((a, b) => (a.region < b.region ? -1 : 1)) };
  }

  function prices(instanceType: string, gpu?: string, count?: number): CatalogPrice[] {
    return find(instanceType, gpu, count).prices;
  }

  describe("AWS", () => {
    it("builds a GPU type with its region prices and the minimum spot price over AZs", () => {
      assert.deepEqual(find("g5.xlarge"), {
        backend: "aws", instance_type: "g5.xlarge", cpus: 4, memory_gb: 16, arch: "x86",
        gpu: { vendor: "nvidia", name: "A10G", memory_gb: 24, count: 1 }, tpu: null, local_ssd_gb: 250,
        // us-west-2-lax-1 has neither price in the source: dropped
        prices: [price("ap-northeast-1", 1.459, 0.5112), price("eu-west-1", 1.123, 0.5795), price("us-east-1", 1.006, 0.3837)],
      });
    });

    it("gives p4de.24xlarge the 80 GB A100 and p4d.24xlarge the 40 GB one", () => {
      assert.deepEqual(find("p4de.24xlarge").gpu, { vendor: "nvidia", name: "A100", memory_gb: 80, count: 8 });
      assert.deepEqual(find("p4d.24xlarge").gpu, { vendor: "nvidia", name: "A100", memory_gb: 40, count: 8 });
      assert.deepEqual(prices("p4de.24xlarge"), [price("ap-northeast-1", 37.6223, 9.8477), price("us-east-1", 27.44705, 10.8812)]);
      assert.equal(find("p4d.24xlarge").memory_gb, 1152);
    });

    it("gives L4 24 GB (AWS reports 22888 MiB) and keeps a GovCloud on-demand price without spot", () => {
      assert.deepEqual(find("g6.xlarge").gpu, { vendor: "nvidia", name: "L4", memory_gb: 24, count: 1 });
      assert.deepEqual(prices("g6.xlarge"), [price("ap-northeast-1", 1.1672, 0.4748), price("us-east-1", 0.8048, 0.3337), price("us-gov-west-1", 1.0144, null)]);
    });

    it("drops a spot price equal to the on-demand price", () => {
      assert.deepEqual(prices("p5.4xlarge"), [price("ap-northeast-1", 8.6, null), price("us-east-1", 6.88, null), price("us-gov-west-1", 8.256, null)]);
      assert.equal(tally.get("aws: spot price not below on-demand, spot dropped"), 1);
    });

    it("takes us-east-1 from Karpenter for a GPU type Vantage does not list", () => {
      assert.deepEqual(find("g7.2xlarge"), {
        backend: "aws", instance_type: "g7.2xlarge", cpus: 8, memory_gb: 32, arch: "x86",
        gpu: { vendor: "nvidia", name: "RTXPRO4500", memory_gb: 32, count: 1 }, tpu: null, local_ssd_gb: 440,
        prices: [price("us-east-1", 2.52, null)],
      });
    });

    it("publishes the sample size's regional prices, spot the minimum over the region's own AZs (not its Local Zones)", () => {
      assert.deepEqual(prices("c5.large"), [price("af-south-1", 0.114, 0.0279), price("us-east-1", 0.085, 0.0273), price("us-west-2", 0.085, 0.0254)]);
      assert.deepEqual(prices("c6i.xlarge"), [price("af-south-1", 0.228, 0.0808), price("us-east-1", 0.17, 0.0676), price("us-west-2", 0.17, 0.0781)]);
    });

    it("derives another size's price outside us-east-1 from the sample's regional ratio, flagged estimated", () => {
      assert.deepEqual(prices("c5.xlarge"), [
        price("af-south-1", 0.228, 0.0558, [], { on_demand: true, spot: true }), // 0.17 x 0.114 / 0.085; 0.17 x 0.0279 / 0.085
        price("us-east-1", 0.17, 0.0546, [], { spot: true }),
        price("us-west-2", 0.17, 0.0508, [], { on_demand: true, spot: true }),
      ]);
    });

    it("derives a family without samples from its proxy family's ratio, with no spot price", () => {
      assert.deepEqual(prices("m6i.large"), [
        price("af-south-1", 0.128753, null, [], { on_demand: true }), // 0.096 x 0.228 / 0.17
        price("us-east-1", 0.096, null),
        price("us-west-2", 0.096, null, [], { on_demand: true }),
      ]);
    });

    it("leaves out families outside the catalog's scope and fractional GPUs", () => {
      assert.equal(catalog.instances.some((i) => i.instance_type === "a1.medium" || i.instance_type === "g6f.large"), false);
      const g6f = rows.awsInstanceTypes.find((row) => row.instance_type === "g6f.large")!;
      assert.equal(awsInstance(g6f), null);
    });

    it("classifies Local Zones, Wavelength zones and GovCloud", () => {
      assert.deepEqual(prices("g4dn.2xlarge"), [
        price("us-east-1", 0.752, 0.247), price("us-east-1-wl1-atl1", 1.317, null), price("us-gov-west-1", 0.948, null), price("us-west-2-lax-1", 0.902, null),
      ]);
      const kind = (name: string) => catalog.regions.find((region) => region.backend === "aws" && region.name === name)?.kind;
      assert.equal(kind("us-west-2-lax-1"), "local-zone");
      assert.equal(kind("us-east-1-wl1-atl1"), "wavelength");
      assert.equal(kind("us-gov-west-1"), "govcloud");
      assert.equal(kind("us-east-1"), "standard");
      // us-east-1-bue-1 has no price in the excerpt, so it is not a catalog region
      assert.equal(kind("us-east-1-bue-1"), undefined);
    });
  });

  describe("GCP machine types", () => {
    it("builds a2 from Cyclenerd's price, kept only in regions that offer it, zones from anycloud", () => {
      assert.deepEqual(find("a2-highgpu-1g"), {
        backend: "gcp", instance_type: "a2-highgpu-1g", cpus: 12, memory_gb: 85, arch: "x86",
        gpu: { vendor: "nvidia", name: "A100", memory_gb: 40, count: 1 }, tpu: null, local_ssd_gb: null,
        // asia-east1 has a Cyclenerd price but gcloud does not offer a2-highgpu-1g there
        prices: [price("us-central1", 3.673385, 1.92802, ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"])],
      });
      assert.equal(tally.get("gcp: price row of a region that does not offer the type dropped"), 2);
    });

    it("builds a2-ultragpu-1g as an 80 GB A100 with its bundled local SSD", () => {
      assert.deepEqual(find("a2-ultragpu-1g"), {
        backend: "gcp", instance_type: "a2-ultragpu-1g", cpus: 12, memory_gb: 170, arch: "x86",
        gpu: { vendor: "nvidia", name: "A100", memory_gb: 80, count: 1 }, tpu: null, local_ssd_gb: 375,
        prices: [price("us-central1", 5.068798, 2.759546, ["us-central1-a", "us-central1-c"])],
      });
    });

    it("keeps only the spot price of a spot-only type", () => {
      assert.deepEqual(prices("a3-highgpu-1g"), [price("asia-east1", null, 5.999789), price("us-central1", null, 6.326193, ["us-central1-a", "us-central1-b", "us-central1-c"])]);
    });

    it("takes vCPUs from gcloud (e2-medium: 2, where Cyclenerd's price table says 1), arm for c4a, and drops c2", () => {
      assert.equal(find("e2-medium").cpus, 2);
      assert.deepEqual(prices("e2-medium"), [price("asia-east1", 0.038796, 0.020276), price("us-central1", 0.033506, 0.020106, ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"])]);
      assert.equal(find("c4a-standard-4").arch, "arm");
      assert.equal(catalog.instances.some((i) => i.instance_type === "c2-standard-4"), false);
    });

    it("drops a price below anycloud's host price plus half its GPU price (billing SKU of the GPU missing)", () => {
      // Cyclenerd's asia-east2 row of g2-standard-4, whose spot total (0.098192) lacks the L4; for the
      // test, gcloud is said to offer it there and anycloud's us-central1 rows are moved to asia-east2.
      const priceRow = { machine_type: "g2-standard-4", series: "g2", vcpus: "4", memory_gb: "16", gpu_key: "l4", gpu_count: "1", local_ssd_gb: "", region: "asia-east2", ondemand_usd_per_hour: "0.988787668", spot_usd_per_hour: "0.098192", cud_1y_usd_per_month: "", cud_3y_usd_per_month: "" };
      const typeRow = { machine_type: "g2-standard-4", vcpus: "4", shared_cpu: "False", memory_gb: "16.00", deprecated: "", region: "asia-east2" };
      const moved = rows.gcpAnycloud
        .filter((row) => row.Region === "us-central1" && row.AvailabilityZone === "us-central1-a" && (row.InstanceType === "g2-standard-4" || (row.AcceleratorName === "L4" && row.AcceleratorCount === "1")))
        .map((row) => ({ ...row, Region: "asia-east2", AvailabilityZone: "asia-east2-a" }));
      assert.equal(moved.length, 2);
      const local: Tally = new Map();
      const [instance] = buildGcpMachines({ prices: [priceRow], machineTypeRegions: [typeRow] }, indexAnycloud(moved), local);
      assert.deepEqual(instance.prices, [price("asia-east2", 0.988787668, null, ["asia-east2-a"])]);
      assert.deepEqual([...local], [["gcp: spot total without its GPU SKU dropped", 1]]);
    });
  });

  describe("GCP N1 with attached GPUs", () => {
    it("sums the host and GPU rows per zone, over the zones that have both", () => {
      assert.deepEqual(find("n1-standard-4", "T4", 1), {
        backend: "gcp", instance_type: "n1-standard-4", cpus: 4, memory_gb: 15, arch: "x86",
        gpu: { vendor: "nvidia", name: "T4", memory_gb: 16, count: 1 }, tpu: null, local_ssd_gb: null,
        prices: [
          // host a, b, c; T4 a, c: 0.22 + 0.35, 0.04121 + 0.1513
          price("asia-east1", 0.57, 0.19251, ["asia-east1-a", "asia-east1-c"]),
          // 0.19 + 0.35, 0.06977 + 0.1654
          price("us-central1", 0.54, 0.23517, ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"]),
        ],
      });
      assert.deepEqual(prices("n1-standard-4", "T4", 4), [price("us-central1", 1.59, 0.73137, ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"])]);
      assert.deepEqual(prices("n1-standard-4", "P100", 1), [price("us-central1", 1.65, 0.76327, ["us-central1-c", "us-central1-f"])]);
    });

    it("makes one instance per allowed GPU count, within the N1 vCPU and memory limits", () => {
      const variants = (type: string) => catalog.instances.filter((i) => i.instance_type === type).map((i) => `${i.gpu?.name}x${i.gpu?.count}`).sort();
      assert.deepEqual(variants("n1-standard-4"), ["P100x1", "P100x2", "P100x4", "T4x1", "T4x2", "T4x4", "V100x1", "V100x2", "V100x4", "V100x8"]);
      assert.deepEqual(variants("n1-standard-96"), ["P100x4", "T4x4", "V100x8"]);
      assert.deepEqual(variants("n1-ultramem-40"), []);
    });
  });

  describe("TPU slices", () => {
    it("builds v5litepod-8 as a single-host slice with its host VM and whole-slice prices", () => {
      assert.deepEqual(find("v5litepod-8"), {
        backend: "gcp", instance_type: "v5litepod-8", cpus: 224, memory_gb: 384, arch: "x86", gpu: null,
        tpu: { version: "v5litepod", chips: 8, hosts: 1, hbm_gb: 128 }, local_ssd_gb: null,
        prices: [price("asia-east1", 11.11584, 4.22402, ["asia-east1-a", "asia-east1-b", "asia-east1-c"]), price("us-central1", 9.6, 2.05738, ["us-central1-a"])],
      });
    });

    it("builds multi-host slices with the generation's host VM", () => {
      assert.deepEqual(find("v5litepod-16").tpu, { version: "v5litepod", chips: 16, hosts: 4, hbm_gb: 256 });
      assert.deepEqual([find("v5litepod-16").cpus, find("v5litepod-16").memory_gb], [112, 192]);
      assert.deepEqual(find("v2-32"), {
        backend: "gcp", instance_type: "v2-32", cpus: 96, memory_gb: 334, arch: "x86", gpu: null,
        tpu: { version: "v2", chips: 16, hosts: 4, hbm_gb: 256 }, local_ssd_gb: null,
        prices: [price("europe-west4", 24, 6.12, ["europe-west4-a"]), price("us-central1", 24, 6.12, ["us-central1-a"])],
      });
    });

    it("drops the 700.0 placeholder on each side on its own", () => {
      // asia-east1-c and us-central2-b (twice) have 700.0 on both sides; southamerica-west1-a on spot only
      assert.deepEqual(prices("v6e-1"), [price("southamerica-west1", 2.7, null, ["southamerica-west1-a"]), price("us-east5", 2.7, 1.27575, ["us-east5-a", "us-east5-b", "us-east5-c"])]);
      assert.equal(tally.get("gcp: TPU on-demand placeholder 700.0 dropped"), 3);
      assert.equal(tally.get("gcp: TPU spot placeholder 700.0 dropped"), 4);
    });
  });

  describe("the catalog", () => {
    it("lists exactly the regions that have a price, every GCP region standard", () => {
      assert.deepEqual(catalog.regions.filter((r) => r.backend === "gcp").map((r) => `${r.name}:${r.kind}`).sort(), [
        "asia-east1:standard", "europe-west4:standard", "southamerica-west1:standard", "us-central1:standard", "us-east5:standard",
      ]);
      assert.equal(catalog.regions.filter((r) => r.backend === "aws").length, 8);
    });

    it("stamps the sources with their dates", () => {
      assert.equal(catalog.stamp.format, 1);
      assert.equal(catalog.stamp.built_from, "sources");
      assert.equal(catalog.stamp.data_date, "2026-08-17");
      assert.equal(catalog.stamp.oldest_data_date, "2025-11-30");
      assert.deepEqual(catalog.stamp.sources.map((s) => `${s.id} ${s.data_date}`), [
        "aws-karpenter-instance-types 2026-07-11", "aws-karpenter-ondemand-us-east-1 2026-07-20", "aws-vantage-gpu-prices 2025-11-30",
        "aws-skypilot-anycloud-cpu-sample-prices 2026-04-02", "gcp-anycloud-skypilot-vms 2026-05-20", "gcp-cyclenerd-instance-prices 2026-07-30",
        "gcp-cyclenerd-machinetype-regions 2026-08-17",
      ]);
    });

    it("writes the same bytes for the same sources, and the file decodes to the catalog", () => {
      const text = encodeCatalog(catalog);
      assert.equal(encodeCatalog(buildCatalog(readSourceRows(FIXTURES))), text);
      assert.equal(encodeCatalog(decodeCatalog(text)), text);
    });

    it("rounds prices to 6 decimals without float noise", () => {
      assert.equal(roundPrice(0.1 + 0.2), 0.3);
      assert.equal(roundPrice(5.06879789041096), 5.068798);
    });
  });
});
