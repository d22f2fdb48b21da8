/**
 * The GCP builder for VMs under Pulumi's mock runtime: the exact children, their key inputs, the
 * spot and maintenance policy, images, the options of every child, and determinism.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { valueOf, type MockRecorder } from "../support/pulumi-mocks";
import { SSH_KEY } from "../support/bootstrap-scenarios";
import { A2_YAML, answerZonesAndDisks, built, GCP_GET_INSTANCE, gcpBuilder, gcpPlan, plainInputs, T4_YAML, volume, type BuildGcp } from "./gcp-support";

const DLVM = "projects/deeplearning-platform-release/global/images/family/common-cu128-ubuntu-2204-nvidia-570";
const SA = { email: "dstack-t4-dstack-test-0ef59e3e@project.iam.gserviceaccount.com", scopes: ["https://www.googleapis.com/auth/cloud-platform"] };
const T4_TAG = "dstack-t4-dstack-test-test-0ef59e3e";
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
      assert.deepEqual(recorder.invokes, [{ token: GCP_GET_INSTANCE, inputs: { name: "t4-vm-4f3c2a1", zone: "us-central1-a" } }], "the zone is the first of the offer's zones; the VM is read once built");
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
        tags: [T4_TAG],
        serviceAccount: SA,
        labels: T4_LABELS,
        allowStoppingForUpdate: true,
        desiredStatus: "RUNNING",
      });
      assert.deepEqual(Object.keys(metadata).sort(), ["block-project-ssh-keys", "install-nvidia-driver", "ssh-keys", "startup-script"]);
      assert.equal(metadata["block-project-ssh-keys"], "TRUE", "the project's SSH keys cannot log in");
      assert.equal(metadata["install-nvidia-driver"], "True");
      assert.equal(metadata["ssh-keys"], `ubuntu:${SSH_KEY}`);
      assert.match(metadata["startup-script"], /^#!\/bin\/bash/);
      assert.match(metadata["startup-script"], /t4-box/);
    });

    it("opens SSH from the allowed CIDRs only, to the environment's tag only, one rule per address family", async () => {
      const { plan } = gcpPlan({ name: "t4", yaml: T4_YAML, instanceType: "n1-standard-4", region: "us-central1" });
      plan.allowedCidrs = ["203.0.113.4/32", "2001:db8::/48", "198.51.100.0/24"];
      await built(() => buildGcp(plan));
      const rule = { network: "default", direction: "INGRESS", allows: [{ protocol: "tcp", ports: ["22"] }], targetTags: [T4_TAG] };
      assert.deepEqual(plainInputs(recorder, "t4-fw"), {
        ...rule, name: `${T4_TAG}-ssh4`, description: "SSH (IPv4) to a dstack dev environment", sourceRanges: ["203.0.113.4/32", "198.51.100.0/24"],
      });
      assert.deepEqual(plainInputs(recorder, "t4-fw6"), {
        ...rule, name: `${T4_TAG}-ssh6`, description: "SSH (IPv6) to a dstack dev environment", sourceRanges: ["2001:db8::/48"],
      });
      assert.deepEqual(plainInputs(recorder, "t4-sa"), {
        accountId: "dstack-t4-dstack-test-0ef59e3e",
        displayName: "dstack dev environment t4-box",
        description: "The identity of the dstack dev environment t4-box: reads its own secrets only.",
      });
    });

    it("an IPv6-only allowedCidrs gives the IPv6 rule only", async () => {
      const { plan } = gcpPlan({ name: "t4", yaml: T4_YAML, instanceType: "n1-standard-4", region: "us-central1" });
      plan.allowedCidrs = ["::/0"];
      await built(() => buildGcp(plan));
      assert.deepEqual(recorder.resourceList().filter((line) => line.includes("firewall")), ["gcp:compute/firewall:Firewall t4-fw6"]);
      assert.deepEqual(plainInputs(recorder, "t4-fw6").sourceRanges, ["::/0"]);
    });

    it("lets the project's SSH keys in only when gcp.allowProjectSshKeys says so", async () => {
      const { plan } = gcpPlan({ name: "t4", yaml: T4_YAML, instanceType: "n1-standard-4", region: "us-central1", overrides: { gcp: { allowProjectSshKeys: true } } });
      await built(() => buildGcp(plan));
      assert.deepEqual(Object.keys(plainInputs(recorder, "t4-vm").metadata as object).sort(), ["install-nvidia-driver", "ssh-keys", "startup-script"]);
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

    it("looks the volume up in every zone, creates it in the VM's zone and attaches it by its own AttachedDisk", async () => {
      answerZonesAndDisks(recorder);
      const { plan: a2, children } = gcpPlan({ name: "a2", yaml: A2_YAML, instanceType: "a2-highgpu-1g", region: "us-central1", volumes: [volume("models", "/models", 200)] });
      await built(() => buildGcp(a2));
      assert.deepEqual(recorder.resourceList(), [
        "gcp:compute/attachedDisk:AttachedDisk a2-attach-models",
        "gcp:compute/disk:Disk a2-vol-models",
        "gcp:compute/firewall:Firewall a2-fw",
        "gcp:compute/instance:Instance a2-vm",
        "gcp:serviceaccount/account:Account a2-sa",
      ]);
      const zones = ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"];
      assert.deepEqual(recorder.invokes.map((i) => `${i.token} ${JSON.stringify(i.inputs)}`).sort(), [
        ...zones.map((zone) => `gcp:compute/getDisk:getDisk {"name":"models","zone":"${zone}"}`),
        ...zones.map((zone) => `gcp:compute/getDisk:getDisk {"name":"models-fb1e9040","zone":"${zone}"}`),
        'gcp:compute/getInstance:getInstance {"name":"a2-vm-4f3c2a1","zone":"us-central1-a"}',
        'gcp:compute/getZones:getZones {"region":"us-central1","status":"UP"}',
        'gcp:organizations/getClientConfig:getClientConfig {}',
      ]);
      assert.deepEqual(plainInputs(recorder, "a2-vol-models"), {
        name: "models-fb1e9040",
        zone: "us-central1-a",
        size: 200,
        type: "pd-balanced",
        description: "dstack volume models",
        labels: { owner: "dstack", dstack_name: "a2-box", dstack_volume: "models", dstack_scope: "dstack-test_test-fb1e9040", dstack_pulumi_owner: "dstack-test_test_a2" },
      });
      assert.deepEqual(children.get("a2-vol-models")?.ignoreChanges, ["description"]);
      const vm = plainInputs(recorder, "a2-vm");
      assert.equal(vm.machineType, "a2-highgpu-1g");
      assert.equal(vm.zone, "us-central1-a");
      assert.equal("guestAccelerators" in vm, false, "a2 types come with their GPUs");
      assert.deepEqual(vm.scheduling, { onHostMaintenance: "TERMINATE", automaticRestart: true });
      assert.deepEqual(vm.bootDisk, { autoDelete: true, initializeParams: { image: DLVM, size: 100, type: "pd-balanced" } });
      assert.equal("attachedDisks" in vm, false);
      assert.deepEqual(children.get("a2-vm")?.ignoreChanges, ["attachedDisks", "scratchDisks", "bootDisk.initializeParams.image"]);
      assert.equal(children.get("a2-vm")?.replacementTrigger, JSON.stringify({ image: DLVM }), "a new image family replaces the VM, a newer image does not");
      assert.equal(children.get("a2-vm")?.deleteBeforeReplace, true, "a disk attaches read-write to one VM at a time");
      assert.deepEqual(plainInputs(recorder, "a2-attach-models"), {
        zone: "us-central1-a", disk: "https://compute.googleapis.com/disks/a2-vol-models", instance: "https://compute.googleapis.com/a2-vm", deviceName: "pd-models", mode: "READ_WRITE",
      });
      assert.equal(children.get("a2-attach-models")?.retainOnDelete, true, "never detached live");
      assert.equal(children.get("a2-attach-models")?.deleteBeforeReplace, true);
      assert.match((vm.metadata as Record<string, string>)["startup-script"], /\nset_up_volume gcp 'pd-models' 'models' true\n/);
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
        assert.deepEqual(Object.keys(vm.metadata as object).sort(), ["block-project-ssh-keys", "ssh-keys", "startup-script"]);
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
      assert.deepEqual([...children.keys()].sort(), ["a2-attach-models", "a2-fw", "a2-sa", "a2-secret-hf-token", "a2-secret-hf-token-access", "a2-secret-hf-token-version", "a2-vm", "a2-vol-models"]);
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
