/**
 * The GCP builder for VMs under Pulumi's mock runtime: the exact children, their key inputs, the
 * spot and maintenance policy, images, the options of every child, and determinism.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { valueOf, type MockRecorder } from "../support/pulumi-mocks";
import { SSH_KEY } from "../support/bootstrap-scenarios";
import { A2_YAML, answerZonesAndDisks, built, gcpBuilder, gcpPlan, plainInputs, T4_YAML, volume, type BuildGcp } from "./gcp-support";

const DLVM = "projects/deeplearning-platform-release/global/images/family/common-cu128-ubuntu-2204-nvidia-570";
const SA = { email: "dstack-t4-box@project.iam.gserviceaccount.com", scopes: ["https://www.googleapis.com/auth/cloud-platform"] };
const T4_LABELS = { owner: "dstack", dstack_name: "t4-box" };

describe("GCP builder: VMs", () => {
  let recorder: MockRecorder;
  let buildGcp: BuildGcp;
  before(async () => ({ recorder, buildGcp } = await gcpBuilder()));
  beforeEach(() => recorder.reset());

  describe("N1 + T4 (n1-standard-4, us-central1, on demand)", () => {
    it("declares the firewall rule, the service account and the VM, and asks nothing", async () => {
      const { plan } = gcpPlan({ name: "t4", yaml: T4_YAML, instanceType: "n1-standard-4", region: "us-central1" });
      const result = await built(() => buildGcp(plan));
      assert.deepEqual(recorder.resourceList(), [
        "gcp:compute/firewall:Firewall t4-fw",
        "gcp:compute/instance:Instance t4-vm",
        "gcp:serviceaccount/account:Account t4-sa",
      ]);
      assert.deepEqual(recorder.invokes, [], "the zone is the first of the offer's zones");
      assert.equal(await valueOf(result.zone), "us-central1-a");
      assert.equal(await valueOf(result.publicIp), "198.51.100.10");
      assert.equal(await valueOf(result.instanceId), "t4-vm-instance-id");
      assert.equal(result.sshUser, "ubuntu");
    });

    it("attaches the T4 as a guest accelerator, stops for maintenance, boots the Deep Learning VM image", async () => {
      const { plan } = gcpPlan({ name: "t4", yaml: T4_YAML, instanceType: "n1-standard-4", region: "us-central1" });
      await built(() => buildGcp(plan));
      const { metadata, ...vm } = plainInputs(recorder, "t4-vm") as { metadata: Record<string, string> } & Record<string, unknown>;
      assert.deepEqual(vm, {
        zone: "us-central1-a",
        machineType: "n1-standard-4",
        description: "dstack dev environment t4-box",
        guestAccelerators: [{ type: "nvidia-tesla-t4", count: 1 }],
        scheduling: { onHostMaintenance: "TERMINATE", automaticRestart: true },
        bootDisk: { autoDelete: true, initializeParams: { image: DLVM, size: 100, type: "pd-balanced" } },
        networkInterfaces: [{ network: "default", accessConfigs: [{}] }],
        tags: ["dstack-t4-box"],
        serviceAccount: SA,
        labels: T4_LABELS,
        allowStoppingForUpdate: true,
      });
      assert.deepEqual(Object.keys(metadata).sort(), ["install-nvidia-driver", "ssh-keys", "startup-script"]);
      assert.equal(metadata["install-nvidia-driver"], "True");
      assert.equal(metadata["ssh-keys"], `ubuntu:${SSH_KEY}`);
      assert.match(metadata["startup-script"], /^#!\/bin\/bash/);
      assert.match(metadata["startup-script"], /t4-box/);
    });

    it("opens SSH from the allowed CIDRs only, to the environment's tag only", async () => {
      const { plan } = gcpPlan({ name: "t4", yaml: T4_YAML, instanceType: "n1-standard-4", region: "us-central1" });
      plan.allowedCidrs = ["203.0.113.4/32", "198.51.100.0/24"];
      await built(() => buildGcp(plan));
      assert.deepEqual(plainInputs(recorder, "t4-fw"), {
        network: "default",
        description: "SSH to the dstack dev environment t4-box",
        direction: "INGRESS",
        allows: [{ protocol: "tcp", ports: ["22"] }],
        sourceRanges: ["203.0.113.4/32", "198.51.100.0/24"],
        targetTags: ["dstack-t4-box"],
      });
      assert.deepEqual(plainInputs(recorder, "t4-sa"), {
        accountId: "dstack-t4-box",
        displayName: "dstack dev environment t4-box",
        description: "The identity of the dstack dev environment t4-box: reads its own secrets only.",
      });
    });

    it("refuses an empty allowedCidrs (a rule without sources admits every address)", async () => {
      const { plan } = gcpPlan({ name: "t4", yaml: T4_YAML, instanceType: "n1-standard-4", region: "us-central1" });
      plan.allowedCidrs = [];
      await assert.rejects(buildGcp(plan), /allowedCidrs is empty/);
    });
  });

  describe("spot (n1-standard-4 + T4)", () => {
    it("is SPOT, preemptible, no automatic restart, STOP when reclaimed, TERMINATE for maintenance", async () => {
      const yaml = T4_YAML + "spot_policy: spot\n";
      const { plan } = gcpPlan({ name: "t4", yaml, instanceType: "n1-standard-4", region: "us-central1" });
      assert.equal(plan.offer.spot, true);
      await built(() => buildGcp(plan));
      assert.deepEqual(recorder.resourceList(), [
        "gcp:compute/firewall:Firewall t4-fw",
        "gcp:compute/instance:Instance t4-vm",
        "gcp:serviceaccount/account:Account t4-sa",
      ]);
      const vm = plainInputs(recorder, "t4-vm");
      assert.deepEqual(vm.scheduling, {
        provisioningModel: "SPOT", preemptible: true, automaticRestart: false, instanceTerminationAction: "STOP", onHostMaintenance: "TERMINATE",
      });
      assert.deepEqual(vm.guestAccelerators, [{ type: "nvidia-tesla-t4", count: 1 }]);
    });
  });

  describe("A2 (a2-highgpu-1g) with a new volume", () => {
    const plan = () => gcpPlan({ name: "a2", yaml: A2_YAML, instanceType: "a2-highgpu-1g", region: "us-central1", volumes: [volume("models", "/models", 200)] }).plan;

    it("looks the volume up in every zone, creates it in the VM's zone and attaches it", async () => {
      answerZonesAndDisks(recorder);
      await built(() => buildGcp(plan()));
      assert.deepEqual(recorder.resourceList(), [
        "gcp:compute/disk:Disk a2-vol-models",
        "gcp:compute/firewall:Firewall a2-fw",
        "gcp:compute/instance:Instance a2-vm",
        "gcp:serviceaccount/account:Account a2-sa",
      ]);
      assert.deepEqual(recorder.invokes.map((i) => `${i.token} ${JSON.stringify(i.inputs)}`).sort(), [
        'gcp:compute/getDisk:getDisk {"name":"models","zone":"us-central1-a"}',
        'gcp:compute/getDisk:getDisk {"name":"models","zone":"us-central1-b"}',
        'gcp:compute/getDisk:getDisk {"name":"models","zone":"us-central1-c"}',
        'gcp:compute/getDisk:getDisk {"name":"models","zone":"us-central1-f"}',
        'gcp:compute/getZones:getZones {"region":"us-central1","status":"UP"}',
      ]);
      assert.deepEqual(plainInputs(recorder, "a2-vol-models"), {
        name: "models",
        zone: "us-central1-a",
        size: 200,
        type: "pd-balanced",
        description: "dstack volume models (dev environment a2-box)",
        labels: { owner: "dstack", dstack_name: "a2-box", dstack_volume: "models", dstack_pulumi_owner: "dstack-test_test_a2" },
      });
      const vm = plainInputs(recorder, "a2-vm");
      assert.equal(vm.machineType, "a2-highgpu-1g");
      assert.equal(vm.zone, "us-central1-a");
      assert.equal("guestAccelerators" in vm, false, "a2 types come with their GPUs");
      assert.deepEqual(vm.scheduling, { onHostMaintenance: "TERMINATE", automaticRestart: true });
      assert.deepEqual(vm.bootDisk, { autoDelete: true, initializeParams: { image: DLVM, size: 100, type: "pd-balanced" } });
      assert.deepEqual(vm.attachedDisks, [{ source: "https://compute.googleapis.com/disks/a2-vol-models", deviceName: "pd-models", mode: "READ_WRITE" }]);
      assert.match((vm.metadata as Record<string, string>)["startup-script"], /pd-models/);
    });

    it("keeps a created volume on destroy unless the plan says to delete it", async () => {
      answerZonesAndDisks(recorder);
      const kept = gcpPlan({ name: "a2", yaml: A2_YAML, instanceType: "a2-highgpu-1g", region: "us-central1", volumes: [volume("models", "/models")] });
      await built(() => buildGcp(kept.plan));
      assert.equal(kept.children.get("a2-vol-models")?.retainOnDelete, true);
      recorder.reset();
      answerZonesAndDisks(recorder);
      const deleted = gcpPlan({ name: "a2", yaml: A2_YAML, instanceType: "a2-highgpu-1g", region: "us-central1", volumes: [volume("models", "/models")] });
      deleted.plan.deleteVolumesOnDestroy = true;
      await built(() => buildGcp(deleted.plan));
      assert.equal(deleted.children.get("a2-vol-models")?.retainOnDelete, false);
    });
  });

  describe("CPU VMs", () => {
    it("boot Ubuntu 24.04 LTS (amd64 or arm64), without accelerators, scheduling or driver metadata", async () => {
      for (const [instanceType, cpu, image] of [
        ["n2-standard-4", "4", "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64"],
        ["t2a-standard-4", "arm:4", "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-arm64"],
      ]) {
        recorder.reset();
        const yaml = `type: dev-environment\nname: cpu-box\nide: vscode\nresources:\n  cpu: ${cpu}\n`;
        const { plan } = gcpPlan({ name: "cpu", yaml, instanceType, region: "us-central1" });
        await built(() => buildGcp(plan));
        const vm = plainInputs(recorder, "cpu-vm");
        assert.equal((vm.bootDisk as { initializeParams: { image: string } }).initializeParams.image, image);
        assert.equal("guestAccelerators" in vm || "scheduling" in vm, false);
        assert.deepEqual(Object.keys(vm.metadata as object).sort(), ["ssh-keys", "startup-script"]);
      }
    });
  });

  describe("every child and the placement", () => {
    it("has the plan's parent and provider, the project, network and subnetwork", async () => {
      const { Provider } = await import("@pulumi/gcp/provider");
      answerZonesAndDisks(recorder);
      const provider = new Provider("gcp-test", { project: "test-project" });
      const { plan, parent, children } = gcpPlan({
        name: "a2", yaml: A2_YAML, instanceType: "a2-highgpu-1g", region: "us-central1", volumes: [volume("models", "/models")], provider,
        secretEnv: [{ key: "HF_TOKEN", value: pulumi.secret("hf") }],
        overrides: { gcp: { project: "test-project", network: "dev-net", subnetwork: "dev-subnet" } },
      });
      await built(() => buildGcp(plan));
      children.delete("a2");
      assert.deepEqual([...children.keys()].sort(), ["a2-fw", "a2-sa", "a2-secret-hf-token", "a2-secret-hf-token-access", "a2-secret-hf-token-version", "a2-vm", "a2-vol-models"]);
      for (const [name, options] of children) {
        assert.equal(options.parent, parent, `${name}: parent`);
        assert.equal(options.provider, provider, `${name}: provider`);
        const inputs = recorder.inputsOf(name);
        if (!name.endsWith("-version")) assert.equal(inputs.project, "test-project", `${name}: project`);
      }
      assert.equal(recorder.inputsOf("a2-fw").network, "dev-net");
      assert.deepEqual(recorder.inputsOf("a2-vm").networkInterfaces, [{ network: "dev-net", subnetwork: "dev-subnet", accessConfigs: [{}] }]);
      assert.ok(recorder.invokes.every((invoke) => invoke.token === "gcp:compute/getZones:getZones" || invoke.inputs.project === "test-project"));
    });

    it("applies the plan's transforms (a partial or a function) by child kind", async () => {
      const { plan } = gcpPlan({ name: "t4", yaml: T4_YAML, instanceType: "n1-standard-4", region: "us-central1" });
      plan.transforms = {
        instance: { deletionProtection: true },
        firewall: (args: { priority?: number }, name: string) => { args.priority = name === "t4-fw" ? 900 : 0; },
      };
      await built(() => buildGcp(plan));
      assert.equal(recorder.inputsOf("t4-vm").deletionProtection, true);
      assert.equal(recorder.inputsOf("t4-fw").priority, 900);
    });

    it("is deterministic: the same plan gives the same children and inputs", async () => {
      const run = async () => {
        recorder.reset();
        answerZonesAndDisks(recorder);
        const { plan } = gcpPlan({ name: "a2", yaml: A2_YAML, instanceType: "a2-highgpu-1g", region: "us-central1", volumes: [volume("models", "/models")] });
        await built(() => buildGcp(plan));
        return JSON.stringify([...recorder.registrations].sort((a, b) => a.name.localeCompare(b.name)));
      };
      assert.equal(await run(), await run());
    });
  });
});
