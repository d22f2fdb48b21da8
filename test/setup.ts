/**
 * Mocha setup: an unhandled rejection fails the run instead of passing silently; UPDATE_GOLDEN set
 * to anything but 1, or set at all with CI set, stops the run before any test (test/support/golden.ts);
 * at the end, the tests skipped for want of a system tool (test/support/system-tools.ts) are
 * listed, each with what it needs, and one command installs all of it.
 */
import { goldenSettingProblem } from "./support/golden";
import { describeMissing, skippedForTools, type Need } from "./support/system-tools";

const goldenProblem = goldenSettingProblem();
if (goldenProblem !== null) throw new Error(goldenProblem);

process.on("unhandledRejection", (error) => {
  throw error;
});

export const mochaHooks = {
  afterAll(): void {
    const skipped = skippedForTools();
    if (skipped.length === 0) return;
    const needs = [...new Set(skipped.flatMap((test) => test.missing))].sort() as Need[];
    const lines = [
      `${skipped.length} test(s) skipped for want of system tools (with CI=true they fail instead):`,
      ...skipped.map((test) => `  - ${test.title}: needs ${test.missing.join(", ")}`),
      `To run them: ${describeMissing(needs)}`,
    ];
    console.log(`\n${lines.map((line) => `  ${line}`).join("\n")}`);
  },
};
