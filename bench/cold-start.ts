/**
 * Benchmark: cold wall time (a fresh process each time) of `plan` on the GPU example, of
 * `validate` and `offers`, and of `node -e "require('@pulumi/pulumi')"`, measured in one run,
 * interleaved, medians of N rounds. Targets: plan <= 1.5 x the require; validate and offers < 1/3.
 *
 *     npm run bench:cold [-- ROUNDS]
 */
import * as path from "node:path";
import { median, timeOnce } from "./timing";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin", "dstack-pulumi");
const EXAMPLE = "examples/gpu/.dstack.yml";

const COMMANDS: Record<string, string[]> = {
  require_pulumi: [process.execPath, "-e", "require('@pulumi/pulumi')"],
  plan: [process.execPath, BIN, "plan", EXAMPLE],
  validate: [process.execPath, BIN, "validate", EXAMPLE],
  offers: [process.execPath, BIN, "offers", EXAMPLE],
};

function main(): void {
  const rounds = Number(process.argv[2] ?? 7);
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(COMMANDS).map((name) => [name, []]));
  for (const name of Object.keys(COMMANDS)) timeOnce(COMMANDS[name], ROOT); // warm the file cache
  for (let round = 0; round < rounds; round++) {
    // A different order each round, so that no command always runs after the same one.
    const names = Object.keys(COMMANDS);
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) times[name].push(timeOnce(COMMANDS[name], ROOT));
  }
  const medians = Object.fromEntries(Object.entries(times).map(([name, values]) => [name, Number(median(values).toFixed(1))]));
  const base = medians.require_pulumi;
  const result = {
    bench: "cold-start",
    rounds,
    median_ms: medians,
    ratio_plan_to_require_pulumi: Number((medians.plan / base).toFixed(3)),
    ratio_validate_to_require_pulumi: Number((medians.validate / base).toFixed(3)),
    ratio_offers_to_require_pulumi: Number((medians.offers / base).toFixed(3)),
    targets: { plan: "<= 1.5", validate: "< 0.333", offers: "< 0.333" },
  };
  console.log(`cold start over ${rounds} rounds (median ms): ${JSON.stringify(medians)}`);
  console.log(`plan / require('@pulumi/pulumi') = ${result.ratio_plan_to_require_pulumi} (target <= 1.5); validate = ${result.ratio_validate_to_require_pulumi}, offers = ${result.ratio_offers_to_require_pulumi} (target < 0.333)`);
  console.log(JSON.stringify(result));
}

main();
