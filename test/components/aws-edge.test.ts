/**
 * The AWS builder's other paths under mocks: its own volumes found again (declared with `import`),
 * volumes that cannot go together, volume candidates, zone choice, determinism (two builds record
 * the same), an Elastic IP, transforms, an AMI override, tags AWS rejects, an explicit provider,
 * IPv6 CIDRs and names that clash.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/aws/provider";
import type * as ec2 from "@pulumi/aws/ec2";
import { buildAws } from "../../components/aws/build";
import type { FoundVolume } from "../../components/aws/volume-lookup";
import { chooseZone, pinnedZone } from "../../components/aws/zone";
import { ownTags, scopeTags } from "../support/fake-volumes";
import { pulumiMocks, settled, type MockRecorder } from "../support/pulumi-mocks";
import { answerAws, awsPlan, build, inputs } from "./aws-build.test";

describe("AWS builder: other paths", () => {
  let recorder: MockRecorder;
  before(async () => {
    recorder = await pulumiMocks();
  });
  beforeEach(() => recorder.reset());

  describe("volumes and zones", () => {
    it("its own volume is declared again with import and pins the zone; a colleague's volume of the same name (another stack) is ignored", async () => {
      answerAws(recorder, ["us-east-1a"], [
        { id: "vol-own", zone: "us-east-1d", size: 200, tags: ownTags("hf-cache", "gpu-spot") },
        { id: "vol-colleague", zone: "us-east-1a", tags: ownTags("hf-cache", "gpu-spot", "dstack-test/alice") },
        { id: "vol-colleague-2", zone: "us-east-1a", tags: ownTags("datasets", "gpu-spot", "dstack-test/alice") },
      ]);
      const { plan, options } = awsPlan("aws-gpu-spot-volumes", { deleteVolumesOnDestroy: true });
      const { outputs } = await build(plan);
      assert.equal(outputs.zone, "us-east-1d");
      assert.ok(recorder.resourceList().includes("aws:ebs/volume:Volume gpu-spot-vol-hf-cache"));
      assert.ok(recorder.resourceList().includes("aws:ebs/volume:Volume gpu-spot-vol-datasets"));
      assert.equal(options.get("gpu-spot-vol-hf-cache")!.import, "vol-own");
      assert.equal(options.get("gpu-spot-vol-datasets")!.import, undefined);
      assert.equal(options.get("gpu-spot-vol-hf-cache")!.retainOnDelete, false, "deleteVolumesOnDestroy");
      assert.equal(inputs(recorder, "gpu-spot-vol-datasets").availabilityZone, "us-east-1d");
      assert.equal(inputs(recorder, "gpu-spot-attach-datasets").volumeId, "gpu-spot-vol-datasets-id", "the colleague's datasets is not attached");
      assert.equal(recorder.invokes.filter((invoke) => invoke.token.includes("getInstanceTypeOfferings")).length, 0);
    });

    it("a volume of an earlier version (owner tag, no scope tag) is still its own", async () => {
      answerAws(recorder, ["us-east-1a"], [{ id: "vol-old", zone: "us-east-1b", tags: { Name: "hf-cache", "dstack:owner": "dstack-test/test/gpu-spot" } }]);
      const { plan, options } = awsPlan("aws-gpu-spot-volumes");
      assert.equal((await build(plan)).outputs.zone, "us-east-1b");
      assert.equal(options.get("gpu-spot-vol-hf-cache")!.import, "vol-old");
      assert.deepEqual(inputs(recorder, "gpu-spot-vol-hf-cache").tags, { team: "ml", ...ownTags("hf-cache", "gpu-spot"), "dstack:run": "gpu-spot" });
    });

    it("a volume that matches only by name (no marks) is not attached: the error names it and how to register it by id", async () => {
      answerAws(recorder, ["us-east-1a"], [{ id: "vol-0123456789abcdef0", zone: "us-east-1b", tags: { Name: "datasets", team: "data" } }]);
      await assert.rejects(buildAws(awsPlan("aws-gpu-spot-volumes").plan), {
        message:
          "gpu-spot: volume datasets: the EBS volume vol-0123456789abcdef0 in us-east-1b is named datasets but was not created in this stack's volume scope (dstack-test/test), so it is not attached. " +
          'To mount it, register it by id in the volumes arg: { name: "datasets", volumeId: "vol-0123456789abcdef0", zone: "us-east-1b" }; to create a new volume instead, give the volume another name in the configuration.',
      });
      await settled();
      assert.deepEqual(recorder.resourceList(), [], "nothing is declared");
    });

    it("a volume of the scope with the same name wins over an unmarked one; a referenced volume is attached as given, never looked up", async () => {
      answerAws(recorder, ["us-east-1a"], [
        { id: "vol-unmarked", zone: "us-east-1a", tags: { Name: "datasets" } },
        { id: "vol-scope", zone: "us-east-1c", tags: scopeTags("datasets") },
      ]);
      const { plan } = awsPlan("aws-gpu-spot-volumes");
      plan.volumes[0] = { ...plan.volumes[0], reference: { name: "hf-cache", volumeId: "vol-ref", zone: "us-east-1c", formatIfBlank: false } };
      await build(plan);
      assert.equal(inputs(recorder, "gpu-spot-attach-datasets").volumeId, "vol-scope");
      assert.equal(inputs(recorder, "gpu-spot-attach-hf-cache").volumeId, "vol-ref");
      assert.ok(!recorder.resourceList().some((line) => line.startsWith("aws:ebs/volume:Volume")), "neither is declared");
      const looked = recorder.invokes.filter((invoke) => invoke.token.includes("getEbsVolumes")).map((invoke) => (invoke.inputs.filters as { values: string[] }[])[0].values[0]);
      assert.deepEqual([...new Set(looked)], ["datasets"]);
    });

    it("existing volumes in two zones, or two volumes of the scope with one name, are errors", async () => {
      answerAws(recorder, ["us-east-1a"], [{ id: "vol-a", zone: "us-east-1a", tags: scopeTags("hf-cache") }, { id: "vol-b", zone: "us-east-1b", tags: scopeTags("datasets") }]);
      await assert.rejects(
        buildAws(awsPlan("aws-gpu-spot-volumes").plan),
        { message: "the existing volumes are in different availability zones: hf-cache (vol-a) in us-east-1a, datasets (vol-b) in us-east-1b; a VM attaches volumes of its own zone only" },
      );
      recorder.reset();
      answerAws(recorder, ["us-east-1a"], [{ id: "vol-b", zone: "us-east-1b", tags: scopeTags("hf-cache") }, { id: "vol-a", zone: "us-east-1a", tags: scopeTags("hf-cache") }]);
      await assert.rejects(
        buildAws(awsPlan("aws-gpu-spot-volumes").plan),
        { message: "gpu-spot: volume hf-cache: 2 EBS volumes of this scope in us-east-1 are named hf-cache (vol-a in us-east-1a, vol-b in us-east-1b); keep the Name tag on one" },
      );
      await settled();
      assert.deepEqual(recorder.resourceList(), [], "nothing is declared before the lookups succeed");
    });

    it("candidates are tried in order; the found volume's zone wins over the plan's zone", async () => {
      answerAws(recorder, ["us-east-1a"], [{ id: "vol-b", zone: "us-east-1f", tags: scopeTags("cache-b") }]);
      const base = awsPlan("aws-gpu-spot-volumes");
      const volumes = [{ ...base.plan.volumes[0], candidates: ["cache-a", "cache-b"], name: "cache-a" }];
      const { plan } = awsPlan("aws-gpu-spot-volumes", { zone: "us-east-1a" });
      plan.volumes = volumes;
      plan.spec = { ...plan.spec, volumes: [{ name: ["cache-a", "cache-b"], path: "/data" }] } as typeof plan.spec;
      const { outputs } = await build(plan);
      assert.equal(outputs.zone, "us-east-1f");
      assert.deepEqual(
        [...new Set(recorder.invokes.filter((invoke) => invoke.token.includes("getEbsVolumes")).map((invoke) => (invoke.inputs.filters as { values: string[] }[])[0].values[0]))],
        ["cache-a", "cache-b"],
      );
      assert.ok(!recorder.resourceList().some((line) => line.startsWith("aws:ebs/volume:Volume")), "attached, not declared");
      assert.equal(inputs(recorder, "gpu-spot-attach-cache-a").volumeId, "vol-b");
    });

    it("an own volume never shrinks: a smaller volumeSizes is an error, no volumeSizes keeps its size", async () => {
      answerAws(recorder, ["us-east-1a"], [{ id: "vol-own", zone: "us-east-1d", size: 500, tags: ownTags("hf-cache", "gpu-spot") }]);
      await assert.rejects(buildAws(awsPlan("aws-gpu-spot-volumes").plan), {
        message: "gpu-spot: volume hf-cache is 500 GB and volumeSizes asks for 200 GB: a volume cannot shrink; ask for 500 or more",
      });
      recorder.reset();
      answerAws(recorder, ["us-east-1a"], [{ id: "vol-own", zone: "us-east-1d", size: 500, tags: ownTags("hf-cache", "gpu-spot") }]);
      const { plan } = awsPlan("aws-gpu-spot-volumes");
      plan.volumes = plan.volumes.map((volume) => ({ ...volume, sizeExplicit: false }));
      await build(plan);
      assert.equal(inputs(recorder, "gpu-spot-vol-hf-cache").size, 500);
      assert.equal(inputs(recorder, "gpu-spot-vol-datasets").size, 100);
    });

    it("each volume keeps its device name, whatever the others do: removed, reordered or added volumes change no other attachment", async () => {
      const devices = async (names: string[]) => {
        recorder.reset();
        answerAws(recorder, ["us-east-1a"]);
        const { plan } = awsPlan("aws-gpu-spot-volumes");
        plan.volumes = names.map((name) => ({ candidates: [name], name, path: `/${name}`, sizeGb: 100, sizeExplicit: false }));
        plan.spec = { ...plan.spec, volumes: names.map((name) => ({ name, path: `/${name}` })) } as typeof plan.spec;
        await build(plan);
        return Object.fromEntries(names.map((name) => [name, inputs(recorder, `gpu-spot-attach-${name}`).deviceName]));
      };
      const all = await devices(["hf-cache", "datasets", "models"]);
      assert.deepEqual(all, { "hf-cache": "/dev/xvdct", datasets: "/dev/xvdbt", models: "/dev/xvdbe" });
      assert.deepEqual(await devices(["models", "hf-cache"]), { models: all.models, "hf-cache": all["hf-cache"] });
      assert.deepEqual(await devices(["models", "datasets", "hf-cache", "data"]), { ...all, data: "/dev/xvdbn" });
    });

    it("a type offered in no zone is an error; local zones come after standard zones", async () => {
      answerAws(recorder, []);
      await assert.rejects(buildAws(awsPlan("aws-cpu").plan), /EC2 offers m7i\.xlarge in no availability zone of us-east-1/);
      recorder.reset();
      answerAws(recorder, ["us-east-1-bos-1a"]);
      assert.equal((await build(awsPlan("aws-cpu").plan)).outputs.zone, "us-east-1-bos-1a", "only when no standard zone offers it");
    });
  });

  describe("the zone rules (components/aws/zone.ts)", () => {
    const plan = (overrides: Parameters<typeof awsPlan>[1] = {}, zones: string[] = []) => {
      const { plan: base } = awsPlan("aws-cpu", overrides);
      return { ...base, offer: { ...base.offer, zones } };
    };
    const volume = (name: string, id: pulumi.Input<string>, zone: string): FoundVolume => ({ volume: { candidates: [name], name, path: `/${name}`, sizeGb: 100, sizeExplicit: false }, id, zone, ownership: "scope" });

    it("existing volumes fix the zone whatever the plan's zone, and the zone is then not free; no offering is asked", async () => {
      answerAws(recorder, ["us-east-1a"]);
      assert.deepEqual(await chooseZone(plan({ zone: "us-east-1a" }), [volume("data", "vol-1", "us-east-1d"), undefined]), { zone: "us-east-1d", free: false });
      assert.deepEqual(await chooseZone(plan({ zone: "us-east-1c" }), []), { zone: "us-east-1c", free: false });
      assert.equal(recorder.invokes.filter((invoke) => invoke.token.includes("getInstanceTypeOfferings")).length, 0);
      assert.deepEqual(await chooseZone(plan(), []), { zone: "us-east-1a", free: true });
    });

    it("volumes in two zones: the error names each, with its id when known", () => {
      assert.throws(() => pinnedZone([volume("a", "vol-a", "us-east-1a"), volume("b", pulumi.output("vol-b"), "us-east-1b")]), {
        message: "the existing volumes are in different availability zones: a (vol-a) in us-east-1a, b in us-east-1b; a VM attaches volumes of its own zone only",
      });
      assert.equal(pinnedZone([undefined, volume("a", "vol-a", "us-east-1c"), volume("b", "vol-b", "us-east-1c")]), "us-east-1c");
      assert.equal(pinnedZone([undefined]), undefined);
    });

    it("the kept zone: kept for the same instance type whatever the offer's zones say (the user's zones were checked when it was kept), else while EC2 still offers the type there", async () => {
      answerAws(recorder, ["us-east-1a", "us-east-1b", "us-east-1c"]);
      const kept = (zone: string, sameInstanceType: boolean) => ({ keptZone: { zone, sameInstanceType } });
      assert.deepEqual(await chooseZone(plan(kept("us-east-1f", true)), []), { zone: "us-east-1f", free: true }, "same type: kept without asking");
      assert.deepEqual(await chooseZone(plan(kept("us-east-1f", true), ["us-east-1b", "us-east-1c"]), []), { zone: "us-east-1f", free: true }, "outside the offer's zones: the VM is there");
      assert.deepEqual(await chooseZone(plan(kept("us-east-1c", false)), []), { zone: "us-east-1c", free: true }, "another type, still offered there");
      assert.deepEqual(await chooseZone(plan(kept("us-east-1f", false)), []), { zone: "us-east-1a", free: true }, "another type, not offered there");
      assert.deepEqual(await chooseZone(plan(kept("us-east-1a", false), ["us-east-1c"]), []), { zone: "us-east-1c", free: true }, "another type, outside the offer's zones");
    });

    it("no zone offers the type: the error names the region, and the offer's zones when it has any", async () => {
      answerAws(recorder, ["us-east-1a"]);
      await assert.rejects(chooseZone(plan({}, ["us-east-1b", "us-east-1c"]), []), { message: "EC2 offers m7i.xlarge in no availability zone of us-east-1 within us-east-1b, us-east-1c" });
      recorder.reset();
      answerAws(recorder, []);
      await assert.rejects(chooseZone(plan(), []), { message: "EC2 offers m7i.xlarge in no availability zone of us-east-1" });
    });
  });

  describe("determinism", () => {
    it("two builds of one plan record the same inputs and invokes", async () => {
      const existing = [{ id: "vol-0f1e2d3c4b5a69788", zone: "us-east-1c", tags: scopeTags("datasets") }];
      const once = async () => {
        recorder.reset();
        answerAws(recorder, ["us-east-1a"], existing);
        await build(awsPlan("aws-gpu-spot-volumes").plan);
        return JSON.stringify({ registrations: recorder.registrations, invokes: recorder.invokes });
      };
      const first = await once();
      assert.equal(await once(), first);
    });
  });

  describe("options", () => {
    it("an Elastic IP: the public IP is the EIP's", async () => {
      answerAws(recorder, ["us-east-1a"]);
      const { outputs } = await build(awsPlan("aws-cpu", { elasticIp: true }).plan);
      assert.equal(outputs.publicIp, "203.0.113.20");
      assert.ok(recorder.resourceList().includes("aws:ec2/eip:Eip cpu-box-eip"));
      assert.deepEqual(inputs(recorder, "cpu-box-eip"), { region: "us-east-1", domain: "vpc", tags: { team: "ml", Name: "cpu-box-eip", "dstack:run": "cpu-box" } });
      assert.deepEqual(inputs(recorder, "cpu-box-eip-assoc"), { region: "us-east-1", allocationId: "cpu-box-eip-id", instanceId: "cpu-box-vm-id" });
    });

    it("transforms (a partial or a function per child kind) and an AMI override", async () => {
      answerAws(recorder, ["us-east-1a"]);
      const instance = (args: ec2.InstanceArgs, name: string) => {
        args.tags = { owner: name };
      };
      const { plan } = awsPlan("aws-cpu", { ami: "ami-0123456789abcdef0", transforms: { securityGroup: { description: "edited" }, instance } });
      await build(plan);
      assert.equal(inputs(recorder, "cpu-box-sg").description, "edited");
      assert.deepEqual(inputs(recorder, "cpu-box-vm").tags, { owner: "cpu-box-vm" });
      assert.equal(inputs(recorder, "cpu-box-lt").imageId, "ami-0123456789abcdef0");
    });

    it("tags AWS would reject are left out; Name and the run cannot be overridden", async () => {
      answerAws(recorder, ["us-east-1a"]);
      await build(awsPlan("aws-cpu", { tags: { team: "ml", "aws:owner": "x", "bad#key": "v", note: "a;b", Name: "mine", "dstack:run": "other" } }).plan);
      assert.deepEqual(inputs(recorder, "cpu-box-vm").tags, { team: "ml", Name: "cpu-box-vm", "dstack:run": "cpu-box" });
      assert.deepEqual(inputs(recorder, "cpu-box-role").tags, { team: "ml", Name: "cpu-box-role", "dstack:run": "cpu-box" });
    });

    it("an explicit provider goes to every child and every invoke", async () => {
      answerAws(recorder, ["us-east-1a"]);
      // The mock monitor's invoke requests carry the provider reference; the recorder keeps only the inputs.
      type Invoke = (req: { getTok(): string; getProvider(): string }, callback: unknown) => unknown;
      const monitor = pulumi.runtime.getMonitor() as unknown as { invoke: Invoke };
      const original = monitor.invoke;
      const invokeProviders: string[] = [];
      monitor.invoke = (req, callback) => {
        invokeProviders.push(`${req.getTok()} ${req.getProvider()}`);
        return original.call(monitor, req, callback);
      };
      try {
        const provider = new Provider("aws-east", { region: "us-east-1" });
        const { plan, options } = awsPlan("aws-gpu-spot-volumes", { provider });
        await build(plan);
        const urn = await new Promise<string>((resolve) => provider.urn.apply(resolve));
        const id = await new Promise<string>((resolve) => provider.id.apply(resolve));
        const children = recorder.registrations.filter((entry) => entry.type.startsWith("aws:"));
        assert.equal(children.length, 10, "both volumes are new here (no key pair; the power state)");
        for (const child of children) assert.equal(child.provider, `${urn}::${id}`, child.name);
        for (const [name, opts] of options) assert.equal(opts.provider, provider, name);
        assert.deepEqual(invokeProviders, [
          `aws:ebs/getEbsVolumes:getEbsVolumes ${urn}::${id}`,
          `aws:ebs/getEbsVolumes:getEbsVolumes ${urn}::${id}`,
          `aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings ${urn}::${id}`,
          `aws:ec2/getInstance:getInstance ${urn}::${id}`,
        ]);
      } finally {
        monitor.invoke = original;
      }
    });

    it("IPv6 CIDRs get their own rule; secrets whose names clash are an error", async () => {
      answerAws(recorder, ["us-east-1a"]);
      await build(awsPlan("aws-cpu", { allowedCidrs: ["203.0.113.4/32", "2001:db8::/64"] }).plan);
      assert.deepEqual(inputs(recorder, "cpu-box-sg").ingress, [
        { description: "SSH", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["203.0.113.4/32"] },
        { description: "SSH (IPv6)", protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["2001:db8::/64"] },
      ]);
      const clash = [{ key: "HF_TOKEN", value: pulumi.secret("a") }, { key: "hf_token", value: pulumi.secret("b") }];
      await assert.rejects(buildAws(awsPlan("aws-cpu", { secretEnv: clash }).plan), /the secrets HF_TOKEN and hf_token would both be named cpu-box-secret-hf-token: rename one/);
    });
  });
});
