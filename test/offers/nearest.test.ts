/**
 * Relevant nearest offers and plain reasons when nothing matches: a GPU the catalog lacks (`a10`,
 * `MI300X`), a vendor it lacks, and regions of another backend, on the hand-made catalog (each
 * rule alone) and on the bundled one (what users see).
 */
import { strict as assert } from "node:assert";
import { loadBundledCatalog } from "../../catalog/load";
import { parseConfig } from "../../config/read";
import { knownGpuMemory, sameGpuFamily, vendorGpuMemory } from "../../offers/gpu-family";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers, type Resolution } from "../../offers/resolve";
import { miniCatalog } from "../support/mini-catalog";

const mini = new OfferIndex(miniCatalog());
let bundledIndex: OfferIndex | undefined;
const bundled = () => (bundledIndex ??= new OfferIndex(loadBundledCatalog()));

function resolve(index: OfferIndex, body: string): Resolution {
  return resolveOffers(parseConfig(`type: dev-environment\nide: vscode\n${body}`), index);
}

/** `instance type: misses` of each nearest offer. */
const nearest = (result: Resolution) => result.noOffers?.nearest.map((near) => `${near.offer.instance_type}: ${near.misses.join("; ")}`);

describe("offers: relevant nearest offers and plain reasons", () => {
  it("name families and known memory", () => {
    assert.deepEqual([sameGpuFamily("a10", "A10G"), sameGpuFamily("L40S", "l40"), sameGpuFamily("H100", "h100nvl"), sameGpuFamily("a10", "A100"), sameGpuFamily("T4", "L4")], [true, true, true, false, false]);
    assert.deepEqual([sameGpuFamily("v6e-3", "v6e-4"), sameGpuFamily("v5litepod-16", "v5litepod-8"), sameGpuFamily("v5p-8", "v5litepod-8"), sameGpuFamily("v6e-8", "T4")], [true, true, false, false]);
    assert.deepEqual([knownGpuMemory("MI300X"), knownGpuMemory("a10"), knownGpuMemory("v5litepod-8"), knownGpuMemory("X9")], [192, 24, 128, null]);
    assert.deepEqual([vendorGpuMemory("amd"), vendorGpuMemory("nvidia"), vendorGpuMemory("google")], [32, 8, null]);
  });

  it("a10 (hand-made catalog): the A10G first, then GPUs with 24GB or more; no T4 (16GB)", () => {
    const result = resolve(mini, "resources:\n  gpu: a10\n");
    assert.equal(result.noOffers?.message, 'no offer for 1 x a10, on-demand: the catalog has no a10 GPU (Did you mean "A10G"?)');
    assert.deepEqual(nearest(result), ["g5.xlarge: A10G (gpu name a10)", "g6.xlarge: L4 (gpu name a10)", "p4d.24xlarge: A100 (gpu name a10); 8 GPUs (gpu count 1)"]);
    assert.deepEqual(result.warnings, [], "the reason says it: no warning repeats it");
  });

  it("MI300X (hand-made catalog): no AMD GPU at all, said plainly; the GPUs nearest 192GB", () => {
    const result = resolve(mini, "image: rocm/dev-ubuntu-22.04\nresources:\n  gpu: MI300X\n");
    assert.equal(result.noOffers?.message, "no offer for 1 x MI300X, on-demand: the catalog has no MI300X GPU, nor any AMD GPU (it has NVIDIA GPUs and Google TPUs)");
    assert.deepEqual(nearest(result), [
      "a2-ultragpu-2g: A100 (gpu name MI300X); vendor nvidia (gpu vendor amd); 2 GPUs (gpu count 1)",
      "p4de.24xlarge: A100 (gpu name MI300X); vendor nvidia (gpu vendor amd); 8 GPUs (gpu count 1)",
      "p4d.24xlarge: A100 (gpu name MI300X); vendor nvidia (gpu vendor amd); 8 GPUs (gpu count 1)",
    ]);
  });

  it("a vendor the catalog has none of", () => {
    const result = resolve(mini, "image: rocm/dev-ubuntu-22.04\nresources:\n  gpu: amd\n");
    assert.equal(result.noOffers?.message, "no offer for 1 x amd GPU, on-demand: the catalog has no AMD GPUs (it has NVIDIA GPUs and Google TPUs)");
  });

  it("MI300X and a10 (bundled catalog): big-memory GPUs, A10G machines, never a T4", () => {
    const mi = resolve(bundled(), "image: rocm/dev-ubuntu-22.04\nresources:\n  gpu: MI300X\n");
    assert.equal(mi.noOffers?.message, "no offer for 1 x MI300X, on-demand: the catalog has no MI300X GPU, nor any AMD GPU (it has NVIDIA GPUs and Google TPUs)");
    assert.deepEqual(mi.noOffers?.nearest.map((near) => `${near.offer.instance_type} ${near.machine}`), [
      "p6-b300.48xlarge 8 x B300 270GB, 192 CPUs, 4096GB",
      "p6-b200.48xlarge 8 x B200 180GB, 192 CPUs, 2048GB",
      "p5en.48xlarge 8 x H200 141GB, 192 CPUs, 2048GB",
    ]);
    const a10 = resolve(bundled(), "resources:\n  gpu: a10\n");
    assert.equal(a10.noOffers?.message, 'no offer for 1 x a10, on-demand: the catalog has no a10 GPU (Did you mean "A10G"?)');
    assert.deepEqual(nearest(a10), ["g5.xlarge: A10G (gpu name a10)", "g5.2xlarge: A10G (gpu name a10)", "g5.4xlarge: A10G (gpu name a10)"]);
  });

  it("a vendor alone (bundled catalog): GPUs with at least the vendor's least memory (32GB for AMD), never a T4", () => {
    const amd = resolve(bundled(), "image: rocm/dev-ubuntu-22.04\nresources:\n  gpu: amd:2\n");
    assert.equal(amd.noOffers?.message, "no offer for 2 x amd GPU, on-demand: the catalog has no AMD GPUs (it has NVIDIA GPUs and Google TPUs)");
    assert.deepEqual(amd.noOffers?.nearest.map((near) => `${near.offer.instance_type} ${near.machine}`), [
      "g7.12xlarge 2 x RTXPRO4500 32GB, 48 CPUs, 192GB",
      "a2-highgpu-2g 2 x A100 40GB, 24 CPUs, 170GB",
      "a2-ultragpu-2g 2 x A100 80GB, 24 CPUs, 340GB",
    ]);
  });

  it("TPU slices (bundled catalog): the asked generation, nearest in size; a multi-host slice only when asked by name", () => {
    const v6e = resolve(bundled(), "resources:\n  gpu: v6e-3\n");
    assert.equal(v6e.noOffers?.message, 'no offer for 1 x v6e-3, on-demand: the catalog has no v6e-3 TPU slice (Did you mean "v6e-1"?)');
    assert.deepEqual(nearest(v6e), ["v6e-4: v6e-4 (gpu name v6e-3)", "v6e-8: v6e-8 (gpu name v6e-3)", "v6e-1: v6e-1 (gpu name v6e-3)"]);
    const multi = resolve(bundled(), "resources:\n  gpu: v5litepod-16\n");
    assert.deepEqual(multi.noOffers?.nearest.map((near) => `${near.offer.instance_type} ${near.machine}`), [
      "v5litepod-16 TPU 16 chips on 4 hosts, 112 CPUs, 192GB",
      "v5litepod-8 TPU 8 chips on 1 host, 224 CPUs, 384GB",
      "v5litepod-4 TPU 4 chips on 1 host, 112 CPUs, 192GB",
    ]);
  });

  it("a region of another backend: in the reason when it empties the list, else a warning", () => {
    const gcpRegion = resolve(bundled(), "backends: [aws]\nregions: [us-east1]\n");
    assert.equal(gcpRegion.noOffers?.message, 'no aws offer for any machine, on-demand: regions [us-east1] removed the last 5337 candidates; us-east1 is a GCP region, not an AWS one (Did you mean "us-east-1"?)');
    assert.deepEqual(gcpRegion.warnings, []);
    const awsRegion = resolve(bundled(), "backends: [gcp]\nregions: [us-east-1]\n");
    assert.equal(awsRegion.noOffers?.message, 'no gcp offer for any machine, on-demand: regions [us-east-1] removed the last 22943 candidates; us-east-1 is an AWS region, not a GCP one (Did you mean "us-east1"?)');
    const mixed = resolve(mini, "backends: [aws]\nregions: [us-east-1, us-central1]\nmax_price: 0.07\n");
    assert.deepEqual(mixed.offers.map((offer) => offer.instance_type), ["t3.large"]);
    assert.deepEqual(mixed.warnings, ["regions: us-central1 is a GCP region, not an AWS one"]);
    assert.deepEqual(resolve(mini, "regions: [us-central1]\nmax_price: 0.07\n").warnings, [], "no backends named: any region is fine");
    // The hint is the other cloud's spelling of the same name, never a region that only looks alike.
    const noTwin = resolve(bundled(), "backends: [aws]\nregions: [us-east-1, us-central1]\n");
    assert.deepEqual(noTwin.warnings, ["regions: us-central1 is a GCP region, not an AWS one"]);
    const flags = resolveOffers(parseConfig("type: dev-environment\nide: vscode\n"), bundled(), { backends: ["gcp"], regions: ["eu-west-1"] });
    assert.equal(flags.noOffers?.message, "no gcp offer for any machine, on-demand: regions [eu-west-1] removed the last 22943 candidates; eu-west-1 is an AWS region, not a GCP one");
  });
});
