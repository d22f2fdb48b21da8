/**
 * `repos[]` (recent dstack, since 0.19.26) and `files[]` (since 0.19.17): Git repos to check out
 * and local files to copy into the run container, each as an object or a `source[:path]` string.
 */
import { checkKeys, ErrorSink, GrammarError, mapItems, show, toChoice, toMapping, toOptionalStr, toRecentStr } from "./coerce";

/** What to do when the repo's `path` exists and is not empty. */
export const REPO_EXISTS_ACTIONS = ["error", "skip"] as const;
/** `error` (the default) or `skip`. */
export type RepoExistsAction = (typeof REPO_EXISTS_ACTIONS)[number];

/** A Git repo to check out, as recent dstack serialises it: exactly one of `local_path` and `url`. */
export interface RepoSpec {
  local_path: string | null;
  url: string | null;
  branch: string | null;
  hash: string | null;
  /** In the container; relative to the working directory. */
  path: string;
  if_exists: RepoExistsAction;
}

/** A local file or folder copied to `path` in the container. */
export interface FileMapping {
  local_path: string;
  path: string;
}

const REPO_KEYS = ["local_path", "url", "branch", "hash", "path", "if_exists"] as const;
const FILE_KEYS = ["local_path", "path"] as const;

/** dstack takes at most this many entries in `repos`. */
export const MAX_REPOS = 1;

/**
 * `repos`: a list of at most one repo, each a `RepoSpec` object or a string `source[:path]` whose
 * source is a local path, a URL (`https://...`) or an scp-style address (`git@host:org/repo.git`).
 * Absent means `[]`; null is rejected, as dstack does.
 */
export function parseRepos(value: unknown): RepoSpec[] {
  if (value === undefined) return [];
  const repos = mapItems(value, parseRepo, "a list of repos");
  if (repos.length > MAX_REPOS) {
    throw new GrammarError(`A maximum of one repo is currently supported; this list has ${repos.length}`, "invalid_value", [MAX_REPOS]);
  }
  return repos;
}

/** One entry of `repos`: an object or a `source[:path]` string. */
export function parseRepo(value: unknown): RepoSpec {
  if (typeof value === "string") return parseRepoString(value);
  const mapping = toMapping(value, 'a repo: a path or URL, or a mapping with "local_path" or "url"');
  const sink = new ErrorSink();
  sink.run(null, () => checkKeys(mapping, REPO_KEYS, "a repo"));
  const optional = (key: string) => sink.run(key, () => toOptionalStr(mapping[key])) ?? null;
  const [localPath, url, branch, hash] = [optional("local_path"), optional("url"), optional("branch"), optional("hash")];
  const path = mapping.path === undefined ? "." : sink.run("path", () => checkRepoPath(toRecentStr(mapping.path)));
  const ifExists = mapping.if_exists === undefined ? "error" : sink.run("if_exists", () => toChoice(mapping.if_exists, REPO_EXISTS_ACTIONS, "if_exists action"));
  sink.done();
  const repo: RepoSpec = { local_path: localPath, url, branch, hash, path: path ?? ".", if_exists: ifExists ?? "error" };
  // dstack tests truthiness: an empty string counts as absent.
  if (repo.local_path && repo.url) {
    throw new GrammarError('"local_path" and "url" are mutually exclusive: give one of them', "conflict", ["url"]);
  }
  if (!repo.local_path && !repo.url) {
    throw new GrammarError('a repo needs "local_path" (a folder on this machine) or "url" (a Git URL)', "missing_field", []);
  }
  return repo;
}

/** `git@host:org/repo.git[:path]`, `https://host/repo[:path]`, `C:\repo[:path]`, `./repo[:path]`. */
function parseRepoString(text: string): RepoSpec {
  let parts = text.split(":");
  let isUrl = false;
  if (parts.length > 1) {
    if (parts[0].includes("@") || parts[1].startsWith("//")) {
      parts = [`${parts[0]}:${parts[1]}`, ...parts.slice(2)];
      isUrl = true;
    } else if (isWindowsDrive(parts)) {
      parts = [`${parts[0]}:${parts[1]}`, ...parts.slice(2)];
    }
  }
  if (parts.length > 2) {
    throw new GrammarError(
      `invalid repo ${show(text)}: use "source" or "source:path", where source is a local path, a URL or git@host:org/repo.git`,
      "invalid_value",
    );
  }
  const [source, path = "."] = parts;
  checkRepoPath(path);
  if (source === "") {
    throw new GrammarError(`invalid repo ${show(text)}: the source (a local path or a Git URL) is empty`, "invalid_value");
  }
  return { local_path: isUrl ? null : source, url: isUrl ? source : null, branch: null, hash: null, path, if_exists: "error" };
}

/** `~` and `~/x` are fine; `~user/x` is not. */
function checkRepoPath(path: string): string {
  if (path.startsWith("~") && path.split("/")[0] !== "~") {
    throw new GrammarError(`the "~username" syntax is not supported in a repo path: ${show(path)}`, "invalid_value", [], 'Use "~" or "~/dir" for the home directory, or an absolute path');
  }
  return path;
}

/** `C:\x` or `c:/x` split on `:`: a one-letter first part followed by a slash. */
function isWindowsDrive(parts: readonly string[]): boolean {
  return /^[A-Za-z]$/.test(parts[0]) && (parts[1].startsWith("\\") || parts[1].startsWith("/"));
}

/**
 * True when Windows reads `path` as absolute: a drive letter with a root (`C:\x`, `d:/x`) or a UNC
 * share (`\\server\share`, `//server/share`), as Python 3.9 to 3.11's
 * `PureWindowsPath.is_absolute()` decides. Python 3.12 and 3.13 differ on rare forms
 * (`1:/x`, `//server`).
 */
export function isWindowsAbsolute(path: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(path) || /^[\\/]{2}[^\\/]+[\\/](?![\\/])/.test(path);
}

/**
 * `files`: a list of `{local_path, path}` objects or `local[:container]` strings; with one part the
 * container path is the same as the local one. The container `path` must not be a Windows-absolute
 * path. Absent means `[]`; null is rejected, as dstack does.
 */
export function parseFiles(value: unknown): FileMapping[] {
  if (value === undefined) return [];
  return mapItems(value, parseFileMapping, "a list of file mappings");
}

/** One entry of `files`. */
export function parseFileMapping(value: unknown): FileMapping {
  if (typeof value === "string") {
    let parts = value.split(":");
    if (parts.length > 1 && isWindowsDrive(parts)) parts = [`${parts[0]}:${parts[1]}`, ...parts.slice(2)];
    if (parts.length > 2) {
      throw new GrammarError(`invalid file mapping ${show(value)}: use "local_path" or "local_path:container_path"`, "invalid_value");
    }
    const [localPath, path = localPath] = parts;
    return { local_path: localPath, path: checkFilePath(path) };
  }
  const mapping = toMapping(value, 'a file mapping: "local_path[:path]" or a mapping with "local_path" and "path"');
  const sink = new ErrorSink();
  sink.run(null, () => checkKeys(mapping, FILE_KEYS, "a file mapping"));
  const [localPath, path] = FILE_KEYS.map((key) =>
    sink.run(key, () => {
      if (mapping[key] === undefined) throw new GrammarError(`a file mapping needs "${key}"`, "missing_field");
      const text = toRecentStr(mapping[key]);
      return key === "path" ? checkFilePath(text) : text;
    }),
  );
  sink.done(); // throws unless both parsed
  return { local_path: localPath!, path: path! };
}

function checkFilePath(path: string): string {
  if (isWindowsAbsolute(path)) {
    throw new GrammarError(`the container path must be a Unix path, got ${show(path)}`, "invalid_value", [], 'Use a path such as "/data" or a relative one');
  }
  return path;
}
