/**
 * The rules of components/change-effects.ts, case by case, against force-new.json as bundled: the
 * changed paths of two input trees, path matching, the effect of one path (the rule that wins, a
 * block added or removed whole, a path no rule names), the replacement trigger and the order of an
 * update's changes. The day-two tests use these through two program runs; here each rule alone.
 */
import { strict as assert } from "node:assert";
import { changedPaths, classifyResource, classifyUpdate, covers, normalizePath, pathEffect, recordedOptions, triggerChanged, type RecordedResource } from "../../components/change-effects";

const EC2 = "aws:ec2/instance:Instance";
const GCE = "gcp:compute/instance:Instance";
const resource = (name: string, inputs: Record<string, unknown>, options: RecordedResource["options"] = {}, type = EC2): RecordedResource => ({ type, name, inputs, options });

describe("change effects: the providers' rules, one by one", () => {
  it("recordedOptions keeps only the options given", () => {
    assert.deepStrictEqual(recordedOptions({}), {});
    assert.deepStrictEqual(recordedOptions({ replacementTrigger: "a", retainOnDelete: false }), { replacementTrigger: "a", retainOnDelete: false });
  });

  it("changed paths: leaves, list items of a list of the same length, a list of another length whole, keys in order", () => {
    assert.deepEqual(changedPaths({ a: [1, 2] }, { a: [1, 3] }), ["a[1]"]);
    assert.deepEqual(changedPaths({ a: [1, 2] }, { a: [1, 2, 3] }), ["a"]);
    assert.deepEqual(changedPaths({ a: [1, 2, 3] }, { a: [1, 2] }), ["a"]);
    assert.deepEqual(changedPaths({ b: 1, a: { y: 1, x: 1 } }, { b: 2, a: { y: 2, x: 2 } }), ["a.x", "a.y", "b"]);
    assert.deepEqual(changedPaths({ a: 1 }, { a: 1 }), []);
  });

  it("paths: indices of any size become [], and a rule's quoted keys are keys", () => {
    assert.equal(normalizePath("blockDeviceMappings[12].ebs.volumeSize"), "blockDeviceMappings[].ebs.volumeSize");
    assert.equal(covers('tags["team"]', "tags.team"), true);
    assert.equal(covers('tags["team"]', "tags.owner"), false);
    assert.equal(covers("tags", "tags.owner"), true);
    assert.equal(covers("ingress[].cidrBlocks", "ingress[3].cidrBlocks[0]"), true);
  });

  it("one path: replace wins over a broader in-place rule; a list item under a stop rule stops", () => {
    // launchTemplate (in place) holds launchTemplate.id (replace).
    assert.equal(pathEffect(EC2, "launchTemplate.id", {}), "replace");
    assert.equal(pathEffect(EC2, "launchTemplate.name", {}), "in-place");
    // One scope of the same number changed: serviceAccount.scopes stops the VM.
    assert.equal(pathEffect(GCE, "serviceAccount.scopes[1]", {}), "stop-start");
  });

  it("a block added or removed whole: the worst of the rules inside it", () => {
    assert.equal(pathEffect(EC2, "rootBlockDevice", {}), "replace", "encrypted (replace) with volumeSize (in place)");
    assert.equal(pathEffect(GCE, "serviceAccount", {}), "stop-start", "email and scopes");
    assert.equal(pathEffect("aws:ec2/launchTemplate:LaunchTemplate", "metadataOptions", {}), "in-place", "in-place rules only");
  });

  it("a path no rule names, or a type force-new.json does not know: replace, the safe guess", () => {
    assert.equal(pathEffect(EC2, "ami", {}), "replace");
    assert.equal(pathEffect("aws:ec2/unknown:Thing", "tags", {}), "replace");
  });

  it("the user data: stop and start, or replace with userDataReplaceOnChange", () => {
    assert.equal(pathEffect(EC2, "userDataBase64", {}), "stop-start");
    assert.equal(pathEffect(EC2, "userDataBase64", { userDataReplaceOnChange: true }), "replace");
  });

  it("a replacement trigger replaces only when both runs give one and they differ", () => {
    const trigger = (before: unknown, after: unknown) => triggerChanged(resource("x", {}, { replacementTrigger: before }), resource("x", {}, { replacementTrigger: after }));
    assert.deepEqual(
      [trigger("a", "b"), trigger("a", "a"), trigger(undefined, "a"), trigger("a", undefined), trigger(null, "a"), trigger("a", null), trigger({ k: 1 }, { k: 2 })],
      [true, false, false, false, false, false, true],
    );
    assert.deepEqual(classifyResource(resource("box", { tags: { a: "1" } }, { replacementTrigger: "t1" }), resource("box", { tags: { a: "2" } }, { replacementTrigger: "t2" })), {
      type: EC2, name: "box", kind: "replace", reasons: ["replacementTrigger: replace", "tags.a: in-place"],
    });
  });

  it("an update: every resource by type and name, created and deleted ones included", () => {
    const before = [resource("b", { tags: {} }), resource("gone", {}, { retainOnDelete: true }, "aws:ebs/volume:Volume"), resource("a", { instanceType: "m5.large" })];
    const after = [resource("b", { tags: {} }), resource("c", {}), resource("a", { instanceType: "m5.xlarge" })];
    assert.deepEqual(
      classifyUpdate(before, after).map((change) => `${change.type} ${change.name}: ${change.kind} ${change.reasons.join(", ")}`),
      [
        "aws:ebs/volume:Volume gone: delete retainOnDelete: forgotten, kept on the cloud",
        `${EC2} a: stop-start instanceType: stop-start`,
        `${EC2} b: none `,
        `${EC2} c: create `,
      ],
    );
  });
});
