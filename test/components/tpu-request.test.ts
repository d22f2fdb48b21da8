/** The Cloud TPU REST bodies of a queued TPU (components/gcp/tpu-request.ts): exact JSON per tier. */
import { strict as assert } from "node:assert";
import { nodePatch, queuedResourceBody, reservationPath } from "../../components/gcp/tpu-request";
import { queuedInputs } from "../support/fake-tpu-api";

/** The node every body below carries (REST names: `serviceAccount.scope`). */
const NODE = {
  acceleratorType: "v5litepod-8",
  runtimeVersion: "v2-alpha-tpuv5-lite",
  description: "dstack dev environment tpu-box",
  networkConfig: { enableExternalIps: true, network: "default" },
  serviceAccount: { email: "dstack-tpu@ml-project.iam.gserviceaccount.com", scope: ["https://www.googleapis.com/auth/cloud-platform"] },
  metadata: { "block-project-ssh-keys": "TRUE", "startup-script": "#!/bin/bash\necho boot\n", "ssh-keys": "ubuntu:ssh-ed25519 AAAA key" },
  labels: { owner: "dstack", dstack_name: "tpu-box" },
  tags: ["dstack-tpu-ml-test-17b10300"],
};

const SPEC = { parent: "projects/ml-project/locations/us-east5-a", nodeId: "dstack-tpu-ml-test-17b10300" };

describe("queued TPU: REST request bodies", () => {
  it("on demand: one node spec, no tier, the wait as validUntilDuration", () => {
    assert.equal(
      JSON.stringify(queuedResourceBody(queuedInputs())),
      JSON.stringify({ tpu: { nodeSpec: [{ ...SPEC, node: NODE }] }, queueingPolicy: { validUntilDuration: "1800s" } }),
    );
  });

  it("spot: the spot tier ({}), the node without a scheduling config", () => {
    assert.equal(
      JSON.stringify(queuedResourceBody(queuedInputs({ spot: true, validUntilSeconds: 3600 }))),
      JSON.stringify({ tpu: { nodeSpec: [{ ...SPEC, node: NODE }] }, spot: {}, queueingPolicy: { validUntilDuration: "3600s" } }),
    );
  });

  it("a reservation: the guaranteed tier and the reservation's full name", () => {
    const reservationName = reservationPath("tpu-hold", "ml-project", "us-east5-a");
    assert.equal(reservationName, "projects/ml-project/locations/us-east5-a/reservations/tpu-hold");
    assert.equal(reservationPath("projects/other/locations/us-east5-a/reservations/r1", "ml-project", "us-east5-a"), "projects/other/locations/us-east5-a/reservations/r1");
    assert.equal(
      JSON.stringify(queuedResourceBody(queuedInputs({ reservationName }))),
      JSON.stringify({ tpu: { nodeSpec: [{ ...SPEC, node: NODE }] }, guaranteed: {}, reservationName, queueingPolicy: { validUntilDuration: "1800s" } }),
    );
  });

  it("data disks in the order given (the boot's persistent-disk-1, -2), a subnetwork", () => {
    const dataDisks = [
      { sourceDisk: "projects/ml-project/zones/us-east5-a/disks/ckpt-fb1e9040", mode: "READ_WRITE" as const },
      { sourceDisk: "projects/ml-project/zones/us-east5-a/disks/tpu-data-fb1e9040", mode: "READ_WRITE" as const },
    ];
    const inputs = queuedInputs({ dataDisks, networkConfig: { enableExternalIps: true, network: "ml-vpc", subnetwork: "ml-east5" } });
    const node = { ...NODE, networkConfig: { enableExternalIps: true, network: "ml-vpc", subnetwork: "ml-east5" }, dataDisks };
    assert.equal(JSON.stringify(queuedResourceBody(inputs)), JSON.stringify({ tpu: { nodeSpec: [{ ...SPEC, node }] }, queueingPolicy: { validUntilDuration: "1800s" } }));
  });

  it("refuses spot with a reservation, and a wait that is not whole positive seconds", () => {
    assert.throws(() => queuedResourceBody(queuedInputs({ spot: true, reservationName: "projects/p/locations/z/reservations/r" })), {
      message: "queued TPU dstack-tpu-ml-test-17b10300: a queued resource is spot or uses a reservation, not both",
    });
    assert.throws(() => queuedResourceBody(queuedInputs({ validUntilSeconds: 0 })), /validUntilSeconds must be a positive whole number of seconds, not 0/);
    assert.throws(() => queuedResourceBody(queuedInputs({ validUntilSeconds: 1.5 })), /not 1\.5/);
  });

  it("nodes.patch: only the changed fields among description, labels, metadata, tags, in that order", () => {
    const before = queuedInputs();
    assert.equal(nodePatch(before, queuedInputs()), null);
    const metadata = { ...before.metadata, "startup-script": "#!/bin/bash\necho boot 2\n" };
    assert.deepEqual(nodePatch(before, queuedInputs({ metadata })), { updateMask: "metadata", body: { metadata } });
    const labels = { ...before.labels, team: "ml" };
    assert.deepEqual(nodePatch(before, queuedInputs({ metadata, labels, tags: ["a"], description: "d" })), {
      updateMask: "description,labels,metadata,tags",
      body: { description: "d", labels, metadata, tags: ["a"] },
    });
    assert.equal(nodePatch(before, queuedInputs({ zone: "us-east5-b", acceleratorType: "v5litepod-4" })), null, "not patchable: the diff replaces for these");
  });
});
