/**
 * The nearest offers where the memory a request implies, the name's family and a count from 0
 * decide the order (offers/nearest.ts). Each case is a small catalog in one region where one rule
 * alone puts one machine before another, against the price (the last key) where it can.
 */
import { strict as assert } from "node:assert";
import type { CatalogInstance } from "../../catalog/types";
import { parseConfig } from "../../config/read";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers } from "../../offers/resolve";
import { gpu, machine, miniCatalog, price } from "../support/mini-catalog";

/** A one-GPU (or `count`-GPU) machine in us-east-1 at `dollars` an hour. */
const box = (type: string, name: string, memory: number, dollars: number, count = 1, cpus = 8, ram = 32) =>
  machine("aws", type, cpus, ram, [price("us-east-1", dollars)], { gpu: gpu(name, memory, count) });

/** The instance types of the nearest offers to `resources` on a catalog of `instances` alone. */
function nearest(instances: CatalogInstance[], resources: string, policy = ""): string[] {
  const regions = [{ backend: "aws" as const, name: "us-east-1", kind: "standard" as const }, { backend: "gcp" as const, name: "us-central1", kind: "standard" as const }];
  const index = new OfferIndex({ ...miniCatalog(), regions, instances });
  const spec = parseConfig(`type: dev-environment\nide: vscode\n${policy}resources:\n${resources}`);
  const result = resolveOffers(spec, index, {});
  assert.ok(result.noOffers, `expected no offer for ${resources}`);
  return result.noOffers.nearest.map((near) => near.offer.instance_type);
}

describe("offers: the nearest offers by the memory a request implies", () => {
  it("a request that gives a memory implies none from its name: among other names, the cheaper first", () => {
    // H100 is 80GB; were it implied, the L4 (24GB) would be short of it and come after the A100.
    const instances = [box("a100.box", "A100", 80, 5), box("l4.box", "L4", 24, 1)];
    assert.deepEqual(nearest(instances, "  gpu: H100:24GB..:4\n"), ["l4.box", "a100.box"]);
    // Without the memory, the H100's 80GB decides: the A100 has it, the L4 is short.
    assert.deepEqual(nearest(instances, "  gpu: H100:4\n"), ["a100.box", "l4.box"]);
  });

  it("a name the catalog has implies the catalog's memory for it, not the data sheet's", () => {
    // The data sheet's A100 is 40GB; this catalog's only A100 is 80GB: the H100 (80GB) has all of
    // it, the L40S (48GB) is short, although cheaper. With 40GB the L40S would be nearer.
    const instances = [box("a100.box", "A100", 80, 30, 8), box("h100.box", "H100", 80, 10), box("l40s.box", "L40S", 48, 3)];
    assert.deepEqual(nearest(instances, "  gpu: A100:16\n"), ["a100.box", "h100.box", "l40s.box"]);
  });

  it("a name the catalog has in several memories implies the smallest", () => {
    // A100 in 40GB and 80GB: 40GB is implied, so a 40GB GPU (exact) comes before a 48GB one
    // (more than asked) although dearer; with 80GB the 48GB one would be less short.
    const instances = [box("a100-40.box", "A100", 40, 30, 8), box("a100-80.box", "A100", 80, 31, 8), box("g40.box", "G40", 40, 6), box("g48.box", "G48", 48, 5)];
    assert.deepEqual(nearest(instances, "  gpu: A100:16\n"), ["a100-40.box", "a100-80.box", "g40.box"]);
  });

  it("several names imply the smallest of their memories, from the data sheet for a name the catalog lacks", () => {
    // A100 (40GB here) and L4 (not in the catalog: 24GB on its data sheet): 24GB is implied, so the
    // 24GB GPU comes before the 32GB one although dearer; with 40GB the 32GB one would be nearer.
    const instances = [box("a100.box", "A100", 40, 30, 8), box("g24.box", "G24", 24, 6), box("g32.box", "G32", 32, 5)];
    assert.deepEqual(nearest(instances, "  gpu: A100,L4:16\n"), ["a100.box", "g24.box", "g32.box"]);
  });

  it("a name of unknown memory implies nothing; the others still do", () => {
    // a10x is in no catalog and on no data sheet: the A100's 40GB is implied, and the 40GB GPU
    // comes before the 48GB one although dearer.
    const instances = [box("a100.box", "A100", 40, 30, 8), box("g40.box", "G40", 40, 6), box("g48.box", "G48", 48, 5)];
    assert.deepEqual(nearest(instances, "  gpu: a10x,A100:16\n"), ["a100.box", "g40.box", "g48.box"]);
  });

  it("a TPU slice the catalog knows without its memory implies the memory of its shape", () => {
    // v5litepod-8 with no HBM figure in the catalog: its shape's 128GB is implied, so the asked
    // slice (memory unknown, counted as enough) comes first although it misses two constraints and
    // the v5litepod-4 (64GB, short of it) only the name of its family.
    const slice = (type: string, chips: number, hbm: number | null, cpus: number, ram: number, onDemand: number, spot: number | null) =>
      machine("gcp", type, cpus, ram, [price("us-central1", onDemand, spot, ["us-central1-a"])], { tpu: { version: "v5litepod", chips, hosts: 1, hbm_gb: hbm } });
    const instances = [slice("v5litepod-4", 4, 64, 112, 192, 4.8, 2.4), slice("v5litepod-8", 8, null, 224, 384, 9.6, null)];
    assert.deepEqual(nearest(instances, "  gpu: v5litepod-8\n", "spot_policy: spot\nmax_price: 5\n"), ["v5litepod-8", "v5litepod-4"]);
  });

  it("a GPU of the asked name or family is as good in any memory: the cheaper first", () => {
    const instances = [box("a100-40.box", "A100", 40, 31, 8), box("a100-80.box", "A100", 80, 30, 8)];
    assert.deepEqual(nearest(instances, "  gpu: A100:16\n"), ["a100-80.box", "a100-40.box"]);
  });
});

describe("offers: the nearest offers by the name's family and a count from 0", () => {
  it("a miss of the name's family does not count: an A10G that misses only the count comes before an A10 that also misses the CPUs", () => {
    const instances = [box("a10.box", "A10", 24, 1, 1, 4), box("a10g.box", "A10G", 24, 2, 1, 8)];
    assert.deepEqual(nearest(instances, "  cpu: 8..\n  gpu: A10:4\n"), ["a10g.box", "a10.box"]);
  });

  it("a GPU request whose count may be 0: machines without GPUs are near too, and another name counts as a miss", () => {
    // The CPU machine misses the CPUs and the memory by a hair; the G40 misses the CPUs and the
    // name. Two misses each; the CPU machine's are smaller.
    const instances = [
      machine("aws", "cpu.box", 499, 999, [price("us-east-1", 2)]),
      box("x40.box", "G40", 40, 3, 1, 499, 1000),
    ];
    assert.deepEqual(nearest(instances, "  cpu: 500\n  memory: 1000GB..\n  gpu: A100:0..1\n"), ["cpu.box", "x40.box"]);
  });
});
