/**
 * What deploying the head after the base does to each resource, for `dstack-pulumi diff`: created,
 * updated in place, updated with a stop, replaced (and which input forces it: force-new.json, or
 * the component's replacementTrigger / replaceOnChanges), deleted (or only forgotten, kept on the
 * cloud), or unchanged; with each changed input's old and new value (secrets are `[secret]` in
 * both runs already). And the volume verdict: whether any network volume is moved, emptied or
 * deleted.
 */
import { classifyUpdate, normalizePath, pathChanges, triggerChanged, type ChangeKind, type RecordedResource } from "./change-effects";

/** A changed input: its path, old and new value, and what the change does. */
export interface InputChange {
  path: string;
  before: unknown;
  after: unknown;
  effect: Exclude<ChangeKind, "create" | "delete">;
}

export interface ResourceDiff {
  type: string;
  name: string;
  change: ChangeKind;
  /** For a replacement: the inputs (paths without indices) or option that force it. */
  forced_by: string[];
  inputs: InputChange[];
  /** A deleted resource that is only forgotten (retainOnDelete): it stays on the cloud. */
  kept_on_cloud?: true;
}

/** The input keys that hold the boot script (shown as a diff of the script instead). */
export const BOOT_SCRIPT_PATHS = new Set(["userDataBase64", "userData", "metadata.startup-script"]);
export const BOOT_SCRIPT_VALUE = "(the boot script: see its diff)";

/** The value at `path` (`a.b[2].c`, keys with dots or dashes as written by changedPaths). */
export function valueAt(value: unknown, path: string): unknown {
  let node = value;
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (node === null || typeof node !== "object") return undefined;
    node = part.startsWith("[") ? (node as unknown[])[Number(part.slice(1, -1))] : (node as Record<string, unknown>)[part];
  }
  return node;
}

function shown(path: string, value: unknown): unknown {
  return BOOT_SCRIPT_PATHS.has(path) && value !== undefined ? BOOT_SCRIPT_VALUE : value;
}

/** Every resource of either run, by `type name`, with what the update does to it. */
export function resourceDiffs(base: readonly RecordedResource[], head: readonly RecordedResource[]): ResourceDiff[] {
  const key = (resource: { type: string; name: string }) => `${resource.type} ${resource.name}`;
  const before = new Map(base.map((resource) => [key(resource), resource]));
  const after = new Map(head.map((resource) => [key(resource), resource]));
  return classifyUpdate(base, head).map((change): ResourceDiff => {
    const old = before.get(key(change));
    const now = after.get(key(change));
    const diff: ResourceDiff = { type: change.type, name: change.name, change: change.kind, forced_by: [], inputs: [] };
    if (change.kind === "delete" && old?.options.retainOnDelete) diff.kept_on_cloud = true;
    if (!old || !now) return diff;
    for (const { path, kind } of pathChanges(old, now)) {
      if (kind === "ignored" || kind === "create" || kind === "delete") continue;
      diff.inputs.push({ path, before: shown(path, valueAt(old.inputs, path)), after: shown(path, valueAt(now.inputs, path)), effect: kind });
      if (kind === "replace" && !diff.forced_by.includes(normalizePath(path))) diff.forced_by.push(normalizePath(path));
    }
    if (triggerChanged(old, now)) diff.forced_by.push("replacementTrigger");
    return diff;
  });
}

/** The types of network volumes. */
export const VOLUME_TYPES = new Set(["aws:ebs/volume:Volume", "gcp:compute/disk:Disk"]);

export interface VolumeVerdict {
  /** False when a volume is moved, emptied or deleted, or the component refuses the update because of one. */
  ok: boolean;
  /** One sentence. */
  summary: string;
  /** What happens to each volume that changes. */
  details: string[];
  /** The component's error, when it refuses the head because of a volume. */
  error?: string;
}

const SAFE = "no volume is moved, emptied or deleted";

/** The volume verdict of an update (resources from resourceDiffs). */
export function volumeVerdict(diffs: readonly ResourceDiff[]): VolumeVerdict {
  const details: string[] = [];
  let ok = true;
  for (const diff of diffs.filter((entry) => VOLUME_TYPES.has(entry.type))) {
    const what = `volume ${diff.name}`;
    if (diff.change === "replace") {
      ok = false;
      const moved = diff.forced_by.some((path) => /zone|region/i.test(path));
      details.push(`${what} is ${moved ? "moved" : "emptied"}: replaced by a new, blank one (forced by ${diff.forced_by.join(", ")}); its data is lost`);
    } else if (diff.change === "delete") {
      if (diff.kept_on_cloud) details.push(`${what} leaves the configuration: the stack forgets it; the volume and its data stay on the cloud (delete it there when done)`);
      else {
        ok = false;
        details.push(`${what} is deleted with its data`);
      }
    } else if (diff.change === "create") {
      details.push(`${what} is new: created blank and formatted at its first attach`);
    } else if (diff.change !== "none") {
      details.push(`${what} is updated in place (${diff.inputs.map((input) => input.path).join(", ")}); its data stays`);
    }
  }
  return { ok, summary: ok ? SAFE : "a volume is moved, emptied or deleted", details };
}

/** The verdict when the component refuses the head: `pulumi up` stops before changing anything. */
export function refusedVerdict(message: string): VolumeVerdict {
  const aboutVolumes = /\bvolumes?\b|\bdisks?\b/i.test(message);
  return aboutVolumes
    ? { ok: false, summary: "the component refuses the update to protect a volume: pulumi up would stop with this error, before any change", details: [], error: message }
    : { ok: true, summary: `${SAFE} (the update is refused for another reason)`, details: [] };
}
