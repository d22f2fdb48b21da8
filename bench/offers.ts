/**
 * Benchmark: 100 different specs resolved against the full bundled catalog, by the index
 * (`resolveRequirements`) and by a straightforward full scan (`fullScanOffers`), in one run.
 * Prints the median microseconds per query of each and their ratio (ours / baseline), and checks
 * that both give the same offers.
 *
 *     npm run bench:offers
 */
import { strict as assert } from "node:assert";
import { performance } from "node:perf_hooks";
import { loadBundledCatalog } from "../catalog/load";
import { parseConfig } from "../config/read";
import { fullScanOffers } from "../offers/full-scan";
import { OfferIndex } from "../offers/offer-index";
import { toRequirements } from "../offers/requirements";
import { resolveRequirements } from "../offers/resolve";
import { offerBenchSpecs } from "./offer-specs";

const LIMIT = 20;
const ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function main(): void {
  const loadStart = performance.now();
  const catalog = loadBundledCatalog();
  const loadMs = performance.now() - loadStart;
  const indexStart = performance.now();
  const index = new OfferIndex(catalog);
  void index.all; // build the index now, so that its time is measured here
  const indexMs = performance.now() - indexStart;
  const requirements = offerBenchSpecs().map((text) => toRequirements(parseConfig(text)));

  // Same answers first (and a warm-up for both).
  for (const r of requirements) {
    const ours = resolveRequirements(r, index, LIMIT);
    const baseline = fullScanOffers(catalog, r, LIMIT);
    assert.deepEqual(ours.offers, baseline.offers);
    assert.equal(ours.total, baseline.total);
  }
  const oursTimes: number[] = [];
  const baselineTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of requirements) {
      let start = performance.now();
      resolveRequirements(r, index, LIMIT);
      oursTimes.push((performance.now() - start) * 1000);
      start = performance.now();
      fullScanOffers(catalog, r, LIMIT);
      baselineTimes.push((performance.now() - start) * 1000);
    }
  }
  const ours = median(oursTimes);
  const baseline = median(baselineTimes);
  const result = {
    bench: "offers",
    specs: requirements.length,
    candidates: index.all.length,
    catalog_load_ms: Number(loadMs.toFixed(1)),
    index_build_ms: Number(indexMs.toFixed(1)),
    median_us_per_query: Number(ours.toFixed(1)),
    baseline_full_scan_median_us: Number(baseline.toFixed(1)),
    ratio: Number((ours / baseline).toFixed(4)),
  };
  console.log(`offers: ${result.specs} specs over ${result.candidates} candidates; median ${result.median_us_per_query} us/query (index) vs ${result.baseline_full_scan_median_us} us (full scan): ratio ${result.ratio}`);
  console.log(`catalog load ${result.catalog_load_ms} ms, index build ${result.index_build_ms} ms`);
  console.log(JSON.stringify(result));
}

main();
