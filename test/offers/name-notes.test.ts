/**
 * Names in a request that no offer has, and regions of a backend the request leaves out, exactly
 * as offers/name-notes.ts words them (they become warnings, or part of the no-offer explanation):
 * in field order, with the nearest known name or the other cloud's spelling as the hint.
 */
import { strict as assert } from "node:assert";
import { loadBundledCatalog } from "../../catalog/load";
import { parseConfig } from "../../config/read";
import { nameNotes } from "../../offers/name-notes";
import { OfferIndex } from "../../offers/offer-index";
import { toRequirements } from "../../offers/requirements";
import { miniCatalog } from "../support/mini-catalog";

const requirements = (body: string) => toRequirements(parseConfig(`type: dev-environment\nide: vscode\n${body}`));
const mini = new OfferIndex(miniCatalog());
const bundled = new OfferIndex(loadBundledCatalog());
const notes = (index: OfferIndex, body: string) => nameNotes(requirements(body), index).map((note) => `${note.constraint} ${note.field} ${note.name}: ${note.note}`);

describe("offers: names no offer has", () => {
  it("unknown names in field order, each with the nearest known one; known names in any case are none", () => {
    assert.deepEqual(notes(mini, "instance_types: [g5.xlarg, M5.LARGE]\nregions: [us-east-1, eu-wst-1]\nresources:\n  gpu: a10\n"), [
      'instance_type instance_types g5.xlarg: g5.xlarg is in no offer of the catalog (Did you mean "g5.xlarge"?)',
      'region regions eu-wst-1: eu-wst-1 is in no offer of the catalog (Did you mean "eu-west-1"?)',
      'gpu_name resources.gpu a10: a10 is in no offer of the catalog (Did you mean "A10G"?)',
    ]);
    assert.deepEqual(notes(mini, "instance_types: [zz-nothing-alike]\n"), ["instance_type instance_types zz-nothing-alike: zz-nothing-alike is in no offer of the catalog"]);
    assert.deepEqual(notes(mini, "resources:\n  gpu: V5LITEPOD-8\n"), []);
    assert.deepEqual(notes(mini, ""), []);
  });

  it("a region of the other cloud: whose it is, and its spelling in the asked cloud when that exists", () => {
    assert.deepEqual(notes(bundled, "backends: [aws]\nregions: [us-east1]\n"), ['region regions us-east1: us-east1 is a GCP region, not an AWS one (Did you mean "us-east-1"?)']);
    assert.deepEqual(notes(bundled, "backends: [gcp]\nregions: [us-east-1]\n"), ['region regions us-east-1: us-east-1 is an AWS region, not a GCP one (Did you mean "us-east1"?)']);
    assert.deepEqual(notes(bundled, "backends: [aws]\nregions: [us-central1]\n"), ["region regions us-central1: us-central1 is a GCP region, not an AWS one"]);
    assert.deepEqual(notes(bundled, "backends: [aws, gcp]\nregions: [us-east1, us-east-1]\n"), []);
    assert.deepEqual(notes(bundled, "regions: [us-east1]\n"), [], "no backends asked: every cloud's regions count");
    assert.deepEqual(notes(mini, "backends: [aws]\nregions: [nowhere-1]\n"), ["region regions nowhere-1: nowhere-1 is in no offer of the catalog"], "a region no cloud has: only the unknown name");
    const shared = new OfferIndex({ ...miniCatalog(), regions: [...miniCatalog().regions, { backend: "aws", name: "shared-1", kind: "standard" }, { backend: "gcp", name: "shared-1", kind: "standard" }] });
    assert.deepEqual(notes(shared, "backends: [aws]\nregions: [shared-1]\n"), [], "a region the asked cloud has too, whoever else has it");
  });
});
