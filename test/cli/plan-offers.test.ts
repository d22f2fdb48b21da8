/**
 * `plan` and the offer: the same flags as `offers` (`--backend`, `--region`, `--spot-policy`,
 * `--max-price`) reach the choice and the component; the resolution's warnings (an unknown region,
 * a region of another backend) stay in the plan; a failure with `--json` is the error object on
 * stdout, with region hints across backends and relevant nearest offers.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import path from "node:path";
import { cliWorkspace } from "../support/cli-workspace";
import { runAsync, type Run } from "../support/run-cli";

const { dir, catalogFile, config } = cliWorkspace("cli-plan-offers-");

interface PlanJson {
  configuration: { summary: string };
  offer: { backend: string; region: string; instance_type: string; spot: boolean; price_per_hour: number; zone: string };
  resources: { type: string; name: string; inputs: Record<string, unknown> }[];
  warnings: string[];
}

/** A successful `plan --json`: nothing on stderr, exit 0, the plan. */
function planOf(result: Run): PlanJson {
  assert.deepEqual([result.code, result.stderr], [0, ""], result.stdout);
  return JSON.parse(result.stdout) as PlanJson;
}

/** A failed `plan --json`: nothing on stderr, the exit code and the error object. */
function errorOf(result: Run): [number, Record<string, unknown>] {
  assert.equal(result.stderr, "");
  return [result.code, (JSON.parse(result.stdout) as { error: Record<string, unknown> }).error];
}

const CATALOG_AGE = "the catalog mixes data up to 264 days apart: data from 2025-11-30 is older than the rest (2026-08-21); dstack-pulumi catalog update refreshes it";
const noLock = (file: string) => `no lock (${file.replace(/\.yml$/, ".lock.json")}): the offer is the catalog's top one; pulumi up keeps the one it first chose (in the stack's state) until the requirements change; dstack-pulumi lock fixes it in the repository`;

describe("CLI plan: offer flags, warnings and failures", () => {
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("--backend, --region, --spot-policy and --max-price override the file, in the offer and in the resources", async () => {
    const file = config("pinned.yml", "backends: [aws]\nspot_policy: on-demand\n");
    const plain = planOf(await runAsync("plan", "--json", "--catalog", catalogFile, file));
    assert.deepEqual(plain.offer, { ...plain.offer, backend: "aws", region: "us-east-1", instance_type: "t3.large", spot: false, price_per_hour: 0.067, zone: "us-east-1a" });
    const flagged = planOf(await runAsync("plan", "--json", "--catalog", catalogFile, "--backend", "gcp", "--region", "us-central1", "--spot-policy", "spot", "--max-price", "0.05", file));
    assert.deepEqual(flagged.offer, { ...flagged.offer, backend: "gcp", region: "us-central1", instance_type: "e2-standard-2", spot: true, price_per_hour: 0.02, zone: "us-central1-a" });
    assert.equal(flagged.configuration.summary, `${file}: a dev environment with vscode; Python 3.11; asks for 2.. CPUs, 8GB.. memory, 100GB.. disk, spot, at most $0.05/h.`);
    assert.deepEqual(flagged.resources.map((resource) => `${resource.type} ${resource.name}`), [
      "dstack:index:DevEnvironment dev",
      "gcp:compute/firewall:Firewall dev-fw",
      "gcp:compute/instance:Instance dev-vm",
      "gcp:serviceaccount/account:Account dev-sa",
      "pulumi:index:Stash dev-identity",
      "pulumi:index:Stash dev-offer",
      "pulumi:index:Stash dev-type-zone",
      "pulumi:index:Stash dev-zone",
    ]);
    const vm = flagged.resources.find((resource) => resource.type === "gcp:compute/instance:Instance")!;
    assert.deepEqual([vm.inputs.zone, vm.inputs.scheduling], ["us-central1-a", { automaticRestart: false, instanceTerminationAction: "STOP", onHostMaintenance: "TERMINATE", preemptible: true, provisioningModel: "SPOT" }]);
  });

  it("keeps the resolution's warnings: a region no offer has, a region of another backend", async () => {
    const unknown = config("unknown-region.yml", "regions: [us-east-1, us-east1-1]\n");
    assert.deepEqual(planOf(await runAsync("plan", "--json", "--catalog", catalogFile, unknown)).warnings, [
      'regions: us-east1-1 is in no offer of the catalog (Did you mean "us-east-1"?)',
      noLock(unknown),
      "SSH is open to the world (allowedCidrs 0.0.0.0/0): give allowedCidrs to narrow it",
      `${unknown} is not in a git repository: /workflow starts empty (give repo to clone one)`,
      CATALOG_AGE,
    ]);
    const crossed = config("crossed.yml", "regions: [us-east-1, us-central1]\n");
    const warnings = planOf(await runAsync("plan", "--json", "--catalog", catalogFile, "--backend", "aws", crossed)).warnings;
    assert.equal(warnings[0], "regions: us-central1 is a GCP region, not an AWS one");
    const text = await runAsync("plan", "--catalog", catalogFile, unknown);
    assert.match(text.stdout, /\nWarnings:\n {2}- regions: us-east1-1 is in no offer of the catalog \(Did you mean "us-east-1"\?\)\n/);
  });

  it("a region of another backend that leaves nothing: exit 3 with the hint, as JSON or text", async () => {
    const file = config("any.yml", "");
    const [code, error] = errorOf(await runAsync("plan", "--json", "--backend", "aws", "--region", "us-east1", file));
    const message = 'no aws offer for any machine, on-demand: regions [us-east1] removed the last 5337 candidates; us-east1 is a GCP region, not an AWS one (Did you mean "us-east-1"?)';
    assert.deepEqual([code, error], [3, { code: "no_offers", message, constraint: "region", nearest: [], warnings: [] }]);
    const gcp = config("gcp.yml", "backends: [gcp]\nregions: [us-east-1]\n");
    assert.deepEqual(await runAsync("plan", gcp), {
      code: 3,
      stdout: "",
      stderr: 'no gcp offer for any machine, on-demand: regions [us-east-1] removed the last 22943 candidates; us-east-1 is an AWS region, not a GCP one (Did you mean "us-east1"?)\n',
    });
  });

  it("nearest offers are relevant: a10 gets A10G machines, MI300X the GPUs nearest its 192GB, never a T4", async () => {
    const a10 = config("a10.yml", "resources:\n  gpu: a10\n");
    const [a10Code, a10Error] = errorOf(await runAsync("plan", "--json", a10));
    assert.deepEqual([a10Code, a10Error.message], [3, 'no offer for 1 x a10, on-demand: the catalog has no a10 GPU (Did you mean "A10G"?)']);
    assert.deepEqual((a10Error.nearest as { instance_type: string }[]).map((near) => near.instance_type), ["g5.xlarge", "g5.2xlarge", "g5.4xlarge"]);
    const mi300x = config("mi300x.yml", "image: rocm/dev-ubuntu-22.04\nresources:\n  gpu: MI300X\n");
    const text = await runAsync("plan", mi300x);
    assert.equal(text.code, 3);
    assert.equal(
      text.stderr,
      [
        "no offer for 1 x MI300X, on-demand: the catalog has no MI300X GPU, nor any AMD GPU (it has NVIDIA GPUs and Google TPUs)",
        "nearest:",
        "  p6-b300.48xlarge (aws us-east-1, 8 x B300 270GB, 192 CPUs, 4096GB, $142.416/h): B300 (gpu name MI300X); vendor nvidia (gpu vendor amd); 8 GPUs (gpu count 1)",
        "  p6-b200.48xlarge (aws us-east-1, 8 x B200 180GB, 192 CPUs, 2048GB, $113.9328/h): B200 (gpu name MI300X); vendor nvidia (gpu vendor amd); 8 GPUs (gpu count 1)",
        "  p5en.48xlarge (aws us-east-1, 8 x H200 141GB, 192 CPUs, 2048GB, $63.296/h): H200 (gpu name MI300X); vendor nvidia (gpu vendor amd); 8 GPUs (gpu count 1)",
        "",
      ].join("\n"),
    );
  });

  it("--json: an invalid configuration and an unreadable key are error objects on stdout, exit 1", async () => {
    const bad = config("bad.yml", "resources:\n  gpu: A100:banana\n");
    const [code, error] = errorOf(await runAsync("plan", "--json", bad));
    assert.deepEqual([code, error.code, error.message, (error.issues as unknown[]).length], [1, "invalid_config", `${bad}: 1 error`, 1]);
    const ok = config("ok.yml", "");
    const key = path.join(dir, "missing.pub");
    assert.deepEqual(errorOf(await runAsync("plan", "--json", "--catalog", catalogFile, "--ssh-public-key", key, ok)), [
      1,
      { code: "unreadable_file", message: `cannot read the SSH public key ${key}: ENOENT`, file: key },
    ]);
  });
});
