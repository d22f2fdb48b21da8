/**
 * The AWS builder under Pulumi's mocks, on the bootstrap scenarios (test/support/bootstrap-scenarios.ts):
 * every resource it declares, their key inputs and options, the invokes it makes, where the secrets
 * go, and the user data (the scenario's golden cloud-config).
 * Also exports the plan and invoke helpers of the other aws-*.test.ts files.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import { buildAws } from "../../components/aws/build";
import type { CloudPlan, CloudResult, SecretValue, VolumePlan } from "../../components/cloud-plan";
import { scenarios } from "../support/bootstrap-scenarios";
import { answerEbs, ownTags, scopeTags, type FakeEbs } from "../support/fake-volumes";
import { pulumiMocks, settled, valueOf, type MockRecorder } from "../support/pulumi-mocks";

export const SENTINELS = { HF_TOKEN: "SENTINEL-hf-123", GHCR_TOKEN: "SENTINEL-ghcr-456" } as const;

/** The options a child was declared with, by child name (recorded by a transformation of the test parent). */
export type ChildOptions = Map<string, pulumi.CustomResourceOptions>;

/** A stand-in for `DevEnvironment` whose transformation records the options of its children. */
class TestParent extends pulumi.ComponentResource {
  static readonly type = "dstack:index:DevEnvironment";
  constructor(name: string, record: pulumi.ResourceTransformation) {
    super(TestParent.type, name, {}, { transformations: [record] });
    this.registerOutputs({});
  }
}

/** A plan as `DevEnvironment` would hand it over, for the bootstrap scenario `scenario`, with a test parent. */
export function awsPlan(scenario: string, overrides: Partial<CloudPlan> = {}): { plan: CloudPlan; options: ChildOptions } {
  const found = scenarios().find((entry) => entry.name === scenario);
  if (!found) throw new Error(`no bootstrap scenario ${scenario}`);
  const { input } = found;
  const options: ChildOptions = new Map();
  const record: pulumi.ResourceTransformation = ({ type, name, props, opts }) => {
    if (type !== TestParent.type) options.set(name, opts as pulumi.CustomResourceOptions);
    return { props, opts };
  };
  const parent = new TestParent(input.runName, record);
  const secret = (key: string): SecretValue => ({ key, value: pulumi.secret(SENTINELS[key as keyof typeof SENTINELS] ?? `SENTINEL-${key}`) });
  const volumes: VolumePlan[] = input.volumes.map((volume, i) => ({ candidates: [volume.name], name: volume.name, path: volume.path, sizeGb: 200 - 100 * i, sizeExplicit: true }));
  const plan: CloudPlan = {
    name: input.runName,
    identity: { project: "dstack-test", stack: "test", name: input.runName },
    volumeScope: "dstack-test/test",
    runName: input.runName,
    spec: input.spec,
    offer: input.offer,
    zone: undefined,
    sshPublicKey: input.sshPublicKey,
    allowedCidrs: ["203.0.113.4/32"],
    secretEnv: Object.keys(input.secretEnv).sort().map(secret),
    registryPassword: input.registryPassword ? { key: "registry-password", value: pulumi.secret(SENTINELS.GHCR_TOKEN) } : undefined,
    volumes,
    deleteVolumesOnDestroy: false,
    running: true,
    tags: { team: "ml" },
    parent,
    provider: undefined,
    ...overrides,
  };
  return { plan, options };
}

/** Answers the zone offerings (`zones`) and the volume lookups (`volumes`, see fake-volumes.ts). */
export function answerAws(recorder: MockRecorder, zones: string[], volumes: readonly FakeEbs[] = []): void {
  recorder.onInvoke("aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings", (inputs) => ({
    id: "us-east-1",
    region: inputs.region,
    instanceTypes: zones.map(() => (inputs.filters as { values: string[] }[])[0].values[0]),
    locationTypes: zones.map(() => "availability-zone"),
    locations: zones,
  }));
  answerEbs(recorder, volumes);
  recorder.onInvoke(GET_INSTANCE, (inputs) => ({ id: String(inputs.instanceId), instanceState: "running", publicIp: "203.0.113.10" }));
}

/** The invoke that reads the VM as it is after its power state is applied. */
export const GET_INSTANCE = "aws:ec2/getInstance:getInstance";

/** Builds, waits for every output and registration. */
export async function build(plan: CloudPlan): Promise<{ result: CloudResult; outputs: Record<string, unknown> }> {
  const result = await buildAws(plan);
  const outputs = { instanceId: await valueOf(result.instanceId), publicIp: await valueOf(result.publicIp), zone: await valueOf(result.zone), sshUser: result.sshUser };
  await settled();
  return { result, outputs };
}

/** The inputs of `name` as plain data (secrets as the mock sees them). */
export function inputs(recorder: MockRecorder, name: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(recorder.inputsOf(name))) as Record<string, unknown>;
}

/** The user data as text (base64, gzipped when large). */
export function userDataText(recorder: MockRecorder, vm: string): string {
  const raw = Buffer.from(String(recorder.inputsOf(vm).userDataBase64), "base64");
  return (raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw).toString("utf8");
}

export function golden(name: string): string {
  return fs.readFileSync(path.join(__dirname, "..", "..", "..", "test", "fixtures", "bootstrap", name), "utf8");
}

const TAGS = (name: string, run: string) => ({ team: "ml", Name: name, "dstack:run": run });
const secretOf = (value: string) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

describe("AWS builder", () => {
  let recorder: MockRecorder;
  before(async () => {
    recorder = await pulumiMocks();
  });
  beforeEach(() => recorder.reset());

  /** Every child was declared with the plan's parent and provider (here: none). */
  function assertParentAndProvider(plan: CloudPlan, options: ChildOptions): void {
    const children = recorder.registrations.filter((entry) => !entry.type.startsWith("dstack:")).map((entry) => entry.name);
    assert.deepEqual([...options.keys()].sort(), [...children].sort());
    for (const [name, opts] of options) {
      assert.equal(opts.parent, plan.parent, name);
      assert.equal(opts.provider, undefined, name);
    }
  }

  it("AWS CPU (m7i.xlarge, us-east-1): the children, the zone from the offerings, Ubuntu 24.04, IMDSv2, SSH from the allowed CIDRs", async () => {
    answerAws(recorder, ["us-east-1f", "us-east-1-bos-1a", "us-east-1b", "us-east-1a"]);
    const { plan, options } = awsPlan("aws-cpu");
    const { outputs } = await build(plan);
    assert.deepEqual(recorder.resourceList(), [
      "aws:ec2/instance:Instance cpu-box-vm",
      "aws:ec2/launchTemplate:LaunchTemplate cpu-box-lt",
      "aws:ec2/securityGroup:SecurityGroup cpu-box-sg",
      "aws:ec2transitgateway/instanceState:InstanceState cpu-box-power",
      "aws:iam/instanceProfile:InstanceProfile cpu-box-profile",
      "aws:iam/role:Role cpu-box-role",
    ]);
    assert.deepEqual(outputs, { instanceId: "cpu-box-vm-id", publicIp: "203.0.113.10", zone: "us-east-1a", sshUser: "ubuntu" });
    assert.deepEqual(recorder.invokes, [
      {
        token: "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings",
        inputs: { region: "us-east-1", locationType: "availability-zone", filters: [{ name: "instance-type", values: ["m7i.xlarge"] }] },
      },
      { token: GET_INSTANCE, inputs: { instanceId: "cpu-box-vm-id", region: "us-east-1" } },
    ]);
    assertParentAndProvider(plan, options);

    const vm = inputs(recorder, "cpu-box-vm");
    assert.deepEqual({ ...vm, userDataBase64: "(below)" }, {
      region: "us-east-1",
      instanceType: "m7i.xlarge",
      availabilityZone: "us-east-1a",
      vpcSecurityGroupIds: ["cpu-box-sg-id"],
      launchTemplate: { id: "cpu-box-lt-id", version: "1" },
      rootBlockDevice: { volumeSize: 100, volumeType: "gp3", encrypted: true, deleteOnTermination: true },
      userDataBase64: "(below)",
      userDataReplaceOnChange: false,
      tags: TAGS("cpu-box-vm", "cpu-box"),
    });
    assert.equal(userDataText(recorder, "cpu-box-vm"), golden("aws-cpu.cloud-config.yaml"));
    assert.deepEqual(options.get("cpu-box-vm")!.dependsOn, []);
    assert.equal(options.get("cpu-box-vm")!.replaceOnChanges, undefined);
    assert.equal(options.get("cpu-box-vm")!.deleteBeforeReplace, undefined);
    assert.deepEqual(options.get("cpu-box-vm")!.ignoreChanges, ["launchTemplate"]);
    assert.equal(options.get("cpu-box-vm")!.replacementTrigger, JSON.stringify({
      image: "resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
      spot: false,
      reservation: null,
    }));
    assert.deepEqual(inputs(recorder, "cpu-box-power"), { region: "us-east-1", instanceId: "cpu-box-vm-id", state: "running" });

    const template = inputs(recorder, "cpu-box-lt");
    assert.deepEqual(template, {
      region: "us-east-1",
      description: "dstack dev environment cpu-box",
      imageId: "resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
      iamInstanceProfile: { arn: "arn:aws:iam::123456789012:instance-profile/cpu-box-profile" },
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ deviceName: "/dev/sda1", ebs: { volumeSize: 100, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: TAGS("cpu-box-vm", "cpu-box") })),
      updateDefaultVersion: true,
      tags: TAGS("cpu-box-lt", "cpu-box"),
    });

    assert.deepEqual(inputs(recorder, "cpu-box-sg"), {
      region: "us-east-1",
      description: "dstack dev environment: SSH in",
      ingress: [{ description: "SSH", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["203.0.113.4/32"] }],
      egress: [{ description: "all", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
      tags: TAGS("cpu-box-sg", "cpu-box"),
    });
    assert.deepEqual(options.get("cpu-box-sg")!.ignoreChanges, ["description"], "groups of earlier versions keep their description");
    const role = inputs(recorder, "cpu-box-role");
    assert.deepEqual(JSON.parse(String(role.assumeRolePolicy)), {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    assert.deepEqual(inputs(recorder, "cpu-box-profile"), { role: "cpu-box-role-id", tags: TAGS("cpu-box-profile", "cpu-box") });
  });

  it("AWS GPU spot with a new volume and one of the scope: the VM goes to the existing volume's zone, the Deep Learning AMI, one-time spot", async () => {
    answerAws(recorder, ["us-east-1a"], [{ id: "vol-0f1e2d3c4b5a69788", zone: "us-east-1c", tags: scopeTags("datasets") }]);
    const { plan, options } = awsPlan("aws-gpu-spot-volumes");
    const { outputs } = await build(plan);
    assert.deepEqual(recorder.resourceList(), [
      "aws:ebs/volume:Volume gpu-spot-vol-hf-cache",
      "aws:ec2/instance:Instance gpu-spot-vm",
      "aws:ec2/launchTemplate:LaunchTemplate gpu-spot-lt",
      "aws:ec2/securityGroup:SecurityGroup gpu-spot-sg",
      "aws:ec2/volumeAttachment:VolumeAttachment gpu-spot-attach-datasets",
      "aws:ec2/volumeAttachment:VolumeAttachment gpu-spot-attach-hf-cache",
      "aws:ec2transitgateway/instanceState:InstanceState gpu-spot-power",
      "aws:iam/instanceProfile:InstanceProfile gpu-spot-profile",
      "aws:iam/role:Role gpu-spot-role",
    ]);
    assert.equal(outputs.zone, "us-east-1c");
    const lookup = (name: string, ...extra: { name: string; values: string[] }[]) => ({
      token: "aws:ebs/getEbsVolumes:getEbsVolumes",
      inputs: { region: "us-east-1", filters: [{ name: "tag:Name", values: [name] }, ...extra, { name: "status", values: ["creating", "available", "in-use"] }] },
    });
    assert.deepEqual(recorder.invokes, [
      lookup("hf-cache"),
      lookup("datasets"),
      lookup("datasets", { name: "tag:dstack:scope", values: ["dstack-test/test"] }),
      lookup("datasets", { name: "tag:dstack:owner", values: ["dstack-test/test/gpu-spot"] }),
      { token: "aws:ebs/getVolume:getVolume", inputs: { region: "us-east-1", filters: [{ name: "volume-id", values: ["vol-0f1e2d3c4b5a69788"] }] } },
      { token: GET_INSTANCE, inputs: { instanceId: "gpu-spot-vm-id", region: "us-east-1" } },
    ]);
    assertParentAndProvider(plan, options);

    assert.deepEqual(inputs(recorder, "gpu-spot-vol-hf-cache"), {
      region: "us-east-1",
      availabilityZone: "us-east-1c",
      size: 200,
      type: "gp3",
      encrypted: true,
      tags: { ...TAGS("hf-cache", "gpu-spot"), ...ownTags("hf-cache", "gpu-spot") },
    });
    assert.equal(options.get("gpu-spot-vol-hf-cache")!.retainOnDelete, true);
    assert.equal(options.get("gpu-spot-vol-hf-cache")!.import, undefined);
    const attachment = { region: "us-east-1", instanceId: "gpu-spot-vm-id", skipDestroy: true };
    assert.deepEqual(inputs(recorder, "gpu-spot-attach-hf-cache"), { ...attachment, deviceName: "/dev/xvdct", volumeId: "gpu-spot-vol-hf-cache-id" });
    assert.deepEqual(inputs(recorder, "gpu-spot-attach-datasets"), { ...attachment, deviceName: "/dev/xvdbt", volumeId: "vol-0f1e2d3c4b5a69788" });
    assert.equal(options.get("gpu-spot-attach-datasets")!.deleteBeforeReplace, true);
    assert.deepEqual(options.get("gpu-spot-attach-datasets")!.ignoreChanges, ["deviceName"]);
    assert.equal(options.get("gpu-spot-vm")!.deleteBeforeReplace, true, "volumes attach to one VM at a time");

    const vm = inputs(recorder, "gpu-spot-vm");
    assert.equal(vm.instanceType, "g5.xlarge");
    assert.equal(vm.availabilityZone, "us-east-1c");
    assert.equal(vm.userDataReplaceOnChange, true);
    assert.deepEqual(options.get("gpu-spot-vm")!.replaceOnChanges, ["instanceType"]);
    assert.equal(userDataText(recorder, "gpu-spot-vm"), golden("aws-gpu-spot-volumes.cloud-config.yaml").replace("vol-0a1b2c3d4e5f60718", "gpu-spot-vol-hf-cache-id"));
    const template = inputs(recorder, "gpu-spot-lt");
    assert.equal(template.imageId, "resolve:ssm:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id");
    assert.deepEqual(template.instanceMarketOptions, { marketType: "spot", spotOptions: { spotInstanceType: "one-time", instanceInterruptionBehavior: "terminate" } });
    assert.deepEqual(template.blockDeviceMappings, [{ deviceName: "/dev/sda1", ebs: { volumeSize: 100, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }]);
  });

  it("private registry with secret env: SSM SecureStrings, a policy on exactly their ARNs, no secret anywhere else", async () => {
    answerAws(recorder, []);
    const { plan, options } = awsPlan("private-registry-secrets", { zone: "us-east-1b" });
    const { outputs } = await build(plan);
    assert.deepEqual(recorder.resourceList(), [
      "aws:ec2/instance:Instance private-vm",
      "aws:ec2/launchTemplate:LaunchTemplate private-lt",
      "aws:ec2/securityGroup:SecurityGroup private-sg",
      "aws:ec2transitgateway/instanceState:InstanceState private-power",
      "aws:iam/instanceProfile:InstanceProfile private-profile",
      "aws:iam/role:Role private-role",
      "aws:iam/rolePolicy:RolePolicy private-policy",
      "aws:ssm/parameter:Parameter private-secret-ghcr-token",
      "aws:ssm/parameter:Parameter private-secret-hf-token",
      "aws:ssm/parameter:Parameter private-secret-registry-password",
    ]);
    assert.equal(outputs.zone, "us-east-1b");
    assert.deepEqual(recorder.invokes, [{ token: GET_INSTANCE, inputs: { instanceId: "private-vm-id", region: "us-east-1" } }], "the plan's zone needs no lookup; the VM is read once built");
    assertParentAndProvider(plan, options);

    const parameters: [string, string, string, string][] = [
      ["private-secret-ghcr-token", "/dstack/dstack-test/test/private/env/GHCR_TOKEN", "GHCR_TOKEN", SENTINELS.GHCR_TOKEN],
      ["private-secret-hf-token", "/dstack/dstack-test/test/private/env/HF_TOKEN", "HF_TOKEN", SENTINELS.HF_TOKEN],
      ["private-secret-registry-password", "/dstack/dstack-test/test/private/registry-password", "registry-password", SENTINELS.GHCR_TOKEN],
    ];
    for (const [child, name, key, value] of parameters) {
      assert.deepEqual(inputs(recorder, child), {
        region: "us-east-1",
        name,
        type: "SecureString",
        value: secretOf(value),
        description: `dstack dev environment private: ${key}`,
        tags: TAGS(child, "private"),
      });
    }
    const policy = inputs(recorder, "private-policy");
    assert.equal(policy.role, "private-role-id");
    assert.deepEqual(JSON.parse(String(policy.policy)), {
      Version: "2012-10-17",
      Statement: [{ Sid: "ReadOwnSecrets", Effect: "Allow", Action: "ssm:GetParameter", Resource: parameters.map(([, name]) => `arn:aws:ssm:::parameter${name}`) }],
    });
    const dependsOn = options.get("private-vm")!.dependsOn as pulumi.Resource[];
    assert.deepEqual(await Promise.all(dependsOn.map((resource) => valueOf(resource.urn))), [
      ...parameters.map(([child]) => `urn:pulumi:test::dstack-test::dstack:index:DevEnvironment$aws:ssm/parameter:Parameter::${child}`),
      "urn:pulumi:test::dstack-test::dstack:index:DevEnvironment$aws:iam/rolePolicy:RolePolicy::private-policy",
    ]);

    // The secret values: only in the parameters' `value`, as secrets; the user data is the golden one (references only).
    for (const registration of recorder.registrations) {
      const text = JSON.stringify(registration.type === "aws:ssm/parameter:Parameter" ? { ...registration.inputs, value: null } : registration.inputs);
      for (const sentinel of Object.values(SENTINELS)) assert.ok(!text.includes(sentinel), `${sentinel} in ${registration.name}`);
    }
    const userData = userDataText(recorder, "private-vm");
    assert.equal(userData, golden("private-registry-secrets.cloud-config.yaml"));
    for (const sentinel of Object.values(SENTINELS)) assert.ok(!userData.includes(sentinel));
  });
});
