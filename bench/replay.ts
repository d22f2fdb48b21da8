/**
 * The baseline of the environments benchmark: what a run of the DevEnvironments registered (type,
 * name, parent, the options that are plain values, the inputs as the mocks received them, and each
 * component's outputs), written once, then registered again directly with the SDK's own classes
 * (`new ec2.Instance(name, inputs, { parent })`, `new pulumi.Stash(...)`, plain
 * `ComponentResource`s for the components) under the same mocks: the same resources with none of
 * the component's work (configuration, offers, invokes, boot script).
 */
import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import type { MockRecorder } from "../test/support/pulumi-mocks";

/** Resource options that are plain values, replayed as they were given. */
const PLAIN_OPTIONS = ["ignoreChanges", "replaceOnChanges", "deleteBeforeReplace", "retainOnDelete"] as const;

export interface RecordedResource {
  type: string;
  name: string;
  /** The parent's name; null for a resource of the stack. */
  parent: string | null;
  custom: boolean;
  options: Pick<pulumi.CustomResourceOptions, (typeof PLAIN_OPTIONS)[number]>;
  /** The inputs as the mock's `newResource` got them (secrets as the SDK's secret objects). */
  inputs: Record<string, unknown>;
}

export interface Recorded {
  /** In the order they were constructed (a parent before its children). */
  resources: RecordedResource[];
  /** The outputs each component registered, by component name. */
  components: { name: string; outputs: Record<string, unknown> }[];
  /** The URNs the mock monitor holds, sorted (the type part holds the parents' types). */
  urns: string[];
}

/** The key that marks the SDK's special values (secrets, resource references, assets), and its value for a secret. */
const SPECIAL_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

type Note = Omit<RecordedResource, "inputs">;
const notes: Note[] = [];

/** A `transformations` entry that notes each resource's parent and plain options, in construction order. */
export function noteChild(args: pulumi.ResourceTransformationArgs): undefined {
  const parent = args.opts.parent as unknown as { __name?: string } | undefined;
  const options: Note["options"] = {};
  const given = args.opts as pulumi.CustomResourceOptions;
  for (const key of PLAIN_OPTIONS) if (given[key] !== undefined) Object.assign(options, { [key]: given[key] });
  notes.push({ type: args.type, name: args.name, parent: parent?.__name ?? null, custom: args.resource instanceof pulumi.CustomResource, options });
  return undefined;
}

/** The record of this process's run: the noted resources with the inputs the mocks got. */
export function recordOf(recorder: MockRecorder, components: Recorded["components"]): Recorded {
  const inputs = new Map(recorder.registrations.map((r) => [`${r.type} ${r.name}`, r.inputs]));
  assert.equal(inputs.size, recorder.registrations.length, "two registrations of one type and name");
  assert.equal(notes.length, recorder.registrations.length, "a registration that no transformation saw, or the reverse");
  const resources = notes.map((note) => ({ ...note, inputs: JSON.parse(JSON.stringify(inputs.get(`${note.type} ${note.name}`))) }));
  const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
  return { resources, components, urns: [...monitor.resources.keys()].sort() };
}

/** The record a recording run wrote to `file`. */
export function readRecord(file: string): Recorded {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Recorded;
}

/** Recorded inputs as inputs again: the SDK's secret objects become secrets. */
function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SPECIAL_SIG] === SECRET_VALUE) return pulumi.secret(revive(record.value));
  if (SPECIAL_SIG in record) throw new Error(`the replay knows no special value ${JSON.stringify(record)}`);
  return Object.fromEntries(Object.entries(record).map(([key, entry]) => [key, revive(entry)]));
}

/** A component that only registers its recorded outputs (right away, as `DevEnvironment` does). */
class ReplayedComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string, outputs: Record<string, unknown>, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.registerOutputs(outputs);
  }
}

type ResourceClass = new (name: string, args: unknown, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** The SDK class of a type token: `aws:ec2/instance:Instance` -> `require("@pulumi/aws/ec2").Instance`. */
function sdkClass(type: string): ResourceClass {
  if (type === "pulumi:index:Stash") return pulumi.Stash as unknown as ResourceClass;
  const match = /^(\w+):(\w+)\/\w+:(\w+)$/.exec(type);
  if (!match) throw new Error(`no SDK class for ${type}`);
  const [, pkg, module, name] = match;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const found = require(module === "index" ? `@pulumi/${pkg}` : `@pulumi/${pkg}/${module}`)[name] as ResourceClass | undefined;
  if (!found) throw new Error(`no SDK class for ${type}`);
  return found;
}

/**
 * Registers the recorded resources directly; `transformations` (for a check) go to the
 * resources of the stack, as the recording run gave them to the components.
 */
export function replay(recorded: Recorded, transformations: pulumi.ResourceTransformation[] = []): void {
  const made = new Map<string, pulumi.Resource>();
  const outputs = new Map(recorded.components.map((component) => [component.name, component.outputs]));
  for (const resource of recorded.resources) {
    if (made.has(resource.name)) throw new Error(`two recorded resources named ${resource.name}`);
    const parent = resource.parent === null ? undefined : made.get(resource.parent);
    if (resource.parent !== null && !parent) throw new Error(`${resource.name}: its parent ${resource.parent} was not declared before it`);
    const opts: pulumi.CustomResourceOptions = { ...resource.options, ...(parent ? { parent } : { transformations }) };
    if (resource.custom) {
      made.set(resource.name, new (sdkClass(resource.type))(resource.name, revive(resource.inputs), opts));
    } else {
      made.set(resource.name, new ReplayedComponent(resource.type, resource.name, outputs.get(resource.name) ?? {}, opts));
    }
  }
}

/** Fails unless both records hold the same resources: types, names, parents, options, inputs and URNs. */
export function compareRecords(expected: Recorded, actual: Recorded): void {
  const key = (r: RecordedResource) => `${r.type} ${r.name}`;
  const sorted = (record: Recorded) => [...record.resources].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  assert.deepEqual(sorted(actual), sorted(expected));
  assert.deepEqual(actual.urns, expected.urns);
}
