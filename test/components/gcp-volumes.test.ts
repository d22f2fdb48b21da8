/**
 * GCP volumes under Pulumi's mock runtime: adopt an existing disk (its zone pins the VM), keep
 * declaring a disk this environment created, create the others; zone conflicts and Hyperdisk.
 */
import * as assert from "node:assert/strict";
import type { MockRecorder } from "../support/pulumi-mocks";
import { A2_YAML, answerZonesAndDisks, built, existingDisk, gcpBuilder, gcpPlan, invokeError, plainInputs, volume, type BuildGcp } from "./gcp-support";

const A2_LIST = ["gcp:compute/firewall:Firewall a2-fw", "gcp:compute/instance:Instance a2-vm", "gcp:serviceaccount/account:Account a2-sa"];

describe("GCP builder: volumes", () => {
  let recorder: MockRecorder;
  let buildGcp: BuildGcp;
  before(async () => ({ recorder, buildGcp } = await gcpBuilder()));
  beforeEach(() => recorder.reset());

  const a2Plan = (candidates = ["models"], zone?: string) =>
    gcpPlan({ name: "a2", yaml: A2_YAML, instanceType: "a2-highgpu-1g", region: "us-central1", zone, volumes: [volume(candidates[0], "/models", 100, candidates)] });

  it("adopts an existing disk: not declared, attached, and the VM goes to its zone", async () => {
    const disk = existingDisk("models", "us-central1-c", { team: "ml" });
    answerZonesAndDisks(recorder, { "models@us-central1-c": disk });
    const { plan, children } = a2Plan();
    await built(() => buildGcp(plan));
    assert.deepEqual(recorder.resourceList(), A2_LIST);
    assert.equal(children.has("a2-vol-models"), false);
    const vm = plainInputs(recorder, "a2-vm");
    assert.equal(vm.zone, "us-central1-c");
    assert.deepEqual(vm.attachedDisks, [{ source: disk.selfLink, deviceName: "pd-models", mode: "READ_WRITE" }]);
  });

  it("takes the first of a volume's names that exists, and creates the first name when none does", async () => {
    answerZonesAndDisks(recorder, { "models-b@us-central1-f": existingDisk("models-b", "us-central1-f") });
    const adopted = a2Plan(["models-a", "models-b"]);
    await built(() => buildGcp(adopted.plan));
    assert.deepEqual(recorder.resourceList(), A2_LIST);
    assert.equal(plainInputs(recorder, "a2-vm").zone, "us-central1-f");
    assert.match((plainInputs(recorder, "a2-vm").metadata as Record<string, string>)["startup-script"], /pd-models-b/);
    recorder.reset();
    answerZonesAndDisks(recorder);
    await built(() => buildGcp(a2Plan(["models-a", "models-b"]).plan));
    assert.deepEqual(recorder.resourceList(), ["gcp:compute/disk:Disk a2-vol-models-a", ...A2_LIST]);
    assert.equal(plainInputs(recorder, "a2-vol-models-a").name, "models-a");
  });

  it("keeps declaring a disk it created (owner label), importing it by id, in the disk's zone", async () => {
    const disk = existingDisk("models", "us-central1-b", { dstack_pulumi_owner: "dstack-test_test_a2" });
    answerZonesAndDisks(recorder, { "models@us-central1-b": disk });
    const { plan, children } = a2Plan();
    await built(() => buildGcp(plan));
    assert.deepEqual(recorder.resourceList(), ["gcp:compute/disk:Disk a2-vol-models", ...A2_LIST]);
    assert.equal(children.get("a2-vol-models")?.import, disk.id);
    assert.equal(plainInputs(recorder, "a2-vol-models").zone, "us-central1-b");
    assert.equal(plainInputs(recorder, "a2-vm").zone, "us-central1-b");
    recorder.reset();
    answerZonesAndDisks(recorder, { "models@us-central1-b": existingDisk("models", "us-central1-b", { dstack_pulumi_owner: "other" }) });
    await built(() => buildGcp(a2Plan().plan));
    assert.deepEqual(recorder.resourceList(), A2_LIST, "another environment's disk is adopted");
  });

  it("prefers the plan's zone when a name exists in several zones, else the first zone", async () => {
    const disks = { "models@us-central1-b": existingDisk("models", "us-central1-b"), "models@us-central1-f": existingDisk("models", "us-central1-f") };
    answerZonesAndDisks(recorder, disks);
    await built(() => buildGcp(a2Plan(["models"], "us-central1-f").plan));
    assert.equal(plainInputs(recorder, "a2-vm").zone, "us-central1-f");
    recorder.reset();
    answerZonesAndDisks(recorder, disks);
    await built(() => buildGcp(a2Plan().plan));
    assert.equal(plainInputs(recorder, "a2-vm").zone, "us-central1-b");
  });

  it("refuses volumes in different zones, and a pinned zone other than the volumes'", async () => {
    answerZonesAndDisks(recorder, { "models@us-central1-b": existingDisk("models", "us-central1-b"), "data@us-central1-c": existingDisk("data", "us-central1-c") });
    const yaml = A2_YAML + "  - data:/data\n";
    const two = gcpPlan({ name: "a2", yaml, instanceType: "a2-highgpu-1g", region: "us-central1", volumes: [volume("models", "/models"), volume("data", "/data")] });
    await assert.rejects(buildGcp(two.plan), /volumes are in different zones \(models in us-central1-b; data in us-central1-c\)/);
    await assert.rejects(buildGcp(a2Plan(["models"], "us-central1-a").plan), /volumes are in us-central1-b, but the zone is pinned to us-central1-a/);
  });

  it("refuses a volume name GCE cannot hold, and stops on lookup errors other than not found", async () => {
    answerZonesAndDisks(recorder);
    await assert.rejects(buildGcp(a2Plan(["Models_1"]).plan), /"Models_1" is not a valid GCE disk name/);
    recorder.onInvoke("gcp:compute/getDisk:getDisk", () => {
      throw invokeError("googleapi: Error 403: Required 'compute.disks.get' permission, forbidden");
    });
    await assert.rejects(buildGcp(a2Plan().plan), /Error 403/);
  });

  describe("families without Persistent Disk (c4a, no catalog zones)", () => {
    const yaml = "type: dev-environment\nname: arm-box\nide: vscode\nresources:\n  cpu: arm:4\nvolumes:\n  - work:/work\n";
    const c4aPlan = () => gcpPlan({ name: "arm", yaml, instanceType: "c4a-standard-4", region: "us-central1", volumes: [volume("work", "/work")] });

    it("boots from and creates hyperdisk-balanced, in the first zone that offers the type", async () => {
      answerZonesAndDisks(recorder);
      recorder.onInvoke("gcp:compute/getMachineTypes:getMachineTypes", (inputs) => ({
        id: "types", project: "test-project", zone: inputs.zone, filter: inputs.filter,
        machineTypes: inputs.zone === "us-central1-a" ? [] : [{ name: "c4a-standard-4", guestCpus: 4 }],
      }));
      const { plan } = c4aPlan();
      assert.deepEqual(plan.offer.zones, []);
      await built(() => buildGcp(plan));
      const machineTypeAsks = recorder.invokes.filter((i) => i.token === "gcp:compute/getMachineTypes:getMachineTypes").map((i) => i.inputs);
      assert.deepEqual(machineTypeAsks, [
        { zone: "us-central1-a", filter: 'name = "c4a-standard-4"' },
        { zone: "us-central1-b", filter: 'name = "c4a-standard-4"' },
      ]);
      const vm = plainInputs(recorder, "arm-vm") as { zone: string; bootDisk: { initializeParams: { type: string; image: string } } };
      assert.equal(vm.zone, "us-central1-b");
      assert.equal(vm.bootDisk.initializeParams.type, "hyperdisk-balanced");
      assert.equal(vm.bootDisk.initializeParams.image, "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-arm64");
      assert.deepEqual([plainInputs(recorder, "arm-vol-work").type, plainInputs(recorder, "arm-vol-work").zone], ["hyperdisk-balanced", "us-central1-b"]);
    });

    it("refuses to attach an existing Persistent Disk", async () => {
      answerZonesAndDisks(recorder, { "work@us-central1-c": existingDisk("work", "us-central1-c", {}, "https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-c/diskTypes/pd-ssd") });
      await assert.rejects(buildGcp(c4aPlan().plan), /disk work is a Persistent Disk .*c4a-standard-4 attaches Hyperdisk only/);
    });
  });
});
