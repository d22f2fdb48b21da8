/** Golden files: compare output with a committed file; UPDATE_GOLDEN=1 rewrites it instead. */
import { strict as assert } from "node:assert";
import fs from "node:fs";

export function assertGolden(file: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, actual);
  assert.equal(actual, fs.readFileSync(file, "utf8"), `the output differs from ${file} (UPDATE_GOLDEN=1 rewrites it; read the diff before committing)`);
}
