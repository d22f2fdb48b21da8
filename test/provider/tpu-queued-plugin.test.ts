/**
 * The queued TPU as the `dstack` plugin's own resource, with the plugin started as Pulumi starts
 * it (Pulumi's Node.js plugin runner, in a program folder without node_modules) against the fake
 * engine: Construct of a DevEnvironment with a TPU and retry registers `dstack:index:TpuQueuedResource`
 * (of the plugin's version) with the inputs the TypeScript path gives its dynamic resource; then
 * the engine's check, create, diff, update, read, diff and delete of that resource, which the
 * plugin serves against the stand-in Cloud TPU API: the exact requests, the outputs, secrets kept
 * secret, and the token in no property.
 */
import { strict as assert } from "node:assert";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROVIDER_DIR } from "../../provider/host";
import { SSH_KEY } from "../support/bootstrap-scenarios";
import { answerInvokes, deploy } from "../support/component-harness";
import { serializedConstructInputs } from "../support/construct-inputs";
import { DIFF, DynamicCalls } from "../support/dynamic-host";
import { FakeEngine, ProviderClient, startPlugin } from "../support/fake-engine";
import { crudRoundLines, FakeTpuApi, queuedInputs } from "../support/fake-tpu-api";
import { pulumiMocks } from "../support/pulumi-mocks";

const TOKEN = "test-token-1";
const ID = "dstack-tpu-ml-test-17b10300";
const QR = `projects/ml-project/locations/us-east5-a/queuedResources/${ID}`;
const TYPE = "dstack:index:TpuQueuedResource";
const URN = `urn:pulumi:test::dstack-test::dstack:index:DevEnvironment$${TYPE}::tpu-vm`;
const VERSION = (JSON.parse(fs.readFileSync(path.join(PROVIDER_DIR, "schema.json"), "utf8")) as { version: string }).version;
const SECRET = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
const ARGS = {
  config: "type: dev-environment\nname: tpu-box\nide: vscode\nresources:\n  gpu: v5litepod-8\nretry:\n  on_events: [no-capacity]\n  duration: 30m\n",
  backend: "gcp" as const,
  region: "us-east5",
  noRepo: true,
  lockFile: "/nonexistent/tpu.lock.json",
  gcp: { project: "dstack-test-project" },
  allowedCidrs: ["203.0.113.4/32"],
};

describe("provider: the queued TPU as the plugin's own resource (plugin process, fake engine)", function () {
  const api = new FakeTpuApi();
  const engine = new FakeEngine("dstack-test", "test");
  let plugin: ChildProcess;
  let client: ProviderClient;
  let calls: DynamicCalls;

  before(async () => {
    await api.start();
    await pulumiMocks(); // serializes the construct inputs in this process
    answerInvokes(engine.recorder);
    await engine.start();
    const env = { ...process.env, DSTACK_PULUMI_TPU_API: api.url, GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN, DSTACK_PULUMI_TPU_TIMING: JSON.stringify({ pollMs: 5 }) };
    const started = await startPlugin(PROVIDER_DIR, fs.mkdtempSync(path.join(os.tmpdir(), "dstack-program-")), engine.address, env);
    plugin = started.process;
    client = new ProviderClient(`127.0.0.1:${started.port}`);
    calls = new DynamicCalls(client, URN);
  });
  after(async () => {
    client?.close();
    plugin?.kill();
    engine.stop();
    await api.stop();
  });
  beforeEach(() => api.reset());

  it("Construct of a DevEnvironment with a TPU and retry registers dstack:index:TpuQueuedResource, of the plugin's version, with the dynamic path's inputs", async () => {
    const { state } = await client.construct(engine, "dstack:index:DevEnvironment", "tpu", await serializedConstructInputs({ sshPublicKey: SSH_KEY, ...ARGS }));
    const [queued] = engine.registrations.filter((registration) => registration.name === "tpu-vm");
    assert.deepEqual([queued.type, queued.custom, queued.version, queued.parent], [TYPE, true, VERSION, "urn:pulumi:test::dstack-test::dstack:index:DevEnvironment::tpu"]);
    assert.deepEqual(engine.resourceList(), [
      "dstack:index:TpuQueuedResource tpu-vm",
      "gcp:compute/firewall:Firewall tpu-fw",
      "gcp:serviceaccount/account:Account tpu-sa",
      "pulumi:index:Stash tpu-identity",
      "pulumi:index:Stash tpu-offer",
      "pulumi:index:Stash tpu-type-zone",
      "pulumi:index:Stash tpu-zone",
    ]);
    // The TypeScript path (mock runtime): the dynamic resource, whose inputs are the same but for its provider's code.
    const typescript = await deploy("tpu", ARGS);
    const dynamic = typescript.recorder.registrations.find((registration) => registration.name === "tpu-vm")!;
    assert.equal(dynamic.type, "pulumi-nodejs:dynamic/dstack:TpuQueuedResource");
    const { __provider: _code, ...dynamicInputs } = JSON.parse(JSON.stringify(dynamic.inputs)) as Record<string, unknown>;
    assert.deepEqual(queued.object, dynamicInputs);
    const object = queued.object as Record<string, unknown>;
    assert.deepEqual(
      [object.project, object.zone, object.nodeId, object.acceleratorType, object.runtimeVersion, object.validUntilSeconds, object.spot, Object.keys(object.metadata as object).sort()],
      ["dstack-test-project", "us-east5-a", "dstack-tpu-dstack-test-test-17b10300", "v5litepod-8", "v2-alpha-tpuv5-lite", 1800, undefined, ["block-project-ssh-keys", "ssh-keys", "startup-script"]],
    );
    assert.deepEqual([state.instanceId, state.publicIp, state.zone], ["tpu-vm-id", "198.51.100.31", "us-east5-a"]);
    assert.ok((state.warnings as string[]).includes("retry: the TPU slice waits in Cloud TPU's queue (a queued resource) for up to 30m, and pulumi up waits with it; a request that runs out of time fails as no capacity"), JSON.stringify(state.warnings));
  });

  it("check, create, diff, update, read, diff, delete: the plugin serves them against the Cloud TPU API", async () => {
    const props = queuedInputs() as unknown as Record<string, unknown>;
    assert.deepEqual(await calls.check({}, props), props);
    api.nextStates = ["WAITING_FOR_RESOURCES", "PROVISIONING", "ACTIVE"];
    const created = await calls.create(props);
    assert.deepEqual(created, { id: ID, properties: { ...queuedInputs(), queuedResource: QR, state: "ACTIVE", publicIp: "203.0.113.77" } });
    assert.deepEqual(await calls.diff(ID, created.properties, props), { changes: DIFF.none, replaces: [], deleteBeforeReplace: true });
    const metadata = { ...queuedInputs().metadata, "ssh-keys": "ubuntu:ssh-ed25519 BBBB other" };
    const news = { ...props, metadata };
    assert.deepEqual(await calls.diff(ID, created.properties, news), { changes: DIFF.some, replaces: [], deleteBeforeReplace: true });
    const updated = await calls.update(ID, created.properties, news);
    assert.deepEqual(updated, { ...queuedInputs({ metadata }), queuedResource: QR, state: "ACTIVE", publicIp: "203.0.113.77" });
    const refreshed = await calls.read(ID, updated);
    assert.deepEqual(refreshed, { id: ID, properties: updated });
    assert.deepEqual(await calls.diff(ID, updated, { ...news, zone: "us-east5-b" }), { changes: DIFF.some, replaces: ["zone"], deleteBeforeReplace: true });
    assert.deepEqual(await calls.diff(ID, { ...updated, state: "SUSPENDED" }, news), { changes: DIFF.some, replaces: ["state"], deleteBeforeReplace: true });
    await calls.delete(ID, updated);
    assert.deepEqual(api.lines(), crudRoundLines());
    assert.deepEqual(api.requests[6].body, { metadata });
    assert.deepEqual([...new Set(api.tokens)], [TOKEN]);
    assert.ok(![created, updated, refreshed].some((value) => JSON.stringify(value).includes(TOKEN)), "no token in what the engine stores");
    assert.ok(!JSON.stringify(api.requests).includes(TOKEN), "nor in a request's path, query or body");
  });

  it("a secret input (the engine sends it wrapped): the API gets the value, the outputs keep it secret", async () => {
    const metadata = queuedInputs().metadata;
    const created = await calls.create({ ...queuedInputs(), metadata: SECRET(metadata) });
    assert.deepEqual(created, { id: ID, properties: { ...queuedInputs(), metadata: SECRET(metadata), queuedResource: QR, state: "ACTIVE", publicIp: "203.0.113.77" } });
    assert.deepEqual((api.requests[0].body as { tpu: { nodeSpec: { node: { metadata: unknown } }[] } }).tpu.nodeSpec[0].node.metadata, metadata);
    const refreshed = await calls.read(ID, created.properties);
    assert.deepEqual(refreshed, created);
  });

  it("a custom resource of another type: an error naming the one the package has", async () => {
    await assert.rejects(new DynamicCalls(client, "urn:pulumi:test::dstack-test::dstack:index:Cluster::c").create({}), {
      message: "2 UNKNOWN: unknown resource type dstack:index:Cluster: the dstack package's one custom resource is dstack:index:TpuQueuedResource",
    });
  });
});
