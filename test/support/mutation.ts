/**
 * Under mutation testing (`npm run mutate`: scripts/stryker-mocha-runner.mjs sets MUTATION_TESTING),
 * a test that generates many cases runs a tenth of them: every mutant that survives runs every test
 * that covers it, with the instrumented code several times slower. Seeds stay the same, so the
 * cases run are the first of the usual ones. Never set in `npm test` or CI.
 */
export const UNDER_MUTATION = process.env.MUTATION_TESTING === "1";

/** `runs` cases, or a tenth of them (at least 10) under mutation testing. */
export function caseCount(runs: number): number {
  return UNDER_MUTATION ? Math.max(10, Math.ceil(runs / 10)) : runs;
}
