/**
 * The index gives exactly what a full scan gives (same offers, same order, same total), for
 * generated requirements over the hand-made catalog and for the benchmark's 100 specs over the
 * bundled catalog.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { loadBundledCatalog } from "../../catalog/load";
import { parseConfig } from "../../config/read";
import { fullScanOffers } from "../../offers/full-scan";
import { OfferIndex } from "../../offers/offer-index";
import { toRequirements, type Requirements } from "../../offers/requirements";
import { resolveRequirements } from "../../offers/resolve";
import { offerBenchSpecs } from "../../bench/offer-specs";
import { miniCatalog } from "../support/mini-catalog";

const range = (values: number[]) =>
  fc.record({ min: fc.option(fc.constantFrom(...values), { nil: null }), max: fc.option(fc.constantFrom(...values), { nil: null }) });

const requirementsArbitrary: fc.Arbitrary<Requirements> = fc.record({
  cpus: range([1, 2, 4, 24, 96, 224]),
  arch: fc.constantFrom("x86" as const, "arm" as const),
  memory: range([4, 8, 16, 384, 1152]),
  gpu: fc.option(
    fc.record({
      vendor: fc.constantFrom(null, "nvidia" as const, "google" as const, "amd" as const),
      names: fc.option(fc.subarray(["a100", "l4", "a10g", "t4", "v5litepod-8", "v5litepod-16", "h100"], { minLength: 1 }), { nil: null }),
      writtenNames: fc.constant(null),
      count: range([0, 1, 2, 8]),
      memory: fc.option(range([16, 24, 40, 80, 128]), { nil: null }),
      totalMemory: fc.option(range([24, 80, 320, 640]), { nil: null }),
      computeCapability: fc.option(fc.constantFrom<[number, number]>([7, 5], [8, 0], [8, 6], [9, 0]), { nil: null }),
    }),
    { nil: null },
  ),
  disk: range([20, 50, 100, 200, 20000]),
  spotPolicy: fc.constantFrom("spot" as const, "on-demand" as const, "auto" as const),
  maxPrice: fc.option(fc.constantFrom(0.07, 0.5, 1, 10, 30), { nil: null }),
  backends: fc.option(fc.subarray(["aws", "gcp"], { minLength: 1 }), { nil: null }),
  regions: fc.option(fc.subarray(["us-east-1", "eu-west-1", "us-central1", "us-west-2-lax-1"], { minLength: 1 }), { nil: null }),
  zones: fc.option(fc.subarray(["us-central1-a", "us-east-1c"], { minLength: 1 }), { nil: null }),
  instanceTypes: fc.option(fc.subarray(["m5.large", "g5.xlarge", "v5litepod-8"], { minLength: 1 }), { nil: null }),
  reservation: fc.constantFrom(null, "cr-1"),
});

describe("offers: the index agrees with a full scan", () => {
  it("on the hand-made catalog, for 2000 generated requirements", () => {
    const catalog = miniCatalog();
    const index = new OfferIndex(catalog);
    fc.assert(
      fc.property(requirementsArbitrary, fc.constantFrom(1, 3, Infinity), (requirements, limit) => {
        const ours = resolveRequirements(requirements, index, limit);
        const baseline = fullScanOffers(catalog, requirements, limit);
        assert.deepEqual(ours.offers, baseline.offers);
        assert.equal(ours.total, baseline.total);
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it("the first query of a fresh index (scanned without the index) agrees too", () => {
    const catalog = miniCatalog();
    fc.assert(
      fc.property(requirementsArbitrary, fc.constantFrom(1, 3, Infinity), (requirements, limit) => {
        const ours = resolveRequirements(requirements, new OfferIndex(catalog), limit);
        const baseline = fullScanOffers(catalog, requirements, limit);
        assert.deepEqual(ours.offers, baseline.offers);
        assert.equal(ours.total, baseline.total);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  it("on the bundled catalog, for the benchmark's 100 specs", () => {
    const catalog = loadBundledCatalog();
    const index = new OfferIndex(catalog);
    const specs = offerBenchSpecs();
    assert.equal(specs.length, 100);
    let nonEmpty = 0;
    for (const text of specs) {
      const requirements = toRequirements(parseConfig(text));
      const ours = resolveRequirements(requirements, index, 20);
      const baseline = fullScanOffers(catalog, requirements, 20);
      assert.deepEqual(ours.offers, baseline.offers, text);
      assert.equal(ours.total, baseline.total, text);
      if (ours.total > 0) nonEmpty++;
    }
    assert.ok(nonEmpty >= 50, `only ${nonEmpty} of 100 specs have offers`);
  });
});
