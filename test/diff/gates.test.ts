/**
 * `diff`'s exit codes: `--fail-on replace|volume|cost:+N` exits 4 when its gate trips (the diff
 * printed in full, the gate named on stderr, or in `fail_on` with `--json`), 0 when it does not;
 * 1 for a head the component refuses; 2 for arguments that name no pair or a gate it does not know.
 */
import { strict as assert } from "node:assert";
import path from "node:path";
import { runBatch } from "../support/cli-batch";
import type { Run } from "../support/run-cli";

const DIR = path.resolve(__dirname, "../../../test/fixtures/diff/changes");

describe("diff: --fail-on and exit codes", function () {
  this.timeout(300_000);
  const cases: Record<string, string[]> = {
    "replace on a replacement": ["--fail-on", "replace", "base.dstack.yml", "spot-policy.dstack.yml"],
    "replace on a stop and start": ["--fail-on", "replace", "base.dstack.yml", "init-only.dstack.yml"],
    "volume on the refused region": ["--fail-on", "volume", "base.dstack.yml", "region.dstack.yml"],
    "volume on a volume removed (kept)": ["--fail-on", "volume", "base.dstack.yml", "volume-removed.dstack.yml"],
    "cost:+100 on four GPUs": ["--fail-on", "cost:+100", "base.dstack.yml", "gpu-count.dstack.yml"],
    "cost:+5000 on four GPUs": ["--fail-on", "cost:+5000", "base.dstack.yml", "gpu-count.dstack.yml"],
    "cost:+0 on a cheaper GPU": ["--fail-on", "cost:+0", "base.dstack.yml", "gpu-name.dstack.yml"],
    "replace,cost:+0 as JSON": ["--json", "--fail-on", "replace,cost:+0", "base.dstack.yml", "gpu-count.dstack.yml"],
    "an unknown gate": ["--fail-on", "cheap", "base.dstack.yml", "gpu-name.dstack.yml"],
    "an unknown gate, as JSON": ["--json", "--fail-on", "cheap", "base.dstack.yml", "gpu-name.dstack.yml"],
    "one path without --base": ["base.dstack.yml"],
    "a file and a folder": ["base.dstack.yml", "."],
  };
  let runs: Record<string, Run> = {};

  before(() => {
    const names = Object.keys(cases);
    const results = runBatch(DIR, names.map((name) => ["diff", "--no-repo", ...cases[name]]));
    runs = Object.fromEntries(names.map((name, i) => [name, results[i]]));
  });

  const outcome = (name: string) => [runs[name].code, runs[name].stderr];

  it("replace: 4 when a cloud resource is replaced, 0 for a stop and start", () => {
    assert.deepEqual(outcome("replace on a replacement"), [4, "dstack-pulumi: diff: --fail-on replace: spot-policy.dstack.yml: aws:ec2/instance:Instance box-vm is replaced (forced by instanceType, userDataBase64, replacementTrigger)\n"]);
    assert.match(runs["replace on a replacement"].stdout, /^base\.dstack\.yml -> spot-policy\.dstack\.yml\n/);
    assert.deepEqual(outcome("replace on a stop and start"), [0, ""]);
  });

  it("volume: 4 when the component refuses to move a volume; 0 for a volume kept on the cloud", () => {
    const [code, stderr] = outcome("volume on the refused region");
    assert.equal(code, 4);
    assert.match(stderr as string, /^dstack-pulumi: diff: --fail-on volume: region\.dstack\.yml: box: volume data is in aws us-east-1a, where this stack created it, but the configuration's regions allows only us-west-2\. A network volume cannot move\./);
    assert.deepEqual(outcome("volume on a volume removed (kept)"), [0, ""]);
  });

  it("cost:+N: 4 when the month costs more than N USD more", () => {
    assert.deepEqual(outcome("cost:+100 on four GPUs"), [4, "dstack-pulumi: diff: --fail-on cost:+100: the cost per month changes by +$3406.18, more than +$100.00\n"]);
    assert.deepEqual(outcome("cost:+5000 on four GPUs"), [0, ""]);
    assert.deepEqual(outcome("cost:+0 on a cheaper GPU"), [0, ""]);
  });

  it("--json: the gates in fail_on, nothing on stderr", () => {
    const run = runs["replace,cost:+0 as JSON"];
    assert.deepEqual([run.code, run.stderr], [4, ""]);
    assert.deepEqual(JSON.parse(run.stdout).fail_on, [
      { gate: "replace", tripped: false, why: [] },
      { gate: "cost:+0", tripped: true, why: ["the cost per month changes by +$3406.18, more than +$0.00"] },
    ]);
  });

  it("usage: 2 for an unknown gate (an error object with --json) and for paths that name no pair", () => {
    assert.equal(runs["an unknown gate"].code, 2);
    assert.match(runs["an unknown gate"].stderr, /option '--fail-on <gate>' argument 'cheap' is invalid\. expected replace, volume or cost:\+N \(N USD per month\), got "cheap"/);
    const json = runs["an unknown gate, as JSON"];
    assert.deepEqual([json.code, JSON.parse(json.stdout).error.code], [2, "usage"]);
    assert.deepEqual(outcome("one path without --base"), [2, "dstack-pulumi: diff: give BASE and HEAD (files, folders or REF:PATH), or --base REF with one path; got 1 argument\n"]);
    assert.deepEqual(outcome("a file and a folder"), [2, "dstack-pulumi: diff: base.dstack.yml and .: give two files or two folders\n"]);
  });
});
