/**
 * The AWS builder's pure parts: the deterministic gzip and the user-data encoding, the image
 * choice, the zone order, the secrets policy.
 */
import { strict as assert } from "node:assert";
import { createHash, randomBytes } from "node:crypto";
import * as zlib from "node:zlib";
import { crc32, gzip } from "../../components/aws/gzip";
import { secretsPolicy } from "../../components/aws/identity";
import { imageFor } from "../../components/aws/image";
import { encodeUserData, USER_DATA_LIMIT } from "../../components/aws/user-data";
import { orderZones } from "../../components/aws/zone";
import type { Offer } from "../../offers/offer";
import { golden } from "./aws-build.test";

describe("AWS builder parts", () => {
  it("gzip: any gunzip reads it back; the header has no time and OS 'unknown'; the bytes are fixed", () => {
    for (const text of ["", "a", "abc".repeat(20000), golden("aws-gpu-spot-volumes.cloud-config.yaml")]) {
      const data = Buffer.from(text, "utf8");
      const packed = Buffer.from(gzip(data));
      assert.ok(zlib.gunzipSync(packed).equals(data));
      assert.deepEqual([...packed.subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    }
    const random = randomBytes(70000);
    assert.ok(zlib.gunzipSync(Buffer.from(gzip(random))).equals(random), "incompressible data too");
    assert.equal(crc32(Buffer.from("123456789")), 0xcbf43926);
    // Pinned bytes: they depend on this input only (not on Node, the OS or zlib), and a change to
    // the writer would change the user data of every VM, so it shows here first.
    const text = Array.from({ length: 400 }, (_, i) => `line ${i % 37}: dstack dev environment ${i % 11}\n`).join("");
    const pinned = gzip(Buffer.from(text));
    assert.equal(pinned.length, 1733);
    assert.equal(createHash("sha256").update(pinned).digest("hex"), "2a45c39a0b6bf1b7df1930011d73dd66e5ecd2cfee6bd2706e607159c67a5275");
    const cloudConfig = gzip(Buffer.from(golden("aws-cpu.cloud-config.yaml")));
    assert.ok(cloudConfig.length < USER_DATA_LIMIT * 0.6, `${cloudConfig.length} bytes: room for larger configurations`);
  });

  it("user data: plain base64 when it fits in 16 KB, gzipped when not, an error when not even then", () => {
    assert.equal(encodeUserData("#cloud-config\n"), Buffer.from("#cloud-config\n").toString("base64"));
    const large = golden("private-registry-secrets.cloud-config.yaml");
    assert.ok(Buffer.byteLength(large) > USER_DATA_LIMIT);
    const encoded = Buffer.from(encodeUserData(large), "base64");
    assert.equal(zlib.gunzipSync(encoded).toString("utf8"), large);
    assert.throws(() => encodeUserData(randomBytes(20000).toString("hex")), /the user data is \d+ bytes gzipped \(40000 bytes as text\); EC2 takes at most 16384/);
  });

  it("images: Deep Learning AMI for NVIDIA GPUs, Ubuntu 24.04 otherwise, per architecture; the override wins", () => {
    const offer = (arch: Offer["arch"], gpu: Offer["gpu"]) => ({ arch, gpu, instance_type: "t" }) as Offer;
    const a10g = { vendor: "nvidia", name: "A10G", memory_gb: 24, count: 1 } as const;
    assert.equal(imageFor(offer("x86", null), undefined), "resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id");
    assert.equal(imageFor(offer("arm", null), undefined), "resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id");
    assert.equal(imageFor(offer("x86", a10g), undefined), "resolve:ssm:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id");
    assert.equal(imageFor(offer("arm", a10g), undefined), "resolve:ssm:/aws/service/deeplearning/ami/arm64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id");
    assert.equal(imageFor(offer("x86", a10g), "ami-1"), "ami-1");
    assert.throws(() => imageFor(offer("x86", { ...a10g, vendor: "amd" }), undefined), /no default AWS image for amd GPUs \(t\): give ami/);
  });

  it("zones: standard zones sorted, within the offer's zones; local zones only when nothing else", () => {
    assert.deepEqual(orderZones("us-east-1", ["us-east-1f", "us-east-1-bos-1a", "us-east-1b"], []), ["us-east-1b", "us-east-1f"]);
    assert.deepEqual(orderZones("us-east-1", ["us-east-1f", "us-east-1b"], ["us-east-1f"]), ["us-east-1f"]);
    assert.deepEqual(orderZones("us-east-1", ["us-east-1-bos-1a"], []), ["us-east-1-bos-1a"]);
    assert.deepEqual(orderZones("us-east-1", [], []), []);
  });

  it("the secrets policy reads exactly the given parameters", () => {
    assert.deepEqual(JSON.parse(secretsPolicy(["arn:a", "arn:b"])), {
      Version: "2012-10-17",
      Statement: [{ Sid: "ReadOwnSecrets", Effect: "Allow", Action: "ssm:GetParameter", Resource: ["arn:a", "arn:b"] }],
    });
  });
});
