/**
 * The clouds' volumes as the invokes see them, for the mock runtime: EBS volumes that
 * `ebs.getEbsVolumes` filters as EC2's DescribeVolumes does (`tag:<key>`, `tag-key`, `status`,
 * `volume-id`; several values of one filter are alternatives) and `ebs.getVolume` describes; GCE
 * disks that `compute.getDisk` finds by name and zone ("not found" otherwise, as GCP answers).
 */
import type { MockRecorder } from "./pulumi-mocks";

/** The mock stack's scope (pulumiMocks: project dstack-test, stack test). */
export const TEST_SCOPE = "dstack-test/test";

export interface FakeEbs {
  id: string;
  zone: string;
  tags?: Record<string, string>;
  size?: number;
  /** EC2's state; "available" unless given. */
  state?: string;
}

/** The tags of a volume that a `DevEnvironment` named `owner` created in the stack `stack` (the mock stack by default). */
export function ownTags(name: string, owner: string, stack = TEST_SCOPE): Record<string, string> {
  return { Name: name, "dstack:volume": name, "dstack:scope": stack, "dstack:owner": `${stack}/${owner}` };
}

/** The tags of a volume a `Volume` created in `scope`. */
export function scopeTags(name: string, scope = TEST_SCOPE): Record<string, string> {
  return { Name: name, "dstack:volume": name, "dstack:scope": scope };
}

type Filter = { name: string; values: string[] };

function matches(volume: FakeEbs, filter: Filter): boolean {
  const tags = volume.tags ?? {};
  if (filter.name.startsWith("tag:")) return filter.values.includes(tags[filter.name.slice(4)] ?? "\u0000");
  if (filter.name === "tag-key") return filter.values.some((key) => Object.hasOwn(tags, key));
  if (filter.name === "status") return filter.values.includes(volume.state ?? "available");
  if (filter.name === "volume-id") return filter.values.includes(volume.id);
  throw new Error(`fake EBS: no filter ${filter.name}`);
}

/** Answers `getEbsVolumes` and `getVolume` from `volumes` (all in the asked region). */
export function answerEbs(recorder: MockRecorder, volumes: readonly FakeEbs[]): void {
  recorder.onInvoke("aws:ebs/getEbsVolumes:getEbsVolumes", (inputs) => {
    const filters = (inputs.filters ?? []) as Filter[];
    const ids = volumes.filter((volume) => volume.zone.startsWith(String(inputs.region)) && filters.every((filter) => matches(volume, filter))).map((volume) => volume.id);
    return { id: String(inputs.region), region: inputs.region, ids };
  });
  recorder.onInvoke("aws:ebs/getVolume:getVolume", (inputs) => {
    const id = ((inputs.filters ?? []) as Filter[]).find((filter) => filter.name === "volume-id")?.values[0];
    const volume = volumes.find((entry) => entry.id === id);
    if (!volume) throw Object.assign(new Error(`no EBS volume ${id}`), { details: `Your query returned no results. (${id})` });
    return { id, volumeId: id, availabilityZone: volume.zone, tags: volume.tags ?? {}, size: volume.size ?? 100, encrypted: true, volumeType: "gp3", region: inputs.region };
  });
}

export interface FakeDisk {
  name: string;
  zone: string;
  labels?: Record<string, string>;
  size?: number;
  type?: string;
}

/** A disk as `compute.getDisk` reports it. */
export function diskAnswer(disk: FakeDisk): Record<string, unknown> {
  const labels = disk.labels ?? {};
  return {
    id: `projects/test-project/zones/${disk.zone}/disks/${disk.name}`,
    name: disk.name,
    zone: disk.zone,
    type: disk.type ?? "https://www.googleapis.com/compute/v1/projects/test-project/zones/" + disk.zone + "/diskTypes/pd-balanced",
    size: disk.size ?? 100,
    labels,
    effectiveLabels: labels,
    selfLink: `https://www.googleapis.com/compute/v1/projects/test-project/zones/${disk.zone}/disks/${disk.name}`,
    users: [],
    project: "test-project",
  };
}

/** Answers `getDisk` from `disks` by name and zone; "not found" as GCP words it otherwise. */
export function answerDisks(recorder: MockRecorder, disks: readonly FakeDisk[]): void {
  recorder.onInvoke("gcp:compute/getDisk:getDisk", (inputs) => {
    const disk = disks.find((entry) => entry.name === inputs.name && entry.zone === inputs.zone);
    if (!disk) {
      const message = `googleapi: Error 404: The resource 'projects/test-project/zones/${String(inputs.zone)}/disks/${String(inputs.name)}' was not found, notFound`;
      throw Object.assign(new Error(message), { details: message });
    }
    return diskAnswer(disk);
  });
}
