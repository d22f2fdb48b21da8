/**
 * `catalog update` keeps what it did not rebuild: other clouds, other regions and TPU slices come
 * from the catalog being updated; rebuilt rows replace theirs; the stamp names every source used.
 */
import { strict as assert } from "node:assert";
import { mergeCatalogs } from "../catalog/merge";
import type { Catalog } from "../catalog/types";
import { machine, miniCatalog, price } from "./support/mini-catalog";

const live: Catalog = {
  stamp: {
    format: 1, built_from: "live", data_date: "2026-11-28", oldest_data_date: "2026-11-28",
    sources: [{ id: "aws-ec2-api", description: "d", data_date: "2026-11-28", origin: "o", license: "l" }],
  },
  regions: [{ backend: "aws", name: "us-east-1", kind: "standard" }],
  instances: [
    machine("aws", "m5.large", 2, 8, [price("us-east-1", 0.1, 0.05)]),
    machine("aws", "m7i.large", 2, 8, [price("us-east-1", 0.1008)]),
  ],
};

function summary(catalog: Catalog): string[] {
  return catalog.instances.flatMap((instance) => instance.prices.map((p) => `${instance.backend} ${instance.instance_type} ${p.region} ${p.on_demand} ${p.spot}`));
}

describe("catalog merge (catalog update over an existing catalog)", () => {
  it("one AWS region rebuilt: its rows replaced, other regions, GCP and TPUs kept", () => {
    const base = { ...miniCatalog(), stamp: { ...miniCatalog().stamp, sources: [{ id: "bundled", description: "d", data_date: "2026-08-21", origin: "o", license: "l" }] } };
    const merged = mergeCatalogs(base, live, { backends: ["aws"], regions: ["us-east-1"], tpu: false });
    assert.deepEqual(summary(merged), [
      "aws c7g.xlarge us-east-1 0.145 0.06",
      "aws g5.xlarge us-east-1 1.006 0.45",
      "aws g6.xlarge us-east-1 0.805 0.3",
      "aws m5.large eu-west-1 0.107 null",
      "aws m5.large us-east-1 0.1 0.05",
      "aws m5.large us-west-2-lax-1 0.05 null",
      "aws m7i.large us-east-1 0.1008 null",
      "aws p4d.24xlarge us-east-1 21.96 8",
      "aws p4de.24xlarge us-east-1 27.45 null",
      "aws t3.large us-east-1 0.067 null",
      "gcp a2-ultragpu-2g us-central1 10.1 3.4",
      "gcp e2-standard-2 us-central1 0.067 0.02",
      "gcp n1-standard-4 us-central1 0.54 0.18",
      "gcp v5litepod-16 us-central1 19.2 null",
      "gcp v5litepod-8 us-central1 9.6 4.8",
    ].filter((line) => !/^aws (c7g|g5|g6|p4d|p4de|t3)\S* us-east-1/.test(line)));
    assert.deepEqual(merged.stamp, {
      format: 1, built_from: "live", data_date: "2026-11-28", oldest_data_date: "2026-08-21",
      sources: [live.stamp.sources[0], base.stamp.sources[0]],
    });
    assert.deepEqual(merged.regions.map((r) => `${r.backend} ${r.name} ${r.kind}`), ["aws eu-west-1 standard", "aws us-east-1 standard", "aws us-west-2-lax-1 local-zone", "gcp us-central1 standard"]);
  });

  it("a whole cloud rebuilt: TPU slices of that cloud still carried over when the live build has none", () => {
    const merged = mergeCatalogs(miniCatalog(), { ...live, instances: [] }, { backends: ["gcp"], tpu: false });
    assert.deepEqual(merged.instances.filter((i) => i.backend === "gcp").map((i) => i.instance_type), ["v5litepod-16", "v5litepod-8"]);
  });
});
