/**
 * Day two of a TPU slice requested through Cloud TPU's queue, as `pulumi up` would run twice:
 * every edit of the README's table does to the queued TPU what it does to a TPU VM (a boot
 * script, env or SSH key change updates it in place through nodes.patch; a new slice, market or
 * volume replaces it); the same configuration twice changes nothing; and the launch is kept: a
 * TPU VM stack stays one when `retry` is added (with a warning), a queued one stays queued when
 * `retry` goes, and only the `tpuLaunch` arg switches (a replacement).
 */
import { strict as assert } from "node:assert";
import { EDIT_EFFECTS } from "../../components/day-two-edits";
import { describeChanges, twoRuns, vmEffect } from "../support/two-runs";
import { baseArgs, EDIT_MAKERS } from "./rows";

const QUEUED = "pulumi-nodejs:dynamic/dstack:TpuQueuedResource";
const RETRY = "retry:\n  on_events: [no-capacity]\n  duration: 30m\n";
const queuedBase = () => ({ ...baseArgs("tpu"), tpuLaunch: "queued" as const });

describe("day two: a queued TPU", () => {
  for (const edit of EDIT_EFFECTS) {
    it(`${edit.change}: ${edit.effect.tpu}, as for a TPU VM`, async () => {
      const maker = EDIT_MAKERS[edit.id];
      const before = { ...(maker.before ? maker.before("tpu") : baseArgs("tpu")), tpuLaunch: "queued" as const };
      const result = await twoRuns("box", before, { args: (args) => maker.after("tpu", args) });
      assert.ok(result.second.resources.some((resource) => resource.type === QUEUED), "still queued");
      assert.equal(vmEffect(result.changes), edit.effect.tpu, describeChanges(result.changes).join("\n"));
    });
  }

  it("a boot-script change (init, ide, python): nodes.patch of the metadata only, no replacement", async () => {
    const result = await twoRuns("box", queuedBase(), { args: (args) => EDIT_MAKERS["boot-script"].after("tpu", args) });
    assert.deepEqual(describeChanges(result.changes), [`in-place ${QUEUED} box-vm (metadata.startup-script: in-place)`]);
  });

  it("the SSH key and an env value: the metadata in place", async () => {
    const key = await twoRuns("box", queuedBase(), { args: (args) => EDIT_MAKERS["ssh-key"].after("tpu", args) });
    assert.deepEqual(describeChanges(key.changes), [`in-place ${QUEUED} box-vm (metadata.ssh-keys: in-place; metadata.startup-script: in-place)`]);
    const env = await twoRuns("box", queuedBase(), { args: (args) => EDIT_MAKERS.env.after("tpu", args) });
    assert.deepEqual(describeChanges(env.changes), [`in-place ${QUEUED} box-vm (metadata.startup-script: in-place)`]);
  });

  it("the same configuration twice: no change", async () => {
    const result = await twoRuns("box", queuedBase());
    assert.deepEqual(describeChanges(result.changes), []);
  });
});

describe("day two: the TPU launch is kept", () => {
  it("retry added to a stack with a TPU VM: the TPU VM stays, with a warning that says why and how to switch", async () => {
    const result = await twoRuns("box", baseArgs("tpu"), { args: (args) => ({ ...args, config: String(args.config) + RETRY }) });
    assert.deepEqual(describeChanges(result.changes), []);
    assert.ok(result.second.resources.some((resource) => resource.type === "gcp:tpu/v2Vm:V2Vm"));
    assert.ok(result.second.outputs.warnings.includes(
      "retry: this stack's TPU slice is a TPU VM asked for once (deployed without retry, or by an earlier version) and stays one, as a queued resource would replace it; " +
        "dstack-pulumi up still tries the next offers. tpuLaunch: \"queued\" waits in Cloud TPU's queue instead (the TPU VM is replaced once)",
    ), result.second.outputs.warnings.join("\n"));
  });

  it("retry removed from a queued stack: still queued, no change", async () => {
    const result = await twoRuns("box", { ...baseArgs("tpu"), config: String(baseArgs("tpu").config) + RETRY }, { args: () => baseArgs("tpu") });
    assert.ok(result.first.resources.some((resource) => resource.type === QUEUED));
    assert.deepEqual(describeChanges(result.changes), []);
  });

  it("tpuLaunch: queued on a TPU VM stack: the TPU VM replaced by a queued one (asked for)", async () => {
    const result = await twoRuns("box", baseArgs("tpu"), { args: (args) => ({ ...args, tpuLaunch: "queued" }) });
    const lines = describeChanges(result.changes);
    assert.ok(lines.includes("delete gcp:tpu/v2Vm:V2Vm box-vm"), lines.join("\n"));
    assert.ok(lines.includes(`create ${QUEUED} box-vm`), lines.join("\n"));
  });
});
