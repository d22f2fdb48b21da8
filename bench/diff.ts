/**
 * Benchmark: the cold wall time (a fresh process each time) of `diff` of one configuration against
 * `plan` of it, measured in one run, interleaved, medians of N rounds. The diff plans both sides
 * in one process (the catalog, the offer index and Pulumi loaded once). Target: diff <= 1.5 x plan.
 * The head is the GPU example with another GPU and one more init command (its VM stops and starts).
 *
 *     npm run build && node dist/bench/diff.js [ROUNDS]
 */
import fs from "node:fs";
import os from "node:os";
import * as path from "node:path";
import { median, timeOnce } from "./timing";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin", "dstack-pulumi");
const EXAMPLE = "examples/gpu/.dstack.yml";

/** The CLI with `argv`, timed. */
function timeCli(argv: string[]): number {
  return timeOnce([process.execPath, BIN, ...argv], ROOT, { ...process.env, NO_COLOR: "1" });
}

function main(): void {
  const rounds = Number(process.argv[2] ?? 7);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "dstack-bench-diff-"));
  const head = path.join(folder, ".dstack.yml");
  const text = fs.readFileSync(path.join(ROOT, EXAMPLE), "utf8").replace("gpu: A10G,L4:24GB", "gpu: L4").replace("init:\n", "init:\n  - pre-commit install\n");
  fs.writeFileSync(head, text);
  const commands: Record<string, string[]> = { plan: ["plan", EXAMPLE], diff: ["diff", EXAMPLE, head] };
  const times: Record<string, number[]> = { plan: [], diff: [] };
  try {
    for (const argv of Object.values(commands)) timeCli(argv); // warm the file cache
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ["plan", "diff"] : ["diff", "plan"];
      for (const name of order) times[name].push(timeCli(commands[name]));
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
  const medians = { plan: Number(median(times.plan).toFixed(1)), diff: Number(median(times.diff).toFixed(1)) };
  const ratio = Number((medians.diff / medians.plan).toFixed(3));
  console.log(`cold diff vs plan over ${rounds} rounds (median ms): ${JSON.stringify(medians)}`);
  console.log(`diff / plan = ${ratio} (target <= 1.5)`);
  console.log(JSON.stringify({ bench: "diff", rounds, median_ms: medians, ratio_diff_to_plan: ratio, target: "<= 1.5" }));
}

main();
