/**
 * The order of the nearest offers (offers/nearest.ts) where the mutation run found it unpinned:
 * another vendor's GPUs only where the asked vendor has none, the price last among equals, and
 * the fallback order's limit when the chosen offer is the cheapest.
 */
import { strict as assert } from "node:assert";
import type { Catalog } from "../../catalog/types";
import { parseConfig } from "../../config/read";
import { fallbackOrder } from "../../offers/fallback";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers } from "../../offers/resolve";
import { toRequirements } from "../../offers/requirements";
import { machine, miniCatalog, price } from "../support/mini-catalog";

const spec = (body: string) => parseConfig(`type: dev-environment\nide: vscode\nimage: rocm/dev-ubuntu-22.04\n${body}`);
const amd = (name: string, memory: number, count: number) => ({ vendor: "amd" as const, name, memory_gb: memory, count });

/** us-east-1: two AMD machines, two NVIDIA ones of the same shape at two prices, and a CPU machine. */
function catalog(): Catalog {
  return {
    ...miniCatalog(),
    regions: [{ backend: "aws", name: "us-east-1", kind: "standard" }],
    instances: [
      machine("aws", "amd.big", 16, 64, [price("us-east-1", 9)], { gpu: amd("MI300X", 192, 1) }),
      machine("aws", "amd.small", 8, 32, [price("us-east-1", 4)], { gpu: amd("MI210", 64, 1) }),
      machine("aws", "nv.dear", 8, 32, [price("us-east-1", 3)], { gpu: { vendor: "nvidia", name: "A100", memory_gb: 80, count: 1 } }),
      machine("aws", "nv.cheap", 8, 32, [price("us-east-1", 2)], { gpu: { vendor: "nvidia", name: "A100", memory_gb: 80, count: 1 } }),
      machine("aws", "cpu.only", 8, 32, [price("us-east-1", 0.5)]),
    ],
  };
}
const index = new OfferIndex(catalog());
const nearest = (body: string) => resolveOffers(spec(body), index, {}).noOffers!.nearest.map((near) => near.offer.instance_type);

describe("offers: the order of the nearest offers", () => {
  it("an AMD request the catalog cannot meet: AMD machines only, while there are any", () => {
    assert.deepEqual(nearest("resources:\n  gpu: amd:4\n"), ["amd.small", "amd.big"]);
  });

  it("an NVIDIA request: NVIDIA machines only; among equals the cheaper first", () => {
    assert.deepEqual(nearest("resources:\n  gpu: A100:80GB:4\n"), ["nv.cheap", "nv.dear"]);
  });

  it("the fallback order keeps its limit when the chosen offer is the cheapest", () => {
    const cpu = spec("resources:\n  cpu: 8..\n");
    const all = resolveOffers(cpu, index, {}).offers;
    const order = fallbackOrder(all[0], toRequirements(cpu), index, 3);
    assert.deepEqual(order.map((offer) => offer.instance_type), all.slice(0, 3).map((offer) => offer.instance_type));
  });

  it("a GPU request on a catalog with no accelerator at all: said so", () => {
    const cpuOnly = new OfferIndex({ ...catalog(), instances: [catalog().instances[4]] });
    const result = resolveOffers(parseConfig("type: dev-environment\nide: vscode\nresources:\n  gpu: A100\n"), cpuOnly, {});
    assert.equal(result.noOffers?.message, "no offer for 1 x A100, on-demand: the catalog has no A100 GPU, nor any NVIDIA GPU (it has no accelerators)");
  });
});
