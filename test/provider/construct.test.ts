/**
 * The provider's construct path (what a Python, Go, .NET or YAML program goes through), under the
 * mock runtime: the args are serialized as the engine sends them (output values kept), read back
 * by the provider server's `deserializeInputs`, and constructed by `DstackProvider`. The
 * resources must be exactly those of the TypeScript path for the same configuration (types, names,
 * inputs), the outputs the same values, and secrets still secret.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { DevEnvironment } from "../../components/dev-environment";
import { Volume } from "../../components/volume";
import { DstackProvider } from "../../provider/host";
import { SSH_KEY } from "../support/bootstrap-scenarios";
import { answerInvokes } from "../support/component-harness";
import { asConstructInputs } from "../support/construct-inputs";
import { pulumiMocks, settled, valueOf, type MockRecorder, type Registration } from "../support/pulumi-mocks";

const AWS_GPU = `type: dev-environment
name: gpu-box
ide: vscode
env:
  - HF_TOKEN
  - MODE=train
resources:
  gpu: A10G
volumes:
  - name: hf-cache
    path: /root/.cache/huggingface
backends: [aws]
regions: [us-east-1]
`;

const GCP_TPU = `type: dev-environment
name: tpu-box
ide: vscode
resources:
  gpu: tpu-v5litepod-8
backends: [gcp]
regions: [us-central1]
`;


/** Recorded registrations (type, name, inputs) as sorted JSON lines. */
function normalized(registrations: readonly Registration[]): string[] {
  return registrations.map((registration) => JSON.stringify({ type: registration.type, name: registration.name, inputs: registration.inputs })).sort();
}

async function outputsOf(source: Record<string, unknown>, names: string[]): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const name of names) values[name] = await valueOf(source[name] as pulumi.Output<unknown>);
  return values;
}

const ENV_OUTPUTS = ["offer", "pricePerHour", "instanceId", "publicIp", "zone", "sshCommand", "sshConfig", "ideUrl", "warnings"];

describe("provider: construct", function () {
  let recorder: MockRecorder;
  let provider: DstackProvider;

  before(async () => {
    recorder = await pulumiMocks();
    provider = new DstackProvider();
  });

  async function viaTypeScript(build: () => Record<string, unknown>, outputs: string[]) {
    recorder.reset();
    answerInvokes(recorder);
    const component = build();
    const values = await outputsOf(component, outputs);
    await settled();
    return { registrations: normalized(recorder.registrations), values };
  }

  async function viaProvider(steps: (construct: (name: string, type: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>) => Promise<Record<string, unknown>>, outputs: string[]) {
    recorder.reset();
    answerInvokes(recorder);
    const construct = async (name: string, type: string, args: Record<string, unknown>) => (await provider.construct(name, type, await asConstructInputs(args), {})).state as Record<string, unknown>;
    const state = await steps(construct);
    const values = await outputsOf(state, outputs);
    await settled();
    return { registrations: normalized(recorder.registrations), values };
  }

  it("AWS GPU with a secret env value and a new volume: the same resources, inputs and outputs as TypeScript", async () => {
    const args = { config: AWS_GPU, sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.4/32"], env: { HF_TOKEN: pulumi.secret("hf-sentinel-value") }, volumeSizes: { "hf-cache": 250 } };
    const typescript = await viaTypeScript(() => new DevEnvironment("box", args) as unknown as Record<string, unknown>, ENV_OUTPUTS);
    const provided = await viaProvider((construct) => construct("box", "dstack:index:DevEnvironment", args), ENV_OUTPUTS);
    assert.deepEqual(provided.registrations, typescript.registrations);
    assert.deepEqual(provided.values, typescript.values);
    assert.ok(typescript.registrations.some((line) => line.includes('"type":"aws:ec2/instance:Instance","name":"box-vm"')));
    assert.ok(typescript.registrations.some((line) => line.includes('"name":"box-vol-hf-cache"') && line.includes('"size":250')));
    const parameter = recorder.registrations.find((registration) => registration.name === "box-secret-hf-token")!;
    assert.ok(parameter, recorder.resourceList().join("\n"));
  });

  it("the secret env value stays secret through the provider", async () => {
    const args = { config: AWS_GPU, sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.4/32"], env: { HF_TOKEN: pulumi.secret("hf-sentinel-value") } };
    recorder.reset();
    answerInvokes(recorder);
    const inputs = await asConstructInputs(args);
    const env = inputs.env as Record<string, pulumi.Output<string>>;
    assert.ok(pulumi.Output.isInstance(env.HF_TOKEN));
    assert.equal(await pulumi.isSecret(env.HF_TOKEN), true);
    await provider.construct("box", "dstack:index:DevEnvironment", inputs, {});
    await settled();
    const plain = recorder.registrations.filter((registration) => JSON.stringify(registration.inputs).includes("hf-sentinel-value"));
    assert.deepEqual(plain.map((registration) => registration.type), ["aws:ssm/parameter:Parameter"]);
  });

  it("GCP TPU from a config object: the same resources, inputs and outputs as TypeScript", async () => {
    const config = { type: "dev-environment", name: "tpu-box", ide: "vscode", resources: { gpu: "tpu-v5litepod-8" }, backends: ["gcp"], regions: ["us-central1"] };
    const args = { config, sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.4/32"], spotPolicy: "auto", gcp: { project: "test-project" } };
    const typescript = await viaTypeScript(() => new DevEnvironment("tpu", args as never) as unknown as Record<string, unknown>, ENV_OUTPUTS);
    const provided = await viaProvider((construct) => construct("tpu", "dstack:index:DevEnvironment", args), ENV_OUTPUTS);
    assert.deepEqual(provided.registrations, typescript.registrations);
    assert.deepEqual(provided.values, typescript.values);
    assert.ok(typescript.registrations.some((line) => line.includes('"type":"gcp:tpu/v2Vm:V2Vm","name":"tpu-vm"')), typescript.registrations.join("\n"));
    const yaml = await viaProvider((construct) => construct("tpu", "dstack:index:DevEnvironment", { ...args, config: GCP_TPU }), ENV_OUTPUTS);
    assert.deepEqual(yaml.registrations, typescript.registrations);
  });

  it("GCP TPU with retry: both paths queue it in Cloud TPU, TypeScript as a dynamic resource, the provider (other languages) as its own dstack:index:TpuQueuedResource, with the same inputs", async () => {
    const args = { config: `${GCP_TPU}retry:\n  on_events: [no-capacity]\n  duration: 30m\n`, sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.4/32"], gcp: { project: "test-project" } };
    const typescript = await viaTypeScript(() => new DevEnvironment("tpu", args as never) as unknown as Record<string, unknown>, ENV_OUTPUTS);
    const provided = await viaProvider((construct) => construct("tpu", "dstack:index:DevEnvironment", args), ENV_OUTPUTS);
    assert.ok(typescript.registrations.some((line) => line.includes('"type":"pulumi-nodejs:dynamic/dstack:TpuQueuedResource","name":"tpu-vm"')), typescript.registrations.join("\n"));
    // The same line but for the type and the dynamic provider's code.
    const asPlugin = typescript.registrations.map((line) => {
      const entry = JSON.parse(line) as { type: string; name: string; inputs: Record<string, unknown> };
      if (entry.type !== "pulumi-nodejs:dynamic/dstack:TpuQueuedResource") return line;
      const { __provider: _code, ...inputs } = entry.inputs;
      return JSON.stringify({ type: "dstack:index:TpuQueuedResource", name: entry.name, inputs });
    }).sort();
    assert.deepEqual(provided.registrations, asPlugin);
    assert.deepEqual(provided.values, typescript.values);
    assert.ok((provided.values.warnings as string[]).includes("retry: the TPU slice waits in Cloud TPU's queue (a queued resource) for up to 30m, and pulumi up waits with it; a request that runs out of time fails as no capacity"));
  });

  it("a Volume and a DevEnvironment that mounts it by reference, each constructed by the provider", async () => {
    const volumeArgs = { backend: "aws", region: "us-east-1", volumeName: "hf-cache", sizeGb: 500 };
    const envArgs = (volume: Record<string, unknown>) => ({
      config: AWS_GPU,
      sshPublicKey: SSH_KEY,
      allowedCidrs: ["203.0.113.4/32"],
      env: { HF_TOKEN: pulumi.secret("hf-sentinel-value") },
      volumes: [{ name: "hf-cache", volumeId: volume.volumeId as pulumi.Input<string>, zone: volume.zone as pulumi.Input<string> }],
    });
    const typescript = await viaTypeScript(() => {
      const volume = new Volume("cache", volumeArgs as never);
      return new DevEnvironment("box", envArgs(volume as unknown as Record<string, unknown>)) as unknown as Record<string, unknown>;
    }, ENV_OUTPUTS);
    const provided = await viaProvider(async (construct) => {
      const volume = await construct("cache", "dstack:index:Volume", volumeArgs);
      return construct("box", "dstack:index:DevEnvironment", envArgs(volume));
    }, ENV_OUTPUTS);
    assert.deepEqual(provided.registrations, typescript.registrations);
    assert.deepEqual(provided.values, typescript.values);
    assert.equal(provided.values.zone, "us-east-1a");
    const lines = typescript.registrations.filter((line) => line.includes('"type":"aws:ebs/volume:Volume"'));
    assert.equal(lines.length, 1, "only the Volume's EBS volume; the dev environment declares none");
    assert.ok(lines[0].includes('"name":"cache-volume"'));
    const attachment = JSON.parse(typescript.registrations.find((line) => line.includes('"name":"box-attach-hf-cache"'))!) as { inputs: Record<string, unknown> };
    assert.equal(attachment.inputs.volumeId, "cache-volume-id");
  });

  it("refuses a component type the package does not have", async () => {
    await assert.rejects(provider.construct("x", "dstack:index:Cluster", {}, {}), {
      message: "unknown resource type dstack:index:Cluster: the dstack package has dstack:index:DevEnvironment, dstack:index:Volume",
    });
  });
});

describe("provider: construct refuses bad args with the component's own messages", function () {
  const provider = () => new DstackProvider();
  const construct = async (type: string, args: Record<string, unknown>) => {
    const recorder = await pulumiMocks();
    recorder.reset();
    answerInvokes(recorder);
    return provider().construct("bad", type, await asConstructInputs(args), {});
  };

  it("config that is neither YAML text nor a mapping", async () => {
    await assert.rejects(construct("dstack:index:DevEnvironment", { config: 42, sshPublicKey: SSH_KEY }), { message: "config must be YAML text or an object (a mapping), not a number" });
    await assert.rejects(construct("dstack:index:DevEnvironment", { config: ["type: dev-environment"], sshPublicKey: SSH_KEY }), { message: "config must be YAML text or an object (a mapping), not a list" });
  });

  it("an invalid configuration: every issue with its position", async () => {
    await assert.rejects(construct("dstack:index:DevEnvironment", { config: "type: dev-environment\nide: vscode\nspot_polcy: auto\n", sshPublicKey: SSH_KEY }), (error: Error) => {
      assert.equal(error.name, "InvalidConfigError");
      assert.match(error.message, /^<config> is not a valid dev environment:\n/);
      assert.match(error.message, /<config>:3:1 +spot_polcy: /);
      assert.match(error.message, /Did you mean "spot_policy"\?/);
      return true;
    });
  });

  it("no SSH key (a YAML program that leaves out a required input)", async () => {
    await assert.rejects(construct("dstack:index:DevEnvironment", { config: AWS_GPU }), {
      message: "bad: sshPublicKey is required: your SSH public key, one line (such as the contents of ~/.ssh/id_ed25519.pub)",
    });
  });

  it("a volume reference for a name the configuration does not mount, with the nearest name", async () => {
    const args = { config: AWS_GPU, sshPublicKey: SSH_KEY, env: { HF_TOKEN: pulumi.secret("x") }, volumes: [{ name: "hf-cach", volumeId: "vol-1", zone: "us-east-1a" }] };
    await assert.rejects(construct("dstack:index:DevEnvironment", args), {
      message: 'bad: volumes[0].name "hf-cach" is not a volume of the configuration (the configuration mounts hf-cache); did you mean "hf-cache"?',
    });
  });

  it("a Volume whose zone is outside its region", async () => {
    await assert.rejects(construct("dstack:index:Volume", { backend: "aws", region: "us-east-1", zone: "us-west-2a" }), { message: "bad: zone us-west-2a is not in region us-east-1" });
  });
});

describe("provider: construct passes the engine's providers on", function () {
  it("an explicit aws provider (the providers option of a Python or YAML program) reaches every AWS child", async () => {
    const recorder = await pulumiMocks();
    recorder.reset();
    answerInvokes(recorder);
    const explicit = new AwsProvider("aws-east", { region: "us-east-1" });
    const args = { config: AWS_GPU, sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.4/32"], env: { HF_TOKEN: pulumi.secret("x") } };
    const state = (await new DstackProvider().construct("box", "dstack:index:DevEnvironment", await asConstructInputs(args), { providers: { aws: explicit } })).state as Record<string, pulumi.Output<unknown>>;
    await valueOf(state.instanceId);
    await settled();
    const reference = `${await valueOf(explicit.urn)}::${await valueOf(explicit.id)}`;
    const children = recorder.registrations.filter((registration) => registration.type.startsWith("aws:") && registration.name !== "aws-east");
    assert.ok(children.length >= 10, recorder.resourceList().join("\n"));
    assert.deepEqual(children.filter((child) => child.provider !== reference).map((child) => child.name), []);
  });
});
