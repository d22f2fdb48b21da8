/**
 * Golden files: one rule for every golden test. A golden test compares what the code makes with a
 * committed file; `UPDATE_GOLDEN=1` (exactly) rewrites the file first, to be read in the diff
 * before committing. Any other value is refused (`UPDATE_GOLDEN=0` or `true` would otherwise mean
 * whatever each test made of it), and so is UPDATE_GOLDEN in any form when CI is set: a CI run
 * that rewrote its goldens would pass whatever the code does. test/setup.ts checks this before
 * any test runs.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import path from "node:path";
import { inCi } from "./system-tools";

/** Why UPDATE_GOLDEN cannot be used as it is set, or null when it can (unset, empty or 1). */
export function goldenSettingProblem(env: NodeJS.ProcessEnv = process.env): string | null {
  const value = env.UPDATE_GOLDEN;
  if (value === undefined) return null;
  if (inCi(env)) return `UPDATE_GOLDEN is set (${JSON.stringify(value)}) and so is CI: a CI run compares with the committed goldens, it never rewrites them; unset UPDATE_GOLDEN`;
  if (value === "" || value === "1") return null;
  return `UPDATE_GOLDEN=${JSON.stringify(value)}: set UPDATE_GOLDEN=1 to rewrite the golden files, or leave it unset to compare with them`;
}

/** True when the goldens are to be rewritten (UPDATE_GOLDEN=1, CI not set). */
export function updatingGoldens(env: NodeJS.ProcessEnv = process.env): boolean {
  const problem = goldenSettingProblem(env);
  if (problem !== null) throw new Error(problem);
  return env.UPDATE_GOLDEN === "1";
}

/**
 * Asserts that `actual` is the text of the golden file `file` (an absolute path, in the source
 * tree); with UPDATE_GOLDEN=1 writes it first (creating its folder). A missing file fails, naming
 * the way to create it.
 */
export function assertGolden(file: string, actual: string, what = path.basename(file)): void {
  if (updatingGoldens()) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
  }
  if (!fs.existsSync(file)) assert.fail(`no golden file ${file}: run with UPDATE_GOLDEN=1 to create it, then read it`);
  assert.equal(actual, fs.readFileSync(file, "utf8"), `${what} differs from the golden file ${file} (UPDATE_GOLDEN=1 rewrites it: read the diff)`);
}
