/**
 * Writes the README's table of edits (what each change to a running environment does to its VM)
 * from components/day-two-edits.ts, between the markers `<!-- edits-table:start -->` and
 * `<!-- edits-table:end -->`. The day-two test checks both the table's data (against the two-run
 * harness) and that the README holds it.
 *
 *     npm run build && node dist/scripts/day-two-table.js
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { editsTable } from "../components/day-two-edits";

const START = "<!-- edits-table:start -->";
const END = "<!-- edits-table:end -->";

function main(): void {
  const file = path.resolve(__dirname, "..", "..", "README.md");
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file}: no ${START} ... ${END} section`);
  writeFileSync(file, `${text.slice(0, start + START.length)}\n${editsTable()}${text.slice(end)}`);
  console.log(`${file}: the table of edits is up to date`);
}

main();
