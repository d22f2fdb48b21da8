/**
 * The pure rules of capacity, exactly: whether and how long a configuration asks to keep looking
 * (dstack's `retry`, `retry: true`, the legacy `retry_policy`), durations in words, and the
 * fallback order (the chosen offer first, then the others cheapest first, at most the limit; within
 * one region and market for an EC2 Fleet).
 */
import { strict as assert } from "node:assert";
import { parseConfig } from "../../config/read";
import { capacityRetry, DEFAULT_RETRY_SECONDS, formatSeconds } from "../../offers/capacity-retry";
import { fallbackOrder, MAX_OFFERS_TRIED, sameRegion } from "../../offers/fallback";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers } from "../../offers/resolve";
import { toRequirements } from "../../offers/requirements";
import { miniCatalog } from "../support/mini-catalog";

const spec = (body: string) => parseConfig(`type: dev-environment\nide: vscode\n${body}`);
const index = new OfferIndex(miniCatalog());
const names = (offers: { backend: string; region: string; instance_type: string; spot: boolean }[]) => offers.map((o) => `${o.backend}/${o.region}/${o.instance_type}${o.spot ? "/spot" : ""}`);

describe("capacity rules", () => {
  it("retry: on no-capacity, for its duration or dstack's hour; never without it", () => {
    assert.equal(DEFAULT_RETRY_SECONDS, 3600);
    const cases: [string, ReturnType<typeof capacityRetry>][] = [
      ["", null],
      ["retry: true\n", { durationSeconds: 3600, field: "retry" }],
      ["retry: false\n", null],
      ["retry:\n  on_events: [no-capacity]\n  duration: 30m\n", { durationSeconds: 1800, field: "retry" }],
      ["retry:\n  on_events: [no-capacity, error]\n", { durationSeconds: 3600, field: "retry" }],
      ["retry:\n  on_events: [error, interruption]\n  duration: 2h\n", null],
      ["retry_policy:\n  retry: true\n  duration: 2h\n", { durationSeconds: 7200, field: "retry_policy" }],
      ["retry_policy:\n  retry: true\n", { durationSeconds: 3600, field: "retry_policy" }],
      // dstack 0.18.2x: a duration turns retrying on, whatever `retry` says.
      ["retry_policy:\n  retry: false\n  duration: 2h\n", { durationSeconds: 7200, field: "retry_policy" }],
      ["retry_policy:\n  retry: false\n", null],
      ["retry: false\nretry_policy:\n  retry: true\n", null],
    ];
    for (const [body, expected] of cases) assert.deepEqual(capacityRetry(spec(body)), expected, JSON.stringify(body));
  });

  it("durations in words", () => {
    assert.deepEqual([3600, 5400, 90, 0, 59, 60, 3661, 86400, 1.6].map(formatSeconds), ["1h", "1h30m", "1m30s", "0s", "59s", "1m", "1h1m1s", "24h", "2s"]);
  });

  it("the fallback order: the chosen offer first, then the others cheapest first, without it again, at most the limit", () => {
    const cpu = spec("resources:\n  cpu: 2..\n");
    const requirements = toRequirements(cpu);
    const all = resolveOffers(cpu, index, {}).offers;
    assert.equal(MAX_OFFERS_TRIED, 25);
    const chosen = all[2];
    const order = fallbackOrder(chosen, requirements, index);
    assert.deepEqual(names(order), names([chosen, ...all.filter((_, i) => i !== 2)]));
    assert.deepEqual(names(fallbackOrder(chosen, requirements, index, 3)), names([chosen, all[0], all[1]]));
    assert.deepEqual(names(fallbackOrder(all[0], requirements, index, 1)), names([all[0]]));
  });

  it("within one region and market: what one EC2 Fleet can try", () => {
    const gpu = spec("spot_policy: auto\nresources:\n  gpu: 1..\n");
    const requirements = toRequirements(gpu);
    const all = resolveOffers(gpu, index, {}).offers;
    const g6 = all.find((offer) => offer.instance_type === "g6.xlarge" && !offer.spot)!;
    assert.deepEqual(names(sameRegion(g6, requirements, index)), ["aws/us-east-1/g6.xlarge", "aws/us-east-1/g5.xlarge", "aws/us-east-1/p4d.24xlarge", "aws/us-east-1/p4de.24xlarge"]);
    const spotG5 = all.find((offer) => offer.instance_type === "g5.xlarge" && offer.spot)!;
    assert.deepEqual(names(sameRegion(spotG5, requirements, index)), ["aws/us-east-1/g5.xlarge/spot", "aws/us-east-1/g6.xlarge/spot", "aws/us-east-1/p4d.24xlarge/spot"]);
  });
});
