/**
 * The index gives exactly what the reference gives (same offers, same order, same total), for
 * generated requirements over the hand-made catalog and for the benchmark's 100 specs over the
 * bundled catalog. The reference (test/support/reference-offers.ts) is written apart from offers/:
 * a bug in compareCandidates or satisfies shows here. The full scan (offers/full-scan.ts, the
 * benchmark's baseline) is held to the same reference.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { loadBundledCatalog } from "../../catalog/load";
import type { Catalog } from "../../catalog/types";
import { parseConfig } from "../../config/read";
import { fullScanOffers } from "../../offers/full-scan";
import type { Offer } from "../../offers/offer";
import { OfferIndex } from "../../offers/offer-index";
import { toRequirements, type Requirements } from "../../offers/requirements";
import { resolveRequirements } from "../../offers/resolve";
import { offerBenchSpecs } from "../../bench/offer-specs";
import { machine, miniCatalog, price } from "../support/mini-catalog";
import { caseCount } from "../support/mutation";
import { referenceOffers } from "../support/reference-offers";

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

/** The hand-made catalog with a spot price equal to two on-demand prices (t3.large's, e2-standard-2's). */
function tiedCatalog(): Catalog {
  const catalog = miniCatalog();
  catalog.instances.push(machine("aws", "m6i.large", 2, 8, [price("us-east-1", 0.1, 0.067)]));
  return catalog;
}

/** Every offer of 2 CPUs and 8 GB at either kind of price: the tie of tiedCatalog is among them. */
const TIE_QUERY: Requirements = {
  cpus: { min: 2, max: 2 },
  arch: "x86",
  memory: { min: 8, max: 8 },
  gpu: null,
  disk: { min: 100, max: null },
  spotPolicy: "auto",
  maxPrice: null,
  backends: null,
  regions: null,
  zones: null,
  instanceTypes: null,
  reservation: null,
};

/** The index's offers and total. */
function indexed(requirements: Requirements, index: OfferIndex, limit: number): { offers: Offer[]; total: number } {
  const { offers, total } = resolveRequirements(requirements, index, limit);
  return { offers, total };
}

describe("offers: the index and the full scan agree with an independent reference", () => {
  it("on the hand-made catalog, for 2000 generated requirements", () => {
    const catalog = tiedCatalog();
    const index = new OfferIndex(catalog);
    fc.assert(
      fc.property(requirementsArbitrary, fc.constantFrom(1, 3, Infinity), (requirements, limit) => {
        const expected = referenceOffers(catalog, requirements, limit);
        assert.deepEqual(indexed(requirements, index, limit), expected);
        assert.deepEqual(fullScanOffers(catalog, requirements, limit), expected);
      }),
      // First, the query that meets the tie: any machine of 2 CPUs and 8 GB, spot or on demand.
      { numRuns: caseCount(2000), seed: 42, examples: [[TIE_QUERY, Infinity]] },
    );
  });

  it("the first query of a fresh index (scanned without the index) agrees too", () => {
    const catalog = tiedCatalog();
    fc.assert(
      fc.property(requirementsArbitrary, fc.constantFrom(1, 3, Infinity), (requirements, limit) => {
        assert.deepEqual(indexed(requirements, new OfferIndex(catalog), limit), referenceOffers(catalog, requirements, limit));
      }),
      { numRuns: caseCount(1000), seed: 7 },
    );
  });

  it("on the bundled catalog, for the benchmark's 100 specs", () => {
    const catalog = loadBundledCatalog();
    const index = new OfferIndex(catalog);
    const all = offerBenchSpecs();
    assert.equal(all.length, 100);
    const specs = all.slice(0, caseCount(all.length));
    let nonEmpty = 0;
    for (const text of specs) {
      const requirements = toRequirements(parseConfig(text));
      const ours = indexed(requirements, index, 20);
      const expected = referenceOffers(catalog, requirements, 20);
      assert.deepEqual(ours, expected, text);
      assert.deepEqual(fullScanOffers(catalog, requirements, 20), expected, text);
      if (ours.total > 0) nonEmpty++;
    }
    assert.ok(nonEmpty >= specs.length / 2, `only ${nonEmpty} of ${specs.length} specs have offers`);
  });

  it("on the bundled catalog, every offer of spot_policy: auto with gpu: 1.. (spot and on-demand ties included)", () => {
    const catalog = loadBundledCatalog();
    const requirements = toRequirements(parseConfig("type: dev-environment\nide: vscode\nspot_policy: auto\nresources:\n  gpu: 1..\n"));
    const expected = referenceOffers(catalog, requirements);
    assert.equal(expected.total, 4275);
    assert.deepEqual(indexed(requirements, new OfferIndex(catalog), Infinity), expected);
  });
});
