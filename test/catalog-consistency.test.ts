/**
 * The committed catalog (catalog/data/catalog.json) holds together: unique instances, sane prices,
 * known GPU names, real regions, zones inside their regions, a dated stamp, and known hardware facts.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KNOWN_NVIDIA_GPUS } from "../config/gpu-vendor";
import { decodeCatalog } from "../catalog/file-format";
import { loadCatalogFile } from "../catalog/load";
import type { Catalog, CatalogInstance } from "../catalog/types";

const CATALOG_FILE = join(__dirname, "..", "..", "catalog", "data", "catalog.json");

/** AWS commercial regions (public list; Local Zones, Wavelength, GovCloud and China are other kinds). */
const AWS_REGIONS = [
  "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
  "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
  "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1",
  "us-west-2",
];

/** GCP regions (public list, plus us-central2, the region of the v4 TPU pods). */
const GCP_REGIONS = [
  "africa-south1", "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2", "asia-northeast3", "asia-south1", "asia-south2",
  "asia-southeast1", "asia-southeast2", "asia-southeast3", "australia-southeast1", "australia-southeast2", "europe-central2",
  "europe-north1", "europe-north2", "europe-southwest1", "europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6",
  "europe-west8", "europe-west9", "europe-west10", "europe-west12", "me-central1", "me-central2", "me-west1", "northamerica-northeast1",
  "northamerica-northeast2", "northamerica-south1", "southamerica-east1", "southamerica-west1", "us-central1", "us-central2", "us-east1",
  "us-east4", "us-east5", "us-south1", "us-west1", "us-west2", "us-west3", "us-west4",
];

describe("the committed catalog", () => {
  let catalog: Catalog;

  before(() => {
    catalog = decodeCatalog(readFileSync(CATALOG_FILE, "utf8"));
  });

  function find(backend: string, instanceType: string, gpu?: string, count?: number): CatalogInstance {
    const found = catalog.instances.filter((i) => i.backend === backend && i.instance_type === instanceType && (gpu === undefined || i.gpu?.name === gpu) && (count === undefined || i.gpu?.count === count));
    assert.equal(found.length, 1, `${backend} ${instanceType} ${gpu ?? ""} ${count ?? ""}: ${found.length} matches`);
    return found[0];
  }

  it("passes the loader's schema check", () => {
    assert.equal(loadCatalogFile(CATALOG_FILE).instances.length, catalog.instances.length);
  });

  it("has one instance per backend, instance type, GPU name and GPU count", () => {
    const keys = catalog.instances.map((i) => `${i.backend} ${i.instance_type} ${i.gpu?.name ?? "-"} ${i.gpu?.count ?? 0}`);
    assert.equal(new Set(keys).size, keys.length);
  });

  it("has at least one price per instance, each positive and finite, spot below on-demand", () => {
    for (const instance of catalog.instances) {
      assert.ok(instance.prices.length > 0, instance.instance_type);
      const regions = instance.prices.map((p) => p.region);
      assert.equal(new Set(regions).size, regions.length, `${instance.instance_type}: a region twice`);
      for (const p of instance.prices) {
        const where = `${instance.backend} ${instance.instance_type} ${instance.gpu?.name ?? ""}x${instance.gpu?.count ?? 0} ${p.region}`;
        assert.ok(p.on_demand !== null || p.spot !== null, where);
        for (const value of [p.on_demand, p.spot]) {
          if (value !== null) assert.ok(Number.isFinite(value) && value > 0 && Number(value.toFixed(6)) === value, `${where}: ${value}`);
        }
        if (p.on_demand !== null && p.spot !== null) assert.ok(p.spot < p.on_demand, `${where}: spot ${p.spot} >= on-demand ${p.on_demand}`);
        if (p.on_demand === null) assert.equal(p.on_demand_estimated, false, where);
        if (p.spot === null) assert.equal(p.spot_estimated, false, where);
      }
    }
  });

  it("names every GPU as dstack does, and gives TPU slices a tpu and no gpu", () => {
    const known = new Set<string>(KNOWN_NVIDIA_GPUS);
    for (const instance of catalog.instances) {
      if (instance.gpu) {
        assert.ok(known.has(instance.gpu.name), `${instance.instance_type}: ${instance.gpu.name}`);
        assert.equal(instance.gpu.vendor, "nvidia");
        assert.ok(Number.isInteger(instance.gpu.count) && instance.gpu.count > 0, instance.instance_type);
      }
      if (instance.tpu) {
        assert.equal(instance.gpu, null, instance.instance_type);
        assert.equal(instance.backend, "gcp");
        assert.equal(instance.tpu.chips >= 1 && instance.tpu.hosts >= 1, true, instance.instance_type);
      }
    }
    assert.equal(catalog.instances.filter((i) => i.tpu).length, 175);
  });

  it("prices only listed regions, each standard one a real region of its cloud", () => {
    const listed = new Map(catalog.regions.map((r) => [`${r.backend} ${r.name}`, r.kind]));
    assert.equal(listed.size, catalog.regions.length);
    const used = new Set(catalog.instances.flatMap((i) => i.prices.map((p) => `${i.backend} ${p.region}`)));
    assert.deepEqual([...used].sort(), [...listed.keys()].sort());
    for (const region of catalog.regions) {
      if (region.kind !== "standard") continue;
      const real = region.backend === "aws" ? AWS_REGIONS : GCP_REGIONS;
      assert.ok(real.includes(region.name), `${region.backend} ${region.name}`);
    }
    assert.equal(catalog.regions.filter((r) => r.backend === "gcp" && r.kind !== "standard").length, 0);
  });

  it("puts every zone inside its region; AWS zones are not known", () => {
    for (const instance of catalog.instances) {
      for (const p of instance.prices) {
        for (const zone of p.zones) assert.ok(zone.startsWith(`${p.region}-`), `${instance.instance_type}: ${zone} not in ${p.region}`);
        if (instance.backend === "aws") assert.deepEqual(p.zones, []);
      }
    }
  });

  it("is stamped with its sources and their dates", () => {
    const { stamp } = catalog;
    assert.equal(stamp.format, 1);
    assert.equal(stamp.built_from, "sources");
    assert.ok(stamp.sources.length >= 5);
    const dates = stamp.sources.map((s) => s.data_date);
    for (const source of stamp.sources) {
      assert.match(source.data_date, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(source.id && source.description && source.origin && source.license, source.id);
    }
    assert.equal(stamp.data_date, [...dates].sort().at(-1));
    assert.equal(stamp.oldest_data_date, [...dates].sort()[0]);
  });

  it("holds both clouds in full", () => {
    const count = (backend: string) => catalog.instances.filter((i) => i.backend === backend).length;
    assert.ok(count("aws") >= 190, `aws: ${count("aws")}`);
    assert.ok(count("gcp") >= 600, `gcp: ${count("gcp")}`);
    assert.ok(catalog.instances.reduce((sum, i) => sum + i.prices.length, 0) >= 15000);
    assert.ok(catalog.regions.filter((r) => r.backend === "aws" && r.kind === "standard").length >= 25);
    assert.ok(catalog.regions.filter((r) => r.backend === "gcp").length >= 40);
  });

  it("agrees with known hardware facts", () => {
    const p4d = find("aws", "p4d.24xlarge");
    assert.deepEqual([p4d.cpus, p4d.memory_gb, p4d.gpu], [96, 1152, { vendor: "nvidia", name: "A100", memory_gb: 40, count: 8 }]);
    const g5 = find("aws", "g5.xlarge");
    assert.deepEqual([g5.cpus, g5.memory_gb, g5.gpu], [4, 16, { vendor: "nvidia", name: "A10G", memory_gb: 24, count: 1 }]);
    assert.deepEqual(find("aws", "p4de.24xlarge").gpu, { vendor: "nvidia", name: "A100", memory_gb: 80, count: 8 });
    assert.equal(find("aws", "c7g.xlarge").arch, "arm");
    assert.deepEqual(find("gcp", "a2-ultragpu-1g").gpu, { vendor: "nvidia", name: "A100", memory_gb: 80, count: 1 });
    const n1 = find("gcp", "n1-standard-4", "T4", 1).prices.find((p) => p.region === "us-central1");
    assert.ok(n1 && n1.zones.length > 0 && n1.on_demand !== null);
    const v5e = find("gcp", "v5litepod-8");
    assert.deepEqual([v5e.tpu?.hosts, v5e.tpu?.chips], [1, 8]);
    assert.ok(find("gcp", "v5litepod-16").tpu!.hosts > 1);
  });
});
