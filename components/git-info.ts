/**
 * What the local git repository holding a folder says about itself, as `dstack init` and
 * `dstack apply` read it: the top folder, the `origin` URL, the current branch and commit, whether
 * the working tree has uncommitted changes, and whether the commit is on a remote branch (a commit
 * that was never pushed cannot be cloned on the VM). Read with the `git` command, offline.
 */
import { execFileSync } from "node:child_process";
import { TurnCache } from "./turn-cache";

export interface GitInfo {
  /** The repository's top folder. */
  top: string;
  /** The `origin` remote's URL; null when there is none. */
  origin: string | null;
  /** The current branch; null on a detached HEAD. */
  branch: string | null;
  /** The commit checked out. */
  hash: string;
  /** Tracked files changed and not committed. */
  uncommitted: number;
  /** True when a remote-tracking branch contains the commit (as far as the last fetch knows). */
  pushed: boolean;
}

/** `git ARGS` in `cwd`: its output trimmed, or null when git fails (or is missing). */
function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" } }).trim();
  } catch {
    return null;
  }
}

/** What git said this turn (turn-cache.ts): a folder's top folder, a top folder's repository. */
const tops = new TurnCache<string | null>();
const repositories = new TurnCache<GitInfo | null>();

/**
 * The git repository holding `folder`, or null when there is none (or git is not installed). Asked
 * once per folder and repository in a turn of the event loop: environments declared together read
 * the repository once.
 */
export function gitInfo(folder: string): GitInfo | null {
  const top = tops.get(folder, () => git(folder, ["rev-parse", "--show-toplevel"]));
  return top === null ? null : repositories.get(top, () => repositoryAt(top));
}

/** The repository whose top folder is `top`; null without a commit. */
function repositoryAt(top: string): GitInfo | null {
  const hash = git(top, ["rev-parse", "--verify", "HEAD"]);
  if (hash === null) return null;
  const branch = git(top, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
  const status = git(top, ["status", "--porcelain", "--untracked-files=no"]) ?? "";
  const remote = git(top, ["branch", "--remotes", "--contains", hash]) ?? "";
  return {
    top,
    origin: git(top, ["remote", "get-url", "origin"]),
    branch,
    hash,
    uncommitted: status === "" ? 0 : status.split("\n").length,
    pushed: remote !== "",
  };
}
