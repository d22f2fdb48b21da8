/**
 * `diff` against a temporary git repository, as in a pull request: `REF:PATH` and `--base REF`
 * read the configuration and its lock file as they stand at the revision (the lock at each side
 * decides the offer there); a configuration added since; an unknown revision; and a folder of
 * three configurations (by folder, by glob, by two folders), each diffed and the cost summed.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runBatch } from "../support/cli-batch";
import { assertGolden } from "../support/golden";
import type { Run } from "../support/run-cli";

const ROOT = path.resolve(__dirname, "../../..");
const CHANGES = path.join(ROOT, "test/fixtures/diff/changes");
const GOLDEN = path.join(ROOT, "test/fixtures/diff/folder");
const fixture = (name: string) => fs.readFileSync(path.join(CHANGES, `${name}.dstack.yml`), "utf8");

function git(cwd: string, ...args: string[]): string {
  const author = ["-c", "user.name=dstack-pulumi tests", "-c", "user.email=tests@example.com", "-c", "commit.gpgsign=false"];
  return execFileSync("git", [...author, ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function write(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
}

/** `dstack-pulumi lock` in `cwd`, pinned to a region. */
function lock(cwd: string, file: string, region: string): void {
  const result = spawnSync(path.join(ROOT, "bin/dstack-pulumi"), ["lock", "--region", region, file], { cwd, encoding: "utf8", env: { PATH: process.env.PATH, NO_COLOR: "1" } });
  assert.equal(result.status, 0, result.stderr);
}

describe("diff: REF:PATH and folders in a git repository", function () {
  this.timeout(300_000);
  let repo: string;
  let runs: Run[];
  const batch: string[][] = [
    ["diff", "--no-repo", "--json", "main:.dstack.yml", ".dstack.yml"],
    ["diff", "--no-repo", "--base", "main", ".dstack.yml"],
    ["diff", "--no-repo", "main:.dstack.yml", ".dstack.yml"],
    ["diff", "--no-repo", "--json", "--base", "main", "envs/new.dstack.yml"],
    ["diff", "--no-repo", "--base", "no-such-branch", ".dstack.yml"],
    ["diff", "--no-repo", "--json", "--base", "main", "envs"],
    ["diff", "--no-repo", "--base", "main", "envs/*.dstack.yml"],
    ["diff", "--no-repo", "--base", "main", "envs"],
    ["diff", "--no-repo", "--markdown", "--base", "main", "envs"],
    ["diff", "--no-repo", "--json", "old-envs", "envs"],
  ];

  before(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "dstack-diff-git-"));
    git(repo, "init", "--quiet", "--initial-branch=main");
    // The base: a box without volumes, locked in us-west-2; three environments in envs/.
    write(repo, { ".dstack.yml": fixture("volume-removed"), "envs/a.dstack.yml": fixture("base"), "envs/b.dstack.yml": fixture("base"), "envs/c.dstack.yml": fixture("base") });
    lock(repo, ".dstack.yml", "us-west-2");
    git(repo, "add", "--all");
    git(repo, "commit", "--quiet", "-m", "base");
    git(repo, "checkout", "--quiet", "-b", "change");
    // The head: the lock moved to us-east-1 (the configuration unchanged); a changes its GPU, b its count, c nothing; a new environment.
    lock(repo, ".dstack.yml", "us-east-1");
    write(repo, { "envs/a.dstack.yml": fixture("gpu-name"), "envs/b.dstack.yml": fixture("gpu-count"), "envs/new.dstack.yml": fixture("init-only") });
    write(repo, { "old-envs/a.dstack.yml": fixture("base"), "old-envs/b.dstack.yml": fixture("base"), "old-envs/c.dstack.yml": fixture("base") });
    runs = runBatch(repo, batch);
  });

  after(() => fs.rmSync(repo, { recursive: true, force: true }));

  it("REF:PATH reads the file and its lock at the revision; --base REF PATH says the same", () => {
    const [json, base, pair] = runs;
    assert.equal(json.code, 0, json.stderr);
    const [diff] = JSON.parse(json.stdout).configurations;
    assert.deepEqual([diff.base, diff.head], [{ file: "main:.dstack.yml", lock: "main:.dstack.lock.json", exists: true }, { file: ".dstack.yml", lock: ".dstack.lock.json", exists: true }]);
    assert.deepEqual([diff.offer.before.region, diff.offer.before.source, diff.offer.after.region, diff.offer.after.source], ["us-west-2", "lock", "us-east-1", "lock"]);
    assert.deepEqual(diff.configuration, []);
    const vm = diff.resources.find((resource: { name: string }) => resource.name === "box-vm");
    assert.deepEqual([vm.change, vm.forced_by], ["replace", ["availabilityZone", "region"]]);
    assert.equal(base.code, 0, base.stderr);
    assert.equal(base.stdout, pair.stdout);
    assert.match(base.stdout, /^main:\.dstack\.yml -> \.dstack\.yml\n/);
    assert.match(base.stdout, /\nOffer \(locks: main:\.dstack\.lock\.json -> \.dstack\.lock\.json\):\n/);
  });

  it("a configuration added since the revision: every resource is created", () => {
    const run = runs[3];
    assert.equal(run.code, 0, run.stderr);
    const [diff] = JSON.parse(run.stdout).configurations;
    assert.deepEqual([diff.base.exists, diff.head.exists, diff.offer.before, diff.cost.price_per_hour.before], [false, true, null, 0]);
    const kinds = new Set(diff.resources.map((resource: { change: string }) => resource.change));
    assert.deepEqual([...kinds], ["create"]);
    assert.equal(diff.cost.total_per_month.change, diff.cost.total_per_month.after);
  });

  it("an unknown revision: exit 1 and what to give", () => {
    const run = runs[4];
    assert.deepEqual([run.code, run.stdout, run.stderr], [1, "", 'dstack-pulumi: diff: "no-such-branch" is not a revision of the git repository here (a branch, tag or commit, such as origin/main)\n']);
  });

  it("a folder of three configurations (and one added): each diffed, the cost summed; by folder, glob or two folders", () => {
    const run = runs[5];
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    const rows = result.configurations.map((diff: { file: string; cost: { total_per_month: { change: number } }; summary: Record<string, number> }) => [diff.file, diff.cost.total_per_month.change, diff.summary["stop-start"]]);
    assert.deepEqual(rows, [["envs/a.dstack.yml", -146.88, 1], ["envs/b.dstack.yml", 3406.18, 1], ["envs/c.dstack.yml", 0, 0], ["envs/new.dstack.yml", 750.38, 0]]);
    assert.deepEqual(result.total.per_month, { before: 2251.14, after: 6260.82, change: 4009.68 });
    assert.deepEqual([result.errors, result.fail_on], [[], []]);
    // The glob names the same files; two folders pair them by name (new.dstack.yml has no old one).
    assert.equal(runs[6].stdout, runs[7].stdout);
    const folders = JSON.parse(runs[9].stdout);
    assert.deepEqual(folders.configurations.map((diff: { base: { file: string } }) => diff.base.file), ["old-envs/a.dstack.yml", "old-envs/b.dstack.yml", "old-envs/c.dstack.yml", "old-envs/new.dstack.yml"]);
    assert.deepEqual(folders.total.per_month.change, 4009.68);
    assertGolden(path.join(GOLDEN, "folder.txt"), runs[7].stdout);
    assertGolden(path.join(GOLDEN, "folder.md"), runs[8].stdout);
  });
});
