/**
 * The capacity loop against a stub runner (scripted answers per attempt) and a fake clock: the
 * sequence of offers tried (zones the error names first, then the fallback order across backends,
 * skipping what an EC2 Fleet already tried), the lock written before each new attempt, the wait
 * once every offer was tried and the fleet replaced then, the stop at retry.duration, quota and
 * other errors not retried, and no retry without `retry`.
 */
import { strict as assert } from "node:assert";
import { runCapacityLoop, type LoopEvent, type LoopInputs, type Runner, type Target } from "../../cli/capacity-loop";
import { parseConfig } from "../../config/read";
import { capacityRetry } from "../../offers/capacity-retry";
import { chooseOffer } from "../../offers/choose";
import { fallbackOrder } from "../../offers/fallback";
import type { OfferLock } from "../../offers/lock";
import { sharedOfferIndex } from "../../offers/shared-index";
import { EC2_ICE, EC2_QUOTA, FLEET_EMPTY, GCE_EXHAUSTED, GCE_QUOTA, TPU_FULL } from "../support/capacity-messages";

const HEAD = "type: dev-environment\nname: box\nide: vscode\nresources:\n  gpu: L4\n";
const RETRY = "retry:\n  on_events: [no-capacity]\n  duration: 30m\n";

/** The loop's inputs for a configuration, as `dstack-pulumi up` makes them (no lock). */
function inputsFor(config: string, waitSeconds = 60): LoopInputs {
  const spec = parseConfig(config);
  const index = sharedOfferIndex();
  const choice = chooseOffer(spec, index, {});
  const first: Target = { offer: choice.offer, zone: choice.offer.backend === "gcp" ? choice.zone : null };
  return { order: fallbackOrder(choice.offer, choice.requirements, index), first, retry: capacityRetry(spec), lockFile: "/x/box.lock.json", stamp: index.catalog.stamp, waitSeconds };
}

/** A runner that answers each attempt with the next scripted output (null: success), taking `minutes` each. */
function scripted(answers: (string | null)[], clock: { now: number }, minutes = 1): Runner & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async up({ replace }) {
      calls.push(replace);
      clock.now += minutes * 60_000;
      const answer = answers.shift();
      if (answer === undefined) throw new Error("more attempts than scripted");
      return answer === null ? { ok: true, output: "Update succeeded" } : { ok: false, output: answer };
    },
  };
}

async function run(inputs: LoopInputs, runner: Runner, clock: { now: number }) {
  const events: LoopEvent[] = [];
  const locks: OfferLock[] = [];
  const result = await runCapacityLoop(inputs, {
    runner,
    now: () => clock.now,
    sleep: async (milliseconds) => void (clock.now += milliseconds),
    writeLock: (_file, lock) => void locks.push(lock),
    emit: (event) => void events.push(event),
  });
  const tried = events.flatMap((event) => (event.event === "attempt" ? [`${event.target.offer.backend} ${event.target.offer.instance_type} ${event.target.zone ?? "-"}`] : []));
  return { result, events, locks: locks.map((lock) => `${lock.offer.backend} ${lock.offer.instance_type} ${lock.zone ?? "-"}`), tried };
}

const gce = (zone: string, available = "") => GCE_EXHAUSTED.replace("us-central1-a", zone).replace(/"zonesAvailable": "[^"]*"/, `"zonesAvailable": "${available}"`);

describe("the capacity loop", () => {
  it("tries the zones the error names, then the next offers across backends; skips what the fleet tried; locks each; stops at the first success", async () => {
    const clock = { now: 0 };
    const inputs = inputsFor(`${HEAD}backends: [aws, gcp]\nregions: [us-east-1, us-central1]\n${RETRY}`);
    // The fleet's marker names every AWS type of the region it tried (here g6.xlarge and g6.2xlarge).
    const runner = scripted([gce("us-central1-a", "us-central1-c"), gce("us-central1-c"), gce("us-central1-b"), FLEET_EMPTY, null], clock);
    const { result, tried, locks, events } = await run(inputs, runner, clock);
    assert.deepEqual(tried, [
      "gcp g2-standard-4 us-central1-a",
      "gcp g2-standard-4 us-central1-c",
      "gcp g2-standard-4 us-central1-b",
      "aws g6.xlarge -",
      "gcp g2-standard-8 us-central1-a",
    ]);
    assert.deepEqual(locks, ["gcp g2-standard-4 us-central1-c", "gcp g2-standard-4 us-central1-b", "aws g6.xlarge -", "gcp g2-standard-8 us-central1-a"]);
    assert.deepEqual(result, { outcome: "succeeded", attempts: 5, message: "gcp us-central1 g2-standard-8 (us-central1-a): the update succeeded" });
    assert.deepEqual(runner.calls, [[], [], [], [], []], "the fleet is not replaced when the next offer is elsewhere");
    assert.deepEqual(events.filter((event) => event.event === "capacity_error").map((event) => (event as { zonesAvailable: string[] }).zonesAvailable), [["us-central1-c"], [], [], []]);
  });

  it("a TPU slice with no capacity: the next zone of the same slice, then the next region (TPU VMs go through the loop)", async () => {
    const clock = { now: 0 };
    const inputs = inputsFor("type: dev-environment\nname: box\nide: vscode\nresources:\n  gpu: v5litepod-8\nregions: [us-central1, us-east1]\nretry: true\n");
    assert.deepEqual(inputs.retry, { durationSeconds: 3600, field: "retry" });
    const full = (zone: string) => TPU_FULL.replace("us-east5-a", zone);
    const { tried, locks } = await run(inputs, scripted([full("us-central1-a"), full("us-east1-b"), null], clock), clock);
    assert.deepEqual(tried, ["gcp v5litepod-8 us-central1-a", "gcp v5litepod-8 us-east1-b", "gcp v5litepod-8 us-east1-c"]);
    assert.deepEqual(locks, ["gcp v5litepod-8 us-east1-b", "gcp v5litepod-8 us-east1-c"]);
  });

  it("EC2's suggested zones pin the same type first", async () => {
    const clock = { now: 0 };
    const inputs = inputsFor(`${HEAD}backends: [aws]\nregions: [us-east-1]\n${RETRY}`);
    const { tried, locks } = await run(inputs, scripted([EC2_ICE, null], clock), clock);
    assert.deepEqual(tried, ["aws g6.xlarge -", "aws g6.xlarge us-east-1b"]);
    assert.deepEqual(locks, ["aws g6.xlarge us-east-1b"]);
  });

  it("every offer tried: waits, then starts again from the first, replacing the fleet that launched nothing", async () => {
    const clock = { now: 0 };
    const inputs = inputsFor(`${HEAD}backends: [aws]\nregions: [us-east-1]\nmax_price: 0.9\n${RETRY}`, 120);
    assert.deepEqual(inputs.order.map((offer) => offer.instance_type), ["g6.xlarge"]);
    const runner = scripted([FLEET_EMPTY, null], clock);
    const { result, events, locks } = await run(inputs, runner, clock);
    assert.deepEqual(events.map((event) => event.event), ["attempt", "capacity_error", "waiting", "lock_written", "attempt", "done"]);
    assert.deepEqual(events.find((event) => event.event === "waiting"), { event: "waiting", seconds: 120 });
    assert.deepEqual(runner.calls, [[], ["urn:pulumi:dev::p::dstack:index:DevEnvironment$aws:ec2/fleet:Fleet::box-fleet"]]);
    assert.deepEqual(locks, ["aws g6.xlarge -"]);
    assert.equal(result.outcome, "succeeded");
    assert.equal(clock.now, 2 * 60_000 + 120_000);
  });

  it("stops at retry.duration: no attempt starts after it", async () => {
    const clock = { now: 0 };
    const inputs = inputsFor(`${HEAD}backends: [gcp]\nregions: [us-central1]\n${RETRY}`);
    // Each update takes 10 minutes and finds no capacity: attempts start at 0, 10 and 20 minutes.
    const runner = scripted(Array.from({ length: 10 }, () => gce("us-central1-a")), clock, 10);
    const { result, tried, locks } = await run(inputs, runner, clock);
    assert.deepEqual(tried, ["gcp g2-standard-4 us-central1-a", "gcp g2-standard-4 us-central1-b", "gcp g2-standard-4 us-central1-c"]);
    assert.equal(runner.calls.length, 3);
    assert.deepEqual(locks, ["gcp g2-standard-4 us-central1-b", "gcp g2-standard-4 us-central1-c"]);
    assert.deepEqual(result, { outcome: "no_capacity", attempts: 3, message: "no capacity within retry.duration (30m): 3 attempt(s), the last on gcp us-central1 g2-standard-4 (us-central1-c) (the lock holds it)" });
  });

  it("a quota error ends the loop at once with its own message; nothing is locked", async () => {
    for (const quota of [EC2_QUOTA, GCE_QUOTA]) {
      const clock = { now: 0 };
      const inputs = inputsFor(`${HEAD}backends: [aws, gcp]\nregions: [us-east-1, us-central1]\n${RETRY}`);
      const { result, locks, tried } = await run(inputs, scripted([quota], clock), clock);
      assert.equal(result.outcome, "quota");
      assert.equal(tried.length, 1);
      assert.deepEqual(locks, []);
      assert.match(result.message, /^gcp us-central1 g2-standard-4 \(us-central1-a\): a quota stops the update, and retrying does not lift it: .*(VcpuLimitExceeded|Quota 'NVIDIA_L4_GPUS' exceeded).*\. Ask the cloud for a higher quota/);
    }
  });

  it("without retry: one attempt, and a capacity error says how to retry", async () => {
    const clock = { now: 0 };
    const inputs = inputsFor(`${HEAD}backends: [aws]\nregions: [us-east-1]\n`);
    assert.equal(inputs.retry, null);
    const { result, locks, tried } = await run(inputs, scripted([EC2_ICE], clock), clock);
    assert.deepEqual(tried, ["aws g6.xlarge -"]);
    assert.deepEqual(locks, []);
    assert.equal(result.outcome, "no_capacity");
    assert.match(result.message, /^aws us-east-1 g6\.xlarge: no capacity: creating EC2 Instance: .*\. The configuration has no retry: add retry: \{on_events: \[no-capacity\], duration: 1h\} to try the next offers$/);
  });

  it("another error is not retried", async () => {
    const clock = { now: 0 };
    const inputs = inputsFor(`${HEAD}backends: [aws]\nregions: [us-east-1]\n${RETRY}`);
    const { result, tried } = await run(inputs, scripted(["error: the program failed: TypeError: x is undefined"], clock), clock);
    assert.deepEqual([result.outcome, tried.length], ["error", 1]);
    assert.equal(result.message, "aws us-east-1 g6.xlarge: the update failed (not for capacity: not retried): error: the program failed: TypeError: x is undefined");
  });
});
