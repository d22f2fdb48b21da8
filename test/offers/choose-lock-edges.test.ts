/**
 * The edges of choosing and locking an offer that the mutation run of offers/ (index, resolve,
 * choose, lock, resolution cache) found unchecked: the errors' names, the lock's defaults and its
 * runners-up, which zone a lock pins, lock files that are no lock, names the catalog knows in any
 * case, and the exact warnings of a plain resolution.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "../../config/read";
import { chooseOffer, NoOffersError } from "../../offers/choose";
import { lockFileFor, makeLock, parseLock, readLock, LockError } from "../../offers/lock";
import { OfferIndex } from "../../offers/offer-index";
import { cachedResolution } from "../../offers/resolution-cache";
import { resolveOffers } from "../../offers/resolve";
import { toRequirements } from "../../offers/requirements";
import { miniCatalog } from "../support/mini-catalog";

const catalog = miniCatalog();
const index = new OfferIndex(catalog);
const spec = (body: string) => parseConfig(`type: dev-environment\nide: vscode\n${body}`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "choose-lock-edges-"));

describe("choosing and locking: the edges", () => {
  it("the errors carry their own names", () => {
    assert.throws(() => chooseOffer(spec("resources:\n  gpu: H100\n"), index), (error: Error) => error instanceof NoOffersError && error.name === "NoOffersError" && Array.isArray((error as NoOffersError).warnings));
    assert.throws(() => parseLock("{}", "x.lock.json"), (error: Error) => error instanceof LockError && error.name === "LockError");
    assert.deepEqual(new NoOffersError({ message: "none", nearest: [] } as never).warnings, []);
  });

  it("a stale lock without a lockFile is called 'the lock file'", () => {
    const m5 = resolveOffers(spec("instance_types: [m5.large]\n"), index, { limit: 1 }).offers[0];
    const choice = chooseOffer(spec("resources:\n  gpu: L4\n"), index, { lock: makeLock(m5, null, catalog.stamp) });
    assert.match(choice.warnings[0], /^the lock file is stale \(it misses /);
    assert.equal(choice.source, "catalog");
  });

  it("a lock: its machine is no runner-up, at most four runners-up, and only a zone (the lock's or the arg's) pins", () => {
    const cheap = spec("resources:\n  cpu: 2..\n");
    const all = resolveOffers(cheap, index, {}).offers;
    const locked = all[1];
    const lock = makeLock(locked, null, catalog.stamp);
    const choice = chooseOffer(cheap, index, { lock });
    assert.equal(choice.source, "lock");
    assert.equal(choice.offer.instance_type, locked.instance_type);
    assert.deepEqual(choice.runnersUp.map((offer) => offer.instance_type), [all[0], ...all.slice(2, 5)].map((offer) => offer.instance_type), "the locked machine is not its own runner-up");
    assert.deepEqual([locked.instance_type, locked.zones], ["e2-standard-2", ["us-central1-a", "us-central1-b"]]);
    assert.deepEqual([choice.zone, choice.zonePinned], ["us-central1-a", false], "the offer's first zone does not pin");
    const zoned = chooseOffer(cheap, index, { lock: makeLock(locked, "us-central1-b", catalog.stamp) });
    assert.deepEqual([zoned.zone, zoned.zonePinned], ["us-central1-b", true]);
    const pinned = chooseOffer(cheap, index, { lock, zone: "us-central1-b" });
    assert.deepEqual([pinned.zone, pinned.zonePinned], ["us-central1-b", true]);
  });

  it("the lock file's name: only a final .yml or .yaml goes", () => {
    assert.equal(lockFileFor("box.yml.dstack.yml"), "box.yml.dstack.lock.json");
    assert.equal(lockFileFor("configs.yaml/box.dstack.YML"), "configs.yaml/box.dstack.lock.json");
    assert.equal(lockFileFor("box"), "box.lock.json");
  });

  it("a lock that cannot be read or is no lock: a LockError that says which", () => {
    assert.equal(readLock(path.join(dir, "absent.lock.json")), null);
    assert.throws(() => readLock(dir), { name: "LockError", message: `${dir}: cannot read the lock: EISDIR: illegal operation on a directory, read` });
    assert.throws(() => parseLock("{", "x.lock.json"), { name: "LockError", message: /^x\.lock\.json: not a lock file: / });
    const good = { format: 1, offer: { backend: "aws", region: "us-east-1", instance_type: "m5.large" }, zone: null, catalog: { built_from: "", data_date: "" } };
    assert.equal(parseLock(JSON.stringify(good), "x").offer.instance_type, "m5.large");
    const message = "x: not a pulumi-dstack lock (format 1 with an offer); delete it or run dstack-pulumi lock again";
    const broken: [string, unknown][] = [
      ["null", null],
      ["format 2", { ...good, format: 2 }],
      ["no offer", { ...good, offer: undefined }],
      ["instance type a number", { ...good, offer: { ...good.offer, instance_type: 5 } }],
      ["region missing", { ...good, offer: { ...good.offer, region: undefined } }],
      ["backend azure", { ...good, offer: { ...good.offer, backend: "azure" } }],
      ["backend gcp is fine", { ...good, offer: { ...good.offer, backend: "gcp" } }],
    ];
    for (const [what, value] of broken) {
      if (what.endsWith("is fine")) assert.equal(parseLock(JSON.stringify(value), "x").offer.backend, "gcp");
      else assert.throws(() => parseLock(JSON.stringify(value), "x"), { name: "LockError", message }, what);
    }
  });

  it("names the catalog knows, in any case, are no warning; unknown ones are", () => {
    const known = resolveOffers(spec("instance_types: [M5.Large, g5.XLARGE]\nregions: [US-EAST-1]\nresources:\n  gpu: a10g\n"), index, {});
    assert.deepEqual(known.warnings, []);
    assert.deepEqual(known.offers.map((offer) => offer.instance_type), ["g5.xlarge"]);
    const unknown = resolveOffers(spec("instance_types: [m5.large, m5.nothing]\n"), index, {});
    assert.deepEqual(unknown.warnings.map((warning) => warning.split(" is in no offer")[0]), ["instance_types: m5.nothing"]);
    const tpu = resolveOffers(spec("resources:\n  gpu: V5LITEPOD-8\n"), index, {});
    assert.deepEqual([tpu.warnings, tpu.offers[0].instance_type], [[], "v5litepod-8"]);
  });

  it("a plain resolution has no warnings; a reservation with spot allowed says spot is left out", () => {
    assert.deepEqual(resolveOffers(spec("resources:\n  cpu: 2..\n"), index, {}).warnings, []);
    assert.deepEqual(resolveOffers(spec("resources:\n  cpu: 2..\nspot_policy: auto\n"), index, {}).warnings, []);
    assert.deepEqual(resolveOffers(spec("resources:\n  cpu: 2..\nreservation: cr-0123\nspot_policy: auto\n"), index, {}).warnings, [
      "reservation cr-0123: spot offers are left out, a reservation is on-demand capacity",
    ]);
    assert.deepEqual(resolveOffers(spec("resources:\n  cpu: 2..\nreservation: cr-0123\nspot_policy: on-demand\n"), index, {}).warnings, []);
  });

  it("a reservation or on-demand policy matches on-demand rows only, spot spot rows only, auto both", () => {
    const markets = (body: string) => [...new Set(resolveOffers(spec(`resources:\n  cpu: 2..\n${body}`), index, {}).offers.map((offer) => offer.spot))].sort();
    assert.deepEqual(markets("spot_policy: on-demand\n"), [false]);
    assert.deepEqual(markets("spot_policy: spot\n"), [true]);
    assert.deepEqual(markets("spot_policy: auto\n"), [false, true]);
    assert.deepEqual(markets("spot_policy: auto\nreservation: cr-0123\n"), [false]);
  });

  it("the resolution cache gives each caller the warnings, a copy", () => {
    const requirements = toRequirements(spec("instance_types: [m5.nothing, m5.large]\n"));
    const first = cachedResolution(requirements, index, 5);
    assert.equal(first.warnings.length, 1);
    first.warnings.push("changed by a caller");
    assert.deepEqual(cachedResolution(requirements, index, 5).warnings, [first.warnings[0]]);
  });
});
