/**
 * `Volume` (`dstack:index:Volume`) under Pulumi's mock runtime: the EBS volume or disk it declares
 * (inputs and options), its default zone and name, registering an existing volume by id, the
 * errors, its outputs, a `DevEnvironment` mounting it through `reference`, and that only the
 * backend's cloud SDK is loaded.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import type { VolumeRequest } from "../../components/volume";
import type { VolumeArgs } from "../../components/volume-args";
import { SSH_KEY } from "../support/bootstrap-scenarios";
import { answerInvokes } from "../support/component-harness";
import { cloudsLoadedBy } from "../support/fresh-process";
import { pulumiMocks, settled, valueOf, type MockRecorder } from "../support/pulumi-mocks";

type VolumeModule = typeof import("../../components/volume");
const AWS_ZONES_TOKEN = "aws:index/getAvailabilityZones:getAvailabilityZones";
const GCP_ZONES_TOKEN = "gcp:compute/getZones:getZones";

/** The region's zones as AWS might list them: unsorted (the first sorted is the `b` zone). */
function answerAwsZones(recorder: MockRecorder): void {
  recorder.onInvoke(AWS_ZONES_TOKEN, (inputs) => ({ id: String(inputs.region), names: ["d", "b", "c"].map((letter) => `${String(inputs.region)}${letter}`), zoneIds: [], groupNames: [] }));
}

/** The region's zones as GCP might list them: unsorted (the first sorted is the `b` zone). */
function answerGcpZones(recorder: MockRecorder): void {
  recorder.onInvoke(GCP_ZONES_TOKEN, (inputs) => ({ id: "zones", project: "test-project", names: ["f", "c", "b"].map((letter) => `${String(inputs.region)}-${letter}`) }));
}

/** An existing EBS volume and GCP disk to register by id. */
function answerLookups(recorder: MockRecorder): void {
  recorder.onInvoke("aws:ebs/getVolume:getVolume", (inputs) => {
    const id = (inputs.filters as { values: string[] }[])[0].values[0];
    return { id, volumeId: id, availabilityZone: "us-east-1c", size: 750, encrypted: true, volumeType: "gp3", tags: { Name: "datasets" }, region: inputs.region };
  });
  recorder.onInvoke("gcp:compute/getDisk:getDisk", (inputs) => {
    const id = `projects/test-project/zones/${String(inputs.zone)}/disks/${String(inputs.name)}`;
    return { id, name: inputs.name, zone: inputs.zone, size: 2000, type: "pd-ssd", selfLink: `https://www.googleapis.com/compute/v1/${id}`, labels: {}, project: "test-project" };
  });
}

interface Declared {
  volume: InstanceType<VolumeModule["Volume"]>;
  outputs: { volumeId: string; volumeName: string; backend: string; region: string; zone: string; sizeGb: number };
  /** The options of each child, recorded by a transformation. */
  options: Map<string, pulumi.CustomResourceOptions>;
}

/** An explicit provider of `pkg` (`pulumi:providers:<pkg>`). */
class TestProvider extends pulumi.ProviderResource {
  constructor(pkg: string, name: string) {
    super(pkg, name, {});
  }
}

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe("Volume under mocks", () => {
  let recorder: MockRecorder;
  let Volume: VolumeModule["Volume"];
  let VOLUME_TYPE: string;

  before(async () => {
    recorder = await pulumiMocks();
    ({ Volume, VOLUME_TYPE } = await import("../../components/volume"));
  });
  beforeEach(() => {
    recorder.reset();
    answerAwsZones(recorder);
    answerGcpZones(recorder);
    answerLookups(recorder);
  });

  /** Declares a Volume, waits for every output and registration. */
  async function declare(name: string, args: VolumeArgs, opts: pulumi.ComponentResourceOptions = {}): Promise<Declared> {
    const options = new Map<string, pulumi.CustomResourceOptions>();
    const record: pulumi.ResourceTransformation = ({ type, name: child, props, opts: childOpts }) => {
      if (type !== VOLUME_TYPE) options.set(child, childOpts as pulumi.CustomResourceOptions);
      return { props, opts: childOpts };
    };
    const volume = new Volume(name, args, { ...opts, transformations: [record] });
    const [volumeId, volumeName, backend, region, zone, sizeGb] = await valueOf(pulumi.all([volume.volumeId, volume.volumeName, volume.backend, volume.region, volume.zone, volume.sizeGb]));
    await settled();
    return { volume, outputs: { volumeId, volumeName, backend, region, zone, sizeGb }, options };
  }

  const invokesOf = (token: string) => recorder.invokes.filter((invoke) => invoke.token === token).map((invoke) => plain(invoke.inputs));

  describe("AWS", () => {
    it("creates an encrypted gp3 EBS volume named after the component, in the first available zone, kept on destroy", async () => {
      const { volume, outputs, options } = await declare("HF_Cache.v2", { backend: "aws", region: "us-east-1" });
      assert.deepEqual(recorder.resourceList(), ["aws:ebs/volume:Volume HF_Cache.v2-volume", "pulumi:index:Stash HF_Cache.v2-zone"]);
      assert.deepEqual(plain(recorder.inputsOf("HF_Cache.v2-volume")), {
        region: "us-east-1",
        availabilityZone: "us-east-1b",
        size: 100,
        type: "gp3",
        encrypted: true,
        tags: { Name: "hf-cache-v2", "dstack:volume": "hf-cache-v2", "dstack:scope": "dstack-test/test" },
      });
      assert.deepEqual(plain(recorder.inputsOf("HF_Cache.v2-zone")), { input: { region: "us-east-1", zone: "us-east-1b" } });
      assert.deepEqual(invokesOf(AWS_ZONES_TOKEN), [{ region: "us-east-1", state: "available", filters: [{ name: "zone-type", values: ["availability-zone"] }] }]);
      assert.equal(options.get("HF_Cache.v2-volume")?.retainOnDelete, true);
      assert.equal(options.get("HF_Cache.v2-volume")?.parent, volume);
      assert.deepEqual(outputs, { volumeId: "HF_Cache.v2-volume-id", volumeName: "hf-cache-v2", backend: "aws", region: "us-east-1", zone: "us-east-1b", sizeGb: 100 });
    });

    it("takes the zone, size, type, tags and deleteOnDestroy given; its own tags win over the user's", async () => {
      const { outputs, options } = await declare("cache", {
        backend: "aws", region: "eu-west-1", volumeName: "hf-cache", zone: "eu-west-1c", sizeGb: 16384, diskType: "io2",
        deleteOnDestroy: true, tags: { team: "ml", Name: "other" },
      });
      assert.deepEqual(recorder.resourceList(), ["aws:ebs/volume:Volume cache-volume", "pulumi:index:Stash cache-zone"]);
      assert.deepEqual(plain(recorder.inputsOf("cache-volume")), {
        region: "eu-west-1",
        availabilityZone: "eu-west-1c",
        size: 16384,
        type: "io2",
        encrypted: true,
        tags: { team: "ml", Name: "hf-cache", "dstack:volume": "hf-cache", "dstack:scope": "dstack-test/test" },
      });
      assert.deepEqual(invokesOf(AWS_ZONES_TOKEN), [], "a given zone needs no zone lookup");
      assert.equal(options.get("cache-volume")?.retainOnDelete, false);
      assert.deepEqual([outputs.zone, outputs.sizeGb, outputs.volumeName], ["eu-west-1c", 16384, "hf-cache"]);
    });

    it("registers an existing volume by volumeId: nothing declared, zone and size from the lookup", async () => {
      const { outputs } = await declare("datasets", { backend: "aws", region: "us-east-1", volumeId: "vol-0f1e2d3c4b5a69788" });
      assert.deepEqual(recorder.resourceList(), []);
      assert.deepEqual(invokesOf("aws:ebs/getVolume:getVolume"), [{ region: "us-east-1", filters: [{ name: "volume-id", values: ["vol-0f1e2d3c4b5a69788"] }] }]);
      assert.deepEqual(invokesOf(AWS_ZONES_TOKEN), []);
      assert.deepEqual(outputs, { volumeId: "vol-0f1e2d3c4b5a69788", volumeName: "datasets", backend: "aws", region: "us-east-1", zone: "us-east-1c", sizeGb: 750 });
    });

    it("passes an explicit provider to the volume", async () => {
      const east = new TestProvider("aws", "east");
      const { options } = await declare("cache", { backend: "aws", region: "us-east-1" }, { provider: east });
      assert.equal(options.get("cache-volume")?.provider, east);
      const registration = recorder.registrations.find((entry) => entry.name === "cache-volume");
      assert.match(registration?.provider ?? "", /::pulumi:providers:aws::east::/);
    });
  });

  describe("GCP", () => {
    it("creates a pd-balanced disk named after the volume, in the first zone that is UP, labelled, kept on destroy", async () => {
      const { volume, outputs, options } = await declare("models", { backend: "gcp", region: "us-central1", project: "ml-project", tags: { Team: "ML Ops" } });
      assert.deepEqual(recorder.resourceList(), ["gcp:compute/disk:Disk models-volume", "pulumi:index:Stash models-zone"]);
      assert.deepEqual(plain(recorder.inputsOf("models-volume")), {
        project: "ml-project",
        name: "models-fb1e9040",
        zone: "us-central1-b",
        size: 100,
        type: "pd-balanced",
        description: "dstack volume models",
        labels: { team: "ml_ops", dstack_volume: "models", dstack_scope: "dstack-test_test-fb1e9040" },
      });
      assert.deepEqual(options.get("models-volume")?.ignoreChanges, ["name"]);
      assert.deepEqual(plain(recorder.inputsOf("models-zone")), { input: { region: "us-central1", zone: "us-central1-b", project: "ml-project" } });
      assert.deepEqual(invokesOf(GCP_ZONES_TOKEN), [{ project: "ml-project", region: "us-central1", status: "UP" }]);
      assert.equal(options.get("models-volume")?.retainOnDelete, true);
      assert.equal(options.get("models-volume")?.parent, volume);
      assert.deepEqual(outputs, { volumeId: "models-volume-id", volumeName: "models", backend: "gcp", region: "us-central1", zone: "us-central1-b", sizeGb: 100 });
    });

    it("takes the name, zone, size, type and deleteOnDestroy given, and the providers map's gcp provider", async () => {
      const aws = new TestProvider("aws", "aws-main");
      const gcp = new TestProvider("gcp", "gcp-main");
      const { outputs, options } = await declare("data", {
        backend: "gcp", region: "europe-west4", volumeName: "train-data", zone: "europe-west4-a", sizeGb: 10, diskType: "pd-ssd", deleteOnDestroy: true,
      }, { providers: { aws, gcp } });
      assert.deepEqual(plain(recorder.inputsOf("data-volume")), {
        name: "train-data-fb1e9040", zone: "europe-west4-a", size: 10, type: "pd-ssd", description: "dstack volume train-data",
        labels: { dstack_volume: "train-data", dstack_scope: "dstack-test_test-fb1e9040" },
      });
      assert.deepEqual(invokesOf(GCP_ZONES_TOKEN), []);
      assert.equal(options.get("data-volume")?.retainOnDelete, false);
      assert.equal(options.get("data-volume")?.provider, gcp);
      assert.deepEqual([outputs.zone, outputs.sizeGb, outputs.volumeName], ["europe-west4-a", 10, "train-data"]);
    });

    it("registers an existing disk by volumeId (its name) and zone: nothing declared, id and size from the lookup", async () => {
      const { outputs } = await declare("shared", { backend: "gcp", region: "us-central1", zone: "us-central1-c", volumeId: "shared-data" });
      assert.deepEqual(recorder.resourceList(), []);
      assert.deepEqual(invokesOf("gcp:compute/getDisk:getDisk"), [{ name: "shared-data", zone: "us-central1-c" }]);
      assert.deepEqual(outputs, {
        volumeId: "projects/test-project/zones/us-central1-c/disks/shared-data", volumeName: "shared-data", backend: "gcp", region: "us-central1", zone: "us-central1-c", sizeGb: 2000,
      });
    });
  });

  describe("the place is kept: a later zone or region never moves the volume", () => {
    it("without a zone arg, the zone of the first deployment stays, whatever zone sorts first today", async () => {
      recorder.reset();
      answerAwsZones(recorder);
      recorder.stashes.set("cache-zone", { region: "us-east-1", zone: "us-east-1c" });
      const volume = new Volume("cache", { backend: "aws", region: "us-east-1" });
      assert.equal(await valueOf(volume.zone), "us-east-1c");
      await settled();
      assert.equal(recorder.inputsOf("cache-volume").availabilityZone, "us-east-1c");
    });

    const moves: [string, VolumeArgs, string][] = [
      ["a zone arg", { backend: "aws", region: "us-east-1", zone: "us-east-1a" }, "cache: volume cache is in us-east-1c, and the args now ask for us-east-1a: a volume cannot move. Give back region us-east-1 and zone us-east-1c; to start over elsewhere, declare a new Volume (this one is kept unless deleteOnDestroy)."],
      ["a region arg", { backend: "aws", region: "us-west-2" }, "cache: volume cache is in us-east-1c, and the args now ask for us-west-2: a volume cannot move. Give back region us-east-1; to start over elsewhere, declare a new Volume (this one is kept unless deleteOnDestroy)."],
    ];
    for (const [what, args, message] of moves) {
      it(`${what} other than the kept place is an error, and no volume is declared`, async () => {
        recorder.reset();
        answerAwsZones(recorder);
        recorder.stashes.set("cache-zone", { region: "us-east-1", zone: "us-east-1c" });
        const { declareEbsVolume } = await import("../../components/aws/ebs-volume");
        const request = {
          name: "cache", childName: "cache-volume", region: String(args.region), volumeName: "cache", zone: args.zone as string | undefined, sizeGb: 100, diskType: "gp3",
          volumeId: undefined, deleteOnDestroy: false, tags: {}, project: undefined, scope: "dstack-test/test", parent: new pulumi.ComponentResource(VOLUME_TYPE, "cache"), provider: undefined,
        };
        await assert.rejects(declareEbsVolume(request), { message });
        await settled();
        assert.deepEqual(recorder.resourceList(), ["pulumi:index:Stash cache-zone"]);
      });
    }
  });

  describe("the kept place, rule by rule (keptVolumeZone)", () => {
    const request = (overrides: Partial<VolumeRequest> = {}): VolumeRequest => ({
      name: "cache", childName: "cache-volume", region: "us-central1", volumeName: "cache-data", zone: undefined, sizeGb: 100, diskType: "pd-balanced",
      volumeId: undefined, deleteOnDestroy: false, tags: {}, project: undefined, scope: "dstack-test/test", parent: new pulumi.ComponentResource(VOLUME_TYPE, "cache"), provider: undefined, ...overrides,
    });
    const keptZone = async (kept: unknown, overrides: Partial<VolumeRequest>, today = "us-central1-a") => {
      recorder.reset();
      if (kept !== undefined) recorder.stashes.set("cache-zone", kept);
      const { keptVolumeZone } = await import("../../components/volume-place");
      try {
        return await keptVolumeZone(request(overrides), today);
      } finally {
        await settled();
      }
    };
    const noMove = "a volume cannot move";

    it("nothing kept: today's zone, recorded with the region and the project when one is given", async () => {
      assert.equal(await keptZone(undefined, {}), "us-central1-a");
      assert.deepEqual(plain(recorder.inputsOf("cache-zone").input), { region: "us-central1", zone: "us-central1-a" });
      assert.equal(await keptZone(undefined, { project: "team-a" }), "us-central1-a");
      assert.deepEqual(plain(recorder.inputsOf("cache-zone").input), { region: "us-central1", zone: "us-central1-a", project: "team-a" });
    });

    it("kept: its zone, whatever zone today's region lists first; a zone arg equal to it is no move", async () => {
      const kept = { region: "us-central1", zone: "us-central1-f" };
      assert.equal(await keptZone(kept, {}), "us-central1-f");
      assert.equal(await keptZone(kept, { zone: "us-central1-f" }, "us-central1-f"), "us-central1-f");
      assert.equal(await keptZone({ ...kept, project: "team-a" }, { project: "team-a" }), "us-central1-f");
    });

    it("a malformed record counts as absent: today's zone", async () => {
      for (const broken of [null, "us-central1-f", { region: 1, zone: "us-central1-f" }, { region: "us-central1" }, { region: "us-central1", zone: "us-central1-f", project: 7 }]) {
        assert.equal(await keptZone(broken, {}), "us-central1-a", JSON.stringify(broken));
      }
    });

    it("another zone, region or project is refused with the place and the way back", async () => {
      const kept = { region: "us-central1", zone: "us-central1-f" };
      await assert.rejects(keptZone(kept, { zone: "us-central1-b" }, "us-central1-b"), {
        message: `cache: volume cache-data is in us-central1-f, and the args now ask for us-central1-b: ${noMove}. Give back region us-central1 and zone us-central1-f; to start over elsewhere, declare a new Volume (this one is kept unless deleteOnDestroy).`,
      });
      await assert.rejects(keptZone(kept, { region: "europe-west4" }, "europe-west4-a"), {
        message: `cache: volume cache-data is in us-central1-f, and the args now ask for europe-west4: ${noMove}. Give back region us-central1; to start over elsewhere, declare a new Volume (this one is kept unless deleteOnDestroy).`,
      });
      await assert.rejects(keptZone(kept, { project: "team-b" }), {
        message: `cache: volume cache-data is in us-central1-f, and the args now ask for us-central1 of project team-b: ${noMove}. Give back region us-central1 and no project (the provider's); to start over elsewhere, declare a new Volume (this one is kept unless deleteOnDestroy).`,
      });
      await assert.rejects(keptZone({ ...kept, project: "team-a" }, {}), {
        message: `cache: volume cache-data is in us-central1-f of project team-a, and the args now ask for us-central1: ${noMove}. Give back region us-central1 and project team-a; to start over elsewhere, declare a new Volume (this one is kept unless deleteOnDestroy).`,
      });
      await assert.rejects(keptZone({ ...kept, project: "team-a" }, { project: "team-b", zone: "us-central1-f" }, "us-central1-f"), {
        message: `cache: volume cache-data is in us-central1-f of project team-a, and the args now ask for us-central1-f of project team-b: ${noMove}. Give back region us-central1 and zone us-central1-f and project team-a; to start over elsewhere, declare a new Volume (this one is kept unless deleteOnDestroy).`,
      });
    });
  });

  describe("GCP volumeId without zone: every zone of the region searched, as dstack does", () => {
    const diskOnlyIn = (zones: string[]) => (inputs: Record<string, unknown>) => {
      if (!zones.includes(String(inputs.zone))) {
        const message = `googleapi: Error 404: The resource 'projects/test-project/zones/${String(inputs.zone)}/disks/${String(inputs.name)}' was not found, notFound`;
        throw Object.assign(new Error(message), { details: message });
      }
      const id = `projects/test-project/zones/${String(inputs.zone)}/disks/${String(inputs.name)}`;
      return { id, name: inputs.name, zone: inputs.zone, size: 300, type: "pd-balanced", selfLink: `https://www.googleapis.com/compute/v1/${id}`, labels: {}, project: "test-project" };
    };

    it("found in one zone: its zone, id and size", async () => {
      recorder.reset();
      answerGcpZones(recorder);
      recorder.onInvoke("gcp:compute/getDisk:getDisk", diskOnlyIn(["us-central1-f"]));
      const volume = new Volume("shared", { backend: "gcp", region: "us-central1", volumeId: "shared-data" });
      const [zone, id, size] = await Promise.all([valueOf(volume.zone), valueOf(volume.volumeId), valueOf(volume.sizeGb)]);
      await settled();
      assert.deepEqual([zone, id, size], ["us-central1-f", "projects/test-project/zones/us-central1-f/disks/shared-data", 300]);
      assert.deepEqual(recorder.resourceList(), []);
    });

    it("found in no zone, or in several: an error that says where it looked", async () => {
      const { declareGcpDisk } = await import("../../components/gcp/volume-disk");
      const base = {
        name: "probe", childName: "probe-volume", region: "us-central1", volumeName: "shared-data", zone: undefined, sizeGb: 100, diskType: "pd-balanced",
        volumeId: "shared-data", deleteOnDestroy: false, tags: {}, project: undefined, scope: "dstack-test/test", parent: new pulumi.ComponentResource(VOLUME_TYPE, "probe-gcp"), provider: undefined,
      };
      recorder.reset();
      answerGcpZones(recorder);
      recorder.onInvoke("gcp:compute/getDisk:getDisk", diskOnlyIn([]));
      await assert.rejects(declareGcpDisk(base), { message: "probe: no disk named shared-data in any zone of us-central1 (us-central1-b, us-central1-c, us-central1-f)" });
      recorder.onInvoke("gcp:compute/getDisk:getDisk", diskOnlyIn(["us-central1-c", "us-central1-b"]));
      await assert.rejects(declareGcpDisk(base), { message: "probe: disks named shared-data in us-central1-b, us-central1-c: give zone" });
      await settled();
    });
  });

  it("zone is computed from args and invokes only (known in a preview); volumeId depends on the volume", async () => {
    const { volume } = await declare("cache", { backend: "aws", region: "us-east-1" });
    const dependencies = async (output: pulumi.Output<unknown>) => [...(await (output as unknown as { allResources(): Promise<Set<pulumi.Resource>> }).allResources())];
    assert.deepEqual(await dependencies(volume.zone), []);
    assert.equal((await dependencies(volume.volumeId)).length, 1);
  });

  describe("errors, before anything is registered", () => {
    const cases: [string, string, VolumeArgs, string][] = [
      ["a zone outside the region (AWS)", "cache", { backend: "aws", region: "us-east-1", zone: "us-west-2a" }, "cache: zone us-west-2a is not in region us-east-1"],
      ["a zone outside the region (GCP)", "cache", { backend: "gcp", region: "us-central1", zone: "us-central2-a" }, "cache: zone us-central2-a is not in region us-central1"],
      ["a size over AWS's range", "cache", { backend: "aws", region: "us-east-1", sizeGb: 16385 }, "cache: sizeGb 16385 is out of range: an AWS volume takes a whole number of GB from 1 to 16384"],
      ["a size that is not whole", "cache", { backend: "aws", region: "us-east-1", sizeGb: 1.5 }, "cache: sizeGb 1.5 is out of range: an AWS volume takes a whole number of GB from 1 to 16384"],
      ["a size under GCP's range", "cache", { backend: "gcp", region: "us-central1", sizeGb: 9 }, "cache: sizeGb 9 is out of range: a GCP disk takes a whole number of GB from 10 to 65536"],
      ["a GCP volumeId that is no disk name", "cache", { backend: "gcp", region: "us-central1", zone: "us-central1-a", volumeId: "projects/p/zones/us-central1-a/disks/d" }, 'cache: volumeId "projects/p/zones/us-central1-a/disks/d" is not a GCE disk name (on GCP, volumeId is the name of an existing disk)'],
      ["an invalid GCE name given", "cache", { backend: "gcp", region: "us-central1", volumeName: "HF_Cache" }, 'cache: volume name "HF_Cache" is not a valid GCP volume name (lower-case letters, digits and -, starting with a letter, up to 54: the disk is named <volume>-<scope hash>)'],
      ["an invalid GCE name from the component's name", "1st cache", { backend: "gcp", region: "us-central1" }, '1st cache: volume name "1st-cache" is not a valid GCP volume name (lower-case letters, digits and -, starting with a letter, up to 54: the disk is named <volume>-<scope hash>)'],
      ["a component name without letters or digits", "__", { backend: "aws", region: "us-east-1" }, "__: the component's name gives no volume name (no letter or digit): give volumeName"],
      ["an unknown backend", "cache", { backend: "azure" as never, region: "eastus" }, 'cache: backend "azure" is not one of aws, gcp'],
    ];
    for (const [title, name, args, message] of cases) {
      it(title, async () => {
        assert.throws(() => new Volume(name, args), { message });
        await settled();
        assert.deepEqual(recorder.registrations, []);
      });
    }
  });

  describe("lookup errors of an existing volume", () => {
    const request = (overrides: Partial<VolumeRequest>): VolumeRequest => ({
      name: "probe", childName: "probe-volume", region: "us-east-1", volumeName: "probe", zone: undefined, sizeGb: 100, diskType: "gp3",
      volumeId: undefined, deleteOnDestroy: false, tags: {}, project: undefined, scope: "dstack-test/test", parent: new pulumi.ComponentResource(VOLUME_TYPE, "probe"), provider: undefined, ...overrides,
    });

    it("AWS: a volume in another zone than the one given", async () => {
      const { declareEbsVolume } = await import("../../components/aws/ebs-volume");
      await assert.rejects(declareEbsVolume(request({ volumeId: "vol-0f1e2d3c4b5a69788", zone: "us-east-1a" })), {
        message: "probe: EBS volume vol-0f1e2d3c4b5a69788 is in us-east-1c, not in the given zone us-east-1a",
      });
    });

    it("GCP: a disk that is not found", async () => {
      const message = "googleapi: Error 404: The resource 'projects/test-project/zones/us-central1-a/disks/gone' was not found, notFound";
      recorder.onInvoke("gcp:compute/getDisk:getDisk", () => {
        throw Object.assign(new Error(message), { details: message });
      });
      const { declareGcpDisk } = await import("../../components/gcp/volume-disk");
      await assert.rejects(declareGcpDisk(request({ region: "us-central1", volumeId: "gone", zone: "us-central1-a" })), {
        message: `probe: disk gone could not be looked up in us-central1-a: ${message}`,
      });
    });
  });

  describe("mounted by a DevEnvironment through `reference`", () => {
    const backends = [
      { backend: "aws" as const, region: "us-east-1", volumeType: "aws:ebs/volume:Volume", zone: "us-east-1b", instanceType: undefined },
      { backend: "gcp" as const, region: "us-central1", volumeType: "gcp:compute/disk:Disk", zone: "us-central1-a", instanceType: "n1-standard-4" },
    ];
    for (const { backend, region, volumeType, zone, instanceType } of backends) {
      it(`${backend}: the VM goes to the volume's zone and attaches it; the dev environment declares no volume`, async () => {
        recorder.reset();
        answerInvokes(recorder); // GCP zones a, b, c, f: the Volume's default is also the catalog's first zone of the offer
        answerAwsZones(recorder);
        const { DevEnvironment } = await import("../../components/dev-environment");
        const volume = new Volume("cache", { backend, region, volumeName: "hf-cache" });
        assert.equal(volume.reference.name, "hf-cache");
        const config = "type: dev-environment\nname: box\nide: vscode\nresources:\n  gpu: T4\nvolumes:\n  - hf-cache:/root/.cache\n";
        const env = new DevEnvironment("box", { config, sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.4/32"], backend, region, instanceType, volumes: [volume.reference] });
        assert.equal(await valueOf(env.zone), zone);
        await valueOf(env.instanceId);
        await settled();
        assert.deepEqual(recorder.resourceList().filter((line) => line.startsWith(`${volumeType} `)), [`${volumeType} cache-volume`]);
        const vm = plain(recorder.inputsOf("box-vm")) as Record<string, unknown>;
        if (backend === "aws") {
          assert.equal(vm.availabilityZone, zone);
          assert.equal(recorder.inputsOf("box-attach-hf-cache").volumeId, "cache-volume-id");
        } else {
          assert.equal(vm.zone, zone);
          assert.equal(recorder.inputsOf("box-attach-hf-cache").disk, "cache-volume-id");
          assert.match((vm.metadata as Record<string, string>)["startup-script"], /\nset_up_volume gcp 'pd-hf-cache' 'hf-cache' true\n/, "a volume the Volume creates may be formatted");
        }
      });
    }
  });
});

/** The cloud SDKs a fresh process loads to declare a Volume of `backend`. */
function loadedClouds(backend: string, region: string): string[] {
  return cloudsLoadedBy(`
    recorder.onInvoke(${JSON.stringify(AWS_ZONES_TOKEN)}, () => ({ id: "z", names: ["${region}a"], zoneIds: [], groupNames: [] }));
    recorder.onInvoke(${JSON.stringify(GCP_ZONES_TOKEN)}, () => ({ id: "z", project: "p", names: ["${region}-a"] }));
    const { Volume } = require(ROOT + "/dist/components/volume.js");
    return new Volume("probe", { backend: "${backend}", region: "${region}" }).volumeId;`);
}

describe("Volume loads only its backend's cloud SDK", () => {
  it("a GCP Volume never loads @pulumi/aws", () => {
    assert.deepEqual(loadedClouds("gcp", "us-central1"), ["gcp"]);
  });

  it("an AWS Volume never loads @pulumi/gcp", () => {
    assert.deepEqual(loadedClouds("aws", "us-east-1"), ["aws"]);
  });
});
