/**
 * The lock of a chosen offer: where it lives, when it holds (its own facts, not the catalog's),
 * when it is stale and why, and `dstack-pulumi lock`.
 */
import { strict as assert } from "node:assert";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodeCatalog } from "../../catalog/file-format";
import { parseConfig } from "../../config/read";
import { chooseOffer, NoOffersError } from "../../offers/choose";
import { lockFileFor, makeLock, readLock, LockError } from "../../offers/lock";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers } from "../../offers/resolve";
import { miniCatalog } from "../support/mini-catalog";
import { run } from "../support/run-cli";

const catalog = miniCatalog();
const index = new OfferIndex(catalog);
const spec = (body: string) => parseConfig(`type: dev-environment\nide: vscode\n${body}`);

describe("offer lock", () => {
  it("lives next to the configuration", () => {
    assert.equal(lockFileFor("examples/gpu/.dstack.yml"), "examples/gpu/.dstack.lock.json");
    assert.equal(lockFileFor("box.dstack.yaml"), "box.dstack.lock.json");
  });

  it("without a lock: the top offer, its first known zone, and a warning", () => {
    const choice = chooseOffer(spec("resources:\n  gpu: L4,A10G\n"), index, { lockFile: "x.lock.json" });
    assert.equal(choice.source, "catalog");
    assert.equal(choice.offer.instance_type, "g6.xlarge");
    assert.deepEqual(choice.runnersUp.map((o) => o.instance_type), ["g5.xlarge"]);
    assert.equal(choice.zone, null);
    assert.deepEqual(choice.warnings, ["no lock (x.lock.json): the offer is the catalog's top one; pulumi up keeps the one it first chose (in the stack's state) until the requirements change; dstack-pulumi lock fixes it in the repository"]);
  });

  it("a lock that still satisfies the file wins over a cheaper offer and over the catalog's current price", () => {
    const g5 = resolveOffers(spec("instance_types: [g5.xlarge]\n"), index, { limit: 1 }).offers[0];
    const lock = makeLock({ ...g5, price_per_hour: 1.5 }, "us-east-1b", catalog.stamp);
    const choice = chooseOffer(spec("resources:\n  gpu: L4,A10G\n  disk: 200GB..\n"), index, { lock });
    assert.equal(choice.source, "lock");
    assert.equal(choice.offer.instance_type, "g5.xlarge");
    assert.equal(choice.offer.price_per_hour, 1.5);
    assert.equal(choice.offer.disk_gb, 200, "the boot disk follows the configuration");
    assert.equal(choice.zone, "us-east-1b");
    assert.deepEqual(choice.runnersUp.map((o) => o.instance_type), ["g6.xlarge"]);
    assert.deepEqual(choice.warnings, []);
  });

  it("a stale lock: a warning naming what it misses, and the top offer", () => {
    const g5 = resolveOffers(spec("instance_types: [g5.xlarge]\n"), index, { limit: 1 }).offers[0];
    const choice = chooseOffer(spec("max_price: 0.9\nresources:\n  gpu: L4\n"), index, { lock: makeLock(g5, null, catalog.stamp), lockFile: "box.lock.json" });
    assert.equal(choice.source, "catalog");
    assert.equal(choice.offer.instance_type, "g6.xlarge");
    assert.deepEqual(choice.warnings, ["box.lock.json is stale (it misses gpu name L4; max_price $0.9/h): taking the top offer; run dstack-pulumi lock to lock it"]);
  });

  it("no offers and no valid lock: NoOffersError with the explanation", () => {
    assert.throws(() => chooseOffer(spec("backends: [aws]\nresources:\n  gpu: A100:80GB:2\n"), index), (error: unknown) => error instanceof NoOffersError && /gpu count 2 removed the last candidate/.test(error.message));
  });

  it("a broken lock file is named", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lock-")), "x.lock.json");
    assert.equal(readLock(file), null);
    fs.writeFileSync(file, "{\"format\": 2}");
    assert.throws(() => readLock(file), new LockError(`${file}: not a pulumi-dstack lock (format 1 with an offer); delete it or run dstack-pulumi lock again`));
  });

  it("dstack-pulumi lock writes the top offer next to the file and says what it replaced", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lock-cli-"));
    const catalogFile = path.join(dir, "catalog.json");
    fs.writeFileSync(catalogFile, encodeCatalog(catalog));
    const file = path.join(dir, ".dstack.yml");
    fs.writeFileSync(file, "type: dev-environment\nide: vscode\nresources:\n  gpu: T4\n");
    const first = run("lock", "--catalog", catalogFile, file);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, `${path.join(dir, ".dstack.lock.json")}: locked gcp us-central1 (us-central1-a) n1-standard-4 1xT4 (16GB) at $0.54/h\n`);
    const lock = readLock(path.join(dir, ".dstack.lock.json"))!;
    assert.deepEqual([lock.offer.instance_type, lock.zone, lock.catalog.data_date], ["n1-standard-4", "us-central1-a", "2026-08-21"]);
    fs.writeFileSync(file, "type: dev-environment\nide: vscode\nresources:\n  gpu: L4\n");
    const second = run("lock", "--catalog", catalogFile, file);
    assert.equal(second.stdout, `${path.join(dir, ".dstack.lock.json")}: locked aws us-east-1 g6.xlarge 1xL4 (24GB) at $0.805/h, replacing gcp us-central1 n1-standard-4\n`);
    fs.writeFileSync(file, "type: dev-environment\nide: vscode\nbackends: [aws]\nresources:\n  gpu: A100:80GB:2\n");
    assert.equal(run("lock", "--catalog", catalogFile, file).code, 3);
  });
});
