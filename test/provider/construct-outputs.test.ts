/**
 * Every Input arg given as another resource's output through the provider's construct path (a
 * Python `tls.PrivateKey(...).public_key_openssh`, a YAML `${office.ip}`): the engine sends them as
 * output values with their dependencies, the provider hands them to the component as outputs, and
 * the resources are those of the same args given plain.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { DstackProvider } from "../../provider/host";
import { SSH_KEY } from "../support/bootstrap-scenarios";
import { answerInvokes } from "../support/component-harness";
import { asConstructInputs } from "../support/construct-inputs";
import { pulumiMocks, settled, valueOf, type MockRecorder } from "../support/pulumi-mocks";

const CONFIG = "type: dev-environment\nname: box\nide: vscode\nenv:\n  - HF_TOKEN\nvolumes:\n  - hf-cache:/data\nbackends: [aws]\nregions: [us-east-1]\n";

/** A resource whose `value` output the mock answers (a key, an address, a zone from elsewhere). */
class Source extends pulumi.CustomResource {
  declare readonly value: pulumi.Output<unknown>;
  constructor(name: string) {
    super("test:index:Source", name, { value: undefined });
  }
}

const VALUES: Record<string, unknown> = { key: `${SSH_KEY}\n`, office: "198.51.100.7/32", team: "ml", hf: "hf-sentinel", zone: "us-east-1c", size: 300 };

/** Registrations other than the sources and the components, as sorted JSON lines. */
function children(recorder: MockRecorder): string[] {
  return recorder.registrations
    .filter((registration) => registration.type !== "test:index:Source" && !registration.type.startsWith("dstack:"))
    .map((registration) => JSON.stringify({ type: registration.type, name: registration.name, inputs: registration.inputs }))
    .sort();
}

describe("provider: Input args as outputs of other resources, through construct", () => {
  let recorder: MockRecorder;
  let provider: DstackProvider;

  before(async () => {
    recorder = await pulumiMocks();
    provider = new DstackProvider();
  });

  function reset(): void {
    recorder.reset();
    answerInvokes(recorder);
    recorder.computedOverride = (type, name) => (type === "test:index:Source" ? { value: VALUES[name] } : undefined);
  }

  async function construct(type: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const inputs = await asConstructInputs(args);
    const { state } = await provider.construct("box", type, inputs, {});
    const values: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(state as Record<string, pulumi.Output<unknown>>)) values[name] = await valueOf(output);
    await settled();
    return values;
  }

  it("DevEnvironment: key, CIDRs, tags and env values from outputs give the resources of plain values", async () => {
    reset();
    const source = (name: string) => new Source(name).value;
    const asOutputs = {
      config: CONFIG,
      lockFile: "/nonexistent/x.lock.json",
      sshPublicKey: source("key"),
      allowedCidrs: [source("office")],
      tags: { team: source("team") },
      env: { HF_TOKEN: source("hf") },
    };
    const inputs = await asConstructInputs(asOutputs);
    assert.equal(pulumi.Output.isInstance(inputs.sshPublicKey), true, "the key arrives as an output (it has a dependency)");
    const viaOutputs = await construct("dstack:index:DevEnvironment", asOutputs);
    const outputsChildren = children(recorder);
    reset();
    const plain = { ...asOutputs, sshPublicKey: SSH_KEY, allowedCidrs: ["198.51.100.7/32"], tags: { team: "ml" }, env: { HF_TOKEN: "hf-sentinel" } };
    const viaPlain = await construct("dstack:index:DevEnvironment", plain);
    assert.deepEqual(outputsChildren, children(recorder));
    assert.deepEqual(viaOutputs, viaPlain);
    assert.ok(outputsChildren.some((line) => line.includes('"cidrBlocks":["198.51.100.7/32"]')), "the office's address in the security group");
    assert.ok(outputsChildren.some((line) => line.includes('"name":"box-vm"') && line.includes('"team":"ml"')), "the tag on the VM");
  });

  it("Volume: zone and size from outputs", async () => {
    reset();
    const values = await construct("dstack:index:Volume", { backend: "aws", region: "us-east-1", volumeName: "hf-cache", zone: new Source("zone").value, sizeGb: new Source("size").value });
    assert.deepEqual([values.zone, values.sizeGb], ["us-east-1c", 300]);
    const ebs = JSON.parse(children(recorder).find((line) => line.includes('"type":"aws:ebs/volume:Volume"'))!) as { inputs: Record<string, unknown> };
    assert.deepEqual([ebs.inputs.availabilityZone, ebs.inputs.size], ["us-east-1c", 300]);
  });
});
