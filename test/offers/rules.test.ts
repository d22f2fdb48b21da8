/**
 * Resolution rules on a small hand-made catalog: each of dstack's matching rules, the spot policy,
 * the price cap, placement filters, the disk range per backend and the tie-break.
 */
import { strict as assert } from "node:assert";
import { parseConfig } from "../../config/read";
import { groupOffers } from "../../offers/offer";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers, type ResolveOptions } from "../../offers/resolve";
import { gpu, machine, miniCatalog, price } from "../support/mini-catalog";

const index = new OfferIndex(miniCatalog());

/** `backend region instance_type spot|od price` per offer, in order. */
function offers(body: string, options: ResolveOptions = {}): string[] {
  const spec = parseConfig(`type: dev-environment\nide: vscode\n${body}`);
  return resolveOffers(spec, index, options).offers.map((o) => `${o.backend} ${o.region} ${o.instance_type} ${o.spot ? "spot" : "od"} ${o.price_per_hour}`);
}

describe("offers: dstack's matching rules", () => {
  it("with no resources: cpu 2.., memory 8GB.., x86, on-demand, standard regions; CPU and GPU machines alike, cheapest first", () => {
    assert.deepEqual(offers(""), [
      "aws us-east-1 t3.large od 0.067",
      "gcp us-central1 e2-standard-2 od 0.067",
      "aws us-east-1 m5.large od 0.096",
      "aws eu-west-1 m5.large od 0.107",
      "gcp us-central1 n1-standard-4 od 0.54",
      "aws us-east-1 g6.xlarge od 0.805",
      "aws us-east-1 g5.xlarge od 1.006",
      "gcp us-central1 v5litepod-8 od 9.6",
      "gcp us-central1 a2-ultragpu-2g od 10.1",
      "aws us-east-1 p4d.24xlarge od 21.96",
      "aws us-east-1 p4de.24xlarge od 27.45",
    ]);
  });

  it("cpu and memory ranges are inclusive", () => {
    assert.deepEqual(offers("resources:\n  cpu: 4..4\n  memory: 16GB..16GB\n"), ["aws us-east-1 g6.xlarge od 0.805", "aws us-east-1 g5.xlarge od 1.006"]);
  });

  it("cpu arch arm picks Graviton only", () => {
    assert.deepEqual(offers("resources:\n  cpu: arm:2..\n"), ["aws us-east-1 c7g.xlarge od 0.145"]);
  });

  it("GPU names are case-insensitive and any-of; a GPU request leaves CPU machines out", () => {
    assert.deepEqual(offers("resources:\n  gpu: l4,A10g\n"), ["aws us-east-1 g6.xlarge od 0.805", "aws us-east-1 g5.xlarge od 1.006"]);
  });

  it("per-GPU memory tells A100 40GB from 80GB; the count is exact by default", () => {
    assert.deepEqual(offers("resources:\n  gpu: A100:80GB:8\n"), ["aws us-east-1 p4de.24xlarge od 27.45"]);
    assert.deepEqual(offers("resources:\n  gpu: A100:40GB:8\n"), ["aws us-east-1 p4d.24xlarge od 21.96"]);
    assert.deepEqual(offers("resources:\n  gpu: A100:80GB:2\n"), ["gcp us-central1 a2-ultragpu-2g od 10.1"]);
  });

  it("total GPU memory is count x memory (a GPU object without count means exactly one GPU, as in dstack 0.18)", () => {
    assert.deepEqual(offers("resources:\n  gpu:\n    total_memory: 300GB..\n"), []);
    assert.deepEqual(offers("resources:\n  gpu:\n    count: 1..\n    total_memory: 300GB..\n"), ["aws us-east-1 p4d.24xlarge od 21.96", "aws us-east-1 p4de.24xlarge od 27.45"]);
  });

  it("compute capability is a minimum, NVIDIA only", () => {
    assert.deepEqual(offers("resources:\n  gpu:\n    compute_capability: 8.6\n"), ["aws us-east-1 g6.xlarge od 0.805", "aws us-east-1 g5.xlarge od 1.006"]);
  });

  it("a count range with 0 keeps CPU machines", () => {
    assert.deepEqual(offers("resources:\n  gpu: 0..1\n  cpu: 2\n"), ["aws us-east-1 t3.large od 0.067", "gcp us-central1 e2-standard-2 od 0.067", "aws us-east-1 m5.large od 0.096", "aws eu-west-1 m5.large od 0.107"]);
    assert.deepEqual(offers("resources:\n  gpu: 1..2\n  cpu: 4\n"), ["gcp us-central1 n1-standard-4 od 0.54", "aws us-east-1 g6.xlarge od 0.805", "aws us-east-1 g5.xlarge od 1.006"]);
  });

  it("TPU: slice name, vendor only, HBM; multi-host slices are left out", () => {
    assert.deepEqual(offers("resources:\n  gpu: v5litepod-8\n"), ["gcp us-central1 v5litepod-8 od 9.6"]);
    assert.deepEqual(offers("resources:\n  gpu: tpu\n"), ["gcp us-central1 v5litepod-8 od 9.6"]);
    assert.deepEqual(offers("resources:\n  gpu: tpu:100GB..\n"), ["gcp us-central1 v5litepod-8 od 9.6"]);
    assert.deepEqual(offers("resources:\n  gpu: v5litepod-16\n"), []);
  });
});

describe("offers: policy, price and placement", () => {
  it("spot_policy: on-demand by default, spot only spot, auto mixes both by price", () => {
    assert.deepEqual(offers("spot_policy: spot\nresources:\n  gpu: L4,A10G\n"), ["aws us-east-1 g6.xlarge spot 0.3", "aws us-east-1 g5.xlarge spot 0.45"]);
    assert.deepEqual(offers("spot_policy: auto\nresources:\n  gpu: L4,A10G\n"), [
      "aws us-east-1 g6.xlarge spot 0.3",
      "aws us-east-1 g5.xlarge spot 0.45",
      "aws us-east-1 g6.xlarge od 0.805",
      "aws us-east-1 g5.xlarge od 1.006",
    ]);
  });

  it("max_price is inclusive", () => {
    assert.deepEqual(offers("max_price: 0.096\n"), ["aws us-east-1 t3.large od 0.067", "gcp us-central1 e2-standard-2 od 0.067", "aws us-east-1 m5.large od 0.096"]);
  });

  it("regions and instance_types match case-insensitively; a Local Zone only when named", () => {
    assert.deepEqual(offers("regions: [EU-WEST-1]\n"), ["aws eu-west-1 m5.large od 0.107"]);
    assert.deepEqual(offers("instance_types: [M5.Large]\n"), ["aws us-east-1 m5.large od 0.096", "aws eu-west-1 m5.large od 0.107"]);
    assert.deepEqual(offers("regions: [us-west-2-lax-1]\n"), ["aws us-west-2-lax-1 m5.large od 0.05"]);
  });

  it("availability_zones narrow the zones; zones the catalog does not know are taken by region", () => {
    const spec = parseConfig("type: dev-environment\nide: vscode\navailability_zones: [us-central1-b, us-east-1c]\n");
    const result = resolveOffers(spec, index);
    assert.deepEqual(
      result.offers.map((o) => `${o.instance_type} ${o.zones.join(",")}`),
      ["t3.large us-east-1c", "e2-standard-2 us-central1-b", "m5.large us-east-1c", "n1-standard-4 us-central1-b", "g6.xlarge us-east-1c", "g5.xlarge us-east-1c", "p4d.24xlarge us-east-1c", "p4de.24xlarge us-east-1c"],
    );
  });

  it("backends filter; CLI overrides win over the file", () => {
    assert.deepEqual(offers("backends: [gcp]\nmax_price: 1\n"), ["gcp us-central1 e2-standard-2 od 0.067", "gcp us-central1 n1-standard-4 od 0.54"]);
    assert.deepEqual(offers("backends: [gcp]\nmax_price: 1\n", { backends: ["aws"], maxPrice: 0.07 }), ["aws us-east-1 t3.large od 0.067"]);
  });

  it("the disk range of each backend: 50GB fits GCP (20GB..) but not AWS (100GB..); the offer gets the smallest allowed size", () => {
    const spec = parseConfig("type: dev-environment\nide: vscode\nresources:\n  disk: 50GB\n");
    const result = resolveOffers(spec, index);
    assert.deepEqual(result.offers.map((o) => `${o.instance_type} ${o.disk_gb}`), ["e2-standard-2 50", "n1-standard-4 50", "v5litepod-8 50", "a2-ultragpu-2g 50"]);
    const ranged = resolveOffers(parseConfig("type: dev-environment\nide: vscode\nresources:\n  disk: 150GB..300GB\n"), index, { limit: 1 });
    assert.equal(ranged.offers[0].disk_gb, 150);
    assert.equal(resolveOffers(parseConfig("type: dev-environment\nide: vscode\n"), index, { limit: 1 }).offers[0].disk_gb, 100);
  });

  it("ties: equal prices order on-demand before spot, then backend, region and instance type", () => {
    assert.deepEqual(offers("").slice(0, 2), ["aws us-east-1 t3.large od 0.067", "gcp us-central1 e2-standard-2 od 0.067"]);
  });

  it("ties between spot and on-demand: on-demand first, even from a backend that sorts later", () => {
    // aws m6i.large's spot price equals t3.large's and e2-standard-2's on-demand price.
    const catalog = miniCatalog();
    catalog.instances.push(machine("aws", "m6i.large", 2, 8, [price("us-east-1", 0.1, 0.067)]));
    const tied = new OfferIndex(catalog);
    const spec = parseConfig("type: dev-environment\nide: vscode\nspot_policy: auto\nmax_price: 0.067\n");
    assert.deepEqual(
      resolveOffers(spec, tied).offers.map((o) => `${o.backend} ${o.region} ${o.instance_type} ${o.spot ? "spot" : "od"} ${o.price_per_hour}`),
      [
        "gcp us-central1 e2-standard-2 spot 0.02",
        "aws us-east-1 m5.large spot 0.04",
        "aws us-east-1 t3.large od 0.067",
        "gcp us-central1 e2-standard-2 od 0.067",
        "aws us-east-1 m6i.large spot 0.067",
      ],
    );
    assert.equal(resolveOffers(spec, tied, { limit: 3 }).offers[2].spot, false);
  });

  it("ties within one instance type (N1 with attached GPUs): fewer GPUs first, then the GPU's name", () => {
    const catalog = miniCatalog();
    const n1 = (name: string, count: number) => machine("gcp", "n1-standard-8", 8, 30, [price("us-central1", 0.5)], { gpu: gpu(name, 16, count) });
    catalog.instances.push(n1("T4", 2), n1("T4", 1), n1("P4", 1));
    const tied = new OfferIndex(catalog);
    const spec = parseConfig("type: dev-environment\nide: vscode\nresources:\n  cpu: 8\n  gpu: 1..2\n");
    assert.deepEqual(
      resolveOffers(spec, tied).offers.map((o) => `${o.instance_type} ${o.gpu!.count}x${o.gpu!.name} ${o.price_per_hour}`),
      ["n1-standard-8 1xP4 0.5", "n1-standard-8 1xT4 0.5", "n1-standard-8 2xT4 0.5"],
    );
  });

  it("limit keeps the first offers and counts them all", () => {
    const result = resolveOffers(parseConfig("type: dev-environment\nide: vscode\n"), index, { limit: 2 });
    assert.equal(result.offers.length, 2);
    assert.equal(result.total, 11);
  });
});

describe("offers: grouped per backend and region", () => {
  it("keeps offer order inside each group", () => {
    const result = resolveOffers(parseConfig("type: dev-environment\nide: vscode\nmax_price: 1\n"), index);
    const groups = groupOffers(result.offers);
    assert.deepEqual(
      [...groups].map(([backend, regions]) => [backend, [...regions].map(([region, list]) => [region, list.map((o) => o.instance_type)])]),
      [
        ["aws", [["us-east-1", ["t3.large", "m5.large", "g6.xlarge"]], ["eu-west-1", ["m5.large"]]]],
        ["gcp", [["us-central1", ["e2-standard-2", "n1-standard-4"]]]],
      ],
    );
  });
});
