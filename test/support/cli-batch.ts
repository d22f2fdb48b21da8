/**
 * Several CLI runs in one fresh node process, one after the other, as `diff` runs in a process of
 * its own (it sets Pulumi's mock runtime, which must not meet the test process's): one process
 * start for many runs, each with its output and exit code.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { Run } from "./run-cli";

const ROOT = path.resolve(__dirname, "../../..");
const MARK = "@@cli-batch@@";

/**
 * Runs `main(argv)` for each of `runs` in a fresh process whose current folder is `cwd` and whose
 * environment is `env` (plus PATH; no colours).
 */
export function runBatch(cwd: string, runs: string[][], env: Record<string, string> = {}): Run[] {
  const script = `
    const { main } = require(${JSON.stringify(path.join(ROOT, "dist/cli/main.js"))});
    const { PLAIN } = require(${JSON.stringify(path.join(ROOT, "dist/cli/format-issues.js"))});
    (async () => {
      const results = [];
      for (const argv of ${JSON.stringify(runs)}) {
        let stdout = "";
        let stderr = "";
        const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), palette: PLAIN });
        results.push({ code, stdout, stderr });
      }
      process.stdout.write(${JSON.stringify(MARK)} + JSON.stringify(results));
    })().catch((error) => { console.error(error); process.exit(1); });`;
  const result = spawnSync(process.execPath, ["-e", script], { cwd, encoding: "utf8", env: { PATH: process.env.PATH, HOME: "/nonexistent", NO_COLOR: "1", ...env }, timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.slice(result.stdout.lastIndexOf(MARK) + MARK.length)) as Run[];
}
