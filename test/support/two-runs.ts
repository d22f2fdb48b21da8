/**
 * Day two under mocks: the program runs once, then again with the first run's results as the
 * stack's state (its stashes and their triggers, the volumes it created, the launch template's
 * version) and a perturbation (other args, other cloud answers, values the API normalised in the
 * state). The two runs' inputs and diff options are compared through force-new.json
 * (components/change-effects.ts), as the engine and the providers would diff them.
 */
import type { DevEnvironmentArgs } from "../../components/args";
import { classifyUpdate, covers, type ChangeKind, type RecordedResource, type ResourceChange } from "../../components/change-effects";
import { deploy, type Deployment, type ExistingVolumes } from "./component-harness";
import type { FakeDisk, FakeEbs } from "./fake-volumes";
import { pulumiMocks, type MockRecorder } from "./pulumi-mocks";

/** One run: what it declared (inputs and diff options) and its outputs. */
export interface RecordedRun {
  resources: RecordedResource[];
  outputs: Deployment["outputs"];
}

/** A change between the two runs. */
export interface Perturbation {
  /** The second run's args, from the first's. */
  args?: (args: Partial<DevEnvironmentArgs>) => Partial<DevEnvironmentArgs>;
  /** Cloud answers that differ in the second run (invoke token -> answer). */
  invokes?: ExistingVolumes["invokes"];
  /** Values the cloud normalised in the state after the first run: resource type -> input path -> value. */
  normalised?: Record<string, Record<string, unknown>>;
}

const VM_TYPES = ["aws:ec2/instance:Instance", "aws:ec2/fleet:Fleet", "gcp:compute/instance:Instance", "gcp:tpu/v2Vm:V2Vm", "pulumi-nodejs:dynamic/dstack:TpuQueuedResource"];

/** Runs the component once under mocks, recording every child's inputs and diff options. */
export async function recordedRun(name: string, args: Partial<DevEnvironmentArgs>, existing: ExistingVolumes = {}): Promise<{ run: RecordedRun; recorder: MockRecorder }> {
  const recorder = await pulumiMocks();
  const deployment = await deploy(name, args, existing, { transformations: [recorder.recordOptions] });
  const resources = deployment.recorder.registrations
    .filter((entry) => !entry.type.startsWith("dstack:"))
    .map((entry) => ({ type: entry.type, name: entry.name, inputs: JSON.parse(JSON.stringify(entry.inputs)) as Record<string, unknown>, options: recorder.options.get(entry.name) ?? {} }));
  return { run: { resources, outputs: deployment.outputs }, recorder };
}

/** The state the first run leaves: its stashes (a new stash holds its input), its volumes as the cloud now lists them. */
function stateAfter(run: RecordedRun): ExistingVolumes {
  const stashes: Record<string, unknown> = {};
  const stashTriggers: Record<string, unknown> = {};
  const aws: FakeEbs[] = [];
  const gcp: FakeDisk[] = [];
  for (const resource of run.resources) {
    const inputs = resource.inputs as Record<string, never>;
    if (resource.type === "pulumi:index:Stash") {
      stashes[resource.name] = inputs.input;
      if (resource.options.replacementTrigger !== undefined) stashTriggers[resource.name] = resource.options.replacementTrigger;
    }
    if (resource.type === "aws:ebs/volume:Volume") aws.push({ id: `${resource.name}-id`, zone: inputs.availabilityZone, tags: inputs.tags, size: inputs.size });
    if (resource.type === "gcp:compute/disk:Disk") gcp.push({ name: inputs.name, zone: inputs.zone, labels: inputs.labels, size: inputs.size, type: inputs.type });
  }
  return { stashes, stashTriggers, aws, gcp, invokes: fleetVms(run) };
}

/** The VM a first run's fleet launched (the mocks' answer: its first override), as EC2 lists it by its mark. */
function fleetVms(run: RecordedRun): ExistingVolumes["invokes"] {
  const fleet = run.resources.find((resource) => resource.type === "aws:ec2/fleet:Fleet");
  if (!fleet) return {};
  const configs = fleet.inputs.launchTemplateConfigs as { overrides: { availabilityZone: string }[] }[];
  const id = `${fleet.name}-instance`;
  const zone = configs[0].overrides[0].availabilityZone;
  return {
    "aws:ec2/getInstances:getInstances": (inputs) => ({ id: String(inputs.region), region: inputs.region, ids: [id], privateIps: [], publicIps: [], ipv6Addresses: [] }),
    "aws:ec2/getInstance:getInstance": (inputs) => ({ id: String(inputs.instanceId), instanceState: "running", publicIp: "203.0.113.10", availabilityZone: zone }),
  };
}

/** Sets `path` (`a.b`) of a copy of `inputs` to `value`. */
function withValue(inputs: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(inputs)) as Record<string, unknown>;
  const keys = path.split(".");
  let node = copy;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
  return copy;
}

/** The first run's resources as the state holds them: with the cloud's normalised values. */
function asState(run: RecordedRun, normalised: Perturbation["normalised"] = {}): RecordedResource[] {
  return run.resources.map((resource) => {
    let inputs = resource.inputs;
    for (const [path, value] of Object.entries(normalised[resource.type] ?? {})) inputs = withValue(inputs, path, value);
    return { ...resource, inputs };
  });
}

/** The two runs and what the second does to each resource. */
export interface TwoRuns {
  first: RecordedRun;
  second: RecordedRun;
  changes: ResourceChange[];
}

/** Runs `args`, then the perturbed args against the first run's state, and classifies the update. */
export async function twoRuns(name: string, args: Partial<DevEnvironmentArgs>, perturbation: Perturbation = {}, existing: ExistingVolumes = {}): Promise<TwoRuns> {
  const { run: first } = await recordedRun(name, args, existing);
  const templates = new Map(first.resources.filter((resource) => resource.type === "aws:ec2/launchTemplate:LaunchTemplate").map((resource) => [resource.name, JSON.stringify(resource.inputs)]));
  const after = stateAfter(first);
  const state: ExistingVolumes = {
    ...existing,
    ...after,
    invokes: { ...existing.invokes, ...after.invokes, ...perturbation.invokes },
    // A launch template whose inputs changed gets a new version, as EC2 numbers them.
    computed: (type, resourceName, inputs) =>
      type === "aws:ec2/launchTemplate:LaunchTemplate" && templates.has(resourceName) && templates.get(resourceName) !== JSON.stringify(inputs) ? { latestVersion: 2 } : undefined,
  };
  const { run: second } = await recordedRun(name, (perturbation.args ?? ((same) => same))(args), state);
  return { first, second, changes: classifyUpdate(asState(first, perturbation.normalised), second.resources) };
}

/** What the update does to the VM (or TPU VM): its change kind. */
export function vmEffect(changes: readonly ResourceChange[]): ChangeKind {
  const vm = changes.filter((change) => VM_TYPES.includes(change.type));
  if (vm.length !== 1) throw new Error(`expected one VM, found ${vm.map((change) => `${change.type} ${change.name} (${change.kind})`).join(", ") || "none"}`);
  const [only] = vm;
  // A VM deleted and another created under a new name would be a replacement too.
  return only.kind === "create" || only.kind === "delete" ? "replace" : only.kind;
}

/** The changes other than `none`, as `kind type name (reasons)` lines (for messages). */
export function describeChanges(changes: readonly ResourceChange[]): string[] {
  return changes.filter((change) => change.kind !== "none").map((change) => `${change.kind} ${change.type} ${change.name}${change.reasons.length ? ` (${change.reasons.join("; ")})` : ""}`);
}

/** True when a path of `resource`'s inputs is ignored by its options (for assertions on normalised values). */
export function ignores(resource: RecordedResource, path: string): boolean {
  return (resource.options.ignoreChanges ?? []).some((rule) => covers(rule, path));
}
