/**
 * The queued TPU's provider operations (components/gcp/tpu-queued-ops.ts) against a stand-in for
 * the Cloud TPU API on 127.0.0.1 (test/support/fake-tpu-api.ts): the exact requests of create,
 * read, update, delete and diff, the polling through the queue's states, FAILED and the end of
 * the wait, and the token kept out of everything Pulumi would store. Time is a fake clock that each
 * poll's sleep moves on.
 */
import { strict as assert } from "node:assert";
import { classifyFailure } from "../../cli/capacity-errors";
import { TpuApi } from "../../components/gcp/tpu-api";
import { create, destroy, diff, read, update, DEFAULT_TIMING, type OpsContext, type Timing } from "../../components/gcp/tpu-queued-ops";
import { queuedResourceBody } from "../../components/gcp/tpu-request";
import { defaultTokenSource, type TokenSource } from "../../components/gcp/tpu-token";
import { FakeTpuApi, queuedInputs } from "../support/fake-tpu-api";

const TOKEN = "test-token-1";
const QR = "projects/ml-project/locations/us-east5-a/queuedResources/dstack-tpu-ml-test-17b10300";
const NODE = "projects/ml-project/locations/us-east5-a/nodes/dstack-tpu-ml-test-17b10300";
const OPERATION = (n: number) => `projects/ml-project/locations/us-east5-a/operations/operation-${n}`;
const CREATE = "POST projects/ml-project/locations/us-east5-a/queuedResources?queuedResourceId=dstack-tpu-ml-test-17b10300";

/** A context on the fake API with a fake clock: each sleep moves it on by the time asked. */
function fakeContext(url: string, tokens: TokenSource = defaultTokenSource({ GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN }), timing: Partial<Timing> = {}): OpsContext & { clock: () => number } {
  let clock = 0;
  const sleep = async (ms: number) => {
    clock += ms;
  };
  const all = { ...DEFAULT_TIMING, pollMs: 400, ...timing };
  return { api: new TpuApi(url, tokens, { pollMs: all.pollMs, sleep }), timing: all, now: () => clock, sleep, clock: () => clock };
}

describe("queued TPU provider against a fake Cloud TPU API", () => {
  const api = new FakeTpuApi();
  before(() => api.start());
  after(() => api.stop());
  beforeEach(() => api.reset());

  it("create: POST the request, its operation, the queue's states to ACTIVE, then the node's address", async () => {
    api.nextStates = ["WAITING_FOR_RESOURCES", "PROVISIONING", "ACTIVE"];
    const inputs = queuedInputs({ spot: true });
    const result = await create({ ...inputs, __provider: "exports.handler = ...", publicIp: undefined }, fakeContext(api.url));
    assert.deepEqual(api.lines(), [CREATE, `GET ${OPERATION(1)}`, `GET ${QR}`, `GET ${QR}`, `GET ${QR}`, `GET ${NODE}`]);
    assert.deepEqual(api.requests[0].body, queuedResourceBody(inputs));
    assert.deepEqual(api.requests.slice(1).map((entry) => entry.body), [null, null, null, null, null]);
    assert.deepEqual(result, { id: "dstack-tpu-ml-test-17b10300", outs: { ...inputs, queuedResource: QR, state: "ACTIVE", publicIp: "203.0.113.77" } });
    assert.deepEqual([...new Set(api.tokens)], [TOKEN], "every request carries the token");
    assert.ok(!JSON.stringify(result).includes(TOKEN), "no token in the outputs");
    assert.ok(!JSON.stringify(api.requests).includes(TOKEN), "nor in a request's path, query or body");
  });

  it("FAILED: the API's message in a capacity error the capacity loop reads; the request deleted", async () => {
    api.nextStates = ["WAITING_FOR_RESOURCES", "FAILED"];
    api.nextFailure = "There is no more capacity in the zone \"us-east5-a\"; you can try in another zone where Cloud TPU Nodes are offered";
    const error = await create(queuedInputs(), fakeContext(api.url)).then(() => new Error("created"), (reason: Error) => reason);
    assert.equal(
      error.message,
      "dstack-tpu-ml-test-17b10300: Cloud TPU found no capacity for queued resource dstack-tpu-ml-test-17b10300 (v5litepod-8 on demand in us-east5-a, waiting up to 30m): " +
        "FAILED: There is no more capacity in the zone \"us-east5-a\"; you can try in another zone where Cloud TPU Nodes are offered " +
        "[dstack-capacity gcp us-east5 v5litepod-8]; the request was deleted",
    );
    assert.deepEqual(api.lines(), [CREATE, `GET ${OPERATION(1)}`, `GET ${QR}`, `GET ${QR}`, `DELETE ${QR}?force=true`, `GET ${OPERATION(2)}`]);
    const failure = classifyFailure(`error: ${error.message}`);
    assert.deepEqual([failure.kind, failure.tried], ["capacity", { backend: "gcp", region: "us-east5", instanceTypes: ["v5litepod-8"], zone: null }]);
  });

  it("the wait runs out (validUntil, no verdict from the API): the request deleted, a capacity error", async () => {
    api.nextStates = ["WAITING_FOR_RESOURCES"];
    const context = fakeContext(api.url, undefined, { graceSeconds: 0 });
    const error = await create(queuedInputs({ validUntilSeconds: 1 }), context).then(() => new Error("created"), (reason: Error) => reason);
    // The operation's poll at 400 ms, the queued resource's at 400, 800 and 1200 ms (past the 1 s wait).
    assert.deepEqual(api.lines(), [CREATE, `GET ${OPERATION(1)}`, `GET ${QR}`, `GET ${QR}`, `GET ${QR}`, `DELETE ${QR}?force=true`, `GET ${OPERATION(2)}`]);
    assert.equal(context.clock(), 1600);
    assert.equal(
      error.message,
      "dstack-tpu-ml-test-17b10300: Cloud TPU found no capacity for queued resource dstack-tpu-ml-test-17b10300 (v5litepod-8 on demand in us-east5-a, waiting up to 1s): " +
        "still WAITING_FOR_RESOURCES when its time ran out [dstack-capacity gcp us-east5 v5litepod-8]; the request was deleted",
    );
    assert.equal(classifyFailure(error.message).kind, "capacity");
    assert.equal(api.queued.size, 0);
  });

  it("PROVISIONING past the wait: waits for it (provisionSeconds) rather than dropping a slice being set up", async () => {
    api.nextStates = ["PROVISIONING", "PROVISIONING", "PROVISIONING", "PROVISIONING", "ACTIVE"];
    const result = await create(queuedInputs({ validUntilSeconds: 1 }), fakeContext(api.url, undefined, { graceSeconds: 0 }));
    assert.equal(result.outs.state, "ACTIVE");
    assert.equal(api.lines().filter((line) => line === `GET ${QR}`).length, 5);
  });

  it("a request of the same id already waiting (an interrupted update): waited for again, then its node patched to these inputs", async () => {
    const inputs = queuedInputs();
    api.existing(QR, queuedResourceBody({ ...inputs, metadata: { "startup-script": "old" } }), ["WAITING_FOR_RESOURCES", "WAITING_FOR_RESOURCES", "ACTIVE"]);
    const result = await create(inputs, fakeContext(api.url));
    assert.deepEqual(api.lines(), [CREATE, `GET ${QR}`, `GET ${QR}`, `GET ${QR}`, `PATCH ${NODE}?updateMask=description%2Clabels%2Cmetadata%2Ctags`, `GET ${OPERATION(1)}`, `GET ${NODE}`]);
    assert.deepEqual(api.requests[4].body, { description: inputs.description, labels: inputs.labels, metadata: inputs.metadata, tags: inputs.tags });
    assert.equal(result.outs.state, "ACTIVE");
  });

  it("a FAILED request of the same id: deleted, then asked anew; one for another slice: left alone with an error", async () => {
    const inputs = queuedInputs();
    api.existing(QR, queuedResourceBody(inputs), ["FAILED"]);
    await create(inputs, fakeContext(api.url));
    assert.deepEqual(api.lines().slice(0, 6), [CREATE, `GET ${QR}`, `DELETE ${QR}?force=true`, `GET ${OPERATION(1)}`, CREATE, `GET ${OPERATION(2)}`]);
    api.reset();
    api.existing(QR, queuedResourceBody(queuedInputs({ acceleratorType: "v5litepod-4" })), ["ACTIVE"]);
    await assert.rejects(create(inputs, fakeContext(api.url)), {
      message: "dstack-tpu-ml-test-17b10300: queued resource dstack-tpu-ml-test-17b10300 already exists in us-east5-a and asks for another TPU (ACTIVE): delete it (gcloud compute tpus queued-resources delete dstack-tpu-ml-test-17b10300 --zone us-east5-a --force) and run pulumi up again",
    });
    assert.deepEqual(api.lines(), [CREATE, `GET ${QR}`]);
  });

  it("read: the state and the node's address; a queued resource that is gone reads as gone", async () => {
    const props = { ...queuedInputs(), queuedResource: QR, state: "ACTIVE", publicIp: "203.0.113.1", __provider: "code" };
    api.existing(QR, {}, ["SUSPENDED"]);
    assert.deepEqual(await read("dstack-tpu-ml-test-17b10300", props, fakeContext(api.url)), { id: "dstack-tpu-ml-test-17b10300", props: { ...props, state: "SUSPENDED", publicIp: "" } });
    api.existing(QR, {}, ["ACTIVE"]);
    assert.deepEqual(await read("dstack-tpu-ml-test-17b10300", props, fakeContext(api.url)), { id: "dstack-tpu-ml-test-17b10300", props: { ...props, state: "ACTIVE", publicIp: "203.0.113.77" } });
    api.missingNodes.add(NODE);
    assert.deepEqual(await read("dstack-tpu-ml-test-17b10300", props, fakeContext(api.url)), { id: "dstack-tpu-ml-test-17b10300", props: { ...props, state: "ACTIVE", publicIp: "" } }, "ACTIVE, its node not there (yet)");
    api.reset();
    assert.deepEqual(await read("dstack-tpu-ml-test-17b10300", props, fakeContext(api.url)), { id: "", props: {} });
    assert.deepEqual(api.lines(), [`GET ${QR}`]);
  });

  it("update: nodes.patch of what changed (the boot script), its operation; the outputs kept", async () => {
    const olds = { ...queuedInputs(), queuedResource: QR, state: "ACTIVE", publicIp: "203.0.113.77", __provider: "code" };
    const metadata = { ...queuedInputs().metadata, "startup-script": "#!/bin/bash\necho boot 2\n" };
    const news = { ...queuedInputs({ metadata }), __provider: "code" };
    api.existing(QR, {}, ["ACTIVE"]);
    const result = await update("dstack-tpu-ml-test-17b10300", olds, news, fakeContext(api.url));
    assert.deepEqual(api.lines(), [`PATCH ${NODE}?updateMask=metadata`, `GET ${OPERATION(1)}`]);
    assert.deepEqual(api.requests[0].body, { metadata });
    assert.deepEqual(result, { outs: { ...queuedInputs({ metadata }), queuedResource: QR, state: "ACTIVE", publicIp: "203.0.113.77" } });
  });

  it("delete: DELETE with force and its operation; a queued resource already gone is fine", async () => {
    api.existing(QR, {}, ["ACTIVE"]);
    await destroy("dstack-tpu-ml-test-17b10300", queuedInputs(), fakeContext(api.url));
    assert.deepEqual(api.lines(), [`DELETE ${QR}?force=true`, `GET ${OPERATION(1)}`]);
    api.reset();
    await destroy("dstack-tpu-ml-test-17b10300", queuedInputs(), fakeContext(api.url));
    assert.deepEqual(api.lines(), [`DELETE ${QR}?force=true`]);
  });

  it("diff: in place for metadata, labels, tags, description; replace (deleting first) for zone, slice, tier, disks, a TPU taken back; the wait and the provider's code are no change", () => {
    const olds = { ...queuedInputs(), queuedResource: QR, state: "ACTIVE", publicIp: "203.0.113.77", __provider: "old code" };
    const news = (overrides: Parameters<typeof queuedInputs>[0]) => ({ ...queuedInputs(overrides), __provider: "new code" });
    assert.deepEqual(diff(olds, news({})), { changes: false, replaces: [], deleteBeforeReplace: true });
    assert.deepEqual(diff(olds, news({ validUntilSeconds: 60 })), { changes: false, replaces: [], deleteBeforeReplace: true });
    assert.deepEqual(diff(olds, news({ metadata: { "ssh-keys": "ubuntu:other" }, labels: { team: "ml" }, tags: ["t"], description: "d" })), { changes: true, replaces: [], deleteBeforeReplace: true });
    assert.deepEqual(diff(olds, news({ zone: "us-east5-b", acceleratorType: "v5litepod-4", spot: true })), { changes: true, replaces: ["acceleratorType", "spot", "zone"], deleteBeforeReplace: true });
    assert.deepEqual(diff(olds, news({ dataDisks: [{ sourceDisk: "d1", mode: "READ_WRITE" }] })), { changes: true, replaces: ["dataDisks"], deleteBeforeReplace: true });
    assert.deepEqual(diff(olds, news({ serviceAccount: { email: "other@p.iam.gserviceaccount.com", scopes: [] } })), { changes: true, replaces: ["serviceAccount"], deleteBeforeReplace: true });
    // A refresh found the spot TPU taken back: asked for again, as a VM that powered off is started.
    assert.deepEqual(diff({ ...olds, state: "SUSPENDED" }, news({})), { changes: true, replaces: ["state"], deleteBeforeReplace: true });
    assert.deepEqual(diff({ ...olds, state: "FAILED" }, news({ metadata: {} })), { changes: true, replaces: ["state"], deleteBeforeReplace: true });
  });

  it("a refused token (401): asked again once, then the request succeeds; none works: the API's message", async () => {
    const given = ["stale-token", TOKEN];
    let invalidated = 0;
    const tokens: TokenSource = { token: async () => given[Math.min(invalidated, 1)], invalidate: () => void (invalidated += 1) };
    api.existing(QR, {}, ["ACTIVE"]);
    await destroy("dstack-tpu-ml-test-17b10300", queuedInputs(), fakeContext(api.url, tokens));
    assert.deepEqual(api.tokens, ["stale-token", TOKEN, TOKEN]);
    assert.equal(invalidated, 1);
    const refused: TokenSource = { token: async () => "bad", invalidate: () => undefined };
    await assert.rejects(read("x", queuedInputs(), fakeContext(api.url, refused)), {
      message: "Cloud TPU API GET projects/ml-project/locations/us-east5-a/queuedResources/x: 401 Request had invalid authentication credentials.",
    });
  });
});
