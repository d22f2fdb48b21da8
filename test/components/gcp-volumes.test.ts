/**
 * GCP volumes under Pulumi's mock runtime: adopt an existing disk (its zone pins the VM), keep
 * declaring a disk this environment created, create the others; zone conflicts and Hyperdisk.
 */
import * as assert from "node:assert/strict";
import { answerDisks, type FakeDisk } from "../support/fake-volumes";
import { settled, type MockRecorder } from "../support/pulumi-mocks";
import { A2_YAML, answerZonesAndDisks, built, gcpBuilder, gcpPlan, invokeError, plainInputs, volume, type BuildGcp } from "./gcp-support";

const A2_LIST = ["gcp:compute/attachedDisk:AttachedDisk a2-attach-models", "gcp:compute/firewall:Firewall a2-fw", "gcp:compute/instance:Instance a2-vm", "gcp:serviceaccount/account:Account a2-sa"];
/** The `dstack_scope` label of the mock stack's scope (dstack-test/test). */
const SCOPE_LABEL = "dstack-test_test-fb1e9040";

describe("GCP builder: volumes", () => {
  let recorder: MockRecorder;
  let buildGcp: BuildGcp;
  before(async () => ({ recorder, buildGcp } = await gcpBuilder()));
  beforeEach(() => recorder.reset());

  const a2Plan = (candidates = ["models"], zone?: string) =>
    gcpPlan({ name: "a2", yaml: A2_YAML, instanceType: "a2-highgpu-1g", region: "us-central1", zone, volumes: [volume(candidates[0], "/models", 100, candidates)] });
  const answer = (disks: FakeDisk[]) => {
    answerZonesAndDisks(recorder);
    answerDisks(recorder, disks);
  };

  it("attaches a disk of the scope made by a Volume: not declared, attached, and the VM goes to its zone", async () => {
    answer([{ name: "models-fb1e9040", zone: "us-central1-c", labels: { dstack_volume: "models", dstack_scope: SCOPE_LABEL } }]);
    const { plan, children } = a2Plan();
    await built(() => buildGcp(plan));
    assert.deepEqual(recorder.resourceList(), A2_LIST);
    assert.equal(children.has("a2-vol-models"), false);
    assert.equal(plainInputs(recorder, "a2-vm").zone, "us-central1-c");
    assert.deepEqual(plainInputs(recorder, "a2-attach-models"), {
      zone: "us-central1-c",
      disk: "https://www.googleapis.com/compute/v1/projects/test-project/zones/us-central1-c/disks/models-fb1e9040",
      instance: "https://compute.googleapis.com/a2-vm",
      deviceName: "pd-models",
      mode: "READ_WRITE",
    });
  });

  it("a disk that matches only by name (no marks) is not attached: the error names it and how to register it by id", async () => {
    answer([{ name: "models", zone: "us-central1-c", labels: { team: "ml" } }]);
    await assert.rejects(buildGcp(a2Plan().plan), {
      message:
        "a2: volume models: the disk models in us-central1-c is named models but was not created in this stack's volume scope (dstack-test/test), so it is not attached. " +
        'To mount it, register it by id in the volumes arg: { name: "models", volumeId: "projects/test-project/zones/us-central1-c/disks/models", zone: "us-central1-c" }; ' +
        "to create a new volume instead, give the volume another name in the configuration.",
    });
    await settled();
    assert.deepEqual(recorder.resourceList(), [], "nothing is declared");
  });

  it("a colleague's disk (another stack's scope) is ignored: the environment creates its own", async () => {
    answer([
      { name: "models", zone: "us-central1-c", labels: { dstack_volume: "models", dstack_pulumi_owner: "dstack-test_alice_a2" } },
      { name: "models-171819b3", zone: "us-central1-c", labels: { dstack_volume: "models", dstack_scope: "dstack-test_alice-171819b3" } },
    ]);
    await built(() => buildGcp(a2Plan().plan));
    assert.deepEqual(recorder.resourceList(), ["gcp:compute/attachedDisk:AttachedDisk a2-attach-models", "gcp:compute/disk:Disk a2-vol-models", ...A2_LIST.slice(1)]);
    assert.equal(plainInputs(recorder, "a2-vol-models").name, "models-fb1e9040");
  });

  it("keeps declaring a disk it created (owner label), importing it by id, with its zone, name, type and size", async () => {
    const own = { name: "models-fb1e9040", zone: "us-central1-b", size: 300, type: "https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-b/diskTypes/pd-ssd", labels: { dstack_scope: SCOPE_LABEL, dstack_pulumi_owner: "dstack-test_test_a2" } };
    answer([own]);
    const { plan, children } = a2Plan();
    await built(() => buildGcp(plan));
    assert.equal(children.get("a2-vol-models")?.import, "projects/test-project/zones/us-central1-b/disks/models-fb1e9040");
    assert.deepEqual(
      (({ name, zone, size, type }) => ({ name, zone, size, type }))(plainInputs(recorder, "a2-vol-models")),
      { name: "models-fb1e9040", zone: "us-central1-b", size: 300, type: "pd-ssd" },
    );
    assert.equal(plainInputs(recorder, "a2-vm").zone, "us-central1-b");
  });

  it("a disk of an earlier version (bare name, owner label) is still its own and keeps its name", async () => {
    answer([{ name: "models", zone: "us-central1-f", labels: { dstack_volume: "models", dstack_pulumi_owner: "dstack-test_test_a2" } }]);
    const { plan, children } = a2Plan();
    await built(() => buildGcp(plan));
    assert.equal(children.get("a2-vol-models")?.import, "projects/test-project/zones/us-central1-f/disks/models");
    assert.equal(plainInputs(recorder, "a2-vol-models").name, "models");
    assert.equal(plainInputs(recorder, "a2-vol-models").zone, "us-central1-f");
  });

  it("an own disk never shrinks: a smaller volumeSizes is an error (GCE would replace it), no volumeSizes keeps its size", async () => {
    const own = { name: "models-fb1e9040", zone: "us-central1-b", size: 300, labels: { dstack_scope: SCOPE_LABEL, dstack_pulumi_owner: "dstack-test_test_a2" } };
    answer([own]);
    const explicit = a2Plan();
    explicit.plan.volumes = explicit.plan.volumes.map((entry) => ({ ...entry, sizeExplicit: true }));
    await assert.rejects(buildGcp(explicit.plan), { message: "a2: volume models is 300 GB and volumeSizes asks for 100 GB: a disk cannot shrink; ask for 300 or more" });
    recorder.reset();
    answer([own]);
    await built(() => buildGcp(a2Plan().plan));
    assert.equal(plainInputs(recorder, "a2-vol-models").size, 300);
  });

  it("takes the first of a volume's names that exists, and creates the first name when none does", async () => {
    answer([{ name: "models-b-fb1e9040", zone: "us-central1-f", labels: { dstack_volume: "models-b", dstack_scope: SCOPE_LABEL } }]);
    const adopted = a2Plan(["models-a", "models-b"]);
    await built(() => buildGcp(adopted.plan));
    assert.deepEqual(recorder.resourceList(), A2_LIST.map((line) => line.replace("attach-models", "attach-models-a")));
    assert.equal(plainInputs(recorder, "a2-vm").zone, "us-central1-f");
    assert.equal(plainInputs(recorder, "a2-attach-models-a").deviceName, "pd-models-a");
    recorder.reset();
    answer([]);
    await built(() => buildGcp(a2Plan(["models-a", "models-b"]).plan));
    assert.deepEqual(recorder.resourceList(), ["gcp:compute/attachedDisk:AttachedDisk a2-attach-models-a", "gcp:compute/disk:Disk a2-vol-models-a", ...A2_LIST.slice(1)]);
    assert.equal(plainInputs(recorder, "a2-vol-models-a").name, "models-a-fb1e9040");
  });

  it("prefers the plan's zone when a name exists in several zones, else the first zone", async () => {
    const labels = { dstack_scope: SCOPE_LABEL };
    const disks = [{ name: "models-fb1e9040", zone: "us-central1-b", labels }, { name: "models-fb1e9040", zone: "us-central1-f", labels }];
    answer(disks);
    await built(() => buildGcp(a2Plan(["models"], "us-central1-f").plan));
    assert.equal(plainInputs(recorder, "a2-vm").zone, "us-central1-f");
    recorder.reset();
    answer(disks);
    await built(() => buildGcp(a2Plan().plan));
    assert.equal(plainInputs(recorder, "a2-vm").zone, "us-central1-b");
  });

  it("refuses volumes in different zones; the volumes' zone wins over a pinned zone (the caller refuses a pin that conflicts)", async () => {
    const labels = { dstack_scope: SCOPE_LABEL };
    answer([{ name: "models-fb1e9040", zone: "us-central1-b", labels }, { name: "data-fb1e9040", zone: "us-central1-c", labels }]);
    const yaml = A2_YAML + "  - data:/data\n";
    const two = gcpPlan({ name: "a2", yaml, instanceType: "a2-highgpu-1g", region: "us-central1", volumes: [volume("models", "/models"), volume("data", "/data")] });
    await assert.rejects(buildGcp(two.plan), { message: "a2: the volumes are in different zones (models-fb1e9040 in us-central1-b; data-fb1e9040 in us-central1-c); a VM attaches disks of its own zone only" });
    recorder.reset();
    answer([{ name: "models-fb1e9040", zone: "us-central1-b", labels }]);
    await built(() => buildGcp(a2Plan(["models"], "us-central1-a").plan));
    assert.equal(plainInputs(recorder, "a2-vm").zone, "us-central1-b");
  });

  it("refuses a volume name a GCE disk name cannot carry, and stops on lookup errors other than not found", async () => {
    answer([]);
    await assert.rejects(buildGcp(a2Plan(["Models_1"]).plan), { message: 'a2: volume name "Models_1" is not a valid GCP volume name (lower-case letters, digits and -, starting with a letter, up to 54)' });
    await assert.rejects(buildGcp(a2Plan(["m".repeat(55)]).plan), /is not a valid GCP volume name/);
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
      answer([{ name: "work-fb1e9040", zone: "us-central1-c", labels: { dstack_scope: SCOPE_LABEL }, type: "https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-c/diskTypes/pd-ssd" }]);
      await assert.rejects(buildGcp(c4aPlan().plan), { message: "arm: disk work-fb1e9040 is a Persistent Disk (pd-ssd); c4a-standard-4 attaches Hyperdisk only" });
    });
  });
});
