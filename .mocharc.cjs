/**
 * Mocha's configuration (`npm test`, `npx mocha`).
 *
 * - timeout: 120 s for every test and hook, above the timeout of every child process a test runs
 *   (60 s at most; the end-to-end test sets its own 300 s for its 120 s boots), so that a busy
 *   machine makes tests slower, not failed, and a child that hangs is reported by the test with its
 *   output. No test lowers it (test/harness.test.ts checks both).
 * - forbid-only with CI set (CI=true, as .ci/run and most CI services set it; the same rule as
 *   inCi in test/support/system-tools.ts): a stray `.only` fails the run instead of passing it
 *   with fewer tests. With CI set, a test whose system tool is missing fails too.
 */
const ci = !["", "false", "0"].includes((process.env.CI ?? "").trim().toLowerCase());

module.exports = {
  spec: ["dist/test/**/*.test.js"],
  require: ["dist/test/setup.js"],
  reporter: "spec",
  timeout: 120_000,
  "forbid-only": ci,
};
