/**
 * When the offer index is built (offers/offer-index.ts): queries scan the catalog directly until
 * they have made as many candidates as `DIRECT_SCAN_CANDIDATES_PER_INSTANCE` per instance type,
 * then the index serves them; either way the offers are those of a full scan.
 */
import { strict as assert } from "node:assert";
import { loadBundledCatalog } from "../../catalog/load";
import type { Catalog } from "../../catalog/types";
import { parseConfig } from "../../config/read";
import { fullScanOffers } from "../../offers/full-scan";
import { DIRECT_SCAN_CANDIDATES_PER_INSTANCE, OfferIndex } from "../../offers/offer-index";
import { toRequirements } from "../../offers/requirements";
import { resolveRequirements } from "../../offers/resolve";
import { offerBenchSpecs } from "../../bench/offer-specs";
import { gpu, machine, miniCatalog, price } from "../support/mini-catalog";

const requirementsOf = (yaml: string) => toRequirements(parseConfig(`type: dev-environment\nide: vscode\n${yaml}`));

/** One instance type with one price row, on demand and spot: a query it passes makes 2 candidates. */
function oneMachine(): Catalog {
  return { ...miniCatalog(), instances: [machine("aws", "m5.large", 2, 8, [price("us-east-1", 0.096, 0.04)])] };
}

describe("offer index: built after enough direct scans", () => {
  it(`scans directly until the scans made ${DIRECT_SCAN_CANDIDATES_PER_INSTANCE} candidates per instance type, then builds the index`, () => {
    const catalog = oneMachine();
    const index = new OfferIndex(catalog);
    const cpu = requirementsOf("resources:\n  cpu: 2\nspot_policy: auto\n");
    const queries = DIRECT_SCAN_CANDIDATES_PER_INSTANCE / 2; // each makes the machine's 2 candidates
    for (let i = 0; i < queries; i++) {
      assert.equal(index.scansDirectly(), true, `query ${i + 1}`);
      assert.deepEqual(resolveRequirements(cpu, index, 5).offers, fullScanOffers(catalog, cpu, 5).offers);
    }
    assert.equal(index.indexed, false);
    assert.equal(index.scansDirectly(), false);
    const indexed = resolveRequirements(cpu, index, 5);
    assert.equal(index.indexed, true);
    assert.deepEqual(indexed.offers, fullScanOffers(catalog, cpu, 5).offers);
    assert.deepEqual(indexed.offers.map((offer) => [offer.instance_type, offer.spot]), [["m5.large", true], ["m5.large", false]]);
  });

  it("a query without offers builds the index, to explain why nothing matches", () => {
    const catalog = oneMachine();
    const index = new OfferIndex(catalog);
    const none = resolveRequirements(requirementsOf("resources:\n  gpu: A100\n"), index, 5);
    assert.equal(none.total, 0);
    assert.ok(none.noOffers);
    assert.equal(index.indexed, true);
  });

  it("the budget is per instance type of the catalog", () => {
    const catalog = { ...oneMachine(), instances: [...oneMachine().instances, machine("aws", "g5.xlarge", 4, 16, [price("us-east-1", 1.006)], { gpu: gpu("A10G", 24, 1) })] };
    const index = new OfferIndex(catalog);
    const cpu = requirementsOf("resources:\n  cpu: 2\nspot_policy: auto\n"); // m5.large only: 2 candidates a query
    for (let i = 0; i < DIRECT_SCAN_CANDIDATES_PER_INSTANCE; i++) resolveRequirements(cpu, index, 5);
    assert.equal(index.indexed, false, `${2 * DIRECT_SCAN_CANDIDATES_PER_INSTANCE} candidates: within 2 instance types' budget`);
    resolveRequirements(cpu, index, 5);
    assert.equal(index.indexed, true);
  });

  it("reading `all` builds the index at once", () => {
    const index = new OfferIndex(oneMachine());
    assert.equal(index.scansDirectly(), true);
    assert.equal(index.all.length, 2);
    assert.equal(index.indexed, true);
    assert.equal(index.scansDirectly(), false);
  });

  it("on the bundled catalog, an index built up front agrees with a full scan for the benchmark's 100 specs", () => {
    const catalog = loadBundledCatalog();
    const index = new OfferIndex(catalog);
    void index.all;
    for (const text of offerBenchSpecs()) {
      const requirements = toRequirements(parseConfig(text));
      const ours = resolveRequirements(requirements, index, 20);
      const baseline = fullScanOffers(catalog, requirements, 20);
      assert.deepEqual(ours.offers, baseline.offers, text);
      assert.equal(ours.total, baseline.total, text);
    }
  });
});
