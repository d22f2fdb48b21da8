/**
 * Resolutions kept per index (offers/resolution-cache.ts): equal requirements and limit are
 * resolved once per index, anything else by itself, and every caller gets its own offers.
 */
import { strict as assert } from "node:assert";
import { parseConfig } from "../../config/read";
import { chooseOffer } from "../../offers/choose";
import { OfferIndex } from "../../offers/offer-index";
import { cachedResolution, MAX_CACHED_RESOLUTIONS } from "../../offers/resolution-cache";
import { toRequirements, type Requirements } from "../../offers/requirements";
import { resolveRequirements, type Resolution } from "../../offers/resolve";
import { miniCatalog } from "../support/mini-catalog";

const BASE = "type: dev-environment\nide: vscode\n";
const requirementsOf = (yaml: string, overrides = {}) => toRequirements(parseConfig(`${BASE}${yaml}`), overrides);

/** `resolveRequirements` that counts its calls. */
function counting(): { resolve: typeof resolveRequirements; calls: [Requirements, number][] } {
  const calls: [Requirements, number][] = [];
  return { calls, resolve: (requirements, index, limit = Infinity) => (calls.push([requirements, limit]), resolveRequirements(requirements, index, limit)) };
}

describe("cached resolutions", () => {
  it("equal requirements and limit: resolved once per index, with the same answer as resolving", () => {
    const index = new OfferIndex(miniCatalog());
    const { resolve, calls } = counting();
    const first = cachedResolution(requirementsOf("resources:\n  gpu: 24GB\n"), index, 5, resolve);
    const again = requirementsOf("resources:\n  gpu: 24GB\n"); // equal, another object
    const second = cachedResolution(again, index, 5, resolve);
    assert.equal(calls.length, 1);
    assert.deepEqual(second, resolveRequirements(again, index, 5));
    assert.deepEqual(first, second);
    assert.equal(second.requirements, again, "the caller's own requirements");
    assert.deepEqual(second.offers.map((offer) => offer.instance_type), ["g6.xlarge", "g5.xlarge"]);
  });

  it("other requirements, another limit or another index: resolved by themselves", () => {
    const index = new OfferIndex(miniCatalog());
    const { resolve, calls } = counting();
    const gpu = requirementsOf("resources:\n  gpu: 24GB\n");
    cachedResolution(gpu, index, 5, resolve);
    cachedResolution(requirementsOf("resources:\n  gpu: 24GB\n", { spotPolicy: "spot" }), index, 5, resolve);
    cachedResolution(requirementsOf("resources:\n  gpu: 24GB\n", { regions: ["eu-west-1"] }), index, 5, resolve);
    cachedResolution(gpu, index, 1, resolve);
    cachedResolution(gpu, index, Infinity, resolve);
    cachedResolution({ ...gpu, maxPrice: Number.NaN }, index, 5, resolve);
    cachedResolution(gpu, new OfferIndex(miniCatalog()), 5, resolve);
    assert.deepEqual(calls.map(([requirements, limit]) => [requirements.spotPolicy, requirements.regions, requirements.maxPrice, limit]), [
      ["on-demand", null, null, 5],
      ["spot", null, null, 5],
      ["on-demand", ["eu-west-1"], null, 5],
      ["on-demand", null, null, 1],
      ["on-demand", null, null, Infinity],
      ["on-demand", null, Number.NaN, 5],
      ["on-demand", null, null, 5],
    ]);
    cachedResolution(requirementsOf("resources:\n  gpu: 24GB\n", { spotPolicy: "spot" }), index, 5, resolve);
    cachedResolution(gpu, index, Infinity, resolve);
    assert.equal(calls.length, 7, "each of them once");
  });

  it("each caller gets its own offers, warnings and explanation: changing one changes no other answer", () => {
    const index = new OfferIndex(miniCatalog());
    const first = cachedResolution(requirementsOf("resources:\n  gpu: 24GB\n", { regions: ["eu-west-1", "us-east-1"] }), index, 5);
    first.offers[0].zones.push("us-east-1z");
    first.offers[0].price_per_hour = 0;
    first.warnings.push("changed");
    const second = cachedResolution(requirementsOf("resources:\n  gpu: 24GB\n", { regions: ["eu-west-1", "us-east-1"] }), index, 5);
    assert.deepEqual(second.offers[0].zones, []);
    assert.equal(second.offers[0].price_per_hour, 0.805);
    assert.deepEqual(second.warnings, []);
    const none = (): Resolution => cachedResolution(requirementsOf("resources:\n  gpu: H100\n"), index, 5);
    const explained = none().noOffers!;
    explained.nearest.push(explained.nearest[0]);
    assert.deepEqual(none().noOffers, resolveRequirements(requirementsOf("resources:\n  gpu: H100\n"), index, 5).noOffers);
  });

  it(`keeps at most ${MAX_CACHED_RESOLUTIONS} requests per index, then starts over`, () => {
    const index = new OfferIndex(miniCatalog());
    const { resolve, calls } = counting();
    const base = requirementsOf("resources:\n  cpu: 2\n");
    for (let i = 0; i < MAX_CACHED_RESOLUTIONS; i++) cachedResolution({ ...base, maxPrice: i + 1 }, index, 5, resolve);
    cachedResolution({ ...base, maxPrice: 1 }, index, 5, resolve);
    assert.equal(calls.length, MAX_CACHED_RESOLUTIONS, "all kept");
    cachedResolution({ ...base, maxPrice: 0.5 }, index, 5, resolve);
    cachedResolution({ ...base, maxPrice: 1 }, index, 5, resolve);
    assert.equal(calls.length, MAX_CACHED_RESOLUTIONS + 2, "the cache started over");
  });

  it("chooseOffer answers as before when asked twice", () => {
    const index = new OfferIndex(miniCatalog());
    const spec = parseConfig(`${BASE}resources:\n  gpu: 24GB\n`);
    const first = chooseOffer(spec, index, { lockFile: "x.lock.json" });
    const second = chooseOffer(spec, index, { lockFile: "x.lock.json" });
    assert.deepEqual(second, first);
    assert.notEqual(second.offer, first.offer);
    assert.equal(first.offer.instance_type, "g6.xlarge");
  });
});
