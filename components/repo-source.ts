/**
 * The code the dev environment puts in /workflow, as dstack does before `init`: the `repo` arg,
 * else the configuration's `repos` (one entry), else the git repository holding the configuration
 * file (its `origin`, current branch and commit, as `dstack init` + `dstack apply` take them);
 * `noRepo` starts /workflow empty. The URL the VM clones is a network URL without credentials:
 * `git@host:org/repo` and `ssh://` URLs become https (the VM has no SSH key), and a private
 * repository's token travels as a secret. Local changes that the VM cannot get are warned about.
 */
import type * as pulumi from "@pulumi/pulumi";
import path from "node:path";
import type { BootRepo } from "../bootstrap/types";
import type { DevEnvironmentSpec } from "../config/schema";
import { gitInfo } from "./git-info";

/** A repository given by the program. */
export interface RepoArg {
  url: string;
  branch?: string;
  hash?: string;
  token?: pulumi.Input<string>;
}

/** The repository the VM clones (without its token), the token, and what was noticed on the way. */
export interface ResolvedRepo {
  repo: Omit<BootRepo, "token"> | undefined;
  token: pulumi.Input<string> | undefined;
  warnings: string[];
}

/** A repository setting that cannot be used. */
export class RepoError extends Error {
  override readonly name = "RepoError";
}

const HASH = /^[0-9a-f]{7,40}$/i;

/**
 * `url` as the VM clones it: https/http/git URLs as they are (credentials refused), `ssh://` and
 * scp-style `[user@]host:path` as https. Anything else (a local path, `file://`) is null.
 */
export function cloneUrl(url: string): { url: string; hadCredentials: boolean } | null {
  const text = url.trim();
  const web = /^(https?|git):\/\/([^/@]+@)?(.+)$/i.exec(text);
  if (web) return { url: `${web[1].toLowerCase()}://${web[3]}`, hadCredentials: web[2] !== undefined };
  const ssh = /^ssh:\/\/(?:[^/@]+@)?([^/:]+)(?::\d+)?\/(.+)$/i.exec(text);
  if (ssh) return { url: `https://${ssh[1]}/${ssh[2]}`, hadCredentials: false };
  const scp = /^(?:[^/@:]+@)?([^/:]+\.[^/:]+):(?!\/\/)(.+)$/.exec(text);
  if (scp) return { url: `https://${scp[1]}/${scp[2].replace(/^\/+/, "")}`, hadCredentials: false };
  return null;
}

/** A repository path relative to /workflow: `.`, or plain relative segments without `..`. */
function workflowPath(component: string, given: string): string {
  const relative = given.startsWith("/workflow/") ? given.slice("/workflow/".length) : given === "/workflow" ? "." : given;
  const normal = path.posix.normalize(relative).replace(/\/+$/, "") || ".";
  if (normal.startsWith("/") || normal.startsWith("~") || normal === ".." || normal.startsWith("../")) {
    throw new RepoError(`${component}: repos[0].path ${JSON.stringify(given)} is outside /workflow: here a repository goes to /workflow or a folder inside it`);
  }
  return normal;
}

function explicitRepo(component: string, arg: RepoArg): ResolvedRepo {
  const clone = cloneUrl(arg.url);
  if (clone === null) throw new RepoError(`${component}: repo.url ${JSON.stringify(arg.url)} is not a URL the VM can clone: give an https://, git:// or git@host:org/repo address`);
  if (clone.hadCredentials) throw new RepoError(`${component}: repo.url holds credentials; give the URL without them and the token as repo.token (a secret)`);
  if (arg.hash !== undefined && !HASH.test(arg.hash)) throw new RepoError(`${component}: repo.hash ${JSON.stringify(arg.hash)} is not a commit hash (7 to 40 hex digits)`);
  const repo = { url: clone.url, branch: arg.branch ?? null, hash: arg.hash ?? null, singleBranch: false, path: "." };
  return { repo, token: arg.token, warnings: [] };
}

/** The repository holding `folder` (the configuration's, or a `repos` entry's `local_path`), with warnings. */
function localRepo(folder: string, where: string, repoPath: string): ResolvedRepo {
  const info = gitInfo(folder);
  if (info === null) return { repo: undefined, token: undefined, warnings: [`${where} is not in a git repository: /workflow starts empty (give repo to clone one)`] };
  const clone = info.origin === null ? null : cloneUrl(info.origin);
  if (clone === null) {
    const why = info.origin === null ? "has no origin remote" : `has an origin the VM cannot reach (${info.origin})`;
    return { repo: undefined, token: undefined, warnings: [`the git repository ${info.top} ${why}: /workflow starts empty (give repo to clone one)`] };
  }
  const short = info.hash.slice(0, 7);
  const warnings: string[] = [];
  if (clone.hadCredentials) warnings.push(`the origin URL of ${info.top} holds credentials: they are left out (give repo.token for a private repository)`);
  if (info.uncommitted > 0) warnings.push(`${info.uncommitted} uncommitted change${info.uncommitted === 1 ? "" : "s"} in ${info.top} stay behind: /workflow gets commit ${short} (commit and push them first)`);
  if (!info.pushed) warnings.push(`commit ${short} is on no remote branch of ${info.top} (not pushed?): the VM cannot fetch it and the boot's clone fails; push it first`);
  return { repo: { url: clone.url, branch: info.branch, hash: info.hash, singleBranch: false, path: repoPath }, token: undefined, warnings };
}

/** The repository of an environment (see the file comment). */
export function resolveRepo(component: string, spec: DevEnvironmentSpec, args: { repo?: RepoArg; noRepo?: boolean; configPath?: string }): ResolvedRepo {
  const none: ResolvedRepo = { repo: undefined, token: undefined, warnings: [] };
  if (args.noRepo === true) return none;
  let resolved: ResolvedRepo;
  if (args.repo !== undefined) {
    resolved = explicitRepo(component, args.repo);
  } else if (spec.repos.length > 0) {
    const entry = spec.repos[0];
    const target = workflowPath(component, entry.path);
    if (entry.url) {
      resolved = explicitRepo(component, { url: entry.url, branch: entry.branch ?? undefined, hash: entry.hash ?? undefined });
      resolved.repo = { ...resolved.repo!, path: target };
    } else {
      const base = args.configPath ? path.dirname(args.configPath) : process.cwd();
      resolved = localRepo(path.resolve(base, entry.local_path!), `repos[0].local_path ${entry.local_path}`, target);
    }
  } else if (args.configPath !== undefined) {
    resolved = localRepo(path.dirname(path.resolve(args.configPath)), args.configPath, ".");
  } else {
    return none;
  }
  if (resolved.repo) resolved.repo.singleBranch = spec.single_branch === true;
  if (resolved.token !== undefined && resolved.repo && !resolved.repo.url.startsWith("http")) {
    resolved.warnings.push(`repo.token is not used: ${resolved.repo.url} is not an https URL`);
    resolved.token = undefined;
  }
  return resolved;
}
