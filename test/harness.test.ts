/**
 * The test harness itself: tests that need a system tool are skipped without it (listed at the
 * end with the install command) and fail without it when CI is set; `.only` fails a CI run; no test
 * can time out because the machine is busy (mocha's timeout is above every child process's).
 * The runs of mocha here are child processes with an empty PATH and the repository's own
 * .mocharc.cjs.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { goldenSettingProblem } from "./support/golden";
import { describeMissing, inCi, systemPath } from "./support/system-tools";

const ROOT = path.resolve(__dirname, "../..");
const CONFIG = path.join(ROOT, ".mocharc.cjs");
const MOCHA = require.resolve("mocha/bin/mocha.js");

/** The configuration .mocharc.cjs gives with CI set to `ci` (unset for undefined). */
function config(ci: string | undefined): { timeout: number; "forbid-only": boolean } {
  const saved = process.env.CI;
  try {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    delete require.cache[CONFIG];
    return require(CONFIG);
  } finally {
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
    delete require.cache[CONFIG];
  }
}

/**
 * Runs mocha with the repository's configuration in a temporary folder laid out like the
 * repository (dist/test/setup.js loading the real one, dist/test/spec.test.js holding `spec`), with
 * an empty PATH and CI as given.
 */
function mocha(spec: string, ci?: string, extra: NodeJS.ProcessEnv = {}): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-"));
  try {
    fs.mkdirSync(path.join(dir, "dist/test"), { recursive: true });
    fs.mkdirSync(path.join(dir, "empty"));
    fs.writeFileSync(path.join(dir, "dist/test/setup.js"), `module.exports = require(${JSON.stringify(path.join(ROOT, "dist/test/setup.js"))});\n`);
    const tools = JSON.stringify(path.join(ROOT, "dist/test/support/system-tools.js"));
    fs.writeFileSync(path.join(dir, "dist/test/spec.test.js"), `const { requireTools, describeNeeds } = require(${tools});\n${spec}\n`);
    const env: NodeJS.ProcessEnv = { PATH: path.join(dir, "empty"), NO_COLOR: "1", ...(ci === undefined ? {} : { CI: ci }), ...extra };
    const result = spawnSync(process.execPath, [MOCHA, "--config", CONFIG], { cwd: dir, env, encoding: "utf8", timeout: 60_000 });
    if (result.error) throw result.error;
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const NEEDS = `
describe("needs", function () {
  it("runs with no tool", function () {});
  it("lints", function () { requireTools(this, ["shellcheck"]); });
  describe("a repository", function () {
    describeNeeds(["git", "mkfs.ext4", "root"]);
    it("clones", function () {});
    it("pulls", function () {});
  });
});`;

describe("the harness: system tools", () => {
  it("looks in PATH's folders, each bin with its sbin, the standard ones first", () => {
    assert.equal(systemPath("/usr/local/bin:/usr/bin:/bin"), "/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/bin:/usr/local/sbin");
    assert.equal(systemPath("/tmp/tools/bin"), "/tmp/tools/bin:/tmp/tools/sbin");
    assert.equal(systemPath(""), "");
  });

  it("names the missing tools, one install command for their packages, then root and loop devices", () => {
    assert.equal(
      describeMissing(["mkfs.xfs", "sgdisk", "xfs_growfs", "root", "loop devices"]),
      "mkfs.xfs, sgdisk, xfs_growfs (apt-get install xfsprogs gdisk), root (run the tests as root), loop devices (/dev/loop-control; as root: modprobe loop)",
    );
    assert.equal(describeMissing(["docker"]), "docker (apt-get install podman-docker)");
  });

  it("CI is set unless it is absent, empty, false or 0", () => {
    for (const value of ["true", "1", "yes", "TRUE "]) assert.equal(inCi({ CI: value }), true, value);
    for (const value of [undefined, "", "false", "False", "0"]) assert.equal(inCi({ CI: value }), false, String(value));
    for (const value of [undefined, "", "false", "0", "true", "1"]) assert.equal(config(value)["forbid-only"], inCi({ CI: value }), String(value));
  });

  it("without the tools: the tests that need them are skipped, say why, and are listed at the end with the install command", () => {
    const run = mocha(NEEDS);
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, /1 passing/);
    assert.match(run.output, /3 pending/);
    assert.match(run.output, /- lints \(skipped: needs shellcheck \(apt-get install shellcheck\)\)/);
    assert.match(run.output, /- clones \(skipped: needs git, mkfs\.ext4 \(apt-get install git e2fsprogs\)/);
    const summary = run.output.slice(run.output.indexOf("3 test(s) skipped for want of system tools"));
    assert.notEqual(summary, run.output, run.output);
    assert.match(summary, /- needs lints: needs shellcheck\n/);
    assert.match(summary, /- needs a repository clones: needs git, mkfs\.ext4/);
    assert.match(summary, /- needs a repository pulls: needs git, mkfs\.ext4/);
    assert.match(summary, /To run them: git, mkfs\.ext4, shellcheck \(apt-get install git e2fsprogs shellcheck\)/);
  });

  it("with CI=true, a missing tool fails the test (or the describe's hook) with the same message", () => {
    const run = mocha(NEEDS, "true");
    assert.equal(run.status, 2, run.output);
    assert.match(run.output, /1 passing/);
    assert.match(run.output, /2 failing/);
    assert.match(run.output, /Error: needs shellcheck \(apt-get install shellcheck\); CI is set, so a missing tool fails the test instead of skipping it/);
    assert.match(run.output, /"before all" hook[^\n]*\n[^\n]*Error: needs git, mkfs\.ext4 \(apt-get install git e2fsprogs\)/);
    assert.doesNotMatch(run.output, /skipped for want of system tools/);
  });
});

describe("the harness: mocha's configuration", () => {
  it("a stray .only fails a CI run (forbid-only) and only there", () => {
    const spec = `describe("some", function () { it.only("one", function () {}); it("another", function () {}); });`;
    const ci = mocha(spec, "true");
    assert.notEqual(ci.status, 0, ci.output);
    assert.match(ci.output, /`\.only` forbidden by --forbid-only/);
    const local = mocha(spec);
    assert.equal(local.status, 0, local.output);
    assert.match(local.output, /1 passing/);
  });

  it("no test lowers mocha's timeout, and every child process's timeout is at most half the test's", () => {
    const { timeout } = config(undefined);
    assert.ok(timeout >= 120_000, `mocha's timeout is ${timeout} ms`);
    const files = fs.readdirSync(path.join(ROOT, "test"), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));
    const number = (text: string) => Number(text.replace(/_/g, ""));
    let children = 0;
    for (const file of files) {
      const source = fs.readFileSync(path.join(ROOT, "test", file), "utf8");
      const own = [...source.matchAll(/this\.timeout\(([\d_]+)\)/g)].map((match) => number(match[1]));
      for (const value of own) assert.ok(value >= timeout, `${file}: this.timeout(${value}) lowers mocha's ${timeout}`);
      const budget = Math.max(timeout, ...own);
      for (const match of source.matchAll(/\btimeout(?:Ms)?(?::| \?\?) *([\d_]+)/g)) {
        children++;
        assert.ok(number(match[1]) * 2 <= budget, `${file}: a child process's timeout of ${match[1]} ms, the test's is ${budget} ms`);
      }
    }
    assert.ok(children >= 8, `found ${children} child process timeouts`);
  });
});

describe("the harness: golden files", () => {
  /** A spec whose one test compares "new text" with the golden file `file` through test/support/golden.ts. */
  const goldenSpec = (file: string) =>
    `const { assertGolden } = require(${JSON.stringify(path.join(ROOT, "dist/test/support/golden.js"))});\n` +
    `describe("golden", function () { it("compares", function () { assertGolden(${JSON.stringify(file)}, "new text\\n"); }); });`;

  it("UPDATE_GOLDEN: unset, empty or 1 outside CI; any other value, or any value with CI set, is refused", () => {
    for (const value of [undefined, "", "1"]) assert.equal(goldenSettingProblem({ UPDATE_GOLDEN: value }), null, String(value));
    assert.equal(goldenSettingProblem({ UPDATE_GOLDEN: "0" }), 'UPDATE_GOLDEN="0": set UPDATE_GOLDEN=1 to rewrite the golden files, or leave it unset to compare with them');
    for (const value of ["true", "yes", "2"]) assert.match(goldenSettingProblem({ UPDATE_GOLDEN: value }) ?? "", /^UPDATE_GOLDEN=".*": set UPDATE_GOLDEN=1/, value);
    for (const value of ["", "0", "1"]) {
      assert.equal(
        goldenSettingProblem({ UPDATE_GOLDEN: value, CI: "true" }),
        `UPDATE_GOLDEN is set (${JSON.stringify(value)}) and so is CI: a CI run compares with the committed goldens, it never rewrites them; unset UPDATE_GOLDEN`,
      );
    }
  });

  it("a golden differs: the test fails and the file is kept, unless UPDATE_GOLDEN=1 rewrites it; UPDATE_GOLDEN=0 or CI stops the run before any test", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "golden-"));
    try {
      const file = path.join(dir, "golden.txt");
      fs.writeFileSync(file, "old text\n");
      const compared = mocha(goldenSpec(file));
      assert.equal(compared.status, 1, compared.output);
      assert.match(compared.output, /golden\.txt differs from the golden file/);
      assert.equal(fs.readFileSync(file, "utf8"), "old text\n");
      for (const [ci, value] of [[undefined, "0"], [undefined, "true"], ["true", "1"]] as const) {
        const refused = mocha(goldenSpec(file), ci, { UPDATE_GOLDEN: value });
        assert.notEqual(refused.status, 0, refused.output);
        assert.match(refused.output, /UPDATE_GOLDEN/);
        assert.doesNotMatch(refused.output, /passing|failing/, "no test ran");
        assert.equal(fs.readFileSync(file, "utf8"), "old text\n", `UPDATE_GOLDEN=${value} CI=${ci}`);
      }
      const updated = mocha(goldenSpec(file), undefined, { UPDATE_GOLDEN: "1" });
      assert.equal(updated.status, 0, updated.output);
      assert.equal(fs.readFileSync(file, "utf8"), "new text\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("every golden test goes through test/support/golden.ts: no other file reads UPDATE_GOLDEN", () => {
    const files = fs.readdirSync(path.join(ROOT, "test"), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));
    const readers = files.filter((file) => /process\.env\.UPDATE_GOLDEN|env\.UPDATE_GOLDEN|\["UPDATE_GOLDEN"\]/.test(fs.readFileSync(path.join(ROOT, "test", file), "utf8")));
    assert.deepEqual(readers, [path.join("support", "golden.ts")]);
    const users = files.filter((file) => fs.readFileSync(path.join(ROOT, "test", file), "utf8").includes("assertGolden(")).sort();
    assert.deepEqual(users, ["bootstrap/golden.test.ts", "diff/changes.test.ts", "diff/git.test.ts", "golden-errors.test.ts", "harness.test.ts", "plan.test.ts", "provider/schema.test.ts", "schema.test.ts", "support/golden.ts"]);
  });

  it(".ci/run refuses to start with UPDATE_GOLDEN set, before it installs anything", () => {
    const run = spawnSync("bash", [path.join(ROOT, ".ci/run")], { env: { PATH: process.env.PATH, UPDATE_GOLDEN: "1" }, encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 1, `${run.stdout}${run.stderr}`);
    assert.equal(run.stdout, "");
    assert.equal(run.stderr, 'UPDATE_GOLDEN is set ("1"): CI compares with the committed goldens and never rewrites them; unset it\n');
  });
});
