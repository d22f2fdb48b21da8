/**
 * One configuration's two sides, read and planned: each side's text and lock file as they stand
 * there (`git show REF:PATH` and `REF:LOCK` for a revision: the lock goes to a temporary file for
 * the component to read, and is named `REF:LOCK` in messages), the base planned first, the head
 * planned on the base's deployment (plan-prior.ts), in this process, one after the other. Both
 * sides get the same component name (the base's) and the same repository for /workflow (the one
 * holding the head, resolved once), so that what differs is what the configurations change.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readSourceFile } from "../config/read";
import type { DevEnvironmentSpec } from "../config/schema";
import { lockFileFor } from "../offers/lock";
import { priorStateOf } from "../components/plan-prior";
import { resolveRepo, type RepoArg } from "../components/repo-source";
import { compareSides, type ConfigDiff, type PlannedSide } from "./diff-compare";
import type { GitRepo } from "./diff-git";
import type { SidePair, SideSource } from "./diff-sources";
import type { Failure } from "./failure";
import { makePlan, type PlanContext, type PlanOptions, type PlanSource } from "./plan";
import { configFromText } from "./read-config";
import type { Output } from "./validate";

export type PairResult = { ok: true; diff: ConfigDiff } | { ok: false; file: string; failure: Failure };

/** Where a pair is read: the current folder, its repository, a temporary folder for locks. */
export interface PairContext {
  cwd: string;
  repo: () => GitRepo;
  tmp: string;
  output: Output;
}

/** A side read: its text (null when absent there) and its lock file. */
interface ReadSide {
  source: SideSource;
  text: string | null;
  configPath?: string;
  /** The lock file the component reads (for a revision, a temporary copy, or a path that does not exist). */
  lockFile: string;
  /** How messages name the lock (`main:.dstack.lock.json`); `exists` when there is one. */
  lockName: string;
  lockExists: boolean;
}

let tmpCount = 0;

function readSide(source: SideSource, context: PairContext): ReadSide {
  const lock = lockFileFor(source.file);
  if (source.ref === null) {
    const text = readSourceFile(path.resolve(context.cwd, source.file), source.label);
    const lockExists = existsSync(path.resolve(context.cwd, lock));
    // As plan names them: from the current folder (the command runs there).
    const found = { source, configPath: source.file, lockFile: lock, lockName: lock, lockExists };
    if (typeof text === "string") return { ...found, text };
    if (text.message === "cannot read the file: no such file") return { ...found, text: null };
    throw new Error(text.message);
  }
  const text = context.repo().show(source.ref, source.file);
  const lockText = text === null ? null : context.repo().show(source.ref, lock);
  const folder = path.join(context.tmp, String(++tmpCount));
  mkdirSync(folder);
  const lockFile = path.join(folder, path.basename(lock));
  if (lockText !== null) writeFileSync(lockFile, lockText);
  return { source, text, lockFile, lockName: `${source.ref}:${lock}`, lockExists: lockText !== null };
}

/** Prefixes a side's failure with the side's file. */
function sideFailure(label: string, failure: Failure): Failure {
  if (failure.code === "invalid_config") return failure;
  const text = (failure.text ?? failure.message).replace(/^dstack-pulumi: (?:diff: )?/, "");
  return { ...failure, message: `${label}: ${failure.message}`, details: { file: label, ...failure.details }, text: `dstack-pulumi: diff: ${label}: ${text}` };
}

/** The repository both sides clone into /workflow: the one holding the head; null for none. */
function sharedRepo(component: string, spec: DevEnvironmentSpec, file: string, context: PairContext): { repo: RepoArg | null; warnings: string[] } {
  const resolved = resolveRepo(component, spec, { configPath: path.resolve(context.cwd, file) });
  const repo = resolved.repo ? { url: resolved.repo.url, branch: resolved.repo.branch ?? undefined, hash: resolved.repo.hash ?? undefined } : null;
  return { repo, warnings: resolved.warnings };
}

/** Diffs one pair; a side that cannot be read or planned gives the failure. */
export async function diffPair(pair: SidePair, options: PlanOptions, context: PairContext): Promise<PairResult> {
  const failed = (side: SideSource, failure: Failure): PairResult => ({ ok: false, file: side.label, failure: sideFailure(side.label, failure) });
  const sides: ReadSide[] = [];
  const specs: (ReturnType<typeof configFromText> | null)[] = [];
  for (const source of [pair.base, pair.head]) {
    let read: ReadSide;
    try {
      read = readSide(source, context);
    } catch (error) {
      return failed(source, { code: "unreadable_file", message: (error as Error).message });
    }
    sides.push(read);
    specs.push(read.text === null ? null : configFromText(read.text, source.label, context.output));
  }
  for (const [i, spec] of specs.entries()) if (spec !== null && "code" in spec) return failed(sides[i].source, spec);
  const [base, head] = specs as ({ spec: DevEnvironmentSpec; text: string; name: string } | null)[];
  if (base === null && head === null) return failed(pair.head, { code: "unreadable_file", message: `no such file, at ${pair.base.label} or ${pair.head.label}` });
  const component = (base ?? head)!.spec.name ?? "dev";
  const plain = [base, head].every((side) => side === null || side.spec.repos.length === 0);
  const shared = options.repo !== false && plain ? sharedRepo(component, (head ?? base)!.spec, pair.head.file, context) : { repo: null, warnings: [] };
  const sideOptions: PlanOptions = plain && shared.repo === null ? { ...options, repo: false } : options;
  const context0: PlanContext = { component, command: "diff", ...(shared.repo ? { repo: shared.repo } : {}) };
  const planned: PlannedSide[] = [];
  for (const [i, config] of [base, head].entries()) {
    const read = sides[i];
    const lock = read.lockName;
    const side: PlannedSide = { file: read.source.label, lock: read.lockExists ? lock : null, lockName: lock, spec: config?.spec ?? null, plan: null };
    planned.push(side);
    if (config === null) continue;
    const source: PlanSource = { ...config, configPath: read.configPath, lockFile: read.lockFile, lockName: lock };
    const prior = i === 1 && planned[0].plan ? priorStateOf(planned[0].plan.run.recorded) : undefined;
    const made = await makePlan(source, sideOptions, { ...context0, prior });
    const named = (text: string) => text.split(read.lockFile).join(lock);
    if (made.ok) {
      made.view.warnings = made.view.warnings.map(named);
      side.plan = { view: made.view, run: made.run };
    } else if (i === 1 && made.failure.code === "refused") side.refused = named(made.failure.message);
    else return failed(read.source, { ...made.failure, message: named(made.failure.message), text: made.failure.text && named(made.failure.text) });
  }
  const diff = compareSides(planned[0], planned[1]);
  diff.warnings.push(...shared.warnings.map((message) => ({ message, new: false })));
  return { ok: true, diff };
}
