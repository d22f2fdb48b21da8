/** Timing helpers of the benchmarks: a command's wall time in a fresh process, the median. */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";

/** Milliseconds `argv` (a program and its arguments) takes in `cwd`; throws when it fails. */
export function timeOnce(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): number {
  const start = performance.now();
  const result = spawnSync(argv[0], argv.slice(1), { cwd, stdio: ["ignore", "ignore", "pipe"], env });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${argv.slice(1).join(" ")} exited ${result.status}: ${result.stderr}`);
  return ms;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
