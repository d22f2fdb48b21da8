/**
 * Benchmark: a program of 100 `DevEnvironment`s (bench/environment-specs.ts: mixed AWS / GCP VM /
 * GCP TPU, volumes, spot, secrets) under Pulumi's mock runtime, against a baseline that registers
 * the same resources directly (bench/replay.ts: same types, names, parents, plain options and
 * inputs, through the SDK's own classes) under the same mocks. First one run of ours records what
 * it registered and a baseline run checks that it registers exactly that; then each side runs in a
 * fresh process per round (interleaved, the order alternating), and the medians are compared:
 * process wall time, the program's own time (first declaration to the last registration answered,
 * without the start-up both share), the process's CPU time (less sensitive than wall time to other
 * load on the machine) and peak RSS. Target: ours / baseline <= 1.3 in time and memory.
 *
 *     npm run bench:envs [-- ROUNDS]
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

const RUNNER = path.join(__dirname, "environments-run.js");
const TARGET = 1.3;

interface Run {
  wallMs: number;
  programMs: number;
  cpuMs: number;
  rssMb: number;
  registrations: number;
}

/** One side in a fresh process: its wall time, and what it reports about itself. */
function runOnce(args: string[]): Run {
  const start = performance.now();
  const result = spawnSync(process.execPath, [RUNNER, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - start;
  if (result.status !== 0) throw new Error(`environments-run ${args.join(" ")} exited ${result.status}:\n${result.stderr.slice(-4000)}`);
  const report = JSON.parse(result.stdout.trim().split("\n").pop()!) as { programMs: number; cpuMs: number; maxRssKb: number; registrations: number };
  return { wallMs, programMs: report.programMs, cpuMs: report.cpuMs, rssMb: report.maxRssKb / 1024, registrations: report.registrations };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const round1 = (value: number) => Number(value.toFixed(1));
const ratio = (ours: number, baseline: number) => Number((ours / baseline).toFixed(3));

function main(): void {
  const rounds = Number(process.argv[2] ?? 7);
  const record = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-envs-")), "record.json");
  try {
    const recorded = runOnce(["record", record]);
    const checked = runOnce(["check", record]); // fails unless the baseline registers exactly what ours did
    if (checked.registrations !== recorded.registrations) throw new Error(`the baseline registered ${checked.registrations}, ours ${recorded.registrations}`);
    const sides: Record<"ours" | "baseline", { args: string[]; runs: Run[] }> = {
      ours: { args: ["ours"], runs: [] },
      baseline: { args: ["baseline", record], runs: [] },
    };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (["ours", "baseline"] as const) : (["baseline", "ours"] as const);
      for (const side of order) {
        const run = runOnce(sides[side].args);
        if (run.registrations !== recorded.registrations) throw new Error(`${side} registered ${run.registrations}, the record ${recorded.registrations}`);
        sides[side].runs.push(run);
      }
    }
    const medians = (runs: Run[]) => ({
      wall_ms: round1(median(runs.map((run) => run.wallMs))),
      program_ms: round1(median(runs.map((run) => run.programMs))),
      cpu_ms: round1(median(runs.map((run) => run.cpuMs))),
      peak_rss_mb: round1(median(runs.map((run) => run.rssMb))),
    });
    const ours = medians(sides.ours.runs);
    const baseline = medians(sides.baseline.runs);
    const ratios = {
      wall_time: ratio(ours.wall_ms, baseline.wall_ms),
      program_time: ratio(ours.program_ms, baseline.program_ms),
      cpu_time: ratio(ours.cpu_ms, baseline.cpu_ms),
      peak_rss: ratio(ours.peak_rss_mb, baseline.peak_rss_mb),
    };
    // The same ratios round by round (each round's two runs are next to each other in time), then their median: less moved by load that comes and goes.
    const paired = (key: "wallMs" | "programMs" | "cpuMs") => ratio(median(sides.ours.runs.map((run, i) => run[key] / sides.baseline.runs[i][key])), 1);
    const roundByRound = { wall_time: paired("wallMs"), program_time: paired("programMs"), cpu_time: paired("cpuMs") };
    const result = { bench: "environments", environments: 100, registrations: recorded.registrations, rounds, ours, baseline, ratios, round_by_round: roundByRound, target: `<= ${TARGET}` };
    console.log(`100 environments, ${recorded.registrations} registrations, ${rounds} rounds (medians): ours ${JSON.stringify(ours)}, baseline ${JSON.stringify(baseline)}`);
    console.log(`ours / baseline: wall time ${ratios.wall_time}, program time ${ratios.program_time}, CPU time ${ratios.cpu_time}, peak RSS ${ratios.peak_rss} (target <= ${TARGET}); ` +
      `median of the rounds' ratios: wall time ${roundByRound.wall_time}, program time ${roundByRound.program_time}, CPU time ${roundByRound.cpu_time}`);
    console.log(JSON.stringify(result));
  } finally {
    fs.rmSync(path.dirname(record), { recursive: true, force: true });
  }
}

main();
