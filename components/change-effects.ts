/**
 * What an update does to each resource, from the providers' own rules: `force-new.json` says, per
 * resource type and input path, whether a change replaces the resource, needs it stopped, or
 * updates it in place (from the providers' sources; see each entry's `source`). The Pulumi options
 * a resource was declared with take part as the engine applies them: `ignoreChanges` hides a path,
 * `replaceOnChanges` and a changed `replacementTrigger` replace. Pure data in, data out: the
 * day-two tests, the README's table of edits and `dstack-pulumi diff` read the same rules.
 */
import FORCE_NEW from "./force-new.json";

/** The effect of an update on one resource, mildest first. */
export const CHANGE_KINDS = ["none", "in-place", "stop-start", "replace"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number] | "create" | "delete";

/** The rules of one resource type: input paths (`a.b`, `list[].c`) by what a change to them does. */
export interface ForceNewFacts {
  replace: string[];
  updateWithStop: string[];
  inPlace: string[];
}

/** The options of a declared resource that decide how the engine diffs it. */
export interface RecordedOptions {
  ignoreChanges?: string[];
  replaceOnChanges?: string[];
  replacementTrigger?: unknown;
  /** Removed from the program, the resource is only forgotten: it stays on the cloud. */
  retainOnDelete?: boolean;
}

/** The diff options among a resource's options (as a transformation sees them, before registration). */
export function recordedOptions(opts: RecordedOptions): RecordedOptions {
  const recorded: RecordedOptions = {};
  if (opts.ignoreChanges) recorded.ignoreChanges = [...opts.ignoreChanges];
  if (opts.replaceOnChanges) recorded.replaceOnChanges = [...opts.replaceOnChanges];
  if (opts.replacementTrigger !== undefined) recorded.replacementTrigger = opts.replacementTrigger;
  if (opts.retainOnDelete !== undefined) recorded.retainOnDelete = opts.retainOnDelete;
  return recorded;
}

/** A resource as one run of the program declared it. */
export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  options: RecordedOptions;
}

/** What an update does to a resource, and which input paths make it so. */
export interface ResourceChange {
  type: string;
  name: string;
  kind: ChangeKind;
  /** Changed input paths (indices as `[]`), each with what it does: `tags.team: in-place`. */
  reasons: string[];
}

const FACTS = FORCE_NEW as unknown as Record<string, ForceNewFacts>;

/** The rules of `type`; undefined when force-new.json does not know it. */
export function factsOf(type: string): ForceNewFacts | undefined {
  return FACTS[type];
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** The paths (`a.b[2].c`) where `before` and `after` differ, down to the leaves; a list of another length differs as a whole. */
export function changedPaths(before: unknown, after: unknown, path = ""): string[] {
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => changedPaths(item, after[i], `${path}[${i}]`));
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => changedPaths(before[key], after[key], path === "" ? key : `${path}.${key}`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [path];
}

/** `a[3].b` -> `a[].b`. */
export function normalizePath(path: string): string {
  return path.replace(/\[\d+\]/g, "[]");
}

/** True when `rule` (a path of force-new.json or an option) is `path` or holds it. */
export function covers(rule: string, path: string): boolean {
  const normalized = normalizePath(path);
  const plain = normalizePath(rule.replace(/\["([^"]+)"\]/g, ".$1"));
  return normalized === plain || normalized.startsWith(`${plain}.`) || normalized.startsWith(`${plain}[`);
}

/** The one path-level rule: what a change of `path` does to a resource of `type` (with `after`'s inputs). */
export function pathEffect(type: string, path: string, after: Record<string, unknown>): ChangeKind {
  const facts = factsOf(type);
  if (facts === undefined) return "replace";
  // The AWS provider replaces for user data when userDataReplaceOnChange is set (ForceNewIf).
  if (type === "aws:ec2/instance:Instance" && covers("userDataBase64", path) && after.userDataReplaceOnChange === true) return "replace";
  if (facts.replace.some((rule) => covers(rule, path))) return "replace";
  if (facts.updateWithStop.some((rule) => covers(rule, path))) return "stop-start";
  if (facts.inPlace.some((rule) => covers(rule, path))) return "in-place";
  // A block added or removed whole (`instanceMarketOptions`): the worst of the rules inside it.
  const inside = (rules: string[]) => rules.some((rule) => covers(path, rule));
  if (inside(facts.replace)) return "replace";
  if (inside(facts.updateWithStop)) return "stop-start";
  if (inside(facts.inPlace)) return "in-place";
  // A path no rule names: the safe guess is the worst.
  return "replace";
}

function worst(kinds: readonly ChangeKind[]): ChangeKind {
  let result: ChangeKind = "none";
  for (const kind of kinds) if (CHANGE_KINDS.indexOf(kind as (typeof CHANGE_KINDS)[number]) > CHANGE_KINDS.indexOf(result as (typeof CHANGE_KINDS)[number])) result = kind;
  return result;
}

/** One changed input path of a resource and what it does (`ignored`: the resource's ignoreChanges hides it). */
export interface PathChange {
  path: string;
  kind: ChangeKind | "ignored";
}

/** The changed input paths from `before` to `after` (both declared), each with what it does. */
export function pathChanges(before: RecordedResource, after: RecordedResource): PathChange[] {
  const ignored = after.options.ignoreChanges ?? [];
  const replacing = after.options.replaceOnChanges ?? [];
  return changedPaths(before.inputs, after.inputs).map((path) => {
    if (ignored.some((rule) => covers(rule, path))) return { path, kind: "ignored" };
    return { path, kind: replacing.some((rule) => covers(rule, path)) ? "replace" : pathEffect(after.type, path, after.inputs) };
  });
}

/** True when the resource's replacementTrigger changed (both runs give one): the engine replaces it. */
export function triggerChanged(before: RecordedResource, after: RecordedResource): boolean {
  const oldTrigger = before.options.replacementTrigger;
  const newTrigger = after.options.replacementTrigger;
  return oldTrigger !== undefined && oldTrigger !== null && newTrigger !== undefined && newTrigger !== null && JSON.stringify(oldTrigger) !== JSON.stringify(newTrigger);
}

/** What an update from `before` to `after` does to one resource (both declared). */
export function classifyResource(before: RecordedResource, after: RecordedResource): ResourceChange {
  const reasons: string[] = [];
  const kinds: ChangeKind[] = [];
  if (triggerChanged(before, after)) {
    kinds.push("replace");
    reasons.push("replacementTrigger: replace");
  }
  for (const { path, kind } of pathChanges(before, after)) {
    if (kind === "ignored") continue;
    kinds.push(kind);
    reasons.push(`${normalizePath(path)}: ${kind}`);
  }
  return { type: after.type, name: after.name, kind: worst(kinds), reasons: [...new Set(reasons)] };
}

/** Every resource's change between two runs, by `type name`, sorted; created and deleted ones included. */
export function classifyUpdate(before: readonly RecordedResource[], after: readonly RecordedResource[]): ResourceChange[] {
  const key = (resource: RecordedResource) => `${resource.type} ${resource.name}`;
  const olds = new Map(before.map((resource) => [key(resource), resource]));
  const news = new Map(after.map((resource) => [key(resource), resource]));
  const changes: ResourceChange[] = [];
  for (const [id, resource] of news) {
    const old = olds.get(id);
    changes.push(old ? classifyResource(old, resource) : { type: resource.type, name: resource.name, kind: "create", reasons: [] });
  }
  for (const [id, resource] of olds) {
    if (!news.has(id)) changes.push({ type: resource.type, name: resource.name, kind: "delete", reasons: resource.options.retainOnDelete ? ["retainOnDelete: forgotten, kept on the cloud"] : [] });
  }
  return changes.sort((a, b) => (`${a.type} ${a.name}` < `${b.type} ${b.name}` ? -1 : 1));
}
