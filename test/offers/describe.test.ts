/**
 * The words of offers/describe.ts, exactly, as `offers`, `plan`, the no-offer explanation and the
 * stale-lock warning print them: prices, ranges, a request in one line (whole and brief), a
 * machine in one line, and for every constraint what it asked and what a candidate has instead.
 * Expected strings are written by hand from the format each function documents.
 */
import { strict as assert } from "node:assert";
import { parseConfig } from "../../config/read";
import { candidatesOfInstance } from "../../offers/candidate";
import type { ConstraintId } from "../../offers/constraints";
import { describeConstraint, describeGpuRequest, describeMachine, describeMiss, describeRequest, formatRange, formatUsd } from "../../offers/describe";
import { toRequirements } from "../../offers/requirements";
import { gpu, machine, price } from "../support/mini-catalog";

const requirements = (body: string) => toRequirements(parseConfig(`type: dev-environment\nide: vscode\n${body}`));
const first = (instance: Parameters<typeof candidatesOfInstance>[0]) => candidatesOfInstance(instance, 0, new Map())[0];

const M5 = first(machine("aws", "m5.large", 2, 8, [price("us-east-1", 0.096, 0.04, ["us-east-1a", "us-east-1b"])]));
const SPOT_M5 = candidatesOfInstance(machine("aws", "m5.large", 2, 8, [price("us-east-1", 0.096, 0.04)]), 0, new Map())[1];
const GRAVITON = first(machine("aws", "c7g.xlarge", 4, 8, [price("us-east-1", 0.145)], { arch: "arm" }));
const A100 = first(machine("gcp", "a2-ultragpu-2g", 24, 340, [price("us-central1", 10.1)], { gpu: gpu("A100", 80, 2) }));
const L4 = first(machine("aws", "g6.xlarge", 4, 16, [price("us-east-1", 0.805)], { gpu: gpu("L4", 24, 1) }));
const TPU8 = first(machine("gcp", "v5litepod-8", 224, 384, [price("us-central1", 9.6)], { tpu: { version: "v5litepod", chips: 8, hosts: 1, hbm_gb: 128 } }));
const TPU_V4_8 = first(machine("gcp", "v4-8", 240, 407, [price("us-central2", 6.44)], { tpu: { version: "v4", chips: 4, hosts: 1, hbm_gb: 128 } }));
const TPU_UNKNOWN_HBM = first(machine("gcp", "v5litepod-4", 112, 192, [price("us-central1", 4.8)], { tpu: { version: "v5litepod", chips: 4, hosts: 1, hbm_gb: null } }));
const TPU_V4 = first(machine("gcp", "v4-16", 240, 407, [price("us-central2", 12.88)], { tpu: { version: "v4", chips: 1, hosts: 2, hbm_gb: 32 } }));

describe("offers/describe: the words, exactly", () => {
  it("prices: four decimals at most, two at least", () => {
    assert.deepEqual([1.006, 27.45, 0.0279, 2, 0.5, 0.12345, 10.1].map(formatUsd), ["$1.006", "$27.45", "$0.0279", "$2.00", "$0.50", "$0.1235", "$10.10"]);
  });

  it("ranges: one value, open either side, closed, with the unit after each bound", () => {
    assert.equal(formatRange({ min: 2, max: 2 }), "2");
    assert.equal(formatRange({ min: 2, max: null }), "2..");
    assert.equal(formatRange({ min: null, max: 8 }, "GB"), "..8GB");
    assert.equal(formatRange({ min: 24, max: 80 }, "GB"), "24GB..80GB");
    assert.equal(formatRange({ min: null, max: null }), "..");
    assert.equal(formatRange({ min: 0, max: 0 }), "0");
  });

  it("a GPU request: count, names as written or the vendor, memory, total memory, compute capability", () => {
    assert.equal(describeGpuRequest(requirements("resources:\n  gpu: A100:80GB:2\n").gpu!), "2 x A100 80GB");
    assert.equal(describeGpuRequest(requirements("resources:\n  gpu: L4,A10G:1..2\n").gpu!), "1..2 x L4/A10G");
    const byMemory = requirements("resources:\n  gpu: 24GB..:1\n").gpu!;
    assert.equal(describeGpuRequest(byMemory), "1 x nvidia GPU 24GB..", "dstack's default vendor");
    assert.equal(describeGpuRequest({ ...byMemory, vendor: null }), "1 x GPU 24GB..");
    assert.equal(describeGpuRequest({ ...byMemory, vendor: "google" }), "1 x TPU 24GB..");
    assert.equal(describeGpuRequest(requirements("resources:\n  gpu: nvidia:2\n").gpu!), "2 x nvidia GPU");
    assert.equal(describeGpuRequest(requirements("resources:\n  gpu:\n    count: 1\n    total_memory: 40GB..\n    compute_capability: 8.0\n").gpu!), "1 x nvidia GPU (40GB.. in total) (compute capability 8.0+)");
  });

  it("a request in one line; brief leaves out dstack's defaults", () => {
    const plain = requirements("");
    assert.equal(describeRequest(plain), "2.. CPUs, 8GB.. memory, 100GB.. disk, on-demand");
    assert.equal(describeRequest(plain, true), "any machine, on-demand");
    const big = requirements("spot_policy: auto\nmax_price: 2.5\nresources:\n  cpu: arm:4..8\n  memory: 16GB\n  disk: 200GB..\n  gpu: A100:80GB:2\n");
    assert.equal(describeRequest(big), "arm 4..8 CPUs, 16GB memory, 2 x A100 80GB, 200GB.. disk, spot or on-demand, at most $2.5/h");
    assert.equal(describeRequest(big, true), "arm 4..8 CPUs, 16GB memory, 2 x A100 80GB, 200GB.. disk, spot or on-demand, at most $2.5/h");
    assert.equal(describeRequest(requirements("spot_policy: spot\nresources:\n  cpu: arm:2..\n"), true), "arm 2.. CPUs, spot");
    assert.equal(describeRequest(requirements("resources:\n  gpu: 0\n"), true), "any machine, on-demand", "no GPU asked (count 0)");
    assert.equal(
      describeRequest(requirements("resources:\n  cpu: 2..8\n  memory: 8GB..16GB\n  disk: 100GB..200GB\n"), true),
      "2..8 CPUs, 8GB..16GB memory, 100GB..200GB disk, on-demand",
      "a default minimum with a maximum is not the default",
    );
  });

  it("a machine in one line: GPUs, TPU chips and hosts, arm", () => {
    assert.equal(describeMachine(M5), "2 CPUs, 8GB");
    assert.equal(describeMachine(GRAVITON), "4 CPUs, 8GB, arm");
    assert.equal(describeMachine(A100), "2 x A100 80GB, 24 CPUs, 340GB");
    assert.equal(describeMachine(TPU8), "TPU 8 chips on 1 host, 224 CPUs, 384GB");
    assert.equal(describeMachine(TPU_V4), "TPU 1 chip on 2 hosts, 240 CPUs, 407GB");
  });

  it("what each constraint asked, in the configuration's words", () => {
    const r = requirements(
      "backends: [aws, gcp]\nregions: [us-east-1]\navailability_zones: [us-east-1a, us-east-1b]\ninstance_types: [g6.xlarge]\nspot_policy: spot\nmax_price: 1.5\n" +
        "resources:\n  cpu: arm:4..\n  memory: 16GB..\n  disk: 50GB\n  gpu:\n    name: [L4, A10G]\n    count: 1..2\n    memory: 24GB..\n    total_memory: 48GB..\n    compute_capability: 8.9\n",
    );
    const asked: Record<ConstraintId, string> = {
      backend: "backends [aws, gcp]",
      region: "regions [us-east-1]",
      zone: "availability_zones [us-east-1a, us-east-1b]",
      instance_type: "instance_types [g6.xlarge]",
      spot_policy: "spot_policy spot",
      reservation: "reservation null (no spot with a reservation)",
      arch: "cpu arch arm",
      cpus: "cpu 4..",
      memory: "memory 16GB..",
      gpu_vendor: "gpu vendor nvidia",
      gpu_count: "gpu count 1..2",
      gpu_name: "gpu name L4 or A10G",
      gpu_memory: "gpu memory 24GB..",
      gpu_total_memory: "gpu total_memory 48GB..",
      compute_capability: "gpu compute_capability 8.9",
      tpu_hosts: "single-host TPU slices (a dev environment runs on one host; dstack never uses v4)",
      disk: "disk 50GB (allowed: aws 100GB..16384GB, gcp 20GB..32768GB)",
      max_price: "max_price $1.5/h",
    };
    for (const [id, words] of Object.entries(asked)) assert.equal(describeConstraint(id as ConstraintId, r), words, id);
    assert.equal(describeConstraint("region", requirements("")), "standard regions (name a Local Zone, Wavelength, GovCloud or China region in `regions` to use it)");
    assert.equal(describeConstraint("gpu_count", requirements("")), "gpu count ");
    assert.equal(describeConstraint("backend", requirements("")), "backends []");
  });

  it("what a candidate has where it misses each constraint", () => {
    const has: [ConstraintId, typeof M5, string][] = [
      ["backend", M5, "backend aws"],
      ["region", A100, "region us-central1"],
      ["zone", M5, "zones us-east-1a, us-east-1b"],
      ["zone", GRAVITON, "zones unknown"],
      ["instance_type", L4, "instance type g6.xlarge"],
      ["spot_policy", M5, "on-demand"],
      ["spot_policy", SPOT_M5, "spot"],
      ["reservation", SPOT_M5, "spot"],
      ["arch", GRAVITON, "arch arm"],
      ["cpus", A100, "24 CPUs"],
      ["memory", A100, "340GB memory"],
      ["gpu_vendor", A100, "vendor nvidia"],
      ["gpu_vendor", M5, "no GPU"],
      ["gpu_count", A100, "2 GPUs"],
      ["gpu_count", L4, "1 GPU"],
      ["gpu_count", M5, "no GPU"],
      ["gpu_name", TPU8, "v5litepod-8"],
      ["gpu_name", M5, "no GPU"],
      ["gpu_memory", L4, "24GB per GPU"],
      ["gpu_memory", M5, "no GPU"],
      ["gpu_memory", TPU_UNKNOWN_HBM, "unknown GB per GPU"],
      ["gpu_total_memory", A100, "160GB in total"],
      ["gpu_total_memory", M5, "no GPU memory known"],
      ["compute_capability", L4, "L4's compute capability"],
      ["compute_capability", M5, "no GPU"],
      ["tpu_hosts", TPU_V4, "2 hosts, v4"],
      ["tpu_hosts", TPU8, "1 host"],
      ["tpu_hosts", TPU_V4_8, "1 host, v4"],
      ["disk", M5, "aws boot disks are 100GB..16384GB"],
      ["disk", A100, "gcp boot disks are 20GB..32768GB"],
      ["max_price", A100, "$10.10/h"],
    ];
    for (const [id, candidate, words] of has) assert.equal(describeMiss(id, candidate), words, `${id} ${candidate.instance.instance_type}`);
  });
});
