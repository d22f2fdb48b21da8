/**
 * `dstack-pulumi offers`: the table, `--json`, the flags, exit codes, the no-offer explanation and
 * catalog-file errors, over the hand-made catalog written to a file (`--catalog`).
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import path from "node:path";
import { cliWorkspace } from "../support/cli-workspace";
import { run } from "../support/run-cli";

const { dir, catalogFile, config } = cliWorkspace("offers-cli-");

describe("CLI offers", () => {
  it("prints the table cheapest first, with zones, GPUs, disk, spot and estimated prices", () => {
    const file = config("cpu.yml", "resources:\n  cpu: 2\n");
    const result = run("offers", "--catalog", catalogFile, file);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, "");
    assert.equal(
      result.stdout,
      [
        `${file}: 2 CPUs, 8GB.. memory, 100GB.. disk, on-demand`,
        `catalog: ${catalogFile}, prices from 2025-11-30 to 2026-08-21`,
        "",
        "#  BACKEND  REGION       ZONES  INSTANCE TYPE  CPUS  MEMORY  GPU   DISK  SPOT      $/H",
        "1  aws      us-east-1    any    t3.large          2     8GB  -    100GB  no     $0.067",
        "2  gcp      us-central1  a,b    e2-standard-2     2     8GB  -    100GB  no     $0.067",
        "3  aws      us-east-1    any    m5.large          2     8GB  -    100GB  no     $0.096",
        "4  aws      eu-west-1    any    m5.large          2     8GB  -    100GB  no    ~$0.107",
        "",
        "4 of 4 offers. ~ = estimated price.",
        "",
      ].join("\n"),
    );
  });

  it("--json: the stamp, the offers in the documented shape, the total; --limit", () => {
    const file = config("gpu.yml", "resources:\n  gpu: A100:80GB:2\n");
    const result = run("offers", "--json", "--catalog", catalogFile, "--limit", "1", "--spot-policy", "auto", file);
    assert.equal(result.code, 0);
    const json = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(json), ["catalog", "offers", "total"]);
    assert.deepEqual(json.catalog, { file: catalogFile, format: 1, built_from: "sources", data_date: "2026-08-21", oldest_data_date: "2025-11-30", sources: [] });
    assert.equal(json.total, 2);
    assert.deepEqual(json.offers, [
      {
        backend: "gcp", region: "us-central1", zones: ["us-central1-a"], instance_type: "a2-ultragpu-2g", cpus: 24, memory_gb: 340, arch: "x86",
        gpu: { vendor: "nvidia", name: "A100", memory_gb: 80, count: 2 }, tpu: null, disk_gb: 100, spot: true, price_per_hour: 3.4, estimated_price: false,
      },
    ]);
  });

  it("--backend, --region and --max-price override the file", () => {
    const file = config("any.yml", "backends: [gcp]\n");
    const result = run("offers", "--json", "--catalog", catalogFile, "--backend", "aws", "--region", "eu-west-1", "--region", "us-east-1", "--max-price", "0.1", file);
    assert.deepEqual(JSON.parse(result.stdout).offers.map((o: { instance_type: string; region: string }) => `${o.instance_type} ${o.region}`), ["t3.large us-east-1", "m5.large us-east-1"]);
  });

  it("no offers: exit 3, the reason and the nearest offers", () => {
    const file = config("none.yml", "backends: [aws]\nresources:\n  gpu: A100:80GB:2\n");
    const result = run("offers", "--catalog", catalogFile, file);
    assert.equal(result.code, 3);
    assert.equal(result.stdout, "");
    assert.equal(
      result.stderr.split("\n").slice(0, 3).join("\n"),
      [
        "no aws offer for 2 x A100 80GB, on-demand: gpu count 2 removed the last candidate",
        "nearest:",
        "  p4de.24xlarge (aws us-east-1, 8 x A100 80GB, 96 CPUs, 1152GB, $27.45/h): 8 GPUs (gpu count 2)",
      ].join("\n"),
    );
    const json = run("offers", "--json", "--catalog", catalogFile, file);
    assert.deepEqual([json.code, json.stderr], [3, ""]);
    const { error } = JSON.parse(json.stdout);
    assert.deepEqual(Object.keys(error), ["code", "message", "constraint", "nearest", "warnings"]);
    assert.deepEqual([error.code, error.message, error.constraint, error.warnings], ["no_offers", "no aws offer for 2 x A100 80GB, on-demand: gpu count 2 removed the last candidate", "gpu_count", []]);
    assert.deepEqual(error.nearest[0], {
      backend: "aws", region: "us-east-1", zones: [], instance_type: "p4de.24xlarge", cpus: 96, memory_gb: 1152, arch: "x86",
      gpu: { vendor: "nvidia", name: "A100", memory_gb: 80, count: 8 }, tpu: null, disk_gb: 100, spot: false, price_per_hour: 27.45, estimated_price: false, misses: ["8 GPUs (gpu count 2)"],
    });
  });

  it("an unsupported backend only: exit 3 and the supported ones named", () => {
    const file = config("azure.yml", "backends: [azure]\n");
    const result = run("offers", "--catalog", catalogFile, file);
    assert.equal(result.code, 3);
    assert.equal(result.stderr, "no offers: backends: azure is not provisioned by pulumi-dstack; it provisions aws and gcp\n");
  });

  it("an invalid configuration: exit 1 with the validate-style errors", () => {
    const file = config("bad.yml", "spot_polcy: auto\n");
    const result = run("offers", "--catalog", catalogFile, file);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /bad\.yml:3:1 {2}spot_polcy: unknown field "spot_polcy"/);
  });

  it("a bad catalog file or bad flags: a clear message, no stack trace", () => {
    const file = config("ok.yml", "");
    const broken = path.join(dir, "broken.json");
    fs.writeFileSync(broken, JSON.stringify({ stamp: { format: 2 } }));
    const result = run("offers", "--catalog", broken, file);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^dstack-pulumi: .*broken\.json: not a pulumi-dstack catalog \(format 1\): stamp\.format: /);
    const missing = run("offers", "--catalog", path.join(dir, "nope.json"), file);
    assert.equal(missing.stderr, `dstack-pulumi: ${path.join(dir, "nope.json")}: cannot read the catalog: ENOENT\n`);
    const price = run("offers", "--max-price", "-1", file);
    assert.equal(price.code, 2);
    assert.match(price.stderr, /option '--max-price <usd>' argument '-1' is invalid\. expected a positive number of USD per hour, e\.g\. 2\.5/);
    const policy = run("offers", "--spot-policy", "cheap", file);
    assert.match(policy.stderr, /Allowed choices are spot, on-demand, auto/);
  });
});
