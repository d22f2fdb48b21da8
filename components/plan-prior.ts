/**
 * What an earlier `plan` run leaves for a later one in the same process, as a `pulumi up` of it
 * would leave it: the stack's state (each stash's value and replacement trigger, the launch
 * templates' inputs, whose change makes a new version) and the network volumes the cloud then
 * lists (EBS volumes by their tags, GCE disks by name and zone). `dstack-pulumi diff` plans the
 * base, then the head against this, so that the head keeps what the base's deployment would keep
 * (its offer, zone, volume home) and finds the base's volumes, or refuses as the component would.
 */
import type { RecordedOptions } from "./change-effects";

/** A resource of the earlier run: its inputs (secrets masked) and diff options. */
export interface PriorResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  options: RecordedOptions;
}

interface PriorEbs {
  id: string;
  zone: string;
  tags: Record<string, string>;
  size: number;
}

interface PriorDisk {
  name: string;
  zone: string;
  labels: Record<string, string>;
  size: number;
  type: string;
}

export interface PriorState {
  /** Each stash's recorded value, by name. */
  stashes: Map<string, unknown>;
  /** Each stash's replacement trigger, by name (a changed one replaces the stash). */
  triggers: Map<string, unknown>;
  /** Each launch template's inputs as JSON, by name. */
  templates: Map<string, string>;
  ebs: PriorEbs[];
  disks: PriorDisk[];
}

type Inputs = Record<string, never>;

/** The state and volumes that deploying `resources` leaves. */
export function priorStateOf(resources: readonly PriorResource[]): PriorState {
  const prior: PriorState = { stashes: new Map(), triggers: new Map(), templates: new Map(), ebs: [], disks: [] };
  for (const { type, name, inputs: given, options } of resources) {
    const inputs = given as Inputs;
    if (type === "pulumi:index:Stash") {
      prior.stashes.set(name, inputs.input);
      if (options.replacementTrigger !== undefined) prior.triggers.set(name, options.replacementTrigger);
    }
    if (type === "aws:ec2/launchTemplate:LaunchTemplate") prior.templates.set(name, JSON.stringify(given));
    if (type === "aws:ebs/volume:Volume") prior.ebs.push({ id: `${name}-id`, zone: inputs.availabilityZone, tags: inputs.tags ?? {}, size: inputs.size ?? 100 });
    if (type === "gcp:compute/disk:Disk") prior.disks.push({ name: inputs.name, zone: inputs.zone, labels: inputs.labels ?? {}, size: inputs.size ?? 100, type: inputs.type ?? "pd-balanced" });
  }
  return prior;
}

/** The value a stash registered now holds: the recorded one while its trigger stays the same, else `input` (a new stash). */
export function stashValue(prior: PriorState | undefined, name: string, input: unknown, trigger: unknown): unknown {
  if (prior === undefined || !prior.stashes.has(name)) return input;
  const before = prior.triggers.get(name);
  const same = before === undefined || trigger === undefined || JSON.stringify(before) === JSON.stringify(trigger);
  return same ? prior.stashes.get(name) : input;
}

/** A launch template's computed outputs: a new version when its inputs changed since the earlier run. */
export function templateVersion(prior: PriorState | undefined, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const before = prior?.templates.get(name);
  return { latestVersion: before !== undefined && before !== JSON.stringify(inputs) ? 2 : 1 };
}

type Filter = { name: string; values: string[] };

function matches(volume: PriorEbs, filter: Filter): boolean {
  if (filter.name.startsWith("tag:")) return filter.values.includes(volume.tags[filter.name.slice(4)] ?? "\u0000");
  if (filter.name === "tag-key") return filter.values.some((key) => Object.hasOwn(volume.tags, key));
  if (filter.name === "volume-id") return filter.values.includes(volume.id);
  return true; // status: the earlier run's volumes are available
}

function notFound(message: string): Error {
  return Object.assign(new Error(message), { details: message });
}

/**
 * The answer to a volume invoke from the earlier run's volumes (EC2's DescribeVolumes filters, as
 * `ebs.getEbsVolumes` and `ebs.getVolume` pass them; GCE's disk by name and zone); undefined for
 * another token.
 */
export function answerVolumes(prior: PriorState | undefined, token: string, inputs: Record<string, unknown>): Record<string, unknown> | undefined {
  const region = String(inputs.region ?? "");
  const filters = (inputs.filters ?? []) as Filter[];
  switch (token) {
    case "aws:ebs/getEbsVolumes:getEbsVolumes": {
      const ids = (prior?.ebs ?? []).filter((volume) => volume.zone.startsWith(region) && filters.every((filter) => matches(volume, filter))).map((volume) => volume.id);
      return { id: region, region, ids };
    }
    case "aws:ebs/getVolume:getVolume": {
      const id = filters.find((filter) => filter.name === "volume-id")?.values[0];
      const volume = prior?.ebs.find((entry) => entry.id === id);
      if (!volume) throw notFound(`Your query returned no results. (${id})`);
      return { id, volumeId: id, availabilityZone: volume.zone, tags: volume.tags, size: volume.size, encrypted: true, volumeType: "gp3", region };
    }
    case "gcp:compute/getDisk:getDisk": {
      const disk = prior?.disks.find((entry) => entry.name === inputs.name && entry.zone === inputs.zone);
      if (!disk) throw notFound(`googleapi: Error 404: The resource 'disks/${String(inputs.name)}' was not found, notFound`);
      const link = `projects/your-project/zones/${disk.zone}/disks/${disk.name}`;
      return { id: link, name: disk.name, zone: disk.zone, type: disk.type, size: disk.size, labels: disk.labels, effectiveLabels: disk.labels, selfLink: link, users: [], project: "your-project" };
    }
    default:
      return undefined;
  }
}
