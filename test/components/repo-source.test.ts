/**
 * The code for /workflow: the URL forms the VM can clone, the git repository holding the
 * configuration (origin, branch, commit) with warnings for work that stays behind, `repos`, the
 * `repo` arg and `noRepo`, on real git repositories in temporary folders (the tests that make one
 * need git: test/support/system-tools.ts).
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "../../config/read";
import { cloneUrl, resolveRepo } from "../../components/repo-source";
import { requireTools, toolPath } from "../support/system-tools";

const BASE = "type: dev-environment\nide: vscode\n";
const temp = fs.mkdtempSync(path.join(os.tmpdir(), "repo-source-"));

/** A repository with one commit, `origin` set to `origin` (when given), the commit pushed to origin/main when `pushed`. */
function repository(name: string, options: { origin?: string; pushed?: boolean } = {}): { dir: string; hash: string; config: string } {
  const dir = path.join(temp, name);
  fs.mkdirSync(dir);
  const git = (...args: string[]) => execFileSync(toolPath("git"), args, { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e" } }).trim();
  git("init", "-q", "-b", "main");
  const config = path.join(dir, ".dstack.yml");
  fs.writeFileSync(config, BASE);
  fs.writeFileSync(path.join(dir, "requirements.txt"), "numpy\n");
  git("add", ".");
  git("commit", "-q", "-m", "first");
  if (options.origin) git("remote", "add", "origin", options.origin);
  if (options.pushed) git("update-ref", "refs/remotes/origin/main", "HEAD");
  return { dir, hash: git("rev-parse", "HEAD"), config };
}

after(() => fs.rmSync(temp, { recursive: true, force: true }));

describe("the URL the VM clones", () => {
  const cases: [string, string | null, boolean][] = [
    ["https://github.com/acme/research.git", "https://github.com/acme/research.git", false],
    ["HTTPS://github.com/acme/research", "https://github.com/acme/research", false],
    ["git://example.org/repo.git", "git://example.org/repo.git", false],
    ["git@github.com:acme/research.git", "https://github.com/acme/research.git", false],
    ["github.com:acme/research.git", "https://github.com/acme/research.git", false],
    ["ssh://git@gitlab.example.com:2222/team/app.git", "https://gitlab.example.com/team/app.git", false],
    ["https://oauth2:ghp_secret@github.com/acme/research.git", "https://github.com/acme/research.git", true],
    ["/srv/git/research.git", null, false],
    ["file:///srv/git/research.git", null, false],
    ["../research", null, false],
  ];
  for (const [given, url, hadCredentials] of cases) {
    it(`${given} -> ${url ?? "not cloneable"}`, () => {
      assert.deepEqual(cloneUrl(given), url === null ? null : { url, hadCredentials });
    });
  }
});

describe("the repository of an environment", () => {
  it("defaults to the git repository holding the configuration: its origin (as https), branch and commit", function () {
    requireTools(this, ["git"]);
    const repo = repository("pushed", { origin: "git@github.com:acme/research.git", pushed: true });
    const resolved = resolveRepo("box", parseConfig(BASE), { configPath: repo.config });
    assert.deepEqual(resolved.repo, { url: "https://github.com/acme/research.git", branch: "main", hash: repo.hash, singleBranch: false, path: "." });
    assert.deepEqual(resolved.warnings, []);
    assert.equal(resolved.token, undefined);
  });

  it("warns that uncommitted and unpushed work stays behind", function () {
    requireTools(this, ["git"]);
    const repo = repository("local-work", { origin: "https://github.com/acme/research.git" });
    fs.appendFileSync(path.join(repo.dir, "requirements.txt"), "torch\n");
    const resolved = resolveRepo("box", parseConfig(BASE), { configPath: repo.config });
    const short = repo.hash.slice(0, 7);
    assert.deepEqual(resolved.warnings, [
      `1 uncommitted change in ${repo.dir} stay behind: /workflow gets commit ${short} (commit and push them first)`,
      `commit ${short} is on no remote branch of ${repo.dir} (not pushed?): the VM cannot fetch it and the boot's clone fails; push it first`,
    ]);
    assert.equal(resolved.repo?.hash, repo.hash);
  });

  it("starts /workflow empty, with a warning, when the configuration is in no repository or the origin cannot be reached", function () {
    requireTools(this, ["git"]);
    const outside = path.join(temp, "no-git");
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, ".dstack.yml"), BASE);
    const none = resolveRepo("box", parseConfig(BASE), { configPath: path.join(outside, ".dstack.yml") });
    assert.equal(none.repo, undefined);
    assert.deepEqual(none.warnings, [`${path.join(outside, ".dstack.yml")} is not in a git repository: /workflow starts empty (give repo to clone one)`]);
    const local = repository("local-origin", { origin: "/srv/git/research.git" });
    assert.deepEqual(resolveRepo("box", parseConfig(BASE), { configPath: local.config }).warnings, [
      `the git repository ${local.dir} has an origin the VM cannot reach (/srv/git/research.git): /workflow starts empty (give repo to clone one)`,
    ]);
    const noOrigin = repository("no-origin");
    assert.deepEqual(resolveRepo("box", parseConfig(BASE), { configPath: noOrigin.config }).warnings, [
      `the git repository ${noOrigin.dir} has no origin remote: /workflow starts empty (give repo to clone one)`,
    ]);
  });

  it("leaves credentials of the origin URL out, with a warning", function () {
    requireTools(this, ["git"]);
    const repo = repository("credentials", { origin: "https://oauth2:ghp_secret@github.com/acme/research.git", pushed: true });
    const resolved = resolveRepo("box", parseConfig(BASE), { configPath: repo.config });
    assert.equal(resolved.repo?.url, "https://github.com/acme/research.git");
    assert.deepEqual(resolved.warnings, [`the origin URL of ${repo.dir} holds credentials: they are left out (give repo.token for a private repository)`]);
  });

  it("the repo arg wins; noRepo gives none; single_branch carries over", function () {
    requireTools(this, ["git"]);
    const repo = repository("arg-wins", { origin: "https://github.com/acme/other.git", pushed: true });
    const spec = parseConfig(`${BASE}single_branch: true\n`);
    const resolved = resolveRepo("box", spec, { configPath: repo.config, repo: { url: "git@github.com:acme/research.git", branch: "dev", hash: "4b9c2e1", token: "t0ken" } });
    assert.deepEqual(resolved.repo, { url: "https://github.com/acme/research.git", branch: "dev", hash: "4b9c2e1", singleBranch: true, path: "." });
    assert.equal(resolved.token, "t0ken");
    assert.deepEqual(resolveRepo("box", spec, { configPath: repo.config, noRepo: true }), { repo: undefined, token: undefined, warnings: [] });
  });

  it("refuses a repo arg the VM cannot clone, with credentials, or with a hash that is no commit", () => {
    const spec = parseConfig(BASE);
    assert.throws(() => resolveRepo("box", spec, { repo: { url: "./here" } }), { message: 'box: repo.url "./here" is not a URL the VM can clone: give an https://, git:// or git@host:org/repo address' });
    assert.throws(() => resolveRepo("box", spec, { repo: { url: "https://u:p@github.com/a/b" } }), { message: "box: repo.url holds credentials; give the URL without them and the token as repo.token (a secret)" });
    assert.throws(() => resolveRepo("box", spec, { repo: { url: "https://github.com/a/b", hash: "main" } }), { message: 'box: repo.hash "main" is not a commit hash (7 to 40 hex digits)' });
  });

  it("a token on a git:// URL is not used, with a warning", () => {
    const resolved = resolveRepo("box", parseConfig(BASE), { repo: { url: "git://example.org/repo.git", token: "t0ken" } });
    assert.equal(resolved.token, undefined);
    assert.deepEqual(resolved.warnings, ["repo.token is not used: git://example.org/repo.git is not an https URL"]);
  });

  it("repos: a URL with branch, hash and a path inside /workflow; a local_path taken as its repository; a path outside /workflow refused", function () {
    requireTools(this, ["git"]);
    const byUrl = parseConfig(`${BASE}repos:\n  - url: https://github.com/acme/research.git\n    branch: dev\n    hash: 4b9c2e1f\n    path: code\n`);
    assert.deepEqual(resolveRepo("box", byUrl, {}).repo, { url: "https://github.com/acme/research.git", branch: "dev", hash: "4b9c2e1f", singleBranch: false, path: "code" });
    const repo = repository("local-path", { origin: "https://github.com/acme/local.git", pushed: true });
    const byPath = parseConfig(`${BASE}repos:\n  - local-path:/workflow\n`);
    assert.deepEqual(resolveRepo("box", byPath, { configPath: path.join(temp, "x.dstack.yml") }).repo, {
      url: "https://github.com/acme/local.git", branch: "main", hash: repo.hash, singleBranch: false, path: ".",
    });
    assert.throws(() => resolveRepo("box", parseConfig(`${BASE}repos:\n  - https://github.com/acme/research.git:/opt/code\n`), {}), {
      message: 'box: repos[0].path "/opt/code" is outside /workflow: here a repository goes to /workflow or a folder inside it',
    });
  });

  it("an inline configuration without repo or repos: none, no warning", () => {
    assert.deepEqual(resolveRepo("box", parseConfig(BASE), {}), { repo: undefined, token: undefined, warnings: [] });
  });
});
