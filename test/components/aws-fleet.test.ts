/**
 * The EC2 Fleet an AWS environment with `retry` launches through, under Pulumi's mocks: its ranked
 * overrides and priorities for a GPU request on demand, on spot, and held to one zone by a volume;
 * the launch template that goes with it (the fetcher stub, no market options, the VM's mark); the
 * boot script in SSM (the same script an instance's user data carries); the policy that reads it;
 * and the VM's id from the fleet for the power state.
 */
import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { scriptFromParts } from "../../components/aws/boot-parts";
import { deploy, type Deployment } from "../support/component-harness";
import { ownTags } from "../support/fake-volumes";
import { pulumiMocks } from "../support/pulumi-mocks";

const OFFERINGS = "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings";
const RETRY = "retry:\n  on_events: [no-capacity]\n  duration: 30m\n";
const GPU = "type: dev-environment\nname: gpu-box\nide: vscode\nresources:\n  gpu: 24GB\nmax_price: 1.3\n";
const DLAMI = "resolve:ssm:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id";

type Invokes = Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>>;

/** Where EC2 offers each type (a type not listed: nowhere). */
function offerings(table: Record<string, string[]>) {
  return (inputs: Record<string, unknown>) => {
    const pairs = (inputs.filters as { values: string[] }[])[0].values.flatMap((type) => (table[type] ?? []).map((zone) => [type, zone]));
    return { id: String(inputs.region), region: inputs.region, instanceTypes: pairs.map(([type]) => type), locationTypes: pairs.map(() => "availability-zone"), locations: pairs.map(([, zone]) => zone) };
  };
}

const inputsOf = (d: Deployment, name: string) => JSON.parse(JSON.stringify(d.recorder.inputsOf(name))) as Record<string, unknown>;
const overridesOf = (d: Deployment) => (inputsOf(d, "gpu-box-fleet").launchTemplateConfigs as { overrides: unknown[] }[])[0].overrides;
const o = (instanceType: string, availabilityZone: string, priority: number) => ({ availabilityZone, instanceType, priority });

async function deployGpu(config: string, invokes: Invokes, extra: Parameters<typeof deploy>[2] = {}, args: Record<string, unknown> = {}): Promise<Deployment> {
  const recorder = await pulumiMocks();
  const all = { backend: "aws" as const, region: "us-east-1", noRepo: true, lockFile: "/nonexistent/gpu-box.lock.json", ...args };
  return deploy("gpu-box", { config, ...all }, { ...extra, invokes: { ...invokes, ...extra.invokes } }, { transformations: [recorder.recordOptions] });
}

/** The boot script the SSM parameters hold, read back as the VM reads it. */
function bootFromParameters(d: Deployment): string {
  const value = (index: number) => String(inputsOf(d, `gpu-box-boot-${index}`).insecureValue);
  return scriptFromParts(value(0), [1, 2, 3, 4, 5, 6].map(value));
}

describe("AWS EC2 Fleet: the overrides and their priorities", () => {
  it("GPU on demand: each compatible type of the region in price order (under max_price), in each zone that offers it, the kept zone first; prioritized", async () => {
    const table = { "g6.xlarge": ["us-east-1c", "us-east-1a"], "g6.2xlarge": ["us-east-1b"], "g5.xlarge": ["us-east-1a", "us-east-1b"], "g6.4xlarge": ["us-east-1a"] };
    const d = await deployGpu(GPU + RETRY, { [OFFERINGS]: offerings(table) });
    // g6.xlarge $0.80, g6.2xlarge $0.98, g5.xlarge $1.01, g5.2xlarge $1.21 (offered nowhere: left out); g6.4xlarge is over max_price.
    assert.deepEqual(overridesOf(d), [o("g6.xlarge", "us-east-1a", 0), o("g6.xlarge", "us-east-1c", 1), o("g6.2xlarge", "us-east-1b", 2), o("g5.xlarge", "us-east-1a", 3), o("g5.xlarge", "us-east-1b", 4)]);
    assert.deepEqual({ ...inputsOf(d, "gpu-box-fleet"), launchTemplateConfigs: undefined }, {
      region: "us-east-1",
      type: "instant",
      launchTemplateConfigs: undefined,
      targetCapacitySpecification: { defaultTargetCapacityType: "on-demand", totalTargetCapacity: 1 },
      onDemandOptions: { allocationStrategy: "prioritized" },
      terminateInstances: true,
      tags: { Name: "gpu-box-fleet", "dstack:run": "gpu-box" },
    });
    assert.deepEqual((inputsOf(d, "gpu-box-fleet").launchTemplateConfigs as { launchTemplateSpecification: unknown }[])[0].launchTemplateSpecification, { launchTemplateId: "gpu-box-lt-id", version: "1" });
    assert.deepEqual(d.recorder.options.get("gpu-box-fleet"), {
      ignoreChanges: ["launchTemplateConfigs"],
      replacementTrigger: JSON.stringify({ image: DLAMI, spot: false, reservation: null, instanceType: "g6.xlarge", region: "us-east-1" }),
    });
    assert.deepEqual(d.recorder.resourceList().filter((line) => line.startsWith("aws:ec2/")), [
      "aws:ec2/fleet:Fleet gpu-box-fleet",
      "aws:ec2/launchTemplate:LaunchTemplate gpu-box-lt",
      "aws:ec2/securityGroup:SecurityGroup gpu-box-sg",
    ], "no aws:ec2/instance:Instance");
    // The VM's id comes from the fleet: the power state, the outputs.
    assert.deepEqual(inputsOf(d, "gpu-box-power"), { region: "us-east-1", instanceId: "gpu-box-fleet-instance", state: "running" });
    assert.equal(d.outputs.instanceId, "gpu-box-fleet-instance");
    assert.equal(d.outputs.zone, "us-east-1a");
    assert.equal(d.outputs.warnings.some((warning) => warning.startsWith("retry")), false);
  });

  it("spot: the spot ranking, spot capacity, capacity-optimized-prioritized", async () => {
    const zones = ["us-east-1a", "us-east-1b"];
    const table = Object.fromEntries(["g6.xlarge", "g5.2xlarge", "g5.xlarge", "g6.2xlarge", "g6.4xlarge"].map((type) => [type, zones]));
    const d = await deployGpu(`${GPU}spot_policy: spot\n${RETRY}`, { [OFFERINGS]: offerings(table) });
    // Spot prices: g6.xlarge $0.33, g5.2xlarge $0.37, g5.xlarge $0.38, g6.2xlarge $0.40, g6.4xlarge $0.51 ...
    assert.deepEqual(overridesOf(d).slice(0, 10), [
      o("g6.xlarge", "us-east-1a", 0), o("g6.xlarge", "us-east-1b", 1),
      o("g5.2xlarge", "us-east-1a", 2), o("g5.2xlarge", "us-east-1b", 3),
      o("g5.xlarge", "us-east-1a", 4), o("g5.xlarge", "us-east-1b", 5),
      o("g6.2xlarge", "us-east-1a", 6), o("g6.2xlarge", "us-east-1b", 7),
      o("g6.4xlarge", "us-east-1a", 8), o("g6.4xlarge", "us-east-1b", 9),
    ]);
    const fleet = inputsOf(d, "gpu-box-fleet");
    assert.deepEqual(fleet.targetCapacitySpecification, { defaultTargetCapacityType: "spot", totalTargetCapacity: 1 });
    assert.deepEqual(fleet.spotOptions, { allocationStrategy: "capacity-optimized-prioritized", instanceInterruptionBehavior: "terminate" });
    assert.equal(fleet.onDemandOptions, undefined);
    // EC2 Fleet refuses templates with market options: the fleet buys spot itself.
    assert.equal(inputsOf(d, "gpu-box-lt").instanceMarketOptions, undefined);
    assert.equal(JSON.parse(String(d.recorder.options.get("gpu-box-fleet")!.replacementTrigger)).spot, true);
  });

  it("a volume that exists pins every override to its zone; a new volume to the VM's first zone", async () => {
    const table = { "g6.xlarge": ["us-east-1a", "us-east-1b", "us-east-1c"], "g6.2xlarge": ["us-east-1a", "us-east-1c"], "g5.xlarge": ["us-east-1b"] };
    const config = `${GPU}volumes:\n  - name: hf-cache\n    path: /cache\n${RETRY}`;
    const existing = await deployGpu(config, { [OFFERINGS]: offerings(table) }, { aws: [{ id: "vol-0b", zone: "us-east-1b", tags: ownTags("hf-cache", "gpu-box"), size: 100 }] });
    assert.deepEqual(overridesOf(existing), [o("g6.xlarge", "us-east-1b", 0), o("g5.xlarge", "us-east-1b", 1)], "g6.2xlarge is not offered in us-east-1b");
    assert.deepEqual(inputsOf(existing, "gpu-box-attach-hf-cache").instanceId, "gpu-box-fleet-instance");
    const fresh = await deployGpu(config, { [OFFERINGS]: offerings(table) });
    assert.deepEqual(overridesOf(fresh), [o("g6.xlarge", "us-east-1a", 0), o("g6.2xlarge", "us-east-1a", 1)]);
    assert.equal(inputsOf(fresh, "gpu-box-vol-hf-cache").availabilityZone, "us-east-1a");
  });

  it("a VM the fleet launched earlier (found by its mark) holds the zone of a new volume", async () => {
    const table = { "g6.xlarge": ["us-east-1a", "us-east-1b"] };
    const vm: Invokes = {
      "aws:ec2/getInstances:getInstances": (inputs) => {
        assert.deepEqual(inputs.instanceTags, { "dstack:vm": "dstack-test/test/gpu-box" });
        return { id: "us-east-1", region: "us-east-1", ids: ["i-0fleet"], privateIps: [], publicIps: [], ipv6Addresses: [] };
      },
      "aws:ec2/getInstance:getInstance": (inputs) => ({ id: String(inputs.instanceId), instanceState: "running", publicIp: "203.0.113.10", availabilityZone: "us-east-1b" }),
    };
    const d = await deployGpu(`${GPU}volumes:\n  - name: hf-cache\n    path: /cache\n${RETRY}`, { [OFFERINGS]: offerings(table), ...vm });
    assert.equal(inputsOf(d, "gpu-box-vol-hf-cache").availabilityZone, "us-east-1b");
    assert.deepEqual(overridesOf(d), [o("g6.xlarge", "us-east-1b", 0)]);
  });
});

describe("AWS EC2 Fleet: the launch template and the boot script", () => {
  it("the template's user data only fetches the boot script from SSM; the parameters hold the script an instance's user data carries", async () => {
    const table = { "g6.xlarge": ["us-east-1a"] };
    const fleet = await deployGpu(GPU + RETRY, { [OFFERINGS]: offerings(table) });
    const template = inputsOf(fleet, "gpu-box-lt");
    assert.equal(template.instanceMarketOptions, undefined);
    assert.deepEqual(template.vpcSecurityGroupIds, ["gpu-box-sg-id"]);
    const tagSpecs = template.tagSpecifications as { resourceType: string; tags: Record<string, string> }[];
    assert.deepEqual(tagSpecs.map((spec) => [spec.resourceType, spec.tags["dstack:vm"] ?? null]), [["instance", "dstack-test/test/gpu-box"], ["volume", null], ["network-interface", null]]);
    const stub = parse(Buffer.from(String(template.userData), "base64").toString("utf8")) as { write_files: { path: string; content: string }[]; runcmd: string[][] };
    assert.deepEqual(stub.write_files.map((file) => file.path), ["/usr/local/lib/dstack-pulumi/fetch-boot-ssm.py", "/etc/systemd/system/dstack-bootstrap.service"]);
    assert.ok(stub.write_files[1].content.includes("ExecStartPre=-/usr/bin/python3 /usr/local/lib/dstack-pulumi/fetch-boot-ssm.py 'us-east-1' '/dstack/dstack-test/test/gpu-box'\n"));
    assert.ok(stub.write_files[1].content.includes("ExecStart=/bin/bash /usr/local/lib/dstack-pulumi/bootstrap.sh\n"));
    // Seven Standard String parameters; the policy reads exactly them (and no secret: there is none).
    for (let index = 0; index <= 6; index++) {
      const parameter = inputsOf(fleet, `gpu-box-boot-${index}`);
      assert.deepEqual([parameter.name, parameter.type, parameter.tier], [`/dstack/dstack-test/test/gpu-box/boot/${index}`, "String", "Standard"]);
    }
    const policy = JSON.parse(String(inputsOf(fleet, "gpu-box-policy").policy)) as { Statement: { Action: string; Resource: string[] }[] };
    assert.deepEqual(policy.Statement[0].Resource, [0, 1, 2, 3, 4, 5, 6].map((index) => `arn:aws:ssm:::parameter/dstack/dstack-test/test/gpu-box/boot/${index}`));
    const fromSsm = bootFromParameters(fleet);
    // The same configuration without retry: an instance whose user data writes the same bootstrap.
    const instance = await deployGpu(GPU, { [OFFERINGS]: offerings(table) });
    const raw = Buffer.from(String(instance.recorder.inputsOf("gpu-box-vm").userDataBase64), "base64");
    const { gunzipSync } = await import("node:zlib");
    const cloudConfig = parse((raw[0] === 0x1f ? gunzipSync(raw) : raw).toString("utf8")) as { write_files: { path: string; content: string }[] };
    const script = cloudConfig.write_files.find((file) => file.path === "/usr/local/lib/dstack-pulumi/bootstrap.sh")!.content;
    assert.equal(fromSsm, script);
  });
});

describe("AWS EC2 Fleet: a fallback launched", () => {
  it("EC2 says the VM is of a later override: a warning names it and its price, and where it runs", async () => {
    const table = { "g6.xlarge": ["us-east-1a"], "g6.2xlarge": ["us-east-1a", "us-east-1b"] };
    const running: Invokes = {
      "aws:ec2/getInstance:getInstance": (inputs) => ({ id: String(inputs.instanceId), instanceState: "running", publicIp: "203.0.113.10", availabilityZone: "us-east-1b", instanceType: "g6.2xlarge" }),
    };
    const d = await deployGpu(GPU + RETRY, { [OFFERINGS]: offerings(table), ...running });
    assert.equal(d.outputs.zone, "us-east-1b");
    assert.ok(d.outputs.warnings.includes("the EC2 Fleet launched g6.2xlarge at $0.9776/h, a fallback: g6.xlarge had no capacity; the offer and pricePerHour outputs describe g6.xlarge"), d.outputs.warnings.join("\n"));
  });
});
