/** The GCP builder for TPU offers (`tpu.V2Vm`) under Pulumi's mock runtime. */
import * as assert from "node:assert/strict";
import { valueOf, type MockRecorder } from "../support/pulumi-mocks";
import { SSH_KEY } from "../support/bootstrap-scenarios";
import { answerZonesAndDisks, built, gcpBuilder, gcpPlan, plainInputs, TPU_YAML, volume, type BuildGcp } from "./gcp-support";

describe("GCP builder: TPU VMs", () => {
  let recorder: MockRecorder;
  let buildGcp: BuildGcp;
  before(async () => ({ recorder, buildGcp } = await gcpBuilder()));
  beforeEach(() => recorder.reset());

  const tpuPlan = (yaml = TPU_YAML) =>
    gcpPlan({ name: "tpu", yaml, instanceType: "v5litepod-8", region: "us-east5", volumes: [volume("tpu-data", "/data", 500)] });

  it("v5litepod-8 with a volume: the slice, its runtime, the data disk, the tag, no spot", async () => {
    answerZonesAndDisks(recorder);
    const { plan, children } = tpuPlan();
    const result = await built(() => buildGcp(plan));
    assert.deepEqual(recorder.resourceList(), [
      "gcp:compute/disk:Disk tpu-vol-tpu-data",
      "gcp:compute/firewall:Firewall tpu-fw",
      "gcp:serviceaccount/account:Account tpu-sa",
      "gcp:tpu/v2Vm:V2Vm tpu-vm",
    ]);
    const { metadata, ...vm } = plainInputs(recorder, "tpu-vm") as { metadata: Record<string, string> } & Record<string, unknown>;
    assert.deepEqual(vm, {
      zone: "us-east5-a",
      acceleratorType: "v5litepod-8",
      runtimeVersion: "v2-alpha-tpuv5-lite",
      description: "dstack dev environment tpu-box",
      dataDisks: [{ sourceDisk: "tpu-vol-tpu-data-id", mode: "READ_WRITE" }],
      networkConfig: { enableExternalIps: true, network: "default" },
      serviceAccount: { email: "dstack-tpu-dstack-tes-17b10300@project.iam.gserviceaccount.com", scopes: ["https://www.googleapis.com/auth/cloud-platform"] },
      labels: { owner: "dstack", dstack_name: "tpu-box" },
      tags: ["dstack-tpu-dstack-test-test-17b10300"],
    });
    assert.deepEqual(children.get("tpu-vm")?.replaceOnChanges, ["dataDisks"], "the TPU API would detach a removed disk live");
    assert.equal(children.get("tpu-vm")?.deleteBeforeReplace, true);
    assert.deepEqual(Object.keys(metadata).sort(), ["block-project-ssh-keys", "ssh-keys", "startup-script"]);
    assert.equal(metadata["ssh-keys"], `ubuntu:${SSH_KEY}`);
    assert.match(metadata["startup-script"], /persistent-disk-1/);
    assert.doesNotMatch(metadata["startup-script"], /pd-tpu-data/);
    assert.deepEqual(plainInputs(recorder, "tpu-vol-tpu-data"), {
      name: "tpu-data-fb1e9040",
      zone: "us-east5-a",
      size: 500,
      type: "pd-balanced",
      description: "dstack volume tpu-data",
      labels: { owner: "dstack", dstack_name: "tpu-box", dstack_volume: "tpu-data", dstack_scope: "dstack-test_test-fb1e9040", dstack_pulumi_owner: "dstack-test_test_tpu" },
    });
    assert.deepEqual(plainInputs(recorder, "tpu-fw").targetTags, ["dstack-tpu-dstack-test-test-17b10300"]);
    assert.equal(await valueOf(result.publicIp), "198.51.100.30");
    assert.equal(await valueOf(result.zone), "us-east5-a");
    assert.equal(await valueOf(result.instanceId), "tpu-vm-id");
    assert.equal(result.sshUser, "ubuntu");
  });

  it("spot: schedulingConfig {spot: true}", async () => {
    answerZonesAndDisks(recorder);
    const { plan } = tpuPlan(TPU_YAML + "spot_policy: spot\n");
    assert.equal(plan.offer.spot, true);
    await built(() => buildGcp(plan));
    assert.deepEqual(plainInputs(recorder, "tpu-vm").schedulingConfig, { spot: true });
  });

  it("numbers the data disks in the order of the volume names, whatever the configuration's order", async () => {
    answerZonesAndDisks(recorder);
    const { plan } = gcpPlan({
      name: "tpu", yaml: TPU_YAML + "  - ckpt:/ckpt\n", instanceType: "v5litepod-8", region: "us-east5",
      volumes: [volume("tpu-data", "/data"), volume("ckpt", "/ckpt")],
    });
    await built(() => buildGcp(plan));
    const vm = plainInputs(recorder, "tpu-vm") as { dataDisks: unknown; metadata: Record<string, string> };
    assert.deepEqual(vm.dataDisks, [
      { sourceDisk: "tpu-vol-ckpt-id", mode: "READ_WRITE" },
      { sourceDisk: "tpu-vol-tpu-data-id", mode: "READ_WRITE" },
    ]);
    assert.match(vm.metadata["startup-script"], /step 'volume ckpt'\nset_up_volume gcp 'persistent-disk-1' 'ckpt' true\n/);
    assert.match(vm.metadata["startup-script"], /step 'volume tpu-data'\nset_up_volume gcp 'persistent-disk-2' 'tpu-data' true\n/);
  });

  it("v6e runs v2-alpha-tpuv6e on Hyperdisk; without catalog zones, the first zone that offers the slice", async () => {
    answerZonesAndDisks(recorder);
    recorder.onInvoke("gcp:tpu/getV2AcceleratorTypes:getV2AcceleratorTypes", (inputs) => ({
      id: "types", project: "test-project", zone: inputs.zone, types: inputs.zone === "us-east5-b" ? ["v6e-1", "v6e-4"] : ["v5litepod-8"],
    }));
    const yaml = "type: dev-environment\nname: v6e-box\nide: vscode\nresources:\n  gpu: v6e-4\nvolumes:\n  - ckpt:/ckpt\n";
    const { plan } = gcpPlan({ name: "v6e", yaml, instanceType: "v6e-4", region: "us-east5", volumes: [volume("ckpt", "/ckpt")] });
    plan.offer = { ...plan.offer, zones: [] };
    await built(() => buildGcp(plan));
    const vm = plainInputs(recorder, "v6e-vm");
    assert.equal(vm.runtimeVersion, "v2-alpha-tpuv6e");
    assert.equal(vm.zone, "us-east5-b");
    assert.deepEqual(plainInputs(recorder, "v6e-vol-ckpt").type, "hyperdisk-balanced");
    assert.deepEqual(
      recorder.invokes.filter((i) => i.token.startsWith("gcp:tpu/")).map((i) => i.inputs.zone),
      ["us-east5-a", "us-east5-b"],
      "asks zone by zone, sorted, until one offers the slice",
    );
  });
});
