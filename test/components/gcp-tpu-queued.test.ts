/**
 * A TPU slice requested through Cloud TPU's queue, under Pulumi's mock runtime: the resources and
 * inputs `tpuLaunch: queued` declares (the builder's options included), the boot metadata the same
 * bytes as a TPU VM's, and which launch a stack gets (a new one with retry queues, one without
 * does not, nor one with a reservation; the arg decides when given; inside the plugin, the
 * plugin's own resource with the same inputs).
 */
import { strict as assert } from "node:assert";
import { deploy, deployRejected, type Deployment } from "../support/component-harness";
import { type MockRecorder } from "../support/pulumi-mocks";
import { answerZonesAndDisks, built, gcpBuilder, gcpPlan, plainInputs, TPU_YAML, volume, type BuildGcp } from "./gcp-support";

const QUEUED = "pulumi-nodejs:dynamic/dstack:TpuQueuedResource";
const PLUGIN_QUEUED = "dstack:index:TpuQueuedResource";
const V2VM = "gcp:tpu/v2Vm:V2Vm";
const RETRY = "retry:\n  on_events: [no-capacity]\n  duration: 30m\n";
const CONFIG = "type: dev-environment\nname: tpu-box\nide: vscode\nresources:\n  gpu: v5litepod-8\n";
const PLACE = { backend: "gcp" as const, region: "us-east5", noRepo: true, lockFile: "/nonexistent/tpu.lock.json" };
const NODE_ID = "dstack-tpu-dstack-test-test-17b10300";
const ACCOUNT = { email: "dstack-tpu-dstack-tes-17b10300@project.iam.gserviceaccount.com", scopes: ["https://www.googleapis.com/auth/cloud-platform"] };
const QUEUE_NOTE = "retry: the TPU slice waits in Cloud TPU's queue (a queued resource) for up to 30m, and pulumi up waits with it; a request that runs out of time fails as no capacity";

/** The inputs of `name` in a deployment as plain JSON, without the dynamic provider's code. */
function inputsOf(d: Deployment, name: string): Record<string, unknown> {
  const { __provider: _code, ...rest } = JSON.parse(JSON.stringify(d.recorder.inputsOf(name))) as Record<string, unknown>;
  return rest;
}

/** The launch a deployment got: the type of its TPU. */
const tpuType = (d: Deployment) => d.recorder.registrations.find((entry) => entry.name === "tpu-vm")?.type;

describe("GCP TPU through Cloud TPU's queue (tpuLaunch)", () => {
  it("tpuLaunch: queued: the firewall, the service account and the queued TPU with a TPU VM's node, spot tier, 30m wait", async () => {
    const d = await deploy("tpu", { config: CONFIG + "spot_policy: spot\n" + RETRY, ...PLACE, tpuLaunch: "queued" });
    assert.deepEqual(d.recorder.resourceList(), [
      "gcp:compute/firewall:Firewall tpu-fw",
      "gcp:serviceaccount/account:Account tpu-sa",
      `${QUEUED} tpu-vm`,
      "pulumi:index:Stash tpu-identity",
      "pulumi:index:Stash tpu-offer",
      "pulumi:index:Stash tpu-type-zone",
      "pulumi:index:Stash tpu-zone",
    ]);
    const { metadata, ...queued } = inputsOf(d, "tpu-vm") as { metadata: Record<string, string> } & Record<string, unknown>;
    assert.deepEqual(queued, {
      project: "test-project",
      zone: "us-east5-a",
      nodeId: NODE_ID,
      acceleratorType: "v5litepod-8",
      runtimeVersion: "v2-alpha-tpuv5-lite",
      description: "dstack dev environment tpu-box",
      networkConfig: { enableExternalIps: true, network: "default" },
      serviceAccount: ACCOUNT,
      labels: { owner: "dstack", dstack_name: "tpu-box" },
      tags: [NODE_ID],
      validUntilSeconds: 1800,
      spot: true,
    });
    assert.deepEqual(Object.keys(metadata).sort(), ["block-project-ssh-keys", "ssh-keys", "startup-script"]);
    assert.ok(d.recorder.invokes.some((invoke) => invoke.token === "gcp:organizations/getClientConfig:getClientConfig"), "the provider's project, asked for");
    assert.deepEqual([d.outputs.instanceId, d.outputs.publicIp, d.outputs.zone], ["tpu-vm-id", "198.51.100.31", "us-east5-a"]);
    assert.ok(d.outputs.warnings.includes(QUEUE_NOTE), d.outputs.warnings.join("\n"));
  });

  it("the boot metadata and the node are the same bytes as the TPU VM's (tpuLaunch vm)", async () => {
    const config = CONFIG + RETRY + "env:\n  - HF_TOKEN\n  - MODE=dev\ninit:\n  - pip install -r requirements.txt\nvolumes:\n  - ckpt:/ckpt\n";
    const args = { config, ...PLACE, env: { HF_TOKEN: "x" } };
    const vm = inputsOf(await deploy("tpu", { ...args, tpuLaunch: "vm" }), "tpu-vm");
    const queued = inputsOf(await deploy("tpu", { ...args, tpuLaunch: "queued" }), "tpu-vm");
    assert.equal(JSON.stringify(queued.metadata), JSON.stringify(vm.metadata));
    const script = (queued.metadata as Record<string, string>)["startup-script"];
    assert.match(script, /^#!\/bin\/bash\n/);
    assert.match(script, /\nset_up_volume gcp 'persistent-disk-1' 'ckpt' true\n/);
    assert.match(script, /pip install -r requirements\.txt/);
    for (const field of ["zone", "acceleratorType", "runtimeVersion", "description", "networkConfig", "serviceAccount", "labels", "tags", "dataDisks"]) {
      assert.equal(JSON.stringify(queued[field]), JSON.stringify(vm[field]), field);
    }
  });

  it("unset: a new stack with retry queues (recorded with its identity); one without retry, or with a reservation, gets a TPU VM", async () => {
    const retried = await deploy("tpu", { config: CONFIG + RETRY, ...PLACE });
    assert.equal(tpuType(retried), QUEUED);
    assert.deepEqual(inputsOf(retried, "tpu-identity"), { input: { project: "dstack-test", stack: "test", name: "tpu", awsLaunch: "fleet", tpuLaunch: "queued" } });
    const plain = await deploy("tpu", { config: CONFIG, ...PLACE });
    assert.equal(tpuType(plain), V2VM);
    assert.deepEqual(inputsOf(plain, "tpu-identity"), { input: { project: "dstack-test", stack: "test", name: "tpu" } });
    assert.equal(plain.outputs.warnings.some((warning) => warning.startsWith("retry")), false);
    const reserved = await deploy("tpu", { config: CONFIG + RETRY + "reservation: tpu-hold\n", ...PLACE });
    assert.equal(tpuType(reserved), V2VM);
    assert.deepEqual(inputsOf(reserved, "tpu-vm").schedulingConfig, { reserved: true });
  });

  it("tpuLaunch: queued with a reservation: the guaranteed tier of that reservation in the project and zone", async () => {
    const d = await deploy("tpu", { config: CONFIG + "reservation: tpu-hold\n", ...PLACE, tpuLaunch: "queued", gcp: { project: "ml-project" } });
    const queued = inputsOf(d, "tpu-vm");
    assert.deepEqual([queued.project, queued.reservationName, queued.spot, queued.validUntilSeconds], ["ml-project", "projects/ml-project/locations/us-east5-a/reservations/tpu-hold", undefined, 3600]);
    assert.equal(d.recorder.invokes.some((invoke) => invoke.token === "gcp:organizations/getClientConfig:getClientConfig"), false, "the plan's project: no invoke");
    assert.equal(d.outputs.warnings.some((warning) => warning.startsWith("retry")), false, "no retry, no note");
  });

  it("tpuLaunch: vm with retry: a TPU VM and the note that dstack-pulumi up retries", async () => {
    const d = await deploy("tpu", { config: CONFIG + RETRY, ...PLACE, tpuLaunch: "vm" });
    assert.equal(tpuType(d), V2VM);
    assert.ok(d.outputs.warnings.includes("retry: pulumi up asks GCP for this VM once; dstack-pulumi up tries the next offers (the zones the error names first) for up to 30m"), d.outputs.warnings.join("\n"));
  });

  it("inside the plugin (queuedTpuPluginVersion): retry queues the TPU as the plugin's own resource, with the dynamic resource's inputs", async () => {
    const dynamic = await deploy("tpu", { config: CONFIG + RETRY, ...PLACE });
    const plugin = await deploy("tpu", { config: CONFIG + RETRY, ...PLACE }, {}, { queuedTpuPluginVersion: "0.1.0" });
    assert.equal(tpuType(plugin), PLUGIN_QUEUED);
    assert.deepEqual(inputsOf(plugin, "tpu-vm"), inputsOf(dynamic, "tpu-vm"));
    assert.deepEqual(inputsOf(plugin, "tpu-identity"), { input: { project: "dstack-test", stack: "test", name: "tpu", awsLaunch: "fleet", tpuLaunch: "queued" } });
    assert.ok(plugin.outputs.warnings.includes(QUEUE_NOTE), plugin.outputs.warnings.join("\n"));
    assert.equal(plugin.outputs.publicIp, "198.51.100.31");
  });

  it("a queued TPU a refresh found SUSPENDED: a warning that the next pulumi up --refresh asks for it again", async () => {
    const suspended = { computed: (type: string) => (type === QUEUED ? { state: "SUSPENDED" } : undefined) };
    const d = await deploy("tpu", { config: CONFIG + "spot_policy: spot\n" + RETRY, ...PLACE }, suspended);
    assert.ok(d.outputs.warnings.includes(
      "the queued TPU is SUSPENDED (a spot TPU Cloud TPU took back is SUSPENDED): the next pulumi up --refresh asks for it again (or pulumi up --replace 'urn:pulumi:test::dstack-test::dstack:index:DevEnvironment$pulumi-nodejs:dynamic/dstack:TpuQueuedResource::tpu-vm')",
    ), d.outputs.warnings.join("\n"));
  });

  it("a launch that is not one: an error that names the two", async () => {
    const { error } = await deployRejected("tpu", { config: CONFIG, ...PLACE, tpuLaunch: "fast" as never });
    assert.equal(error.message, 'tpu: tpuLaunch "fast" is not a launch: give "queued" or "vm"');
  });
});

describe("GCP builder: a queued TPU's options", () => {
  let recorder: MockRecorder;
  let buildGcp: BuildGcp;
  before(async () => ({ recorder, buildGcp } = await gcpBuilder()));
  beforeEach(() => recorder.reset());

  it("with a volume: the data disk, deleted before replaced (its id is fixed), waits for the disk, ignores a new wait", async () => {
    answerZonesAndDisks(recorder);
    const { plan, children } = gcpPlan({ name: "tpu", yaml: TPU_YAML, instanceType: "v5litepod-8", region: "us-east5", volumes: [volume("tpu-data", "/data", 500)], overrides: { tpuQueue: { validUntilSeconds: 600 }, gcp: { project: "ml-project", network: "ml-vpc", subnetwork: "ml-east5" } } });
    const result = await built(() => buildGcp(plan));
    const { metadata: _metadata, __provider: code, ...queued } = plainInputs(recorder, "tpu-vm");
    assert.equal(typeof code, "string");
    assert.deepEqual(queued, {
      project: "ml-project",
      zone: "us-east5-a",
      nodeId: NODE_ID,
      acceleratorType: "v5litepod-8",
      runtimeVersion: "v2-alpha-tpuv5-lite",
      description: "dstack dev environment tpu-box",
      networkConfig: { enableExternalIps: true, network: "ml-vpc", subnetwork: "ml-east5" },
      serviceAccount: ACCOUNT,
      labels: { owner: "dstack", dstack_name: "tpu-box" },
      tags: [NODE_ID],
      dataDisks: [{ sourceDisk: "tpu-vol-tpu-data-id", mode: "READ_WRITE" }],
      validUntilSeconds: 600,
    });
    const options = children.get("tpu-vm")!;
    assert.equal(options.deleteBeforeReplace, true);
    assert.deepEqual(options.ignoreChanges, ["validUntilSeconds"]);
    assert.equal(options.replaceOnChanges, undefined, "the provider's diff replaces for disks");
    assert.ok((options.dependsOn as unknown[]).length >= 1);
    assert.equal(await new Promise((resolve) => result.publicIp.apply(resolve)), "198.51.100.31");
  });

  it("without volumes: still deleted before replaced; no data disks", async () => {
    answerZonesAndDisks(recorder);
    const { plan, children } = gcpPlan({ name: "tpu", yaml: TPU_YAML.replace(/volumes:\n.*\n/, ""), instanceType: "v5litepod-8", region: "us-east5", overrides: { tpuQueue: { validUntilSeconds: 600 } } });
    await built(() => buildGcp(plan));
    assert.equal(plainInputs(recorder, "tpu-vm").dataDisks, undefined);
    assert.equal(plainInputs(recorder, "tpu-vm").project, "test-project");
    assert.equal(children.get("tpu-vm")!.deleteBeforeReplace, true);
  });
});
