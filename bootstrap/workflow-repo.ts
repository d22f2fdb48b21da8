/**
 * The `repository` step: the user's code cloned into /workflow at the first boot
 * (bootstrap/shell/workflow-repo.sh), from a `BootRepo`. The URL, branch, commit and path are
 * checked here, so that what reaches git is plain data; the token stays in the secret store.
 */
import { secretPlace } from "./secret-fetch";
import { shellQuote } from "./shell-quote";
import { BootstrapError, type BootRepo } from "./types";

const URL_SCHEMES = new Set(["https:", "http:", "git:"]);
const HASH = /^[0-9a-f]{4,64}$/i;
/** A branch name git accepts (`git check-ref-format --branch`), without what would read as an option or a range. */
const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock$)[^\0-\x20\x7f~^:?*[\\]+(?<![./])$/;

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BootstrapError(`repo url ${JSON.stringify(url)} is not a URL: use https://, http:// or git://`);
  }
  if (!URL_SCHEMES.has(parsed.protocol)) throw new BootstrapError(`repo url ${JSON.stringify(url)}: use https://, http:// or git:// (ssh needs a key the VM does not have)`);
  if (parsed.username || parsed.password) throw new BootstrapError("repo url: no credentials in the URL (they would be kept in .git/config); give the token as a secret");
}

/** `.`, or a relative path of plain segments (no `..`, no empty segment). */
function checkPath(path: string): void {
  const segments = path.split("/");
  if (path !== "." && (path.startsWith("/") || segments.some((segment) => segment === "" || segment === "." || segment === ".." || /[\0\n]/.test(segment)))) {
    throw new BootstrapError(`repo path ${JSON.stringify(path)}: a relative path inside /workflow, without "..", or "."`);
  }
}

/** The lines of the `repository` step. */
export function repoStep(repo: BootRepo): string[] {
  checkUrl(repo.url);
  checkPath(repo.path);
  if (repo.branch !== null && !BRANCH.test(repo.branch)) throw new BootstrapError(`repo branch ${JSON.stringify(repo.branch)} is not a branch name`);
  if (repo.hash !== null && !HASH.test(repo.hash)) throw new BootstrapError(`repo hash ${JSON.stringify(repo.hash)}: a commit hash in hex`);
  const words = [repo.url, repo.branch ?? "", repo.hash?.toLowerCase() ?? ""].map(shellQuote);
  const token = repo.token ? ` ${secretPlace(repo.token)}` : "";
  const subdir = repo.path === "." ? "" : `/${repo.path}`;
  return ["", "step repository", `clone_repo ${words.join(" ")} ${repo.singleBranch} ${shellQuote(subdir)}${token}`];
}
