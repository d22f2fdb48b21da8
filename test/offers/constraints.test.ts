/**
 * The matching rules' edges, with exact expectations: how far a value is from a range (it ranks
 * the nearest offers), which zones a request allows, which GPU constraint a machine without GPUs
 * is reported under, compute capability by major and minor, an accelerator of unknown memory,
 * a request with no vendor (docker: true), the lock's JSON of an offer, and GPU families. Each
 * case here is one a mutant of offers/ passed every other test with.
 */
import { strict as assert } from "node:assert";
import { parseConfig } from "../../config/read";
import { checkArchitecture } from "../../offers/architecture";
import { candidatesOfInstance } from "../../offers/candidate";
import { allowedZones, rangeGap } from "../../offers/constraints";
import { sameGpuFamily } from "../../offers/gpu-family";
import { offerJson } from "../../offers/offer";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers } from "../../offers/resolve";
import { machine, miniCatalog, price } from "../support/mini-catalog";

/** The mini catalog with a TPU slice whose memory no public figure gives. */
function catalog() {
  const base = miniCatalog();
  base.instances.push(machine("gcp", "v6e-1", 44, 176, [price("us-central1", 2.7)], { tpu: { version: "v6e", chips: 1, hosts: 1, hbm_gb: null } }));
  return base;
}
const index = new OfferIndex(catalog());

/** The instance types offered (on demand), or the constraint and message when none is. */
function resolve(body: string): string[] | [string, string] {
  const result = resolveOffers(parseConfig(`type: dev-environment\nide: vscode\n${body}`), index);
  return result.noOffers ? [String(result.noOffers.constraint), result.noOffers.message] : result.offers.map((offer) => offer.instance_type);
}

describe("offers: the edges of the matching rules", () => {
  it("the distance from a range: relative to the bound (at least 1), never below 1e-6, none inside", () => {
    assert.equal(rangeGap(2, { min: 4, max: null }), 0.5);
    assert.equal(rangeGap(10, { min: null, max: 8 }), 0.25);
    assert.equal(rangeGap(0, { min: 0.5, max: null }), 0.5, "divided by 1, not by a bound below 1");
    assert.equal(rangeGap(0.75, { min: null, max: 0.5 }), 0.25, "divided by 1, not by a bound below 1");
    assert.equal(rangeGap(1, { min: 1 + 1e-9, max: null }), 1e-6);
    assert.equal(rangeGap(3, { min: 2, max: 4 }), null);
    assert.equal(rangeGap(3, null), null);
  });

  it("the zones a request allows: the catalog's zones it names, else the zones of the region it names (a letter, with or without a dash)", () => {
    const [m5] = candidatesOfInstance(machine("aws", "m5.large", 2, 8, [price("us-east-1", 0.096)]), 0, new Map());
    const [e2] = candidatesOfInstance(machine("gcp", "e2-standard-2", 2, 8, [price("us-central1", 0.067, null, ["us-central1-a", "us-central1-b"])]), 0, new Map());
    assert.deepEqual(allowedZones(m5, null), []);
    assert.deepEqual(allowedZones(e2, null), ["us-central1-a", "us-central1-b"]);
    assert.deepEqual(allowedZones(e2, ["us-central1-b", "us-central1-c"]), ["us-central1-b"]);
    assert.deepEqual(allowedZones(m5, ["us-east-1c", "us-east-1-bos-1a", "us-east-1cz", "us-east-12a", "us-central1-a"]), ["us-east-1c"]);
    assert.deepEqual(allowedZones(e2, []), []);
  });

  it("a machine without GPUs fails a GPU request under its first constraint: the name, else the vendor, else the count", () => {
    assert.deepEqual(resolve("instance_types: [m5.large]\nresources:\n  gpu: A10G\n"), ["gpu_name", "no offer for 1 x A10G, on-demand: gpu name A10G removed the last 2 candidates"]);
    assert.deepEqual(resolve("instance_types: [m5.large]\nresources:\n  gpu: nvidia\n"), ["gpu_vendor", "no offer for 1 x nvidia GPU, on-demand: gpu vendor nvidia removed the last 2 candidates"]);
    // docker: true leaves a request without names vendor-neutral (recent dstack).
    assert.deepEqual(resolve("docker: true\ninstance_types: [m5.large]\nresources:\n  gpu: 2\n"), ["gpu_count", "no offer for 2 x GPU, on-demand: gpu count 2 removed the last 2 candidates"]);
  });

  it("a request with no vendor (docker: true, a count only) takes every accelerator: NVIDIA GPUs and TPU slices", () => {
    assert.deepEqual(resolve("docker: true\nresources:\n  gpu: 1\n"), ["n1-standard-4", "g6.xlarge", "g5.xlarge", "v6e-1", "v5litepod-8"]);
    assert.deepEqual(resolve("resources:\n  gpu: 1\n"), ["n1-standard-4", "g6.xlarge", "g5.xlarge"], "without docker, a count means NVIDIA");
  });

  it("compute capability: the major first, then the minor (L4 8.9, A10G 8.6)", () => {
    assert.deepEqual(resolve("resources:\n  gpu:\n    compute_capability: 8.9\n"), ["g6.xlarge"]);
    assert.deepEqual(resolve("resources:\n  gpu:\n    compute_capability: 8.6\n"), ["g6.xlarge", "g5.xlarge"]);
  });

  it("an accelerator of unknown memory: offered when no memory is asked, never when some is", () => {
    assert.deepEqual(resolve("resources:\n  gpu: v6e-1\n"), ["v6e-1"]);
    assert.deepEqual(resolve("resources:\n  gpu: v6e-1:16GB..\n"), ["gpu_memory", "no offer for 1 x v6e-1 16GB.., on-demand: gpu memory 16GB.. removed the last candidate"]);
    assert.deepEqual(resolve("resources:\n  gpu:\n    name: v6e-1\n    total_memory: 1GB..\n"), [
      "gpu_total_memory",
      "no offer for 1 x v6e-1 (1GB.. in total), on-demand: gpu total_memory 1GB.. removed the last candidate",
    ]);
  });

  it("an offer's JSON (the lock's): the GPU and the TPU slice field by field, null without", () => {
    const [g5] = resolveOffers(parseConfig("type: dev-environment\nide: vscode\nresources:\n  gpu: A10G\n"), index).offers;
    assert.deepEqual(offerJson(g5).gpu, { vendor: "nvidia", name: "A10G", memory_gb: 24, count: 1 });
    assert.equal(offerJson(g5).tpu, null);
    const [tpu] = resolveOffers(parseConfig("type: dev-environment\nide: vscode\nresources:\n  gpu: v5litepod-8\n"), index).offers;
    assert.deepEqual(offerJson(tpu).tpu, { version: "v5litepod", chips: 8, hosts: 1, hbm_gb: 128 });
    assert.equal(offerJson(tpu).gpu, null);
    assert.deepEqual(Object.keys(offerJson(g5)), ["backend", "region", "zones", "instance_type", "cpus", "memory_gb", "arch", "gpu", "tpu", "disk_gb", "spot", "price_per_hour", "estimated_price"]);
  });

  it("arm without an image: refused whether the image is absent (null) or empty, with the error's own name", () => {
    const message = "resources.cpu: arm needs an image: dstack's default image (dstackai/base) is x86 only; give an arm64 image (image: ...) or drop arm";
    for (const image of [null, ""]) {
      assert.throws(() => checkArchitecture({ image, docker: null }, { arch: "arm" }), { name: "RefusedConfigurationError", message }, String(image));
    }
    assert.doesNotThrow(() => checkArchitecture({ image: "arm64v8/ubuntu", docker: null }, { arch: "arm" }));
    assert.doesNotThrow(() => checkArchitecture({ image: null, docker: true }, { arch: "x86" }));
  });

  it("GPU families: a TPU slice is of no family but its generation's, even with a name that extends it", () => {
    assert.equal(sameGpuFamily("v6e-8", "v6e-8x"), false);
    assert.equal(sameGpuFamily("v6e-8x", "v6e-8"), false);
    assert.equal(sameGpuFamily("v6e-8", "v6e-16"), true);
  });
});
