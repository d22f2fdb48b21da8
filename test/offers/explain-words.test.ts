/**
 * The one line that says why nothing matched (offers/explain.ts), exactly: the accelerator the
 * catalog lacks in plain words (a name, a vendor, a TPU slice), the constraint that removed the
 * last candidate or candidates, the name notes it tells, and an empty catalog.
 */
import { strict as assert } from "node:assert";
import { parseConfig } from "../../config/read";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers } from "../../offers/resolve";
import { miniCatalog } from "../support/mini-catalog";

const index = new OfferIndex(miniCatalog());
/** With an image of its own, as AMD GPUs need. */
const why = (body: string, on = index) => {
  const result = resolveOffers(parseConfig(`type: dev-environment\nide: vscode\nimage: rocm/dev-ubuntu-22.04\n${body}`), on, {});
  return { constraint: result.noOffers?.constraint, message: result.noOffers?.message, warnings: result.warnings };
};

describe("offers: why nothing matched, in one line", () => {
  it("an accelerator the catalog lacks: by name with its vendor, by vendor, a TPU slice", () => {
    assert.deepEqual(why("resources:\n  gpu: MI300X\n"), {
      constraint: "gpu_name", message: "no offer for 1 x MI300X, on-demand: the catalog has no MI300X GPU, nor any AMD GPU (it has NVIDIA GPUs and Google TPUs)", warnings: [],
    });
    assert.deepEqual(why("resources:\n  gpu: amd:1\n"), { constraint: "gpu_vendor", message: "no offer for 1 x amd GPU, on-demand: the catalog has no AMD GPUs (it has NVIDIA GPUs and Google TPUs)", warnings: [] });
    assert.deepEqual(why("resources:\n  gpu: v6e-8\n"), { constraint: "gpu_name", message: "no offer for 1 x v6e-8, on-demand: the catalog has no v6e-8 TPU slice", warnings: [] });
    assert.deepEqual(why("resources:\n  gpu: a10:1\n").message, 'no offer for 1 x a10, on-demand: the catalog has no a10 GPU (Did you mean "A10G"?)');
    assert.equal(why("resources:\n  gpu: a10x\n").message, 'no offer for 1 x a10x, on-demand: the catalog has no a10x GPU (Did you mean "A10G"?)', "a name of no known vendor: no vendor said");
    assert.equal(
      why("resources:\n  gpu: MI300X,MI250\n").message,
      "no offer for 1 x MI300X/MI250, on-demand: the catalog has no MI300X or MI250 GPU, nor any AMD GPU (it has NVIDIA GPUs and Google TPUs)",
    );
    assert.equal(why("resources:\n  gpu: a10,l44\n").message, 'no offer for 1 x a10/l44, on-demand: the catalog has no a10 or l44 GPU (Did you mean "A10G"? Did you mean "L4"?)');
  });

  it("names the catalog has elsewhere: the name constraint is the reason, and the note of the name it lacks is told", () => {
    assert.deepEqual(why("regions: [eu-west-1]\nresources:\n  gpu: L4,a10x\n"), {
      constraint: "gpu_name", message: 'no offer for 1 x L4/a10x, on-demand: gpu name L4 or a10x removed the last candidate; a10x is in no offer of the catalog (Did you mean "A10G"?)', warnings: [],
    });
  });

  it("the subject names the asked backends this project provisions, and only those", () => {
    assert.deepEqual(why("backends: [aws, azure]\nresources:\n  cpu: 500..\n"), {
      constraint: "cpus", message: "no aws offer for 500.. CPUs, on-demand: cpu 500.. removed the last 7 candidates",
      warnings: ["backends: azure is not provisioned by pulumi-dstack; it provisions aws and gcp (azure ignored)"],
    });
    assert.equal(why("backends: [aws, gcp]\nresources:\n  cpu: 500..\n").message, "no aws or gcp offer for 500.. CPUs, on-demand: cpu 500.. removed the last 11 candidates");
  });

  it("the constraint that removed the last candidate, or the last N; the notes of its names told there, not as warnings", () => {
    assert.deepEqual(why("resources:\n  cpu: 500..\n"), { constraint: "cpus", message: "no offer for 500.. CPUs, on-demand: cpu 500.. removed the last 11 candidates", warnings: [] });
    assert.deepEqual(why("backends: [gcp]\nresources:\n  gpu: tpu:v5litepod-16\n"), {
      constraint: "tpu_hosts", message: "no gcp offer for 1 x v5litepod-16, on-demand: single-host TPU slices (a dev environment runs on one host; dstack never uses v4) removed the last candidate", warnings: [],
    });
    assert.deepEqual(why("instance_types: [g5.xlarg]\n"), {
      constraint: "instance_type", message: 'no offer for any machine, on-demand: instance_types [g5.xlarg] removed the last 22 candidates; g5.xlarg is in no offer of the catalog (Did you mean "g5.xlarge"?)', warnings: [],
    });
  });

  it("an empty catalog is said so, not blamed on a constraint", () => {
    const empty = new OfferIndex({ ...miniCatalog(), instances: [] });
    assert.deepEqual(why("", empty), { constraint: null, message: "no offer for any machine, on-demand: the catalog has no machines", warnings: [] });
  });
});
