/**
 * What a stack keeps from its first deployment (components/kept-placement.ts), through
 * `DevEnvironment` under mocks with the `<name>-offer` and `<name>-zone` stashes as a state would
 * hold them: the kept machine at today's catalog price (or as recorded when the catalog lost it),
 * the kept zone, and every malformed recorded value counted as absent: the choice is then today's,
 * never a half-read record.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeCatalog } from "../../catalog/file-format";
import { loadBundledCatalog } from "../../catalog/load";
import type { Catalog } from "../../catalog/types";
import { parseConfig } from "../../config/read";
import { offerKey } from "../../components/kept-placement";
import { chooseOffer, type ChooseOptions } from "../../offers/choose";
import { makeLock } from "../../offers/lock";
import { sameMachine, type Offer } from "../../offers/offer";
import { OfferIndex } from "../../offers/offer-index";
import { deploy, type ExistingVolumes } from "../support/component-harness";
import { machine, miniCatalog, price } from "../support/mini-catalog";

const BOX = "type: dev-environment\nname: box\nide: vscode\nbackends: [aws]\nresources:\n  cpu: 2..\n  memory: 8GB..\n";
const GCP_BOX = BOX.replace("[aws]", "[gcp]");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kept-placement-"));

/** AWS us-east-1: m5.large (zones a, b) is today's choice; m5.xlarge (zones b, c) is what a stack may have kept. GCP: e2-standard-8 (zones a, b). */
function catalog(): Catalog {
  const base = miniCatalog();
  return {
    ...base,
    regions: [{ backend: "aws", name: "us-east-1", kind: "standard" }, { backend: "gcp", name: "us-central1", kind: "standard" }],
    instances: [
      machine("aws", "m5.large", 2, 8, [price("us-east-1", 0.096, 0.04, ["us-east-1a", "us-east-1b"])]),
      machine("aws", "m5.xlarge", 4, 16, [price("us-east-1", 0.192, 0.08, ["us-east-1b", "us-east-1c"])]),
      // No zones in the catalog, as AWS rows are: EC2's offerings (a, b, c under mocks) decide.
      machine("aws", "m5.2xlarge", 8, 32, [price("us-east-1", 0.384, 0.16)]),
      machine("gcp", "e2-standard-8", 8, 32, [price("us-central1", 0.268, 0.08, ["us-central1-a", "us-central1-b"])]),
    ],
  };
}
const CATALOG = path.join(dir, "catalog.json");
fs.writeFileSync(CATALOG, encodeCatalog(catalog()));
const ARGS = { config: BOX, catalogPath: CATALOG };

/** The key the stack records for BOX with no lock (as the first deployment's `box-offer` stash holds it). */
function boxKey(options: ChooseOptions = {}): string {
  const spec = parseConfig(BOX, "box.dstack.yml");
  return offerKey(chooseOffer(spec, new OfferIndex(catalog()), options), options);
}

/** A recorded offer as the stash holds it (dstack's snake_case JSON), m5.xlarge unless overridden. */
function recorded(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    backend: "aws", region: "us-east-1", zones: ["us-east-1c"], instance_type: "m5.xlarge", cpus: 4, memory_gb: 16, arch: "x86",
    gpu: null, tpu: null, disk_gb: 100, spot: false, price_per_hour: 0.5, estimated_price: false, ...overrides,
  };
}

async function placed(stashes: ExistingVolumes["stashes"], config = BOX): Promise<{ instanceType: string; price: number; spot: boolean; zone: string; offerStash: unknown; warnings: string[] }> {
  const { outputs, recorder } = await deploy("box", { ...ARGS, config }, { stashes });
  const offer = outputs.offer as unknown as { instanceType: string; pricePerHour: number; spot: boolean };
  return { instanceType: offer.instanceType, price: offer.pricePerHour, spot: offer.spot, zone: outputs.zone, offerStash: recorder.inputsOf("box-offer").input, warnings: outputs.warnings };
}

describe("DevEnvironment: the machine and zone a stack keeps", () => {
  it("nothing kept: today's cheapest machine in its first zone, and that is what the stash records", async () => {
    const today = await placed({});
    assert.deepEqual({ ...today, offerStash: undefined, warnings: undefined }, { instanceType: "m5.large", price: 0.096, spot: false, zone: "us-east-1a", offerStash: undefined, warnings: undefined });
    assert.equal((today.offerStash as { key: string }).key, boxKey());
    assert.equal((today.offerStash as { offer: { instance_type: string } }).offer.instance_type, "m5.large");
  });

  it("a kept machine for the same key stays, at today's catalog price, in the zones it was recorded with (the stash's input is today's choice)", async () => {
    const kept = await placed({ "box-offer": { key: boxKey(), offer: recorded() } });
    assert.deepEqual([kept.instanceType, kept.price, kept.spot, kept.zone], ["m5.xlarge", 0.192, false, "us-east-1c"]);
    assert.deepEqual(kept.warnings, (await placed({})).warnings, "the choice's warnings stay");
    assert.match(kept.warnings.join("\n"), /^no lock \(/m);
    assert.deepEqual((kept.offerStash as { offer: { instance_type: string } }).offer.instance_type, "m5.large");
  });

  it("a kept spot machine stays spot, at today's spot price", async () => {
    const kept = await placed({ "box-offer": { key: boxKey(), offer: recorded({ spot: true }) } });
    assert.deepEqual([kept.instanceType, kept.price, kept.spot], ["m5.xlarge", 0.08, true]);
  });

  it("a kept machine the catalog no longer has: as recorded (its price), in the first zone EC2 offers it (no zones recorded)", async () => {
    const kept = await placed({ "box-offer": { key: boxKey(), offer: recorded({ instance_type: "m5.8xlarge", cpus: 32, memory_gb: 128, price_per_hour: 1.536, zones: [] }) } });
    assert.deepEqual([kept.instanceType, kept.price, kept.zone], ["m5.8xlarge", 1.536, "us-east-1a"]);
  });

  it("the same machine as today's: today's choice, not the recorded zones (the zone stash keeps the zone)", async () => {
    const kept = await placed({ "box-offer": { key: boxKey(), offer: recorded({ instance_type: "m5.large", zones: ["us-east-1b"], price_per_hour: 0.5 }) } });
    assert.deepEqual([kept.instanceType, kept.price, kept.zone], ["m5.large", 0.096, "us-east-1a"]);
  });

  it("another key (the requirements changed): today's choice", async () => {
    const kept = await placed({ "box-offer": { key: "0123456789abcdef", offer: recorded() } });
    assert.deepEqual([kept.instanceType, kept.price, kept.zone], ["m5.large", 0.096, "us-east-1a"]);
  });

  it("a malformed recorded offer counts as absent, field by field", async () => {
    const broken: [string, unknown][] = [
      ["no value", null],
      ["a string", "m5.xlarge"],
      ["no offer", { key: boxKey() }],
      ["backend azure", { key: boxKey(), offer: recorded({ backend: "azure" }) }],
      ["no backend", { key: boxKey(), offer: recorded({ backend: undefined }) }],
      ["region a number", { key: boxKey(), offer: recorded({ region: 1 }) }],
      ["no instance type", { key: boxKey(), offer: recorded({ instance_type: undefined }) }],
      ["spot a string", { key: boxKey(), offer: recorded({ spot: "true" }) }],
      ["zones a string", { key: boxKey(), offer: recorded({ zones: "us-east-1c" }) }],
      ["no price", { key: boxKey(), offer: recorded({ price_per_hour: undefined }) }],
      ["price a string", { key: boxKey(), offer: recorded({ price_per_hour: "0.5" }) }],
    ];
    for (const [what, value] of broken) {
      const kept = await placed({ "box-offer": value });
      assert.deepEqual([kept.instanceType, kept.price, kept.zone], ["m5.large", 0.096, "us-east-1a"], what);
    }
  });

  it("a zone pin wins over the kept machine's recorded zones", async () => {
    const { outputs } = await deploy("box", { ...ARGS, zone: "us-east-1b" }, { stashes: { "box-offer": { key: boxKey({ zone: "us-east-1b" }), offer: recorded() } } });
    assert.deepEqual([(outputs.offer as unknown as { instanceType: string }).instanceType, outputs.zone], ["m5.xlarge", "us-east-1b"]);
  });

  it("a kept zone for the same place and type holds; for another place, or malformed, today's zone", async () => {
    const zone = async (value: unknown) => (await placed({ "box-zone": value })).zone;
    assert.equal(await zone({ place: "aws/us-east-1", zone: "us-east-1b", instanceType: "m5.large" }), "us-east-1b");
    assert.equal(await zone({ place: "aws/us-east-1", zone: "us-east-1f", instanceType: "m5.large" }), "us-east-1f", "the VM exists there, whatever the catalog and EC2 say");
    assert.equal(await zone({ place: "aws/us-east-1", zone: "us-east-1b", instanceType: "m5.2xlarge" }), "us-east-1b", "a new type keeps the zone while it offers the type");
    assert.equal(await zone({ place: "aws/us-east-1", zone: "us-east-1f", instanceType: "m5.2xlarge" }), "us-east-1a", "a new type the zone does not offer moves");
    assert.equal(await zone({ place: "aws/us-west-2", zone: "us-west-2b", instanceType: "m5.large" }), "us-east-1a");
    for (const broken of [null, { place: 1, zone: "us-east-1b", instanceType: "m5.large" }, { place: "aws/us-east-1", instanceType: "m5.large" }, { place: "aws/us-east-1", zone: "us-east-1b" }]) {
      assert.equal(await zone(broken), "us-east-1a", JSON.stringify(broken));
    }
  });
});

describe("DevEnvironment: the zones the user asks for decide over a kept zone; the catalog's do not", () => {
  const zoneOf = async (config: string, kept: unknown) => (await placed({ "box-zone": kept }, config)).zone;

  it("AWS: availability_zones without the kept zone move the VM to a zone asked for; with it, it stays", async () => {
    const kept = { place: "aws/us-east-1", zone: "us-east-1a", instanceType: "m5.large" };
    assert.equal(await zoneOf(`${BOX}availability_zones: [us-east-1b]\n`, kept), "us-east-1b");
    assert.equal(await zoneOf(`${BOX}availability_zones: [us-east-1b, us-east-1a]\n`, kept), "us-east-1a");
    assert.equal(await zoneOf(`${BOX}availability_zones: [US-EAST-1A]\n`, kept), "us-east-1a", "zones are compared in lower case");
  });

  it("GCP: the same rule; and a kept zone the catalog no longer lists for the type stays", async () => {
    const kept = (zone: string) => ({ place: "gcp/us-central1", zone, instanceType: "e2-standard-8" });
    assert.equal(await zoneOf(GCP_BOX, kept("us-central1-b")), "us-central1-b");
    assert.equal(await zoneOf(GCP_BOX, kept("us-central1-f")), "us-central1-f", "the VM exists there");
    assert.equal(await zoneOf(`${GCP_BOX}availability_zones: [us-central1-a]\n`, kept("us-central1-b")), "us-central1-a");
    assert.equal(await zoneOf(`${GCP_BOX}availability_zones: [us-central1-a, us-central1-b]\n`, kept("us-central1-b")), "us-central1-b");
  });
});

describe("DevEnvironment: the zone an instance type went to stays its zone", () => {
  const M5_2X = `${BOX}instance_types: [m5.2xlarge]\n`;
  const FIRST_ZONE = { place: "aws/us-east-1", zone: "us-east-1a", instanceType: "m5.large" };
  const zoneOf = async (config: string, stashes: Record<string, unknown>) => (await placed(stashes, config)).zone;

  it("a first deployment records its zone for its type", async () => {
    const { recorder } = await deploy("box", { ...ARGS, config: M5_2X });
    assert.deepEqual(JSON.parse(JSON.stringify(recorder.inputsOf("box-type-zone").input)), { place: "aws/us-east-1", zone: "us-east-1a", instanceType: "m5.2xlarge" });
  });

  it("a VM that moved for a new type does not move back when the first zone offers the type later", async () => {
    // m5.large was first in us-east-1a; m5.2xlarge went to us-east-1c; EC2 now offers it in us-east-1a too.
    const moved = { place: "aws/us-east-1", zone: "us-east-1c", instanceType: "m5.2xlarge" };
    assert.equal(await zoneOf(M5_2X, { "box-zone": FIRST_ZONE, "box-type-zone": moved }), "us-east-1c");
    assert.equal(await zoneOf(M5_2X, { "box-zone": FIRST_ZONE }), "us-east-1a", "without the record: the first zone, which offers the type");
    assert.equal(await zoneOf(M5_2X, { "box-zone": FIRST_ZONE, "box-type-zone": { ...moved, instanceType: "m5.xlarge" } }), "us-east-1a", "a record of another type");
    assert.equal(await zoneOf(M5_2X, { "box-zone": FIRST_ZONE, "box-type-zone": { ...moved, place: "aws/us-west-2" } }), "us-east-1a", "a record of another place");
    assert.equal(await zoneOf(`${M5_2X}availability_zones: [us-east-1a, us-east-1b]\n`, { "box-zone": FIRST_ZONE, "box-type-zone": moved }), "us-east-1a", "a zone the user no longer asks for");
    assert.equal(await zoneOf(M5_2X, { "box-zone": FIRST_ZONE, "box-type-zone": { place: "aws/us-east-1", zone: 3 } }), "us-east-1a", "a malformed record");
  });
});

describe("offerKey and sameMachine", () => {
  const spec = (text: string) => parseConfig(text, "box.dstack.yml");
  const index = new OfferIndex(catalog());
  const key = (text: string, options: ChooseOptions = {}) => offerKey(chooseOffer(spec(text), index, options), options);

  it("the disk does not change the key; the rest of the requirements and the lock do", () => {
    const base = key(BOX);
    assert.match(base, /^[0-9a-f]{16}$/);
    assert.equal(key(BOX), base);
    assert.equal(key(`${BOX}  disk: 500GB\n`), base);
    assert.notEqual(key(BOX.replace("cpu: 2..", "cpu: 4..")), base);
    assert.notEqual(key(`${BOX}spot_policy: auto\n`), base);
    assert.notEqual(key(BOX, { regions: ["us-east-1"] }), base);
    const offer = chooseOffer(spec(BOX), index).offer;
    const lock = makeLock(offer, null, catalog().stamp);
    const locked = key(BOX, { lock });
    assert.notEqual(locked, base);
    assert.notEqual(key(BOX, { lock: makeLock(offer, "us-east-1b", catalog().stamp) }), locked, "the lock's zone is part of it");
  });

  it("the key of a configuration is the same in every version: a new key would re-choose every stack's machine on upgrade", () => {
    const cases: [string, string][] = [
      ["type: dev-environment\nide: vscode\n", "d89a2a9f29603608"],
      ["type: dev-environment\nide: vscode\nresources:\n  gpu: A10G\n", "9ccc4d1df6a58f21"],
      ["type: dev-environment\nide: vscode\nspot_policy: auto\nresources:\n  gpu: 24GB..:1\n  disk: 200GB\n", "3b8a6e330f56c1c2"],
    ];
    const bundled = new OfferIndex(loadBundledCatalog());
    for (const [text, expected] of cases) assert.equal(offerKey(chooseOffer(spec(text), bundled, {}), {}), expected, text);
  });

  it("GPU names as written do not change the key; the GPU does", () => {
    const idx = new OfferIndex(miniCatalog());
    const gpuKey = (line: string) => {
      const options: ChooseOptions = {};
      return offerKey(chooseOffer(spec(`type: dev-environment\nide: vscode\nresources:\n  gpu: ${line}\n`), idx, options), options);
    };
    assert.equal(gpuKey("A10G"), gpuKey("a10g"));
    assert.notEqual(gpuKey("A10G"), gpuKey("L4"));
  });

  it("sameMachine: backend, region, instance type, market and GPU count, each", () => {
    const a = recorded({ gpu: { vendor: "nvidia", name: "A10G", memory_gb: 24, count: 1 } }) as unknown as Offer;
    assert.equal(sameMachine(a, { ...a, price_per_hour: 9, zones: [], disk_gb: 1 }), true);
    for (const [field, value] of [["backend", "gcp"], ["region", "us-west-2"], ["instance_type", "m5.large"], ["spot", true], ["gpu", { ...a.gpu!, count: 2 }], ["gpu", null]] as const) {
      assert.equal(sameMachine(a, { ...a, [field]: value }), false, field);
      assert.equal(sameMachine({ ...a, [field]: value }, a), false, `${field} (the other way)`);
    }
  });
});
