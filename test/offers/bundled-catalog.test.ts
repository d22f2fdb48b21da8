/**
 * Spec -> first offers and their order against the bundled catalog: the cases the issue names
 * (A100:80GB:8 on aws, H100:8 on gcp, T4 across both clouds, v5litepod-8, 24GB..:1..2, L4,A10G,
 * each spot_policy, max_price, regions, instance_types, a disk outside a backend's range, ties).
 * Prices are the catalog's, which come from the public sources (catalog/CATALOG.md).
 */
import { strict as assert } from "node:assert";
import { loadBundledCatalog } from "../../catalog/load";
import { parseConfig } from "../../config/read";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers, type Resolution } from "../../offers/resolve";

const index = new OfferIndex(loadBundledCatalog());

function resolve(body: string, limit = 4): Resolution {
  return resolveOffers(parseConfig(`type: dev-environment\nide: vscode\n${body}`), index, { limit });
}

/** `backend region instance_type [NxGPU] od|spot price [est]` per offer. */
function first(body: string, limit = 4): { total: number; offers: string[] } {
  const result = resolve(body, limit);
  const offers = result.offers.map(
    (o) => `${o.backend} ${o.region} ${o.instance_type}${o.gpu ? ` ${o.gpu.count}x${o.gpu.name}` : ""} ${o.spot ? "spot" : "od"} ${o.price_per_hour}${o.estimated_price ? " est" : ""}`,
  );
  return { total: result.total, offers };
}

describe("offers on the bundled catalog", () => {
  it("A100:80GB:8 on aws: p4de.24xlarge, cheapest regions first, equal prices by region name", () => {
    assert.deepEqual(first("backends: [aws]\nresources:\n  gpu: A100:80GB:8\n"), {
      total: 6,
      offers: [
        "aws us-east-1 p4de.24xlarge 8xA100 od 27.44705",
        "aws us-west-2 p4de.24xlarge 8xA100 od 27.44705",
        "aws ap-southeast-1 p4de.24xlarge 8xA100 od 32.93646",
        "aws eu-central-1 p4de.24xlarge 8xA100 od 34.29122",
      ],
    });
  });

  it("H100:8 on gcp: a3-highgpu-8g (on demand), a3-megagpu-8g later", () => {
    const result = first("backends: [gcp]\nresources:\n  gpu: H100:8\n", 30);
    assert.equal(result.total, 27);
    assert.deepEqual(result.offers.slice(0, 3), [
      "gcp us-central1 a3-highgpu-8g 8xH100 od 88.49",
      "gcp us-west1 a3-highgpu-8g 8xH100 od 88.49",
      "gcp us-east4 a3-highgpu-8g 8xH100 od 88.555756",
    ]);
    assert.ok(result.offers.some((offer) => offer.startsWith("gcp us-east4 a3-megagpu-8g 8xH100 od")));
  });

  it("T4 across both clouds: GCP N1 + T4 first, AWS g4dn among the offers", () => {
    const result = first("resources:\n  gpu: T4\n", 400);
    assert.equal(result.total, 358);
    assert.deepEqual(result.offers.slice(0, 3), [
      "gcp us-central1 n1-highmem-2 1xT4 od 0.4683",
      "gcp us-east1 n1-highmem-2 1xT4 od 0.4683",
      "gcp us-west1 n1-highmem-2 1xT4 od 0.4683",
    ]);
    const aws = result.offers.filter((offer) => offer.startsWith("aws "));
    assert.equal(aws[0], "aws us-east-1 g4dn.xlarge 1xT4 od 0.526");
    assert.ok(result.offers.every((offer) => / 1xT4 od /.test(offer)));
  });

  it("v5litepod-8: single-host TPU slices per region at the whole-slice price", () => {
    assert.deepEqual(first("resources:\n  gpu: v5litepod-8\n"), {
      total: 15,
      offers: ["gcp us-central1 v5litepod-8 od 9.6", "gcp us-east1 v5litepod-8 od 9.6", "gcp us-east5 v5litepod-8 od 9.6", "gcp us-west1 v5litepod-8 od 9.6"],
    });
    const offer = resolve("resources:\n  gpu: v5litepod-8\n", 1).offers[0];
    assert.deepEqual({ tpu: offer.tpu, gpu: offer.gpu, cpus: offer.cpus, memory: offer.memory_gb, zones: offer.zones }, {
      tpu: { version: "v5litepod", chips: 8, hosts: 1, hbm_gb: 128 }, gpu: null, cpus: 224, memory: 384, zones: ["us-central1-a"],
    });
  });

  it("24GB..:1..2 and L4,A10G: L4 on GCP g2 first", () => {
    const g2 = ["gcp us-east4 g2-standard-4 1xL4 od 0.704518", "gcp us-central1 g2-standard-4 1xL4 od 0.706832", "gcp us-east1 g2-standard-4 1xL4 od 0.706832", "gcp us-west1 g2-standard-4 1xL4 od 0.706832"];
    assert.deepEqual(first("resources:\n  gpu: 24GB..:1..2\n"), { total: 406, offers: g2 });
    assert.deepEqual(first("resources:\n  gpu: L4,A10G\n"), { total: 297, offers: g2 });
  });

  it("each spot_policy: on-demand (the default), spot, auto (both kinds by price)", () => {
    const onDemand = first("spot_policy: on-demand\nresources:\n  gpu: L4,A10G\n");
    assert.deepEqual(onDemand, first("resources:\n  gpu: L4,A10G\n"));
    const spot = ["aws eu-north-1 gr6.4xlarge 1xL4 spot 0.2022", "aws ap-northeast-2 g5.xlarge 1xA10G spot 0.2143", "aws ap-northeast-2 g6.4xlarge 1xL4 spot 0.2626", "aws ap-northeast-2 g6.xlarge 1xL4 spot 0.2659"];
    assert.deepEqual(first("spot_policy: spot\nresources:\n  gpu: L4,A10G\n"), { total: 246, offers: spot });
    assert.deepEqual(first("spot_policy: auto\nresources:\n  gpu: L4,A10G\n"), { total: 297 + 246, offers: spot });
  });

  it("max_price", () => {
    assert.deepEqual(first("max_price: 0.06\n"), { total: 1, offers: ["gcp asia-south1 n2d-standard-2 od 0.055766"] });
  });

  it("regions", () => {
    assert.deepEqual(first("regions: [eu-west-1, europe-west4]\nresources:\n  gpu: L4\n"), {
      total: 5,
      offers: [
        "gcp europe-west4 g2-standard-4 1xL4 od 0.742916",
        "gcp europe-west4 g2-standard-8 1xL4 od 0.897202",
        "gcp europe-west4 g2-standard-12 1xL4 od 1.051488",
        "gcp europe-west4 g2-standard-16 1xL4 od 1.205773",
      ],
    });
    assert.deepEqual(first("regions: [eu-west-1]\nresources:\n  cpu: 2\n  memory: 8GB\n", 2), {
      total: 5,
      offers: ["aws eu-west-1 m6a.large od 0.092702 est", "aws eu-west-1 t3.large od 0.092733 est"],
    });
  });

  it("instance_types", () => {
    const result = first("instance_types: [G5.XLARGE, n1-standard-8]\n", 200);
    assert.equal(result.total, 127);
    assert.deepEqual(result.offers.slice(0, 2), ["gcp us-central1 n1-standard-8 1xT4 od 0.73", "gcp us-east1 n1-standard-8 1xT4 od 0.73"]);
    // No GPU request: every GPU count an N1 machine can carry matches, as in dstack.
    assert.deepEqual(
      [...new Set(result.offers.map((offer) => offer.split(" ").slice(2, 4).join(" ")))].sort(),
      ["g5.xlarge 1xA10G", ...["1xP100", "1xT4", "1xV100", "2xP100", "2xT4", "2xV100", "4xP100", "4xT4", "4xV100", "8xV100"].map((gpu) => `n1-standard-8 ${gpu}`)],
    );
    assert.ok(result.offers.some((offer) => offer.includes("g5.xlarge 1xA10G")));
  });

  it("a disk outside a backend's range: 50GB is GCP only (AWS boots from 100GB), and nothing on aws", () => {
    const result = resolve("resources:\n  disk: 50GB\n", 3);
    assert.deepEqual(result.offers.map((o) => `${o.backend} ${o.instance_type} ${o.disk_gb}`), ["gcp n2d-standard-2 50", "gcp e2-standard-2 50", "gcp e2-standard-2 50"]);
    assert.ok(resolve("resources:\n  disk: 50GB\n", Infinity).offers.every((o) => o.backend === "gcp"));
    const aws = resolve("backends: [aws]\nresources:\n  disk: 50GB\n");
    assert.equal(aws.noOffers?.constraint, "disk");
    assert.match(aws.noOffers!.message, /^no aws offer for 50GB disk, on-demand: disk 50GB \(allowed: aws 100GB\.\.16384GB, gcp 20GB\.\.32768GB\) removed the last \d+ candidates$/);
  });

  it("ties: equal prices keep a fixed order (on-demand first, then backend, region, instance type)", () => {
    assert.deepEqual(first("resources:\n  cpu: 4\n  memory: 16GB\n").offers, [
      "gcp asia-south1 n2d-standard-4 od 0.111532",
      "gcp us-central1 e2-standard-4 od 0.134023",
      "gcp us-east1 e2-standard-4 od 0.134023",
      "gcp us-east5 e2-standard-4 od 0.134023",
    ]);
  });

  it("ties between spot and on-demand (spot_policy: auto, gpu: 1..): on-demand first at equal price, whatever the backend", () => {
    // The catalog's six places where a spot and an on-demand offer of the same price sit next to
    // each other in this query: every offer at each of those prices, in order, with its position.
    const result = resolve("spot_policy: auto\nresources:\n  gpu: 1..\n", Infinity);
    assert.equal(result.total, 4275);
    const at = (price: number) =>
      result.offers.flatMap((o, i) => (o.price_per_hour === price ? [`${i} ${o.backend} ${o.region} ${o.instance_type} ${o.gpu!.count}x${o.gpu!.name} ${o.spot ? "spot" : "od"}`] : []));
    assert.deepEqual(at(0.89), [
      "1183 gcp us-central1 n1-standard-4 2xT4 od",
      "1184 gcp us-east1 n1-standard-4 2xT4 od",
      "1185 gcp us-west1 n1-standard-4 2xT4 od",
      "1186 aws eu-west-3 g4dn.8xlarge 1xT4 spot",
    ]);
    assert.deepEqual(at(0.97349), ["1308 gcp europe-west1 n1-highcpu-16 1xT4 od", "1309 gcp europe-west1 n1-highmem-8 4xP100 spot"]);
    assert.deepEqual(at(0.98376), [
      "1335 gcp asia-northeast1 n1-standard-4 2xT4 od",
      "1336 gcp asia-northeast3 n1-standard-4 2xT4 od",
      "1337 gcp us-west3 n1-standard-32 4xT4 spot",
    ]);
    assert.deepEqual(at(1.006), [
      "1363 aws us-east-1 g5.xlarge 1xA10G od",
      "1364 aws us-east-2 g5.xlarge 1xA10G od",
      "1365 aws us-west-2 g5.xlarge 1xA10G od",
      "1366 gcp europe-west4 n1-standard-32 2xP100 spot",
    ]);
    assert.deepEqual(at(1.06924), ["1455 gcp asia-southeast1 n1-highcpu-16 1xT4 od", "1456 gcp europe-west2 n1-highcpu-64 4xT4 spot"]);
    assert.deepEqual(at(2.52319), [
      "2569 gcp southamerica-east1 n1-standard-8 4xT4 od",
      "2570 gcp us-central1 n1-highmem-2 2xV100 spot",
      "2571 gcp us-east1 n1-highmem-2 2xV100 spot",
      "2572 gcp us-west1 n1-highmem-2 2xV100 spot",
    ]);
    // Nowhere in the list does a spot offer come before an on-demand one of the same price.
    const spotFirst = result.offers.filter((o, i) => i > 0 && !o.spot && result.offers[i - 1].spot && result.offers[i - 1].price_per_hour === o.price_per_hour);
    assert.deepEqual(spotFirst, []);
  });

  it("no A100 80GB x 2 on aws: the reason and the nearest offer, p4de.24xlarge with 8", () => {
    const result = resolve("backends: [aws]\nresources:\n  gpu: A100:80GB:2\n");
    assert.equal(result.noOffers?.message, "no aws offer for 2 x A100 80GB, on-demand: gpu count 2 removed the last 6 candidates");
    assert.deepEqual(result.noOffers?.nearest[0].misses, ["8 GPUs (gpu count 2)"]);
    assert.equal(result.noOffers?.nearest[0].offer.instance_type, "p4de.24xlarge");
    assert.equal(result.noOffers?.nearest[0].machine, "8 x A100 80GB, 96 CPUs, 1152GB");
  });
});
