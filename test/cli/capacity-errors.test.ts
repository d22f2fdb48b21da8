/**
 * Capacity errors told from quota errors and the rest, in the providers' words as `pulumi up`
 * prints them: what each names as tried and which zones it says have capacity.
 */
import { strict as assert } from "node:assert";
import { classifyFailure } from "../../cli/capacity-errors";
import { diagnostics, EC2_ICE, EC2_QUOTA, EC2_SPOT, FLEET_EMPTY, GCE_EXHAUSTED, GCE_QUOTA, TPU_FULL } from "../support/capacity-messages";

describe("capacity errors", () => {
  it("EC2 InsufficientInstanceCapacity: capacity, the type and zone tried, the zones EC2 suggests", () => {
    const failure = classifyFailure(EC2_ICE);
    assert.equal(failure.kind, "capacity");
    assert.deepEqual(failure.zonesAvailable, ["us-east-1b", "us-east-1c"]);
    assert.deepEqual(failure.tried, { backend: "aws", region: "us-east-1", instanceTypes: ["g6.xlarge"], zone: "us-east-1a" });
    assert.equal(failure.replace, null);
    assert.ok(failure.reason.startsWith("creating EC2 Instance: operation error EC2: RunInstances"));
  });

  it("no spot capacity: capacity, no zone suggested", () => {
    const failure = classifyFailure(EC2_SPOT);
    assert.deepEqual([failure.kind, failure.zonesAvailable], ["capacity", []]);
  });

  it("GCE ZONE_RESOURCE_POOL_EXHAUSTED: capacity, with zonesAvailable and the machine type", () => {
    const failure = classifyFailure(GCE_EXHAUSTED);
    assert.equal(failure.kind, "capacity");
    assert.deepEqual(failure.zonesAvailable, ["us-central1-c", "us-central1-f"]);
    assert.deepEqual(failure.tried, { backend: "gcp", region: "us-central1", instanceTypes: ["g2-standard-4"], zone: "us-central1-a" });
  });

  it("a TPU zone with no more capacity: capacity", () => {
    const failure = classifyFailure(TPU_FULL);
    assert.equal(failure.kind, "capacity");
    assert.deepEqual(failure.tried, { backend: "gcp", region: "us-east5", instanceTypes: [], zone: "us-east5-a" });
  });

  it("an EC2 Fleet that launched nothing: capacity, every type it tried in its region, the fleet to replace", () => {
    const failure = classifyFailure(FLEET_EMPTY);
    assert.equal(failure.kind, "capacity");
    assert.deepEqual(failure.tried, { backend: "aws", region: "us-east-1", instanceTypes: ["g6.xlarge", "g6.2xlarge"], zone: null });
    assert.equal(failure.replace, "urn:pulumi:dev::p::dstack:index:DevEnvironment$aws:ec2/fleet:Fleet::box-fleet");
  });

  it("quotas (EC2 vCPU limit, GCP Quota exceeded) are quota errors, not capacity", () => {
    assert.equal(classifyFailure(EC2_QUOTA).kind, "quota");
    assert.ok(classifyFailure(EC2_QUOTA).reason.includes("VcpuLimitExceeded"));
    assert.equal(classifyFailure(GCE_QUOTA).kind, "quota");
    assert.deepEqual(classifyFailure(GCE_QUOTA).zonesAvailable, []);
  });

  it("anything else is another error, the provider's message as the reason", () => {
    const failure = classifyFailure(diagnostics("aws:ec2:SecurityGroup (box-sg)", "creating Security Group: InvalidGroup.Duplicate: the group exists"));
    assert.deepEqual([failure.kind, failure.reason], ["other", "creating Security Group: InvalidGroup.Duplicate: the group exists"]);
  });
});
