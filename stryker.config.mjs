/**
 * Mutation testing of the pure core with StrykerJS (`npm run mutate`, not in CI; see
 * scripts/mutate.sh). One scope at a time, chosen by MUTATE_SCOPE:
 *   offers      offers/
 *   zones       the component's volume and zone rules (kept placement, volume places, the AWS zone)
 *   components  the other pure decision functions of the component (change effects)
 *   config      config/
 *   bootstrap   bootstrap/ (the TypeScript that renders the boot script; the shell is not mutated)
 * MUTATE_FILES (comma-separated globs) narrows a scope to some of its files, for a sample;
 * MUTATE_SPEC (comma-separated compiled spec files) replaces the scope's tests, for a quick sample;
 * MUTATE_REPORT names its reports (reports/mutation/NAME.json, .html; default: the scope).
 *
 * Stryker instruments the TypeScript sources in a sandbox, builds them (`npm run build`, type checks
 * off in instrumented files), type-checks each mutant with the TypeScript checker (a mutant that
 * does not compile is not counted), and runs the compiled mocha tests of the scope that cover
 * each mutant (coverage per test), through scripts/stryker-mocha-runner.mjs. Concurrency 2 at most: the machine has two cores.
 */
const SCOPES = {
  offers: {
    mutate: ["offers/**/*.ts"],
    // Not offers/cli-offers.test.js: it runs the CLI in child processes, which no mutant reaches.
    // The quick, exact tests first: a mutant they kill stops there.
    spec: [
      "dist/test/offers/rules.test.js",
      "dist/test/offers/choose-lock-edges.test.js",
      "dist/test/offers/describe.test.js",
      "dist/test/offers/capacity-rules.test.js",
      "dist/test/offers/name-notes.test.js",
      "dist/test/offers/explain-words.test.js",
      "dist/test/offers/nearest-order.test.js",
      "dist/test/offers/nearest-memory.test.js",
      "dist/test/offers/constraints.test.js",
      "dist/test/offers/nearest.test.js",
      "dist/test/offers/no-offers.test.js",
      "dist/test/offers/lock.test.js",
      "dist/test/offers/index-policy.test.js",
      "dist/test/offers/resolution-cache.test.js",
      "dist/test/components/aws-parts.test.js",
      "dist/test/day-two/review-findings.test.js",
      "dist/test/offers/bundled-catalog.test.js",
      "dist/test/components/volume-safety.test.js",
      "dist/test/offers/index-equivalence.test.js",
      // fallback.ts, capacity-retry.ts and choose.ts through the capacity loop (in process, fake clock).
      "dist/test/cli/capacity-loop.test.js",
      "dist/test/components/kept-placement.test.js",
    ],
  },
  zones: {
    mutate: ["components/kept-placement.ts", "components/volume-place.ts", "components/aws/zone.ts", "components/zone-names.ts"],
    spec: [
      "dist/test/components/zone-names.test.js",
      "dist/test/components/kept-placement.test.js",
      "dist/test/components/aws-parts.test.js",
      "dist/test/components/aws-edge.test.js",
      "dist/test/components/aws-build.test.js",
      "dist/test/components/volume-safety.test.js",
      "dist/test/components/volume.test.js",
      "dist/test/components/gcp-volumes.test.js",
      "dist/test/day-two/*.test.js",
    ],
  },
  components: {
    mutate: ["components/change-effects.ts"],
    spec: ["dist/test/components/change-effects.test.js", "dist/test/day-two/*.test.js"],
  },
  config: {
    mutate: ["config/**/*.ts"],
    spec: [
      "dist/test/grammar-hints.test.js",
      "dist/test/reader.test.js",
      "dist/test/vectors.test.js",
      "dist/test/conformance.test.js",
      "dist/test/differential.test.js",
      "dist/test/property.test.js",
      "dist/test/golden-errors.test.js",
      "dist/test/recent-fields/*.test.js",
      "dist/test/offers/rules.test.js",
      "dist/test/offers/bundled-catalog.test.js",
    ],
  },
  bootstrap: {
    mutate: ["bootstrap/**/*.ts"],
    spec: ["dist/test/bootstrap/render.test.js", "dist/test/bootstrap/golden.test.js", "dist/test/bootstrap/user-data-size.test.js", "dist/test/bootstrap/lint.test.js", "dist/test/components/aws-build.test.js"],
  },
};

const scope = process.env.MUTATE_SCOPE ?? "offers";
const chosen = SCOPES[scope];
if (!chosen) throw new Error(`MUTATE_SCOPE=${scope}: one of ${Object.keys(SCOPES).join(", ")}`);
const files = process.env.MUTATE_FILES ? process.env.MUTATE_FILES.split(",").map((file) => file.trim()) : chosen.mutate;
const concurrency = Number(process.env.MUTATE_CONCURRENCY ?? 1);
/** The name of the reports (a sample run names its own). */
const report = process.env.MUTATE_REPORT ?? scope;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  plugins: ["@stryker-mutator/typescript-checker", "./scripts/stryker-mocha-runner.mjs"],
  // StrykerJS's mocha runner does not work with mocha 12 on Node.js 20: see scripts/stryker-mocha-runner.mjs.
  testRunner: "mocha12",
  checkers: ["typescript"],
  // The checker's program: the mutated code and its imports, not the tests (tsconfig.mutate.json).
  tsconfigFile: "tsconfig.mutate.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  buildCommand: "npm run build",
  coverageAnalysis: "perTest",
  // A static mutant (module-level code: the constraints table, constants) needs every test of the
  // scope in a new process; they are listed as Ignored, and MUTATE_STATIC=1 runs them.
  ignoreStatic: process.env.MUTATE_STATIC !== "1",
  concurrency: Math.min(Math.max(concurrency, 1), 2),
  mutate: files,
  mocha12: { spec: process.env.MUTATE_SPEC ? process.env.MUTATE_SPEC.split(",") : chosen.spec, require: ["dist/test/setup.js"] },
  // Mocha's own timeout stays (120 s); a mutant that makes a test loop is stopped after this.
  timeoutMS: 60_000,
  timeoutFactor: 2,
  ignorePatterns: ["dist", "reports", ".stryker-tmp", "*.log"],
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: `reports/mutation/${report}.json` },
  htmlReporter: { fileName: `reports/mutation/${report}.html` },
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true, reportMutants: true },
};
