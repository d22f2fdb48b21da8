/**
 * `dstack-pulumi diff` on ten changes to one AWS GPU box with a data volume
 * (test/fixtures/diff/changes/base.dstack.yml): the exact change of every resource that changes,
 * the input or option that forces a replacement, the cost per hour and per month, the volume
 * verdict; the text output of each change and the markdown of three as goldens
 * (UPDATE_GOLDEN=1 rewrites them). All run in one fresh process, as the CLI does (diff sets
 * Pulumi's mock runtime), with HF_TOKEN set in its environment: its value never shows.
 */
import { strict as assert } from "node:assert";
import path from "node:path";
import { runBatch } from "../support/cli-batch";
import { assertGolden } from "../support/golden";
import type { Run } from "../support/run-cli";

const DIR = path.resolve(__dirname, "../../../test/fixtures/diff/changes");
const SECRET = "hf_SECRETVALUE_never_printed";

interface Expected {
  /** Resources other than unchanged: name -> change (`replace by X,Y`, `delete kept`). */
  changes: Record<string, string>;
  per_hour: number;
  per_month: number;
  volumes_ok: boolean;
  exit: number;
}

/** A new machine records its offer and, for its type, its zone anew (state only). */
const OFFER_STASH = { "box-offer": "replace by replacementTrigger", "box-type-zone": "replace by replacementTrigger" };

/** What each change does; reviewed against the providers' rules (force-new.json) and the README's table of edits. */
const CASES: Record<string, Expected> = {
  // An on-demand AWS VM changes its instance type stopped (EC2 ModifyInstanceAttribute); the offer is chosen anew.
  "gpu-name": { changes: { "box-vm": "stop-start", ...OFFER_STASH }, per_hour: -0.2012, per_month: -146.88, volumes_ok: true, exit: 0 },
  "gpu-count": { changes: { "box-vm": "stop-start", ...OFFER_STASH }, per_hour: 4.666, per_month: 3406.18, volumes_ok: true, exit: 0 },
  // The market is chosen at launch: the VM is replaced (a spot VM also replaces on instance type and user data).
  "spot-policy": {
    changes: { "box-vm": "replace by instanceType,userDataBase64,replacementTrigger", "box-lt": "in-place", ...OFFER_STASH },
    per_hour: -0.6316, per_month: -461.07, volumes_ok: true, exit: 0,
  },
  // The volume is in us-east-1: the component refuses; nothing changes.
  region: { changes: {}, per_hour: 0, per_month: 0, volumes_ok: false, exit: 1 },
  "volume-added": { changes: { "box-vol-cache": "create", "box-attach-cache": "create", "box-vm": "stop-start" }, per_hour: 0, per_month: 8, volumes_ok: true, exit: 0 },
  // The volume is only forgotten (retainOnDelete): it stays on the cloud with its data.
  "volume-removed": {
    changes: { "box-vol-data": "delete kept", "box-attach-data": "delete", "box-vm": "stop-start", "box-volume-home": "delete" },
    per_hour: 0, per_month: -8, volumes_ok: true, exit: 0,
  },
  "init-only": { changes: { "box-vm": "stop-start" }, per_hour: 0, per_month: 0, volumes_ok: true, exit: 0 },
  // The secret goes to SSM with a policy for the VM to read it; the boot script fetches it.
  "env-secret": { changes: { "box-secret-hf-token": "create", "box-policy": "create", "box-vm": "stop-start" }, per_hour: 0, per_month: 0, volumes_ok: true, exit: 0 },
  image: { changes: { "box-vm": "stop-start" }, per_hour: 0, per_month: 0, volumes_ok: true, exit: 0 },
  "no-change": { changes: {}, per_hour: 0, per_month: 0, volumes_ok: true, exit: 0 },
};
const MARKDOWN = ["spot-policy", "region", "volume-removed"];

describe("diff: ten changes to an AWS GPU box", function () {
  this.timeout(300_000);
  const names = Object.keys(CASES);
  const args = (name: string, ...flags: string[]) => ["diff", ...flags, "--no-repo", "base.dstack.yml", `${name}.dstack.yml`];
  let json: Record<string, Run> = {};
  let text: Record<string, Run> = {};
  let markdown: Record<string, Run> = {};

  before(() => {
    const runs = runBatch(DIR, [...names.map((name) => args(name, "--json")), ...names.map((name) => args(name)), ...MARKDOWN.map((name) => args(name, "--markdown"))], { HF_TOKEN: SECRET });
    json = Object.fromEntries(names.map((name, i) => [name, runs[i]]));
    text = Object.fromEntries(names.map((name, i) => [name, runs[names.length + i]]));
    markdown = Object.fromEntries(MARKDOWN.map((name, i) => [name, runs[2 * names.length + i]]));
  });

  for (const [name, expected] of Object.entries(CASES)) {
    it(`${name}: every resource's change, the cost delta, the verdict; text golden`, () => {
      const run = json[name];
      assert.equal(run.code, expected.exit, run.stderr);
      const [diff] = JSON.parse(run.stdout).configurations;
      const changes = Object.fromEntries(
        (diff.resources as { name: string; change: string; forced_by: string[]; kept_on_cloud?: boolean }[])
          .filter((resource) => resource.change !== "none")
          .map((resource) => [resource.name, `${resource.change}${resource.forced_by.length ? ` by ${resource.forced_by.join(",")}` : ""}${resource.kept_on_cloud ? " kept" : ""}`]),
      );
      assert.deepEqual(changes, expected.changes);
      assert.deepEqual([diff.cost.price_per_hour.change, diff.cost.total_per_month.change, diff.volumes.ok], [expected.per_hour, expected.per_month, expected.volumes_ok]);
      assert.equal(text[name].code, expected.exit);
      assertGolden(path.join(DIR, `${name}.txt`), text[name].stdout);
      for (const output of [run.stdout, text[name].stdout, text[name].stderr, markdown[name]?.stdout ?? ""]) assert.ok(!output.includes(SECRET), "the secret's value shows");
    });
  }

  it("the configuration's changes in dstack's terms", () => {
    const fields = (name: string) => (JSON.parse(json[name].stdout).configurations[0].configuration as { field: string; change: string; before?: unknown; after?: unknown }[]);
    assert.deepEqual(fields("gpu-name"), [{ field: "resources.gpu.name", change: "changed", before: ["A10G"], after: ["L4"] }]);
    assert.deepEqual(fields("gpu-count"), [{ field: "resources.gpu.count.min", change: "changed", before: 1, after: 4 }, { field: "resources.gpu.count.max", change: "changed", before: 1, after: 4 }]);
    assert.deepEqual(fields("spot-policy"), [{ field: "spot_policy", change: "changed", before: null, after: "spot" }]);
    assert.deepEqual(fields("volume-removed"), [{ field: "volumes", change: "removed", before: { name: "data", path: "/data" } }]);
    assert.deepEqual(fields("env-secret"), [{ field: "env.HF_TOKEN", change: "added", after: { key: "HF_TOKEN" } }]);
    assert.deepEqual(fields("no-change"), []);
    assert.match(text["env-secret"].stdout, /\n {2}env\.HF_TOKEN: \+ \(no value in the file: a secret taken from the environment at deploy time\)\n/);
  });

  it("the region change: the component's exact error is the volume verdict", () => {
    const [diff] = JSON.parse(json.region.stdout).configurations;
    assert.equal(diff.volumes.error, diff.refused);
    assert.match(diff.refused, /^box: volume data is in aws us-east-1a, where this stack created it, but the configuration's regions allows only us-west-2\. A network volume cannot move\./);
    assert.deepEqual([diff.offer.after, diff.resources, diff.boot_script.changed], [null, [], false]);
  });

  for (const name of MARKDOWN) {
    it(`markdown golden: ${name} (summary table first, details collapsed)`, () => {
      const run = markdown[name];
      assert.equal(run.code, CASES[name].exit, run.stderr);
      const lines = run.stdout.split("\n");
      assert.deepEqual(lines.slice(0, 4), ["<!-- dstack-pulumi diff -->", "### dstack-pulumi diff", "", "| configuration | machine | per hour | per month (730 h + disks) | resources | volumes |"]);
      assert.ok(run.stdout.indexOf("<details>") > run.stdout.indexOf(`| \`${name}.dstack.yml\``));
      assertGolden(path.join(DIR, `${name}.md`), run.stdout);
    });
  }
});
