/**
 * What no change may do to a network volume, through `DevEnvironment` under mocks: a volume that
 * matches only by name is never attached; the environment's own volume is found again after a
 * destroy; and once a volume exists (its place kept in the `<name>-volume-home` stash), a region,
 * backend, lock or catalog change either keeps the offer where the volume is or stops with an error
 * that names the volume, its zone and the way out: no volume input changes zone, and nothing is
 * declared that would delete one, with or without `deleteVolumesOnDestroy`.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeCatalog } from "../../catalog/file-format";
import type { Catalog } from "../../catalog/types";
import { parseConfig } from "../../config/read";
import { makeLock, writeLock } from "../../offers/lock";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers } from "../../offers/resolve";
import { deploy, deployRejected, type ExistingVolumes } from "../support/component-harness";
import { ownTags } from "../support/fake-volumes";
import { userDataText } from "./aws-build.test";
import { machine, miniCatalog, price } from "../support/mini-catalog";

const BOX = "type: dev-environment\nname: box\nide: vscode\nresources:\n  cpu: 2\n  memory: 8GB\nvolumes:\n  - data:/data\n";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "volume-safety-"));

/** A catalog file: the mini catalog's AWS m5.large and GCP e2-standard-2, at the prices given per region. */
function catalogFile(name: string, m5: [string, number][], e2: [string, number][]): string {
  const base = miniCatalog();
  const catalog: Catalog = {
    ...base,
    regions: [...new Set([...m5, ...e2].map(([region]) => region))].map((region) => ({ backend: region.includes("central") ? "gcp" : "aws", name: region, kind: "standard" })),
    instances: [
      machine("aws", "m5.large", 2, 8, m5.map(([region, cost]) => price(region, cost))),
      machine("gcp", "e2-standard-2", 2, 8, e2.map(([region, cost]) => price(region, cost, null, [`${region}-a`, `${region}-b`]))),
    ],
  };
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, encodeCatalog(catalog));
  return file;
}

const FIRST = catalogFile("first", [["us-east-1", 0.09], ["us-west-2", 0.1]], [["us-central1", 0.2]]);
/** The environment's `data` volume in us-east-1b, and the place kept for it. */
const EXISTING: ExistingVolumes = {
  aws: [{ id: "vol-0data", zone: "us-east-1b", size: 100, tags: ownTags("data", "box") }],
  stashes: { "box-volume-home": { backend: "aws", region: "us-east-1", zone: "us-east-1b" } },
};
const WAY_OUT =
  "A network volume cannot move. To keep it, change that setting so that the offer stays in aws us-east-1 (a lock there: dstack-pulumi lock --backend aws --region us-east-1 FILE). " +
  "To start over elsewhere with new, empty volumes, first remove the volumes from the configuration and run pulumi up (they are kept in the cloud unless deleteVolumesOnDestroy), then make the change.";
const HERE = "box: volume data is in aws us-east-1b, where this stack created it";

describe("DevEnvironment: volumes are never attached by name alone, nor moved", () => {
  describe("ownership", () => {
    it("AWS: a volume that matches only by name is not attached; the error names it, and nothing but the stashes is declared", async () => {
      const { error, recorder } = await deployRejected("box", { config: BOX, catalogPath: FIRST }, { aws: [{ id: "vol-0foreign", zone: "us-east-1c", tags: { Name: "data" } }] });
      assert.equal(
        error.message,
        "box: volume data: the EBS volume vol-0foreign in us-east-1c is named data but was not created in this stack's volume scope (dstack-test/test), so it is not attached. " +
          'To mount it, register it by id in the volumes arg: { name: "data", volumeId: "vol-0foreign", zone: "us-east-1c" }; to create a new volume instead, give the volume another name in the configuration.',
      );
      assert.deepEqual(recorder.resourceList(), ["pulumi:index:Stash box-identity", "pulumi:index:Stash box-offer", "pulumi:index:Stash box-type-zone", "pulumi:index:Stash box-volume-home", "pulumi:index:Stash box-zone"]);
    });

    it("GCP: a disk that matches only by name is not attached; the error names it", async () => {
      const { error, recorder } = await deployRejected("box", { config: BOX, catalogPath: FIRST, backend: "gcp" }, { gcp: [{ name: "data", zone: "us-central1-b" }] });
      assert.equal(
        error.message,
        "box: volume data: the disk data in us-central1-b is named data but was not created in this stack's volume scope (dstack-test/test), so it is not attached. " +
          'To mount it, register it by id in the volumes arg: { name: "data", volumeId: "projects/test-project/zones/us-central1-b/disks/data", zone: "us-central1-b" }; to create a new volume instead, give the volume another name in the configuration.',
      );
      assert.deepEqual(recorder.resourceList(), ["pulumi:index:Stash box-identity", "pulumi:index:Stash box-offer", "pulumi:index:Stash box-type-zone", "pulumi:index:Stash box-volume-home", "pulumi:index:Stash box-zone"]);
    });

    it("a volume registered by id (the volumes arg) is attached as it is: offers in its region, the VM in its zone, nothing declared for it", async () => {
      const d = await deploy("box", { config: BOX, catalogPath: FIRST, volumes: [{ name: "data", volumeId: "vol-0registered", zone: "us-west-2c" }] });
      assert.equal(d.outputs.offer.region, "us-west-2");
      assert.equal(d.outputs.zone, "us-west-2c");
      assert.equal(d.recorder.inputsOf("box-attach-data").volumeId, "vol-0registered");
      assert.ok(!d.recorder.resourceList().some((line) => line.includes("ebs/volume") || line.includes("volume-home")));
      assert.match(userDataText(d.recorder, "box-vm"), /\n *set_up_volume aws 'vol-0registered' 'data' false\n/, "a volume registered by id is never formatted");
    });

    it("formatIfBlank on a volumes entry lets the boot format it; the environment's own volumes may always be", async () => {
      const d = await deploy("box", { config: BOX, catalogPath: FIRST, volumes: [{ name: "data", volumeId: "vol-0new", zone: "us-west-2c", formatIfBlank: true }] });
      assert.match(userDataText(d.recorder, "box-vm"), /\n *set_up_volume aws 'vol-0new' 'data' true\n/);
      const own = await deploy("box", { config: BOX, catalogPath: FIRST });
      assert.match(userDataText(own.recorder, "box-vm"), /\n *set_up_volume aws 'box-vol-data-id' 'data' true\n/);
    });

    it("AWS: its own volume, kept by a destroy, is found again by its marks and imported, in its zone", async () => {
      const d = await deploy("box", { config: BOX, catalogPath: FIRST }, { aws: EXISTING.aws });
      assert.equal(d.outputs.zone, "us-east-1b");
      assert.deepEqual(JSON.parse(JSON.stringify(d.recorder.inputsOf("box-volume-home"))), { input: { backend: "aws", region: "us-east-1", zone: "us-east-1b" } });
      const volume = d.recorder.registrations.find((entry) => entry.name === "box-vol-data")!;
      assert.equal(volume.inputs.availabilityZone, "us-east-1b");
    });

    it("GCP: its own disk, kept by a destroy, is found again by its marks, in its zone", async () => {
      const labels = { dstack_volume: "data", dstack_scope: "dstack-test_test-fb1e9040", dstack_pulumi_owner: "dstack-test_test_box" };
      const d = await deploy("box", { config: BOX, catalogPath: FIRST, backend: "gcp" }, { gcp: [{ name: "data-fb1e9040", zone: "us-central1-b", labels }] });
      assert.equal(d.outputs.zone, "us-central1-b");
      assert.deepEqual(
        (({ name, zone }) => ({ name, zone }))(d.recorder.inputsOf("box-vol-data") as { name: string; zone: string }),
        { name: "data-fb1e9040", zone: "us-central1-b" },
      );
    });
  });

  describe("a change that would move an existing volume", () => {
    const moves: [string, Record<string, unknown>, string][] = [
      ["a region pin", { region: "us-west-2" }, "the region arg asks for us-west-2"],
      ["a backend pin", { backend: "gcp" }, "the backend arg asks for gcp"],
      ["the regions arg", { regions: ["us-west-2", "eu-west-1"] }, "the regions arg allows only us-west-2, eu-west-1"],
      ["a zone pin", { zone: "us-east-1c" }, "the zone arg asks for us-east-1c"],
    ];
    for (const [what, args, reason] of moves) {
      for (const deleteVolumesOnDestroy of [false, true]) {
        it(`${what} (deleteVolumesOnDestroy ${deleteVolumesOnDestroy}): the error names the volume, its zone and the way out; no VM, volume or attachment is declared`, async () => {
          const { error, recorder } = await deployRejected("box", { config: BOX, catalogPath: FIRST, deleteVolumesOnDestroy, ...args }, EXISTING);
          assert.equal(error.message, `${HERE}, but ${reason}. ${WAY_OUT}`);
          assert.deepEqual(recorder.resourceList(), ["pulumi:index:Stash box-identity", "pulumi:index:Stash box-offer", "pulumi:index:Stash box-volume-home"]);
        });
      }
    }

    it("the configuration's backends: the same error, naming the configuration", async () => {
      const { error } = await deployRejected("box", { config: BOX + "backends: [gcp]\n", catalogPath: FIRST }, EXISTING);
      assert.equal(error.message, `${HERE}, but the configuration's backends allows only gcp. ${WAY_OUT}`);
    });

    it("a lock on another backend: the error names the lock", async () => {
      const config = path.join(dir, "locked.dstack.yml");
      fs.writeFileSync(config, BOX);
      const index = new OfferIndex(JSON.parse(JSON.stringify(miniCatalog())) as Catalog);
      const e2 = resolveOffers(parseConfig(BOX), index, { backends: ["gcp"], limit: 1 }).offers[0];
      writeLock(path.join(dir, "locked.dstack.lock.json"), makeLock(e2, "us-central1-a", miniCatalog().stamp));
      const { error } = await deployRejected("box", { configPath: config, catalogPath: FIRST }, EXISTING);
      assert.equal(error.message, `${HERE}, but the lock ${path.join(dir, "locked.dstack.lock.json")} holds gcp us-central1 e2-standard-2. ${WAY_OUT}`);
    });

    it("a catalog with no offer left in the volume's region: the error names the volume and why", async () => {
      const elsewhere = catalogFile("elsewhere", [["us-west-2", 0.1]], [["us-central1", 0.2]]);
      const { error } = await deployRejected("box", { config: BOX, catalogPath: elsewhere }, EXISTING);
      assert.match(error.message, /^box: volume data is in aws us-east-1b, where this stack created it, and no offer there satisfies the configuration: .*A network volume cannot move\./);
    });

    for (const deleteVolumesOnDestroy of [false, true]) {
      it(`a catalog whose cheapest offer moved elsewhere (deleteVolumesOnDestroy ${deleteVolumesOnDestroy}): the offer stays with the volume, whose inputs do not change`, async () => {
        const cheaperElsewhere = catalogFile("cheaper-west", [["us-east-1", 0.09], ["us-west-2", 0.05]], [["us-central1", 0.02]]);
        const before = await deploy("box", { config: BOX, catalogPath: FIRST, deleteVolumesOnDestroy }, EXISTING);
        const volumeBefore = JSON.stringify(before.recorder.inputsOf("box-vol-data"));
        const after = await deploy("box", { config: BOX, catalogPath: cheaperElsewhere, deleteVolumesOnDestroy }, EXISTING);
        assert.equal(JSON.stringify(after.recorder.inputsOf("box-vol-data")), volumeBefore);
        assert.deepEqual([after.outputs.offer.backend, after.outputs.offer.region, after.outputs.zone], ["aws", "us-east-1", "us-east-1b"]);
        assert.ok(after.outputs.warnings.includes("the volumes are in aws us-east-1b: the offer stays there (m5.large at $0.09/h), not gcp us-central1 e2-standard-2"), after.outputs.warnings.join("\n"));
      });
    }

    describe("an existing volume in a zone the catalog does not list for the offer", () => {
      /** A catalog whose m5.large in us-east-1 lists only zones a and c; t3.large (dearer) lists `t3Zones`. */
      function zonedCatalog(name: string, t3Zones: string[]): string {
        const catalog: Catalog = {
          ...miniCatalog(),
          regions: [{ backend: "aws", name: "us-east-1", kind: "standard" }],
          instances: [
            machine("aws", "m5.large", 2, 8, [price("us-east-1", 0.09, null, ["us-east-1a", "us-east-1c"])]),
            machine("aws", "t3.large", 2, 8, [price("us-east-1", 0.1, null, t3Zones)]),
          ],
        };
        const file = path.join(dir, `${name}.json`);
        fs.writeFileSync(file, encodeCatalog(catalog));
        return file;
      }

      for (const [what, existing] of [["with its kept place", EXISTING], ["found again by its marks (no kept place)", { aws: EXISTING.aws }]] as const) {
        it(`${what}: the offer moves to a type offered in the volume's zone, with a warning; the VM goes to that zone`, async () => {
          const d = await deploy("box", { config: BOX, catalogPath: zonedCatalog("zoned-b", ["us-east-1b"]) }, existing);
          assert.deepEqual([d.outputs.offer.instanceType, d.outputs.offer.region, d.outputs.zone], ["t3.large", "us-east-1", "us-east-1b"]);
          assert.deepEqual(d.outputs.warnings.filter((warning: string) => warning.startsWith("the volumes are")), [
            "the volumes are in aws us-east-1b: the offer stays there (t3.large at $0.1/h), not aws us-east-1 m5.large",
          ]);
          assert.equal(d.recorder.inputsOf("box-vm").instanceType, "t3.large");
          assert.equal(d.recorder.inputsOf("box-vm").availabilityZone, "us-east-1b");
          assert.equal(d.recorder.inputsOf("box-vol-data").availabilityZone, "us-east-1b");
        });
      }

      it("an offer whose catalog lists no zones may go anywhere in its region: it stays, with no warning", async () => {
        const catalog = miniCatalog();
        const file = path.join(dir, "unzoned.json");
        fs.writeFileSync(file, encodeCatalog({ ...catalog, regions: [{ backend: "aws", name: "us-east-1", kind: "standard" }], instances: [machine("aws", "m5.large", 2, 8, [price("us-east-1", 0.09)])] }));
        const d = await deploy("box", { config: BOX, catalogPath: file }, EXISTING);
        assert.deepEqual([d.outputs.offer.instanceType, d.outputs.zone], ["m5.large", "us-east-1b"]);
        assert.deepEqual(d.outputs.warnings.filter((warning: string) => warning.startsWith("the volumes are")), []);
      });

      it("no type offered in the volume's zone: refused, naming the volume, its zone and the way out; no VM, volume or attachment", async () => {
        const { error, recorder } = await deployRejected("box", { config: BOX, catalogPath: zonedCatalog("zoned-c", ["us-east-1c"]) }, EXISTING);
        assert.match(error.message, /^box: volume data is in aws us-east-1b, where this stack created it, and no offer there satisfies the configuration: .+\. A network volume cannot move\. To keep it, /);
        assert.ok(error.message.endsWith(WAY_OUT), error.message);
        assert.ok(!recorder.resourceList().some((line) => /ec2\/instance|ebs\/volume|volumeAttachment/.test(line)), recorder.resourceList().join("\n"));
      });
    });

    it("a kept place that holds none of the volumes (never created, or deleted outside Pulumi): the error says how to forget it", async () => {
      const { error } = await deployRejected("box", { config: BOX, catalogPath: FIRST }, { stashes: EXISTING.stashes });
      assert.equal(
        error.message,
        "box: the place kept for this environment's volumes (aws us-east-1b) holds none of them (never created, or deleted outside Pulumi), and the offer now goes to aws us-east-1a. " +
          "To create them there, forget the kept place: pulumi up --replace 'urn:pulumi:test::dstack-test::dstack:index:DevEnvironment$pulumi:index:Stash::box-volume-home'",
      );
    });
  });
});
