/** GCP naming, machine and image rules (pure functions, no Pulumi runtime needed). */
import * as assert from "node:assert/strict";
import { bootImage, tpuRuntimeVersion } from "../../components/gcp/image";
import { attachedAccelerator, diskTypeFor, isPersistentDiskType } from "../../components/gcp/machine";
import { childNames, diskNameFor, isGceName, labelValue, scopeLabel } from "../../components/gcp/names";
import type { Offer } from "../../offers/offer";

function gpuOffer(instanceType: string, name: string, memoryGb: number, count = 1, arch: "x86" | "arm" = "x86"): Offer {
  return {
    backend: "gcp", region: "us-central1", zones: [], instance_type: instanceType, cpus: 8, memory_gb: 30, arch,
    gpu: { vendor: "nvidia", name, memory_gb: memoryGb, count }, tpu: null, disk_gb: 100, spot: false, price_per_hour: 1, estimated_price: false,
  };
}

describe("GCP names", () => {
  it("derives child names from the component name and the secret key", () => {
    assert.equal(childNames.secret("box", "HF_TOKEN"), "box-secret-hf-token");
    assert.equal(childNames.secretVersion("box", "registry-password"), "box-secret-registry-password-version");
    assert.equal(childNames.secretAccess("box", "A.B"), "box-secret-a-b-access");
    assert.equal(childNames.volume("box", "models"), "box-vol-models");
  });

  it("keeps disk names and labels within GCP's rules: the scope's hash in the disk name, label values shortened with a hash", () => {
    assert.equal(diskNameFor("models", "dstack-test/test"), "models-fb1e9040");
    assert.equal(diskNameFor("models", "dstack-test/other"), "models-839544f1");
    assert.equal(labelValue("My Box.1"), "my_box_1");
    assert.equal(labelValue("x".repeat(80)), `${"x".repeat(54)}_${labelValue("x".repeat(80)).slice(-8)}`);
    assert.equal(scopeLabel("dstack-test/test"), "dstack-test_test-fb1e9040");
    assert.notEqual(scopeLabel("Team/ML"), scopeLabel("team/ml"));
    assert.ok(/^[a-z0-9_-]{1,63}$/.test(scopeLabel("a".repeat(200))));
    assert.ok(isGceName(diskNameFor("a".repeat(54), "s")));
  });
});

describe("GCP machine and image rules", () => {
  it("attaches N1 GPUs by their GCE accelerator names, and none to types that bundle them", () => {
    assert.deepEqual(attachedAccelerator(gpuOffer("n1-standard-8", "T4", 16, 2)), { type: "nvidia-tesla-t4", count: 2 });
    assert.deepEqual(attachedAccelerator(gpuOffer("n1-standard-8", "V100", 16)), { type: "nvidia-tesla-v100", count: 1 });
    assert.deepEqual(attachedAccelerator(gpuOffer("n1-standard-8", "P100", 16)), { type: "nvidia-tesla-p100", count: 1 });
    assert.equal(attachedAccelerator(gpuOffer("a2-highgpu-1g", "A100", 40)), null);
    assert.equal(attachedAccelerator(gpuOffer("g2-standard-4", "L4", 24)), null);
    assert.throws(() => attachedAccelerator(gpuOffer("n1-standard-8", "K80", 12)), /no GCE accelerator type for K80/);
  });

  it("uses Hyperdisk for the families without Persistent Disk", () => {
    for (const type of ["n4-standard-4", "c4-standard-8", "c4a-standard-4", "h3-standard-88", "a4-highgpu-8g", "g4-standard-48", "v6e-4"]) {
      assert.equal(diskTypeFor(type), "hyperdisk-balanced", type);
    }
    for (const type of ["n1-standard-4", "n2-standard-4", "c3-standard-4", "a2-highgpu-1g", "g2-standard-4", "v5litepod-8"]) {
      assert.equal(diskTypeFor(type), "pd-balanced", type);
    }
    assert.equal(isPersistentDiskType("https://www.googleapis.com/compute/v1/projects/p/zones/z/diskTypes/pd-ssd"), true);
    assert.equal(isPersistentDiskType("hyperdisk-balanced"), false);
  });

  it("picks the TPU runtime per generation and refuses an Arm GPU image", () => {
    assert.equal(tpuRuntimeVersion("v6e"), "v2-alpha-tpuv6e");
    assert.equal(tpuRuntimeVersion("v5litepod"), "v2-alpha-tpuv5-lite");
    for (const version of ["v2", "v3", "v4"]) assert.equal(tpuRuntimeVersion(version), "tpu-ubuntu2204-base");
    assert.equal(tpuRuntimeVersion("v5p"), "v2-alpha-tpuv5", "Cloud TPU's runtime table: v5p runs v2-alpha-tpuv5");
    assert.throws(() => bootImage(gpuOffer("a4x-highgpu-4g", "B200", 180, 4, "arm")), /no GPU boot image for arm/);
  });
});
