/**
 * When nothing matches: the constraint that removed the last candidates and the nearest offers,
 * in exact words; backends this project does not provision.
 */
import { strict as assert } from "node:assert";
import { parseConfig } from "../../config/read";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers, type ResolveOptions, type Resolution } from "../../offers/resolve";
import { miniCatalog } from "../support/mini-catalog";

const index = new OfferIndex(miniCatalog());

function resolve(body: string, options: ResolveOptions = {}): Resolution {
  return resolveOffers(parseConfig(`type: dev-environment\nide: vscode\n${body}`), index, options);
}

describe("offers: why there are none", () => {
  it("2 x A100 80GB on aws: the count removed the last candidate; nearest is p4de.24xlarge with 8", () => {
    const result = resolve("backends: [aws]\nresources:\n  gpu: A100:80GB:2\n");
    assert.equal(result.total, 0);
    assert.equal(result.noOffers?.constraint, "gpu_count");
    assert.equal(
      result.noOffers?.message,
      "no aws offer for 2 x A100 80GB, on-demand: gpu count 2 removed the last candidate",
    );
    assert.deepEqual(
      result.noOffers?.nearest.map((near) => `${near.offer.instance_type}: ${near.machine}: ${near.misses.join("; ")}`),
      [
        "p4de.24xlarge: 8 x A100 80GB, 96 CPUs, 1152GB: 8 GPUs (gpu count 2)",
        "p4d.24xlarge: 8 x A100 40GB, 96 CPUs, 1152GB: 40GB per GPU (gpu memory 80GB); 8 GPUs (gpu count 2)",
        "g6.xlarge: 1 x L4 24GB, 4 CPUs, 16GB: L4 (gpu name A100); 24GB per GPU (gpu memory 80GB); 1 GPU (gpu count 2)",
      ],
    );
  });

  it("a disk below AWS's 100GB on aws only", () => {
    const result = resolve("backends: [aws]\nresources:\n  disk: 50GB\n");
    assert.equal(result.noOffers?.constraint, "disk");
    assert.match(result.noOffers!.message, /: disk 50GB \(allowed: aws 100GB\.\.16384GB, gcp 20GB\.\.32768GB\) removed the last \d+ candidates$/);
  });

  it("a multi-host TPU slice", () => {
    const result = resolve("resources:\n  gpu: v5litepod-16\n");
    assert.equal(result.noOffers?.constraint, "tpu_hosts");
    assert.deepEqual(
      result.noOffers?.nearest.map((near) => `${near.offer.instance_type}: ${near.misses.join("; ")}`),
      // The slice of the asked name first; no GPU is a stand-in for a TPU.
      [
        "v5litepod-16: 4 hosts (single-host TPU slices (a dev environment runs on one host; dstack never uses v4))",
        "v5litepod-8: v5litepod-8 (gpu name v5litepod-16)",
      ],
    );
  });

  it("max_price below every match", () => {
    const result = resolve("max_price: 0.5\nresources:\n  gpu: L4\n");
    assert.equal(result.noOffers?.constraint, "max_price");
    assert.deepEqual(result.noOffers?.nearest.map((near) => `${near.offer.instance_type} ${near.misses.join("; ")}`)[0], "g6.xlarge $0.805/h (max_price $0.5/h)");
  });

  it("a region that has none", () => {
    const result = resolve("regions: [eu-west-1]\nresources:\n  gpu: L4\n");
    assert.equal(result.noOffers?.constraint, "gpu_name");
    assert.match(result.noOffers!.message, /: gpu name L4 removed the last candidate$/);
    assert.deepEqual(result.noOffers?.nearest.map((near) => `${near.offer.instance_type}: ${near.misses.join("; ")}`), ["m5.large: no GPU (gpu name L4)"]);
  });

  it("only backends this project does not provision: a message naming the supported ones", () => {
    const result = resolve("backends: [azure, runpod]\n");
    assert.equal(result.total, 0);
    assert.equal(result.noOffers?.message, "no offers: backends: azure, runpod are not provisioned by pulumi-dstack; it provisions aws and gcp");
  });

  it("a mix: the others are used, with a warning", () => {
    const result = resolve("backends: [azure, gcp]\nmax_price: 0.1\n");
    assert.deepEqual(result.offers.map((o) => o.instance_type), ["e2-standard-2"]);
    assert.deepEqual(result.warnings, ["backends: azure is not provisioned by pulumi-dstack; it provisions aws and gcp (azure ignored)"]);
  });

  it("reservation: spot offers are left out, with a warning", () => {
    const result = resolve("reservation: cr-0123\nspot_policy: auto\nmax_price: 0.1\n");
    assert.deepEqual(result.offers.map((o) => `${o.instance_type} ${o.spot}`), ["t3.large false", "e2-standard-2 false", "m5.large false"]);
    assert.deepEqual(result.warnings, ["reservation cr-0123: spot offers are left out, a reservation is on-demand capacity"]);
  });

  it("names the catalog does not know: a warning with the nearest known name, or in the reason when theirs is the constraint", () => {
    const result = resolve("instance_types: [g5.xlarg]\nregions: [us-east1-1]\nresources:\n  gpu: A10:1\n");
    assert.deepEqual(result.warnings, [
      'instance_types: g5.xlarg is in no offer of the catalog (Did you mean "g5.xlarge"?)',
      'resources.gpu: A10 is in no offer of the catalog (Did you mean "A10G"?)',
    ]);
    assert.equal(result.noOffers?.message, 'no offer for 1 x A10, on-demand: regions [us-east1-1] removed the last 23 candidates; us-east1-1 is in no offer of the catalog (Did you mean "us-east-1"?)');
    const found = resolve("instance_types: [g5.xlarge, g5.xlarg]\n");
    assert.deepEqual(found.warnings, ['instance_types: g5.xlarg is in no offer of the catalog (Did you mean "g5.xlarge"?)']);
  });

  it("an empty list is a filter that keeps nothing, as in dstack", () => {
    const result = resolve("regions: []\n");
    assert.equal(result.total, 0);
    assert.equal(result.noOffers?.message, "no offer for any machine, on-demand: regions [] removed the last 23 candidates");
    assert.equal(resolve("backends: []\n").noOffers?.constraint, "backend");
  });
});
