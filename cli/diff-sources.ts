/**
 * What `diff` compares: pairs of configuration files, base and head. A side is a file of the
 * working tree or `REF:PATH` (PATH at a git revision, from the current folder). The arguments:
 * - `BASE HEAD`: two files, or two folders (their configurations paired by path);
 * - `--base REF PATH`: PATH at REF against PATH now; PATH may be a file, a folder or a glob
 *   (`'envs/*.dstack.yml'`), whose configurations are paired by path across both sides: one there
 *   on one side only was added or removed.
 * In a folder, the configurations are `.dstack.yml`, `NAME.dstack.yml` (and `.yaml`), at any depth.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { GitRepo } from "./diff-git";

/** One side: the working tree (`ref` null) or a git revision; `file` from the current folder. */
export interface SideSource {
  ref: string | null;
  file: string;
  /** As messages name it: `main:envs/a.dstack.yml`, `envs/a.dstack.yml`. */
  label: string;
}

export interface SidePair {
  base: SideSource;
  head: SideSource;
}

/** Arguments that name no pair of configurations. */
export class DiffUsageError extends Error {
  override readonly name = "DiffUsageError";
}

const CONFIG_NAME = /(^|\.)dstack\.ya?ml$/;
const GLOB = /[*?[]/;
const SKIPPED = new Set([".git", "node_modules"]);

function side(ref: string | null, file: string): SideSource {
  return { ref, file, label: ref === null ? file : `${ref}:${file}` };
}

/** `REF:PATH`, unless a file or folder of that name exists. */
function parseSide(arg: string): SideSource {
  const match = /^([^:]+):(.*)$/.exec(arg);
  if (match === null || existsSync(arg)) return side(null, arg);
  return side(match[1], match[2] === "" ? "." : match[2]);
}

/** Every file under `folder` of the working tree, relative to the current folder (posix). */
function walk(folder: string, cwd: string): string[] {
  const found: string[] = [];
  const visit = (relative: string) => {
    for (const entry of readdirSync(path.resolve(cwd, relative), { withFileTypes: true })) {
      const child = relative === "." ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) visit(child);
      else if (entry.isFile()) found.push(child);
    }
  };
  visit(path.posix.normalize(folder.split(path.sep).join("/")).replace(/\/$/, "") || ".");
  return found;
}

function isFolder(source: SideSource, repo: () => GitRepo, cwd: string): boolean {
  if (source.ref === null) return existsSync(path.resolve(cwd, source.file)) && statSync(path.resolve(cwd, source.file)).isDirectory();
  return repo().isFolder(source.ref, source.file);
}

function filesUnder(source: SideSource, repo: () => GitRepo, cwd: string): string[] {
  if (source.ref === null) return existsSync(path.resolve(cwd, source.file)) ? walk(source.file, cwd) : [];
  return repo().isFolder(source.ref, source.file) ? repo().list(source.ref, source.file) : [];
}

/** A glob (`*`, `**`, `?`, `[...]`) as a regular expression over posix paths. */
export function globRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === "*" && glob[i + 1] === "*") {
      out += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (char === "*") out += "[^/]*";
    else if (char === "?") out += "[^/]";
    else if (char === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end === -1) out += "\\[";
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else out += char.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** The folder part of a glob before its first wildcard. */
function globRoot(glob: string): string {
  const parts = glob.split("/");
  const first = parts.findIndex((part) => GLOB.test(part));
  return parts.slice(0, first).join("/") || ".";
}

const normal = (file: string) => path.posix.normalize(file.split(path.sep).join("/"));

/** Pairs the files of two listings by their path relative to each root. */
function pairByPath(base: SideSource, head: SideSource, baseFiles: string[], headFiles: string[], keep: (file: string) => boolean): SidePair[] {
  const relative = (root: string, file: string) => path.posix.relative(normal(root), normal(file));
  const names = new Set([...baseFiles.map((file) => relative(base.file, file)), ...headFiles.map((file) => relative(head.file, file))].filter(keep));
  return [...names].sort().map((name) => ({
    base: side(base.ref, normal(path.posix.join(base.file, name))),
    head: side(head.ref, normal(path.posix.join(head.file, name))),
  }));
}

/**
 * The pairs to diff for `args` (BASE HEAD, or one PATH with `baseRef`), from `cwd`. Throws
 * DiffUsageError for arguments that name none, GitError for git's refusals.
 */
export function resolvePairs(args: readonly string[], baseRef: string | undefined, cwd: string): SidePair[] {
  let repository: GitRepo | undefined;
  const repo = () => (repository ??= new GitRepo(cwd));
  let base: SideSource;
  let head: SideSource;
  if (baseRef !== undefined) {
    if (args.length !== 1) throw new DiffUsageError(`--base ${baseRef} takes one path (a configuration, a folder or a quoted glob), not ${args.length}`);
    if (GLOB.test(args[0])) {
      const pattern = globRegExp(normal(args[0]));
      const root = globRoot(normal(args[0]));
      const files = [...filesUnder(side(baseRef, root), repo, cwd), ...filesUnder(side(null, root), repo, cwd)];
      const matched = [...new Set(files.map(normal).filter((file) => pattern.test(file)))].sort();
      if (matched.length === 0) throw new DiffUsageError(`${args[0]} matches no file, at ${baseRef} or now`);
      return matched.map((file) => ({ base: side(baseRef, file), head: side(null, file) }));
    }
    base = side(baseRef, args[0]);
    head = side(null, args[0]);
  } else {
    if (args.length !== 2) throw new DiffUsageError(`give BASE and HEAD (files, folders or REF:PATH), or --base REF with one path; got ${args.length} argument${args.length === 1 ? "" : "s"}`);
    [base, head] = args.map(parseSide);
  }
  const folders = [isFolder(base, repo, cwd), isFolder(head, repo, cwd)];
  if (folders[0] !== folders[1] && baseRef === undefined) throw new DiffUsageError(`${base.label} and ${head.label}: give two files or two folders`);
  if (!folders[0] && !folders[1]) return [{ base, head }];
  const pairs = pairByPath(base, head, filesUnder(base, repo, cwd), filesUnder(head, repo, cwd), (file) => CONFIG_NAME.test(path.posix.basename(file)));
  if (pairs.length === 0) throw new DiffUsageError(`no configuration (.dstack.yml, NAME.dstack.yml) under ${base.label} or ${head.label}`);
  return pairs;
}
