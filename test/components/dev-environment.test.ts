import * as pulumi from "@pulumi/pulumi";
/**
 * `DevEnvironment` end to end under Pulumi's mock runtime with the real SDKs: for each scenario
 * the exact sorted list of (type, name) of every resource and the key inputs; the lock; secrets;
 * determinism; and changes that must not move the machine or touch volumes.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadBundledCatalog } from "../../catalog/load";
import { parseConfig } from "../../config/read";
import { makeLock, writeLock } from "../../offers/lock";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers } from "../../offers/resolve";
import { pulumiMocks } from "../support/pulumi-mocks";
import { volumeChildOptions, type VolumeRequest } from "../../components/volume";
import { deploy, recordedInputs, type Deployment } from "../support/component-harness";
import { scopeTags } from "../support/fake-volumes";

const GPU_SPOT = "type: dev-environment\nname: gpu-spot\nide: vscode\nspot_policy: spot\nresources:\n  gpu: A10G\nvolumes:\n  - hf-cache:/data\n  - datasets:/datasets\n";
const PRIVATE = [
  "type: dev-environment", "name: private", "ide: vscode", "image: ghcr.io/acme/research:2024.06",
  "registry_auth:", "  username: acme-bot", "  password: ${{ env.GHCR_TOKEN }}", "env:", "  - GHCR_TOKEN", "  - HF_TOKEN", "  - WANDB_MODE=offline", "",
].join("\n");
const SENTINELS = { GHCR_TOKEN: "SENTINEL-ghcr-0451", HF_TOKEN: "SENTINEL-hf-7788" };
const NO_LOCK = "/nonexistent/x.lock.json";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function inputs(deployment: Deployment, name: string): Record<string, any> {
  return JSON.parse(JSON.stringify(deployment.recorder.inputsOf(name)));
}

describe("DevEnvironment under mocks", () => {
  it("AWS CPU: security group, role and profile, launch template, instance, power state", async () => {
    const d = await deploy("cpu", { configPath: "examples/cpu/.dstack.yml", backend: "aws", lockFile: NO_LOCK });
    assert.deepEqual(d.recorder.resourceList(), [
      "aws:ec2/instance:Instance cpu-vm",
      "aws:ec2/launchTemplate:LaunchTemplate cpu-lt",
      "aws:ec2/securityGroup:SecurityGroup cpu-sg",
      "aws:ec2transitgateway/instanceState:InstanceState cpu-power",
      "aws:iam/instanceProfile:InstanceProfile cpu-profile",
      "aws:iam/role:Role cpu-role",
      "pulumi:index:Stash cpu-identity",
      "pulumi:index:Stash cpu-offer",
      "pulumi:index:Stash cpu-type-zone",
      "pulumi:index:Stash cpu-zone",
    ]);
    assert.deepEqual(inputs(d, "cpu-identity"), { input: { project: "dstack-test", stack: "test", name: "cpu" } });
    const vm = inputs(d, "cpu-vm");
    assert.deepEqual([vm.instanceType, vm.availabilityZone, vm.region], ["t3.xlarge", "us-east-1a", "us-east-1"]);
    const lt = inputs(d, "cpu-lt");
    assert.equal(lt.imageId, "resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id");
    assert.deepEqual(lt.blockDeviceMappings[0].ebs, { deleteOnTermination: "true", encrypted: "true", volumeSize: 100, volumeType: "gp3" });
    assert.equal(lt.metadataOptions.httpTokens, "required");
    assert.equal(lt.instanceMarketOptions, undefined);
    assert.deepEqual(inputs(d, "cpu-sg").ingress, [{ cidrBlocks: ["203.0.113.4/32"], description: "SSH", fromPort: 22, protocol: "tcp", toPort: 22 }]);
    assert.equal(d.outputs.sshCommand, "ssh -J ubuntu@203.0.113.10 -p 10022 -o HostKeyAlias=cpu-dev root@localhost");
    assert.equal(d.outputs.pricePerHour, 0.1664);
  });

  it("AWS GPU spot with a new volume and one of its scope: the VM goes to the existing volume's zone, which is attached, not declared", async () => {
    const d = await deploy("gpu", { config: GPU_SPOT, backend: "aws", region: "us-east-1" }, { aws: [{ id: "vol-0f1e2d3c4b5a69788", zone: "us-east-1b", tags: scopeTags("datasets") }] });
    assert.deepEqual(d.recorder.resourceList(), [
      "aws:ebs/volume:Volume gpu-vol-hf-cache",
      "aws:ec2/instance:Instance gpu-vm",
      "aws:ec2/launchTemplate:LaunchTemplate gpu-lt",
      "aws:ec2/securityGroup:SecurityGroup gpu-sg",
      "aws:ec2/volumeAttachment:VolumeAttachment gpu-attach-datasets",
      "aws:ec2/volumeAttachment:VolumeAttachment gpu-attach-hf-cache",
      "aws:ec2transitgateway/instanceState:InstanceState gpu-power",
      "aws:iam/instanceProfile:InstanceProfile gpu-profile",
      "aws:iam/role:Role gpu-role",
      "pulumi:index:Stash gpu-identity",
      "pulumi:index:Stash gpu-offer",
      "pulumi:index:Stash gpu-type-zone",
      "pulumi:index:Stash gpu-volume-home",
      "pulumi:index:Stash gpu-zone",
    ]);
    assert.deepEqual(inputs(d, "gpu-volume-home"), { input: { backend: "aws", region: "us-east-1", zone: "us-east-1b" } });
    assert.deepEqual(d.recorder.registrations.find((entry) => entry.name === "gpu-volume-home")?.type, "pulumi:index:Stash");
    const vm = inputs(d, "gpu-vm");
    assert.deepEqual([vm.instanceType, vm.availabilityZone], ["g5.2xlarge", "us-east-1b"]);
    assert.deepEqual(inputs(d, "gpu-lt").instanceMarketOptions, { marketType: "spot", spotOptions: { instanceInterruptionBehavior: "terminate", spotInstanceType: "one-time" } });
    assert.equal(inputs(d, "gpu-lt").imageId, "resolve:ssm:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id");
    const volume = inputs(d, "gpu-vol-hf-cache");
    assert.deepEqual([volume.availabilityZone, volume.size, volume.type, volume.encrypted, volume.tags.Name], ["us-east-1b", 100, "gp3", true, "hf-cache"]);
    assert.equal(inputs(d, "gpu-attach-datasets").volumeId, "vol-0f1e2d3c4b5a69788");
    assert.equal(d.outputs.zone, "us-east-1b");
  });

  it("GCP N1 + T4: firewall, service account, instance with the attached GPU", async () => {
    const d = await deploy("t4", { config: "type: dev-environment\nname: t4\nide: vscode\nresources:\n  gpu: T4\n", backend: "gcp", region: "us-central1", instanceType: "n1-standard-4" });
    assert.deepEqual(d.recorder.resourceList(), ["gcp:compute/firewall:Firewall t4-fw", "gcp:compute/instance:Instance t4-vm", "gcp:serviceaccount/account:Account t4-sa", "pulumi:index:Stash t4-identity", "pulumi:index:Stash t4-offer", "pulumi:index:Stash t4-type-zone", "pulumi:index:Stash t4-zone"]);
    const vm = inputs(d, "t4-vm");
    assert.deepEqual([vm.machineType, vm.zone], ["n1-standard-4", "us-central1-a"]);
    assert.deepEqual(vm.guestAccelerators, [{ count: 1, type: "nvidia-tesla-t4" }]);
    assert.equal(vm.scheduling.onHostMaintenance, "TERMINATE");
    const fw = inputs(d, "t4-fw");
    assert.deepEqual([fw.sourceRanges, fw.allows], [["203.0.113.4/32"], [{ ports: ["22"], protocol: "tcp" }]]);
  });

  it("GCP A2 with a new volume: bundled GPUs, no guestAccelerators, a pd-balanced disk in the VM's zone", async () => {
    const d = await deploy("a2", { config: "type: dev-environment\nname: a2\nide: vscode\nresources:\n  gpu: A100:40GB\nvolumes:\n  - models:/models\n", backend: "gcp", region: "us-central1", instanceType: "a2-highgpu-1g" });
    assert.deepEqual(d.recorder.resourceList(), [
      "gcp:compute/attachedDisk:AttachedDisk a2-attach-models",
      "gcp:compute/disk:Disk a2-vol-models",
      "gcp:compute/firewall:Firewall a2-fw",
      "gcp:compute/instance:Instance a2-vm",
      "gcp:serviceaccount/account:Account a2-sa",
      "pulumi:index:Stash a2-identity",
      "pulumi:index:Stash a2-offer",
      "pulumi:index:Stash a2-type-zone",
      "pulumi:index:Stash a2-volume-home",
      "pulumi:index:Stash a2-zone",
    ]);
    assert.deepEqual(inputs(d, "a2-volume-home"), { input: { backend: "gcp", region: "us-central1", zone: "us-central1-a", project: "test-project" } });
    const vm = inputs(d, "a2-vm");
    assert.equal(vm.machineType, "a2-highgpu-1g");
    assert.equal(vm.guestAccelerators, undefined);
    const disk = inputs(d, "a2-vol-models");
    assert.deepEqual([disk.zone, disk.size, disk.type], [vm.zone, 100, "pd-balanced"]);
  });

  it("TPU v5litepod-8: a TPU VM with its runtime and the data disk", async () => {
    const d = await deploy("tpu", { configPath: "examples/tpu/.dstack.yml", lockFile: NO_LOCK });
    assert.deepEqual(d.recorder.resourceList(), ["gcp:compute/firewall:Firewall tpu-fw", "gcp:serviceaccount/account:Account tpu-sa", "gcp:tpu/v2Vm:V2Vm tpu-vm", "pulumi:index:Stash tpu-identity", "pulumi:index:Stash tpu-offer", "pulumi:index:Stash tpu-type-zone", "pulumi:index:Stash tpu-zone"]);
    const vm = inputs(d, "tpu-vm");
    assert.deepEqual([vm.acceleratorType, vm.runtimeVersion], ["v5litepod-8", "v2-alpha-tpuv5-lite"]);
    assert.match(vm.metadata["startup-script"], /^#!\/bin\/bash\n/);
  });

  it("private registry with secret env: the values only in the secret store, as secrets; the user data holds none", async () => {
    const d = await deploy("private", { config: PRIVATE, backend: "aws", region: "us-east-1", env: SENTINELS });
    assert.deepEqual(d.recorder.resourceList(), [
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
      "pulumi:index:Stash private-identity",
      "pulumi:index:Stash private-offer",
      "pulumi:index:Stash private-type-zone",
      "pulumi:index:Stash private-zone",
    ]);
    for (const registration of d.recorder.registrations) {
      const text = JSON.stringify(registration.type === "aws:ssm/parameter:Parameter" ? { ...registration.inputs, value: null } : registration.inputs);
      for (const sentinel of Object.values(SENTINELS)) assert.ok(!text.includes(sentinel), `${sentinel} in ${registration.name}`);
    }
    assert.equal(inputs(d, "private-secret-hf-token").type, "SecureString");
  });

  it("a locked offer is used while it satisfies the file, even when the catalog has a cheaper one", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "locked-"));
    const config = path.join(dir, ".dstack.yml");
    fs.writeFileSync(config, "type: dev-environment\nname: locked\nide: vscode\nresources:\n  gpu: L4,A10G\n");
    const g5 = resolveOffers(parseConfig(fs.readFileSync(config, "utf8")), new OfferIndex(loadBundledCatalog()), { instanceTypes: ["g5.xlarge"], regions: ["us-west-2"], limit: 1 }).offers[0];
    writeLock(path.join(dir, ".dstack.lock.json"), makeLock(g5, "us-west-2c", loadBundledCatalog().stamp));
    const d = await deploy("locked", { configPath: config, noRepo: true });
    const vm = inputs(d, "locked-vm");
    assert.deepEqual([vm.instanceType, vm.availabilityZone, vm.region], ["g5.xlarge", "us-west-2c", "us-west-2"]);
    assert.deepEqual(d.outputs.warnings, []);
  });

  it("determinism: the same stack twice gives byte-identical inputs", async () => {
    const first = recordedInputs((await deploy("gpu", { config: GPU_SPOT, backend: "aws", region: "us-east-1" })).recorder);
    const second = recordedInputs((await deploy("gpu", { config: GPU_SPOT, backend: "aws", region: "us-east-1" })).recorder);
    assert.equal(JSON.stringify(second), JSON.stringify(first));
  });

  it("changing only ide, init or env changes no volume input and neither the instance's zone nor its type", async () => {
    // The recorder is shared: take the first deployment's inputs before the second one.
    const base = await deploy("gpu", { config: GPU_SPOT, backend: "aws", region: "us-east-1" });
    const before = Object.fromEntries(["gpu-vol-hf-cache", "gpu-vol-datasets", "gpu-vm"].map((name) => [name, inputs(base, name)]));
    const changed = await deploy("gpu", { config: GPU_SPOT.replace("ide: vscode", "ide: cursor") + "init:\n  - pip install torch\nenv:\n  - MODE=fast\n", backend: "aws", region: "us-east-1" });
    for (const name of ["gpu-vol-hf-cache", "gpu-vol-datasets"]) assert.deepEqual(inputs(changed, name), before[name]);
    const [a, b] = [before["gpu-vm"], inputs(changed, "gpu-vm")];
    assert.deepEqual([b.availabilityZone, b.instanceType], [a.availabilityZone, a.instanceType]);
    assert.notEqual(b.userDataBase64, a.userDataBase64);
  });

  it("AWS network placement: a subnet fixes the VPC and the zone; a VPC alone takes its first subnet in the zone", async () => {
    const withSubnet = await deploy("net", { configPath: "examples/cpu/.dstack.yml", backend: "aws", lockFile: NO_LOCK, aws: { subnetId: "subnet-0bbb" } }, {
      invokes: { "aws:ec2/getSubnet:getSubnet": () => ({ id: "subnet-0bbb", vpcId: "vpc-0aaa", availabilityZone: "us-east-1c", region: "us-east-1" }) },
    });
    const vm = inputs(withSubnet, "net-vm");
    assert.deepEqual([vm.subnetId, vm.availabilityZone], ["subnet-0bbb", "us-east-1c"]);
    assert.equal(inputs(withSubnet, "net-sg").vpcId, "vpc-0aaa");
    const withVpc = await deploy("net", { configPath: "examples/cpu/.dstack.yml", backend: "aws", lockFile: NO_LOCK, aws: { vpcId: "vpc-0aaa" } }, {
      invokes: { "aws:ec2/getSubnets:getSubnets": (query) => ({ id: "x", region: "us-east-1", ids: JSON.stringify(query).includes("us-east-1a") ? ["subnet-0zzz", "subnet-0aaa"] : [] }) },
    });
    assert.deepEqual([inputs(withVpc, "net-vm").subnetId, inputs(withVpc, "net-vm").availabilityZone, inputs(withVpc, "net-sg").vpcId], ["subnet-0aaa", "us-east-1a", "vpc-0aaa"]);
  });

  it("childTransforms (TypeScript-only options): a partial merged into one child's args, a function editing another's", async () => {
    const edited = await deploy("tx", { configPath: "examples/cpu/.dstack.yml", backend: "aws", lockFile: NO_LOCK }, {}, {
      childTransforms: {
        instance: { disableApiTermination: true },
        securityGroup: (args, name) => {
          args.description = `edited ${name}`;
        },
      },
    });
    assert.equal(inputs(edited, "tx-vm").disableApiTermination, true);
    assert.equal(inputs(edited, "tx-sg").description, "edited tx-sg");
    const plain = await deploy("tx", { configPath: "examples/cpu/.dstack.yml", backend: "aws", lockFile: NO_LOCK });
    assert.equal(inputs(plain, "tx-vm").disableApiTermination, undefined);
    assert.notEqual(inputs(plain, "tx-sg").description, "edited tx-sg");
  });

  it("childTransforms: a function gets the child's resource options and may edit them or return new args and options; parent and provider stay", async () => {
    const recorder = await pulumiMocks();
    const seen: Record<string, unknown> = {};
    await deploy("tx", { configPath: "examples/cpu/.dstack.yml", backend: "aws", lockFile: NO_LOCK }, {}, {
      transformations: [recorder.recordOptions],
      childTransforms: {
        instance: (_args, name, opts) => {
          seen[name] = opts.ignoreChanges;
          opts.ignoreChanges = [...(opts.ignoreChanges ?? []), "tags"];
          opts.protect = true;
        },
        role: (args, _name, opts) => ({ args: { ...args, description: "replaced" }, opts: { ...opts, parent: undefined, customTimeouts: { create: "2m" } } }),
      },
    });
    assert.deepEqual(seen, { "tx-vm": ["launchTemplate"] }, "the function sees the component's own options");
    assert.deepEqual(recorder.options.get("tx-vm")!.ignoreChanges, ["launchTemplate", "tags"]);
    assert.equal(recorder.registrations.find((entry) => entry.name === "tx-role")!.inputs.description, "replaced");
    const parents = recorder.registrations.filter((entry) => entry.name === "tx-role").map((entry) => entry.type);
    assert.deepEqual(parents, ["aws:iam/role:Role"]);
  });

  it("the component's protect and retainOnDelete reach every child (DevEnvironment and Volume)", async () => {
    const recorder = await pulumiMocks();
    const flags = new Map<string, { protect?: boolean; retainOnDelete?: boolean }>();
    const record: pulumi.ResourceTransformation = ({ name, props, opts }) => {
      flags.set(name, { protect: opts.protect, retainOnDelete: (opts as pulumi.CustomResourceOptions).retainOnDelete });
      return { props, opts };
    };
    await deploy("keep", { configPath: "examples/volumes/.dstack.yml", lockFile: NO_LOCK, deleteVolumesOnDestroy: true }, {}, { protect: true, retainOnDelete: true, transformations: [record] });
    const children = recorder.registrations.filter((entry) => !entry.type.startsWith("dstack:") && entry.type !== "pulumi:index:Stash").map((entry) => entry.name);
    assert.ok(children.length >= 6, children.join(", "));
    for (const name of children) assert.deepEqual(flags.get(name), { protect: true, retainOnDelete: true }, name);
    const unprotected = await deploy("keep", { configPath: "examples/volumes/.dstack.yml", lockFile: NO_LOCK, deleteVolumesOnDestroy: true }, {}, { transformations: [record] });
    assert.deepEqual(flags.get("keep-vm"), { protect: undefined, retainOnDelete: undefined });
    assert.equal(flags.get("keep-vol-cache")?.retainOnDelete, false, "deleteVolumesOnDestroy without retainOnDelete on the component");
    assert.ok(unprotected.recorder.registrations.length > 0);
    const request = { parent: unprotected.env, provider: undefined, deleteOnDestroy: true } as unknown as VolumeRequest;
    assert.deepEqual(volumeChildOptions({ ...request, childDefaults: { protect: true, retainOnDelete: true } }), { retainOnDelete: true, protect: true, parent: unprotected.env, provider: undefined });
    assert.deepEqual(volumeChildOptions(request), { retainOnDelete: false, parent: unprotected.env, provider: undefined }, "a Volume's own deleteOnDestroy when the component says nothing");
  });
});
