/**
 * Zone names (components/zone-names.ts), exactly: which names are standard AWS zones of a region,
 * which belong to a region, and the backend and region of a name, including the names that are
 * no zone at all.
 */
import { strict as assert } from "node:assert";
import { isStandardAwsZone, isZoneOf, zoneLocation } from "../../components/zone-names";

describe("zone names", () => {
  it("a standard AWS zone is its region and one lower-case letter", () => {
    const cases: [string, string, boolean][] = [
      ["us-east-1a", "us-east-1", true],
      ["ap-northeast-1d", "ap-northeast-1", true],
      ["us-east-1-bos-1a", "us-east-1", false],
      ["us-east-1ab", "us-east-1", false],
      ["xus-east-1a", "us-east-1", false],
      ["us-east-11a", "us-east-1", false],
      ["us-east-1A", "us-east-1", false],
      ["us-east-1", "us-east-1", false],
    ];
    for (const [zone, region, standard] of cases) assert.equal(isStandardAwsZone(zone, region), standard, `${zone} in ${region}`);
  });

  it("a zone of a region: a standard zone, an AWS Local Zone, or a GCP zone", () => {
    const cases: [string, string, boolean][] = [
      ["us-east-1a", "us-east-1", true],
      ["us-east-1-bos-1a", "us-east-1", true],
      ["us-east-1-wl1-bos-wlz-1", "us-east-1", true],
      ["us-central1-a", "us-central1", true],
      ["us-central1-a", "us-central", false],
      ["us-east-12a", "us-east-1", false],
      ["us-east-1ab", "us-east-1", false],
      ["us-west-2a", "us-east-1", false],
    ];
    for (const [zone, region, of] of cases) assert.equal(isZoneOf(zone, region), of, `${zone} of ${region}`);
  });

  it("the backend and region of a zone name; undefined for what is no zone name", () => {
    const cases: [string, ReturnType<typeof zoneLocation>][] = [
      ["us-central1-a", { backend: "gcp", region: "us-central1" }],
      ["europe-west4-b", { backend: "gcp", region: "europe-west4" }],
      ["me-central1-a", { backend: "gcp", region: "me-central1" }],
      ["us-east-1a", { backend: "aws", region: "us-east-1" }],
      ["ap-northeast-1d", { backend: "aws", region: "ap-northeast-1" }],
      ["us-gov-west-1a", { backend: "aws", region: "us-gov-west-1" }],
      ["us-east-1-bos-1a", { backend: "aws", region: "us-east-1" }],
      ["us-west-2-lax-1b", { backend: "aws", region: "us-west-2" }],
      ["us-east-1-wl1-bos-wlz-1", { backend: "aws", region: "us-east-1" }],
      ["eu-west-2-wl1-lon-wlz-1", { backend: "aws", region: "eu-west-2" }],
      ["ap-northeast-1-wl1-nrt-wlz-12", { backend: "aws", region: "ap-northeast-1" }],
      ["us-east-1-wl10-bos-wlz-1", { backend: "aws", region: "us-east-1" }],
      ["ap-southeast-10a", { backend: "aws", region: "ap-southeast-10" }],
      ["europe-west10-a", { backend: "gcp", region: "europe-west10" }],
      ["9us-central1-a", undefined],
      ["us-central1-ab", undefined],
      ["9us-east-1a", undefined],
      ["us-east-1-wl1-bos-wlz-", undefined],
      ["us-east-1-wl1-wlz-1", undefined],
      ["us-east-1-bos-wlz-1", undefined],
      ["us-east-1", undefined],
      ["us-central1", undefined],
      ["us-east-1-", undefined],
      ["us-east-1-a", undefined],
      ["us-east-1ab", undefined],
      ["US-EAST-1A", undefined],
      ["", undefined],
    ];
    for (const [zone, location] of cases) assert.deepEqual(zoneLocation(zone), location, JSON.stringify(zone));
  });
});
