/**
 * `catalog update` as a whole: both clouds through their SDK clients and recorded answers, the file
 * it writes (decodes to the same catalog, passes the catalog loader's checks), the stamp, progress,
 * a missing SDK, bad regions, and that nothing loads the SDKs before the command runs.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { decodeCatalog } from "../catalog/file-format";
import { loadCatalogFile } from "../catalog/load";
import { describeCloudError } from "../catalog/update/api";
import { createAwsApi } from "../catalog/update/aws-fetch";
import { createGcpApi } from "../catalog/update/gcp-fetch";
import { loadSdks, type ModuleLoader, type Sdks } from "../catalog/update/sdk";
import { buildLiveCatalog, CatalogUpdateError, planBackends, runCatalogUpdate, writeCatalogFile, type LiveClients } from "../catalog/update/update";
import { AwsReplay, FAKE_AWS_CREDENTIALS, startGcpReplay, type GcpReplay } from "./fixtures/catalog-update/replay";

const ROOT = path.resolve(__dirname, "../..");
const TODAY = "2026-08-20";

/** A loader for which the named packages are not installed, as Node reports it. */
function without(...missing: string[]): ModuleLoader {
  return async (name) => {
    if (missing.includes(name)) throw Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- ${ROOT}/dist/catalog/update/sdk.js`), { code: "MODULE_NOT_FOUND" });
    return import(name);
  };
}

describe("catalog update", () => {
  let sdks: Sdks;
  let gcpReplay: GcpReplay | undefined;
  let directory: string;
  before(async () => {
    sdks = await loadSdks(["aws", "gcp"]);
  });
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), "catalog-update-"));
  });
  afterEach(async () => {
    await gcpReplay?.close();
    gcpReplay = undefined;
    rmSync(directory, { recursive: true, force: true });
  });

  async function recordedClients(): Promise<LiveClients> {
    gcpReplay = await startGcpReplay();
    return {
      aws: createAwsApi(sdks.aws!, { credentials: FAKE_AWS_CREDENTIALS, requestHandler: new AwsReplay() }),
      gcp: createGcpApi(sdks.gcp!, "my-project", gcpReplay.clientOptions()),
    };
  }

  it("writes both clouds' catalog, stamped live with the given date, and reports what it wrote", async () => {
    const out = path.join(directory, "nested", "catalog.json");
    const progress: string[] = [];
    const result = await runCatalogUpdate({ out, today: TODAY, progress: (message) => progress.push(message), connect: recordedClients });
    assert.deepStrictEqual(result, { instances: 13, prices: 17 });
    assert.equal(progress.length, 16);
    assert.equal(progress[0], "aws: 2 regions: us-east-1, us-west-2");
    assert.equal(progress[10], "gcp: listing machine types of every zone (project my-project)");
    assert.equal(progress[15], `wrote ${out}: 13 instance types, 17 prices (aws, gcp, data of 2026-08-20)`);

    const written = decodeCatalog(readFileSync(out, "utf8"));
    assert.deepStrictEqual(loadCatalogFile(out), written);
    assert.deepStrictEqual(
      written.stamp.sources.map((source) => [source.id, source.data_date]),
      [
        ["aws-ec2-api", TODAY],
        ["aws-price-list-api", TODAY],
        ["gcp-compute-api", TODAY],
        ["gcp-cloud-billing-catalog", TODAY],
      ],
    );
    assert.deepStrictEqual({ ...written.stamp, sources: [] }, { format: 1, built_from: "live", data_date: TODAY, oldest_data_date: TODAY, sources: [] });
    assert.deepStrictEqual(
      written.regions.map((region) => `${region.backend} ${region.name} ${region.kind}`),
      ["aws us-east-1 standard", "aws us-west-2 standard", "gcp europe-west4 standard", "gcp us-central1 standard"],
    );
    assert.ok(!existsSync(`${out}.${process.pid}.tmp`));
  });

  it("writes a file that decodes to exactly the catalog it built", async () => {
    const catalog = await buildLiveCatalog(await recordedClients(), { today: TODAY, now: new Date("2026-08-20T12:00:00Z"), progress: () => {} });
    const out = path.join(directory, "catalog.json");
    await writeCatalogFile(out, catalog);
    assert.deepStrictEqual(decodeCatalog(readFileSync(out, "utf8")), catalog);
    assert.deepStrictEqual(
      catalog.instances.map((instance) => `${instance.backend} ${instance.instance_type}${instance.gpu ? ` ${instance.gpu.name}x${instance.gpu.count}` : ""}`),
      [
        "aws c7g.large",
        "aws g5.xlarge A10Gx1",
        "aws m7i.large",
        "aws p4de.24xlarge A100x8",
        "gcp a2-highgpu-1g A100x1",
        "gcp a2-ultragpu-1g A100x1",
        "gcp e2-medium",
        "gcp e2-standard-4",
        "gcp n1-highmem-64 T4x4",
        "gcp n1-standard-4 T4x1",
        "gcp n1-standard-4 T4x2",
        "gcp n1-standard-4 T4x4",
        "gcp t2a-standard-1",
      ],
    );
  });

  it("names the SDK package that is not installed and the npm install that adds it, and writes nothing", async () => {
    const out = path.join(directory, "catalog.json");
    await assert.rejects(runCatalogUpdate({ out, backends: ["aws"], today: TODAY, progress: () => {}, loadModule: without("@aws-sdk/client-pricing") }), {
      name: "CatalogUpdateError",
      message: "catalog update needs @aws-sdk/client-pricing, which is not installed (optional dependencies of pulumi-dstack). Run: npm install @aws-sdk/client-pricing",
    });
    await assert.rejects(runCatalogUpdate({ out, today: TODAY, progress: () => {}, loadModule: without("@google-cloud/compute", "@google-cloud/billing") }), {
      message: "catalog update needs @google-cloud/compute and @google-cloud/billing, which are not installed (optional dependencies of pulumi-dstack). Run: npm install @google-cloud/compute @google-cloud/billing",
    });
    assert.equal(existsSync(out), false);
  });

  it("names a package that is there but fails to load", async () => {
    const broken: ModuleLoader = async (name) => {
      if (name === "@google-cloud/billing") throw Object.assign(new Error("Cannot find module 'google-gax'"), { code: "MODULE_NOT_FOUND" });
      return import(name);
    };
    await assert.rejects(runCatalogUpdate({ out: path.join(directory, "c.json"), backends: ["gcp"], today: TODAY, progress: () => {}, loadModule: broken }), {
      message: "catalog update could not load @google-cloud/billing: Cannot find module 'google-gax'",
    });
  });

  it("loads only the SDKs of the clouds the regions belong to", async () => {
    const loaded: string[] = [];
    const out = path.join(directory, "catalog.json");
    const clients = async (given: Sdks): Promise<LiveClients> => {
      assert.equal(given.gcp, undefined);
      return { aws: createAwsApi(given.aws!, { credentials: FAKE_AWS_CREDENTIALS, requestHandler: new AwsReplay() }) };
    };
    const progress: string[] = [];
    const loader: ModuleLoader = (name) => (loaded.push(name), import(name));
    const result = await runCatalogUpdate({ out, regions: ["us-east-1"], today: TODAY, progress: (message) => progress.push(message), loadModule: loader, connect: clients });
    assert.deepStrictEqual(loaded, ["@aws-sdk/client-ec2", "@aws-sdk/client-pricing"]);
    assert.deepStrictEqual(result, { instances: 3, prices: 3 });
    assert.equal(progress[0], "gcp: skipped, none of the regions us-east-1 is a GCP region");
  });

  it("when a cloud the user did not name fails, says how to rebuild the other alone", async () => {
    const failing = async (): Promise<LiveClients> => {
      throw new CatalogUpdateError("GCP authentication (application default credentials) failed: Could not load the default credentials.");
    };
    await assert.rejects(runCatalogUpdate({ out: path.join(directory, "c.json"), today: TODAY, progress: () => {}, connect: failing }), {
      message: "GCP authentication (application default credentials) failed: Could not load the default credentials. (to rebuild only AWS: --backend aws)",
    });
    await assert.rejects(runCatalogUpdate({ out: path.join(directory, "c.json"), backends: ["aws", "gcp"], today: TODAY, progress: () => {}, connect: failing }), {
      message: "GCP authentication (application default credentials) failed: Could not load the default credentials.",
    });
  });

  it("rejects a name that is no region, and a date that is not YYYY-MM-DD", async () => {
    await assert.rejects(runCatalogUpdate({ out: path.join(directory, "c.json"), regions: ["us-east", "us-central1"], today: TODAY, progress: () => {} }), {
      message: "not a region: us-east (AWS regions look like us-east-1, GCP regions like us-central1)",
    });
    await assert.rejects(runCatalogUpdate({ out: path.join(directory, "c.json"), today: "20.08.2026", progress: () => {} }), { message: "today must be YYYY-MM-DD, not 20.08.2026" });
    assert.deepStrictEqual(planBackends(["aws", "gcp"], ["eu-west-1", "europe-west4", "us-gov-west-1"]), { regions: { aws: ["eu-west-1", "us-gov-west-1"], gcp: ["europe-west4"] }, notes: [] });
    await assert.rejects(runCatalogUpdate({ out: path.join(directory, "c.json"), backends: ["gcp"], regions: ["eu-west-1"], today: TODAY, progress: () => {} }), {
      message: "none of the regions eu-west-1 is a region of gcp",
    });
  });

  it("describes a cloud's error in one line, with a hint where the user can act", () => {
    const aws = (name: string, message: string) => Object.assign(new Error(message), { name });
    assert.equal(
      describeCloudError(aws("UnauthorizedOperation", "You are not authorized to perform this operation.")),
      "UnauthorizedOperation: You are not authorized to perform this operation. The credentials need ec2:DescribeRegions, ec2:DescribeInstanceTypes, " +
        "ec2:DescribeInstanceTypeOfferings, ec2:DescribeSpotPriceHistory and pricing:GetProducts.",
    );
    assert.equal(describeCloudError(Object.assign(new Error("getaddrinfo ENOTFOUND ec2.us-east-1.amazonaws.com"), { code: "ENOTFOUND" })), "getaddrinfo ENOTFOUND ec2.us-east-1.amazonaws.com");
    assert.equal(describeCloudError(new Error("socket hang up\n    at Socket.onclose")), "socket hang up");
    assert.equal(describeCloudError('{"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}}'), "429 RESOURCE_EXHAUSTED: Quota exceeded");
  });

  it("loads no cloud SDK until the command runs", () => {
    const script = `require(${JSON.stringify(path.join(ROOT, "dist/catalog/update/update.js"))});
      const sdk = Object.keys(require.cache).filter((file) => /@aws-sdk|@google-cloud|google-gax|@smithy/.test(file));
      process.stdout.write(JSON.stringify(sdk));`;
    assert.equal(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }), "[]");
  });
});
