/**
 * The pure parts of `diff`: the configuration's changes in dstack's terms, the glob of
 * configurations, the volume verdict of resource changes.
 */
import { strict as assert } from "node:assert";
import { configChanges, describeConfigChange } from "../../cli/diff-config";
import { globRegExp } from "../../cli/diff-sources";
import { volumeVerdict, type ResourceDiff } from "../../components/plan-changes";
import { readConfigText } from "../../config/read";

function spec(text: string) {
  const result = readConfigText(`type: dev-environment\nide: vscode\n${text}`);
  assert.ok(result.ok);
  return result.spec;
}

describe("diff: pure parts", () => {
  it("configuration changes: lists of entries by item, other lists whole, env by name, absent sides none", () => {
    const before = spec("init: [a, b]\nregions: [us-east-1]\nenv: [X=1, TOKEN]\n");
    const after = spec("init: [b, c]\nregions: [us-east-1, us-west-2]\nenv: [X=2]\n");
    assert.deepEqual(configChanges(before, after).map(describeConfigChange), [
      'init: - "a"',
      'init: + "c"',
      'env.X: "1" -> "2"',
      "env.TOKEN: - (no value in the file: a secret taken from the environment at deploy time)",
      'regions: ["us-east-1"] -> ["us-east-1","us-west-2"]',
    ]);
    assert.deepEqual(configChanges(null, after), []);
  });

  it("globs: * within a folder, ** across folders, ? and classes", () => {
    const re = globRegExp("envs/**/*.dstack.yml");
    assert.deepEqual(["envs/a.dstack.yml", "envs/x/y/b.dstack.yml", "envs/a.dstack.lock.json", "other/a.dstack.yml"].map((file) => re.test(file)), [true, true, false, false]);
    assert.deepEqual(["e/a1.yml", "e/ab.yml", "e/x/a1.yml"].map((file) => globRegExp("e/a[0-9].yml").test(file)), [true, false, false]);
  });

  it("the volume verdict: a replaced volume is at risk, a forgotten one is kept", () => {
    const volume = (change: ResourceDiff["change"], extra: Partial<ResourceDiff> = {}): ResourceDiff => ({ type: "gcp:compute/disk:Disk", name: "box-vol-data", change, forced_by: [], inputs: [], ...extra });
    assert.deepEqual(volumeVerdict([volume("replace", { forced_by: ["zone"] })]), {
      ok: false,
      summary: "a volume is moved, emptied or deleted",
      details: ["volume box-vol-data is moved: replaced by a new, blank one (forced by zone); its data is lost"],
    });
    assert.equal(volumeVerdict([volume("delete", { kept_on_cloud: true })]).ok, true);
    assert.equal(volumeVerdict([volume("delete")]).ok, false);
  });
});
