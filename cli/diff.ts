/**
 * `dstack-pulumi diff [--json|--markdown] [--fail-on GATE] [--base REF] [--catalog FILE]
 * [--no-repo] BASE HEAD | --base REF PATH`: what a change to configurations does, offline. For
 * each pair (diff-sources.ts) both sides are planned in this process, the head on the base's
 * deployment (diff-pair.ts), and compared (diff-compare.ts); the costs are summed over the
 * configurations. Exit 0; 4 when a `--fail-on` gate trips; else 1 when a configuration cannot be
 * read or the component refuses a head (the report still shows it), 2 for arguments that name no
 * configuration, 3 when a side has no offer. With one configuration that fails, the failure is the
 * usual error (an error object with `--json`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { monthlyChange, type ConfigDiff, type Delta } from "./diff-compare";
import { GitError, GitRepo } from "./diff-git";
import { formatDiff, type DiffTotal } from "./diff-format";
import { checkGates, type Gate } from "./diff-gates";
import { formatMarkdown } from "./diff-markdown";
import { diffPair } from "./diff-pair";
import { DiffUsageError, resolvePairs } from "./diff-sources";
import { EXIT, errorJson, exitCodeOf, fail, type Failure } from "./failure";
import type { PlanOptions } from "./plan";
import type { Output } from "./validate";

export interface DiffOptions extends Pick<PlanOptions, "catalog" | "repo" | "json"> {
  markdown?: boolean;
  base?: string;
  failOn?: Gate[];
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function sum(deltas: Delta[], digits: number): Delta {
  const add = (pick: (delta: Delta) => number) => round(deltas.reduce((total, delta) => total + pick(delta), 0), digits);
  return { before: add((d) => d.before), after: add((d) => d.after), change: add((d) => d.change) };
}

/** Runs `diff`; resolves to the exit code. */
export async function runDiff(args: string[], options: DiffOptions, output: Output): Promise<number> {
  if (options.json && options.markdown) return fail(output, true, { code: "usage", message: "give --json or --markdown, not both" });
  const cwd = process.cwd();
  let pairs;
  try {
    pairs = resolvePairs(args, options.base, cwd);
  } catch (error) {
    if (error instanceof DiffUsageError) return fail(output, options.json, { code: "usage", message: `diff: ${error.message}`, text: `dstack-pulumi: diff: ${error.message}` });
    if (error instanceof GitError) return fail(output, options.json, { code: "unreadable_file", message: `diff: ${error.message}`, text: `dstack-pulumi: diff: ${error.message}` });
    throw error;
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), "dstack-diff-"));
  const diffs: ConfigDiff[] = [];
  const failures: { file: string; failure: Failure }[] = [];
  try {
    let repo: GitRepo | undefined;
    const context = { cwd, repo: () => (repo ??= new GitRepo(cwd)), tmp, output };
    const planOptions: PlanOptions = { catalog: options.catalog, repo: options.repo };
    for (const pair of pairs) {
      let result;
      try {
        result = await diffPair(pair, planOptions, context);
      } catch (error) {
        if (!(error instanceof GitError)) throw error;
        result = { ok: false as const, file: pair.head.label, failure: { code: "unreadable_file" as const, message: error.message } };
      }
      if (result.ok) diffs.push(result.diff);
      else failures.push(result);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (pairs.length === 1 && failures.length === 1) return fail(output, options.json, failures[0].failure);
  // In a folder, a configuration that fails is reported and left out of the total.
  if (!options.json) for (const { failure } of failures) fail(output, false, failure);
  const total: DiffTotal = {
    configurations: diffs.length,
    per_hour: sum(diffs.map((diff) => diff.cost.price_per_hour), 4),
    per_month: sum(diffs.map((diff) => diff.cost.total_per_month), 2),
  };
  const gates = checkGates(options.failOn ?? [], diffs, diffs.reduce((change, diff) => change + monthlyChange(diff), 0));
  const failed = failures.map((entry) => entry.file);
  if (options.json) {
    const errors = failures.map(({ file, failure }) => ({ file, ...errorJson(failure) }));
    output.stdout(`${JSON.stringify({ configurations: diffs, errors, total, fail_on: gates }, null, 2)}\n`);
  } else {
    output.stdout(options.markdown ? formatMarkdown(diffs, total, failed, gates) : formatDiff(diffs, total, failed));
  }
  const tripped = gates.filter((gate) => gate.tripped);
  if (!options.json) for (const gate of tripped) output.stderr(`dstack-pulumi: diff: --fail-on ${gate.gate}: ${gate.why.join("; ")}\n`);
  if (tripped.length > 0) return EXIT.gate;
  if (failures.length > 0) return Math.max(...failures.map(({ failure }) => exitCodeOf(failure.code)));
  return diffs.some((diff) => diff.refused !== null) ? EXIT.invalid : EXIT.ok;
}
