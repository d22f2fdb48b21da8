/**
 * The queued TPU as Pulumi really runs it: the resource registered under the mock runtime (its
 * provider serialized into `__provider`, timed), then that serialized provider loaded and called
 * by Pulumi's own dynamic-provider host, a separate process started in a folder without
 * node_modules (as for a program elsewhere), against the stand-in Cloud TPU API. Then a state
 * written on another machine (the absolute path gone): the code found by package name from the
 * program's folder; and neither there: the error says what to install.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { QUEUED_TPU_TYPE } from "../../components/gcp/tpu-request";
import { TpuQueuedResource } from "../../components/gcp/tpu-queued-resource";
import { DIFF, DynamicCalls, startDynamicHost, type DynamicHost } from "../support/dynamic-host";
import { crudRoundLines, FakeTpuApi, queuedInputs } from "../support/fake-tpu-api";
import { pulumiMocks, settled, valueOf } from "../support/pulumi-mocks";

const TOKEN = "test-token-1";
const ID = "dstack-tpu-ml-test-17b10300";
const QR = `projects/ml-project/locations/us-east5-a/queuedResources/${ID}`;
const OPERATION = (n: number) => `projects/ml-project/locations/us-east5-a/operations/operation-${n}`;
const URN = `urn:pulumi:test::dstack-test::${QUEUED_TPU_TYPE}::probe-vm`;
/** The package's root (dist/test/components -> the checkout). */
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");
const OPS_MODULE = path.join(PACKAGE_ROOT, "dist", "components", "gcp", "tpu-queued-ops.js");

describe("queued TPU through Pulumi's dynamic-provider host", () => {
  const api = new FakeTpuApi();
  const hosts: DynamicHost[] = [];
  let code = "";
  let serializeMs = 0;
  before(async () => {
    await api.start();
    const recorder = await pulumiMocks();
    recorder.reset();
    const started = Date.now();
    const resource = new TpuQueuedResource("probe-vm", queuedInputs());
    await valueOf(resource.publicIp);
    await settled();
    serializeMs = Date.now() - started;
    const [registration] = recorder.registrations.filter((entry) => entry.name === "probe-vm");
    assert.equal(registration.type, QUEUED_TPU_TYPE);
    const { __provider, ...inputs } = registration.inputs;
    assert.deepEqual(inputs, queuedInputs(), "the inputs as given, nothing else");
    code = String(__provider);
  });
  after(async () => {
    for (const host of hosts) host.stop();
    await api.stop();
  });
  beforeEach(() => api.reset());

  const env = () => ({ ...process.env, DSTACK_PULUMI_TPU_API: api.url, GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN, DSTACK_PULUMI_TPU_TIMING: JSON.stringify({ pollMs: 5 }) });
  const start = async (cwd: string) => {
    const host = await startDynamicHost(cwd, env());
    hosts.push(host);
    return { host, calls: new DynamicCalls(host.client, URN) };
  };

  it("serialized under the mocks: a small provider that loads the operations by this installation's path", () => {
    console.log(`      (registration with serialization: ${serializeMs} ms, __provider ${code.length} characters)`);
    assert.ok(code.length < 4000, `__provider is ${code.length} characters`);
    assert.ok(code.includes(JSON.stringify(OPS_MODULE)), "the absolute path of tpu-queued-ops.js");
    assert.ok(code.includes('"pulumi-dstack/dynamic/tpu-queued-ops"'), "the package's export, for a state written elsewhere");
    assert.doesNotMatch(code, /test-token|GOOGLE_OAUTH_ACCESS_TOKEN|startup-script/, "no credentials, no inputs");
  });

  it("check, create, diff, update, read, diff, delete: the host runs the serialized provider, from a folder without node_modules", async () => {
    const { calls } = await start(mkdtempSync(path.join(tmpdir(), "tpu-program-")));
    const props = { ...queuedInputs(), __provider: code };
    assert.deepEqual(await calls.check({}, props), props);
    api.nextStates = ["WAITING_FOR_RESOURCES", "PROVISIONING", "ACTIVE"];
    const created = await calls.create(props);
    assert.deepEqual(created, { id: ID, properties: { ...queuedInputs(), queuedResource: QR, state: "ACTIVE", publicIp: "203.0.113.77", __provider: code } });
    assert.deepEqual(await calls.diff(ID, created.properties, props), { changes: DIFF.none, replaces: [], deleteBeforeReplace: true });
    const metadata = { ...queuedInputs().metadata, "ssh-keys": "ubuntu:ssh-ed25519 BBBB other" };
    const news = { ...props, metadata };
    assert.deepEqual(await calls.diff(ID, created.properties, news), { changes: DIFF.some, replaces: [], deleteBeforeReplace: true });
    const updated = await calls.update(ID, created.properties, news);
    assert.deepEqual(updated, { ...queuedInputs({ metadata }), queuedResource: QR, state: "ACTIVE", publicIp: "203.0.113.77", __provider: code });
    const refreshed = await calls.read(ID, updated);
    assert.deepEqual(refreshed, { id: ID, properties: updated });
    assert.deepEqual(await calls.diff(ID, updated, { ...news, zone: "us-east5-b" }), { changes: DIFF.some, replaces: ["zone"], deleteBeforeReplace: true });
    await calls.delete(ID, updated);
    assert.deepEqual(api.lines(), crudRoundLines());
    assert.deepEqual(api.requests[6].body, { metadata });
    assert.deepEqual([...new Set(api.tokens)], [TOKEN]);
    assert.ok(![created, updated, refreshed].some((value) => JSON.stringify(value).includes(TOKEN)), "no token in what the engine would store");
  });

  it("a state from another machine: the package found from the program's folder; not there: what to install", async () => {
    const elsewhere = code.split(JSON.stringify(OPS_MODULE)).join(JSON.stringify("/nowhere/dist/components/gcp/tpu-queued-ops.js"));
    const program = mkdtempSync(path.join(tmpdir(), "tpu-program-"));
    mkdirSync(path.join(program, "node_modules"));
    symlinkSync(PACKAGE_ROOT, path.join(program, "node_modules", "pulumi-dstack"));
    const { calls } = await start(program);
    api.existing(QR, {}, ["ACTIVE"]);
    await calls.delete(ID, { ...queuedInputs(), __provider: elsewhere });
    assert.deepEqual(api.lines(), [`DELETE ${QR}?force=true`, `GET ${OPERATION(1)}`]);
    const bare = await start(mkdtempSync(path.join(tmpdir(), "tpu-program-")));
    await assert.rejects(bare.calls.delete(ID, { ...queuedInputs(), __provider: elsewhere }), (error: Error) => {
      assert.match(error.message, /the queued TPU provider cannot find its code \(tried \/nowhere\/dist\/components\/gcp\/tpu-queued-ops\.js, pulumi-dstack\/dynamic\/tpu-queued-ops\): install pulumi-dstack in the program's folder \(npm install pulumi-dstack\)/);
      return true;
    });
  });
});
