/**
 * `catalog update` for GCP, through Google's own clients (`@google-cloud/compute` MachineTypesClient
 * and AcceleratorTypesClient, `@google-cloud/billing` CloudCatalogClient) over REST against a local
 * server with recorded Compute Engine and Cloud Billing Catalog answers
 * (`test/fixtures/catalog-update/gcp`).
 */
import { strict as assert } from "node:assert";
import type { CatalogGpu, CatalogInstance, CatalogPrice } from "../catalog/types";
import { createGcpApi } from "../catalog/update/gcp-fetch";
import { classifySku, machineFamily, type GcpSku } from "../catalog/update/gcp-skus";
import { loadSdks, type Sdks } from "../catalog/update/sdk";
import { buildLiveCatalog } from "../catalog/update/update";
import { startGcpReplay, type Failure, type GcpReplay } from "./fixtures/catalog-update/replay";

const NOW = new Date("2026-08-20T12:00:00Z");

function price(region: string, zones: string[], onDemand: number | null, spot: number | null): CatalogPrice {
  return { region, zones, on_demand: onDemand, spot, on_demand_estimated: false, spot_estimated: false };
}

function gcp(instance_type: string, cpus: number, memory_gb: number, gpu: CatalogGpu | null, local_ssd_gb: number | null, prices: CatalogPrice[], arch: "x86" | "arm" = "x86"): CatalogInstance {
  return { backend: "gcp", instance_type, cpus, memory_gb, arch, gpu, tpu: null, local_ssd_gb, prices };
}

const T4 = (count: number): CatalogGpu => ({ vendor: "nvidia", name: "T4", memory_gb: 16, count });
const CENTRAL_AB = ["us-central1-a", "us-central1-b"];

/**
 * By hand from the SKUs (us-central1: the "Americas" SKUs; europe-west4: "Netherlands", which has no
 * spot SKUs). n1-standard-4 on demand = 4 x 0.031611 + 15 x 0.004237 = 0.189999, spot = 4 x 0.00698 +
 * 15 x 0.000936 = 0.04196; each T4 adds 0.35 / 0.1654.
 */
const EXPECTED_GCP: CatalogInstance[] = [
  // 12 x 0.031611 + 85 x 0.004237 + 2.933908; spot 12 x 0.009483 + 85 x 0.001271 + 1.4341
  gcp("a2-highgpu-1g", 12, 85, { vendor: "nvidia", name: "A100", memory_gb: 40, count: 1 }, null, [
    price("europe-west4", ["europe-west4-a"], 3.748016, null),
    price("us-central1", ["us-central1-a"], 3.673385, 1.655931),
  ]),
  // + 375 GB of bundled local SSD at 0.08 (spot 0.048) per GB-month / 730 h
  gcp("a2-ultragpu-1g", 12, 170, { vendor: "nvidia", name: "A100", memory_gb: 80, count: 1 }, 375, [price("us-central1", ["us-central1-c"], 5.068798, 1.925756)]),
  // shared core: billed as 1 vCPU + 4 GB
  gcp("e2-medium", 2, 4, null, null, [price("us-central1", ["us-central1-a"], 0.033506, 0.010051)]),
  gcp("e2-standard-4", 4, 16, null, null, [price("europe-west4", ["europe-west4-a"], 0.147544, null), price("us-central1", CENTRAL_AB, 0.134023, 0.040204)]),
  // 64 vCPUs: above the T4 limit for 1 and 2 GPUs (48), within it for 4 (96)
  gcp("n1-highmem-64", 64, 416, T4(4), null, [price("us-central1", ["us-central1-a"], 5.185696, 1.497696)]),
  // us-central1-c has n1-standard-4 but no T4; europe-west4-a neither T4
  gcp("n1-standard-4", 4, 15, T4(1), null, [price("us-central1", CENTRAL_AB, 0.539999, 0.20736)]),
  gcp("n1-standard-4", 4, 15, T4(2), null, [price("us-central1", CENTRAL_AB, 0.889999, 0.37276)]),
  gcp("n1-standard-4", 4, 15, T4(4), null, [price("us-central1", CENTRAL_AB, 1.589999, 0.70356)]),
  // no T2A spot SKU: no spot price
  gcp("t2a-standard-1", 1, 4, null, null, [price("us-central1", ["us-central1-a"], 0.0385, null)], "arm"),
];

const MACHINE_TYPES_PATH = "/compute/v1/projects/my-project/aggregated/machineTypes";
const ACCELERATOR_TYPES_PATH = "/compute/v1/projects/my-project/aggregated/acceleratorTypes";
const SKUS_PATH = "/v1/services/6F81-5844-456A/skus";
const TOKEN = "Bearer ya29.recorded-test-token";

describe("catalog update: GCP through the Google clients and recorded answers", () => {
  let sdks: Sdks;
  let replay: GcpReplay | undefined;
  before(async () => {
    sdks = await loadSdks(["gcp"]);
  });
  afterEach(async () => {
    await replay?.close();
    replay = undefined;
  });

  async function build(options: { regions?: string[]; failures?: Record<string, Failure> } = {}) {
    replay = await startGcpReplay(options.failures);
    const api = createGcpApi(sdks.gcp!, "my-project", replay.clientOptions());
    const progress: string[] = [];
    const catalog = await buildLiveCatalog({ gcp: api }, { backends: ["gcp"], regions: options.regions, today: "2026-08-20", now: NOW, progress: (message) => progress.push(message) });
    return { catalog, progress, requests: replay.requests };
  }

  it("prices machine types and N1 + T4 combinations from the SKUs; c2 and CPU-only N1 are dropped", async () => {
    const { catalog } = await build();
    assert.deepStrictEqual(catalog.instances, EXPECTED_GCP);
    assert.deepStrictEqual(catalog.regions, [
      { backend: "gcp", name: "europe-west4", kind: "standard" },
      { backend: "gcp", name: "us-central1", kind: "standard" },
    ]);
  });

  it("follows every page token, with the token of the credentials", async () => {
    const { requests } = await build();
    assert.deepStrictEqual(requests, [
      { path: MACHINE_TYPES_PATH, query: { maxResults: "500" }, authorization: TOKEN },
      {
        path: MACHINE_TYPES_PATH,
        query: { maxResults: "500", pageToken: "Cj4KPAo6dXMtY2VudHJhbDEtYi9uMS1zdGFuZGFyZC00LjE2OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ==" },
        authorization: TOKEN,
      },
      { path: ACCELERATOR_TYPES_PATH, query: { maxResults: "500" }, authorization: TOKEN },
      { path: SKUS_PATH, query: { currencyCode: "USD", pageSize: "5000", $alt: "json;enum-encoding=int" }, authorization: TOKEN },
      {
        path: SKUS_PATH,
        query: {
          currencyCode: "USD",
          pageSize: "5000",
          pageToken: "APKCS1HVa0YpwgyTFbqbJ1eGwzKZmsPwLqzMZPTSNia5ck1Hc54Tx_Kz3oBxwSnRIdGVxXoSPdf-XlDpyNBf4QuxKcIEgtrQ1LDLWAgZowI0ns7HjrGta2s=",
          $alt: "json;enum-encoding=int",
        },
        authorization: TOKEN,
      },
    ]);
  });

  it("reports progress per call", async () => {
    const { progress } = await build();
    assert.deepStrictEqual(progress, [
      "gcp: listing machine types of every zone (project my-project)",
      "gcp: 14 machine types in 4 zones",
      "gcp: 7 accelerator types in 5 zones",
      "gcp: 31 Compute Engine SKUs from the Cloud Billing Catalog",
      "gcp: 9 instance types (TPU slices are not rebuilt: the catalog has none)",
    ]);
  });

  it("keeps only the regions given", async () => {
    const { catalog } = await build({ regions: ["europe-west4"] });
    assert.deepStrictEqual(
      catalog.instances,
      EXPECTED_GCP.map((instance) => ({ ...instance, prices: instance.prices.filter((price) => price.region === "europe-west4") })).filter((instance) => instance.prices.length > 0),
    );
  });

  it("turns a 403 into one line naming the API and the project, with a hint", async () => {
    await assert.rejects(build({ failures: { "machineTypes.aggregatedList": { status: 403, file: "gcp/errors/forbidden.json" } } }), {
      name: "CatalogUpdateError",
      message:
        "GCP Compute machineTypes.aggregatedList for project my-project failed: 403: Required 'compute.machineTypes.list' permission for 'projects/my-project'. " +
          "Check the Google Cloud credentials (gcloud auth application-default login) and that the project has the Compute Engine and Cloud Billing APIs enabled.",
    });
  });

  it("reads SKU descriptions as gpuhunt does: spot prefix, family, GPU aliases; custom, commitment and license SKUs ignored", () => {
    const sku = (description: string, usage_type = "OnDemand", resource_family = "Compute"): GcpSku => ({ description, resource_family, usage_type, regions: ["us-central1"], unit: "h", price: 0.5 });
    const read = (description: string, usage?: string, family?: string) => {
      const classified = classifySku(sku(description, usage, family));
      return classified && `${classified.resource} ${classified.family}${classified.spot ? " spot" : ""}`;
    };
    assert.equal(read("Spot Preemptible N2D AMD Instance Ram running in Americas", "Preemptible"), "ram n2d spot");
    assert.equal(read("C4A Arm Instance Core running in Americas"), "core c4a");
    assert.equal(read("Memory-optimized Instance Core running in Americas"), "core m1");
    assert.equal(read("A3Plus Instance Core running in Americas"), "core a3-megagpu");
    assert.equal(read("Nvidia Tesla A100 80GB GPU attached to Spot Preemptible VMs running in Americas", "Preemptible"), "gpu nvidia-a100-80gb spot");
    assert.equal(read("Nvidia H100 80GB Mega GPU running in Americas"), "gpu nvidia-h100-mega-80gb");
    assert.equal(read("Nvidia L4 GPU running in Americas"), "gpu nvidia-l4");
    assert.equal(read("N1 Custom Instance Core running in Americas"), null);
    assert.equal(read("N1 Sole Tenancy Instance Core running in Americas"), null);
    assert.equal(read("Commitment v1: N1 Predefined Instance Core in Americas for 1 Year", "Commit1Yr"), null);
    assert.equal(read("Licensing Fee for Ubuntu Pro on VM with 1 VCPU", "OnDemand", "License"), null);
    assert.equal(machineFamily("a3-megagpu-8g"), "a3-megagpu");
    assert.equal(machineFamily("n2d-standard-8"), "n2d");
  });
});
