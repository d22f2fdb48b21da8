/**
 * What a failed `pulumi up` says about capacity, read from the provider's message as the Pulumi CLI
 * prints it: a capacity error (EC2 `InsufficientInstanceCapacity` / "Insufficient capacity", no
 * spot capacity, an EC2 Fleet of this component that launched nothing, GCE
 * `ZONE_RESOURCE_POOL_EXHAUSTED` (with `zonesAvailable` when GCE lists them), a TPU zone with "no
 * more capacity", a queued TPU that Cloud TPU did not provision in time) is worth trying elsewhere; a quota error (EC2 `VcpuLimitExceeded`,
 * `InstanceLimitExceeded`, `MaxSpotInstanceCountExceeded`; GCP `QUOTA_EXCEEDED`, "Quota ...
 * exceeded") is not: no other offer of the same family helps, and waiting does not either. Quota
 * patterns are tried first (GCP reports both as RESOURCE_EXHAUSTED). Anything else is another error.
 */

export type FailureKind = "capacity" | "quota" | "other";

/** A failed update, classified. */
export interface ClassifiedFailure {
  kind: FailureKind;
  /** The line that says so (the provider's words), for messages. */
  reason: string;
  /** Zones the cloud says have capacity (GCE `zonesAvailable`, EC2 "or choosing ..."), in its order. */
  zonesAvailable: string[];
  /** What the error names as tried: an instance type and zone, or an EC2 Fleet's instance types in a region. */
  tried: { backend: "aws" | "gcp" | null; region: string | null; instanceTypes: string[]; zone: string | null };
  /** The URN to replace on the next attempt (an EC2 Fleet that launched nothing). */
  replace: string | null;
}

const QUOTA = [
  /VcpuLimitExceeded/,
  /InstanceLimitExceeded/,
  /MaxSpotInstanceCountExceeded/,
  /more vCPU capacity than your current vCPU limit/i,
  /QUOTA_EXCEEDED/,
  /quotaExceeded/,
  /Quota '[^']+' exceeded/i,
  /Quota limit '[^']+' has been exceeded/i,
];

const CAPACITY = [
  /InsufficientInstanceCapacity/,
  /Insufficient capacity/i,
  /no Spot capacity available/i,
  /launched no instance: insufficient capacity/,
  /ZONE_RESOURCE_POOL_EXHAUSTED/,
  /does not have enough resources available to fulfill the request/,
  /no more capacity in the zone/i,
  /\bstockout\b/i,
  /Cloud TPU found no capacity for queued resource/,
];

/** The line of `output` that matches `pattern`, trimmed; the pattern's own match when lines are long. */
function lineOf(output: string, pattern: RegExp): string {
  const line = output.split("\n").find((text) => pattern.test(text)) ?? "";
  return line.trim().replace(/^[*\s]+/, "").slice(0, 600);
}

/** `zonesAvailable` (GCE) or EC2's "or choosing a, b." list. */
function zonesIn(output: string): string[] {
  const gce = /zonesAvailable["']?\s*[:=]\s*["']?([a-z0-9, -]+)/.exec(output);
  const ec2 = /by not specifying an Availability Zone in your request or choosing ([a-z0-9-]+(?:, *[a-z0-9-]+)*)/.exec(output);
  const text = gce?.[1] ?? ec2?.[1];
  return text ? text.split(",").map((zone) => zone.trim()).filter((zone) => /^[a-z]+-[a-z0-9-]+$/.test(zone)) : [];
}

/** What the error names as tried. */
function triedIn(output: string): ClassifiedFailure["tried"] {
  const marker = /\[dstack-capacity (aws|gcp) ([a-z0-9-]+) ([^\]\s]+)\]/.exec(output);
  if (marker) return { backend: marker[1] as "aws" | "gcp", region: marker[2], instanceTypes: marker[3].split(","), zone: null };
  const ec2 = /sufficient ([a-z0-9.-]+) capacity in the Availability Zone you requested \(([a-z0-9-]+)\)/.exec(output);
  if (ec2) return { backend: "aws", region: ec2[2].replace(/[a-z]$/, ""), instanceTypes: [ec2[1]], zone: ec2[2] };
  const gce = /zones\/([a-z]+-[a-z0-9]+-[a-z])/.exec(output) ?? /zone[ :]+"?([a-z]+-[a-z0-9]+-[a-z])"?/.exec(output);
  const vmType = /vmType["']?\s*[:=]\s*["']?([a-z0-9-]+)/.exec(output);
  if (gce) return { backend: "gcp", region: gce[1].replace(/-[a-z]$/, ""), instanceTypes: vmType ? [vmType[1]] : [], zone: gce[1] };
  return { backend: null, region: null, instanceTypes: [], zone: null };
}

/** Classifies the output of a failed update. */
export function classifyFailure(output: string): ClassifiedFailure {
  const quota = QUOTA.find((pattern) => pattern.test(output));
  const capacity = quota ? undefined : CAPACITY.find((pattern) => pattern.test(output));
  const kind: FailureKind = quota ? "quota" : capacity ? "capacity" : "other";
  const reason = quota ? lineOf(output, quota) : capacity ? lineOf(output, capacity) : lastErrorLine(output);
  const replace = /pulumi up --replace '([^']+)'/.exec(output)?.[1] ?? null;
  return { kind, reason, zonesAvailable: kind === "capacity" ? zonesIn(output) : [], tried: triedIn(output), replace };
}

/** The provider's last error (the CLI's `* message` bullet), else the last line that says `error`, else the last line. */
function lastErrorLine(output: string): string {
  const lines = output.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  const bullet = lines.filter((line) => line.startsWith("* ")).at(-1)?.slice(2);
  return (bullet ?? lines.filter((line) => /error/i.test(line)).at(-1) ?? lines.at(-1) ?? "the update failed").slice(0, 600);
}
