/**
 * `diff`'s human output: per configuration, a summary line, the configuration's changes, the offer
 * and cost before and after, every resource's change with the inputs that changed, the volume
 * verdict, the warnings and the boot script's unified diff; then the total over the
 * configurations. The words for changes are shared with the markdown.
 */
import type { ChangeKind } from "../components/change-effects";
import type { ResourceDiff } from "../components/plan-changes";
import type { Offer } from "../offers/offer";
import { isStateOnly, type ConfigDiff, type Delta } from "./diff-compare";
import { describeConfigChange } from "./diff-config";
import { signedUsd } from "./diff-gates";
import { formatUsd } from "../offers/describe";
import { machine } from "./plan-format";

/** What a resource's change is called, in the order the output lists them. */
export const CHANGE_WORDS: Record<ChangeKind, string> = {
  replace: "replace",
  "stop-start": "update with a stop",
  "in-place": "update in place",
  create: "create",
  delete: "delete",
  none: "no change",
};
const ORDER: ChangeKind[] = ["replace", "stop-start", "in-place", "create", "delete", "none"];
/** What a change does to a stash (state only). */
export const STATE_WORDS: Record<ChangeKind, string> = { replace: "records anew", "stop-start": "updated", "in-place": "updated", create: "new", delete: "forgotten", none: "kept" };
const COUNT_WORDS: Record<ChangeKind, string> = { replace: "replaced", "stop-start": "updated with a stop", "in-place": "updated in place", create: "created", delete: "deleted", none: "unchanged" };

/** `1 replaced, 2 updated in place, 7 unchanged` (cloud resources). */
export function countsLine(diff: ConfigDiff): string {
  if (diff.refused !== null) return "refused: nothing changes";
  const parts = ORDER.filter((kind) => diff.summary[kind] > 0).map((kind) => `${diff.summary[kind]} ${COUNT_WORDS[kind]}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}

/** A resource's change as one word or phrase (a delete that keeps the resource says so). */
export function changeWord(resource: ResourceDiff): string {
  return resource.change === "delete" && resource.kept_on_cloud ? "delete (kept on the cloud)" : CHANGE_WORDS[resource.change];
}

/** Resources in the output's order: by change, then as planned. */
export function orderedResources(diff: ConfigDiff): ResourceDiff[] {
  return ORDER.flatMap((kind) => diff.resources.filter((resource) => resource.change === kind));
}

/** The offer of a side in one line. */
export function offerLine(offer: Record<string, unknown> | null, absent: string): string {
  if (offer === null) return absent;
  return `${machine(offer as unknown as Offer)}, zone ${String(offer.zone)}`;
}

/** `$1.006/h -> $0.8048/h (-$0.2012)`. */
export function deltaText(value: Delta, unit: string): string {
  return `${formatUsd(value.before)}${unit} -> ${formatUsd(value.after)}${unit} (${signedUsd(value.change)}${unit})`;
}

const MAX_VALUE = 160;

/** A changed input's value on one line (long values cut). */
export function inputValue(value: unknown): string {
  if (value === undefined) return "unset";
  const text = typeof value === "string" && value.startsWith("(the boot script") ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** What stands instead of the boot script's diff (after `Boot script:`); null when the diff is shown. */
export function bootScriptNote(diff: ConfigDiff): string | null {
  if (!diff.base.exists || !diff.head.exists) return ` ${diff.base.exists ? "removed" : "new"} with the configuration (dstack-pulumi plan prints it)`;
  return diff.boot_script.changed ? null : " no change";
}

/** The volume verdict in a word or two. */
export function volumeWord(diff: ConfigDiff): string {
  if (diff.volumes.error) return "kept by the refusal";
  return diff.volumes.ok ? "safe" : "AT RISK";
}

/** The summary of one configuration's diff in one line. */
export function summaryLine(diff: ConfigDiff): string {
  const what = !diff.base.exists ? "new configuration" : !diff.head.exists ? "configuration removed" : `${diff.configuration.length} configuration change${diff.configuration.length === 1 ? "" : "s"}`;
  const cost = `${signedUsd(diff.cost.price_per_hour.change)}/h, ${signedUsd(diff.cost.total_per_month.change)}/month`;
  return `${what}; resources: ${countsLine(diff)}; ${cost}; volumes: ${volumeWord(diff)}`;
}

function resourceLines(diff: ConfigDiff): string[] {
  const lines = [`Resources: ${countsLine(diff)}`];
  if (diff.refused !== null) return [...lines, diff.volumes.error ? "  pulumi up would stop with the error under Volumes, before any change" : `  pulumi up would stop with: ${diff.refused}`];
  const unchanged: string[] = [];
  const state: string[] = [];
  for (const resource of orderedResources(diff)) {
    if (resource.change === "none") {
      unchanged.push(resource.name);
      continue;
    }
    if (isStateOnly(resource.type)) {
      state.push(`${resource.name} (${STATE_WORDS[resource.change]})`);
      continue;
    }
    const forced = resource.change === "replace" && resource.forced_by.length > 0 ? ` (forced by ${resource.forced_by.join(", ")})` : "";
    lines.push(`  ${changeWord(resource)}: ${resource.type} ${resource.name}${forced}`);
    for (const input of resource.inputs) lines.push(`      ${input.path}: ${inputValue(input.before)} -> ${inputValue(input.after)} (${CHANGE_WORDS[input.effect]})`);
  }
  if (state.length > 0) lines.push(`  state only (stashes, nothing on the cloud): ${state.join(", ")}`);
  if (unchanged.length > 0) lines.push(`  no change: ${unchanged.join(", ")}`);
  return lines;
}

/** One configuration's diff as text. */
export function formatConfigDiff(diff: ConfigDiff): string[] {
  const out = [`${diff.base.file} -> ${diff.head.file}`, `  ${summaryLine(diff)}`, ""];
  out.push("Configuration (dstack fields):");
  if (!diff.base.exists || !diff.head.exists) out.push(`  ${diff.base.exists ? "removed: every resource is deleted" : "added: every resource is created"}`);
  else if (diff.configuration.length === 0) out.push("  no change");
  for (const change of diff.configuration) out.push(`  ${describeConfigChange(change)}`);
  const locks = [diff.base.lock, diff.head.lock].map((lock) => lock ?? "none");
  out.push("", `Offer (locks: ${locks[0]} -> ${locks[1]}):`);
  out.push(`  before: ${offerLine(diff.offer.before, "none (no configuration)")}`);
  out.push(`  after:  ${offerLine(diff.offer.after, diff.refused !== null ? "none: the update is refused" : "none (no configuration)")}`);
  const { cost } = diff;
  out.push(`  compute: ${deltaText(cost.price_per_hour, "/h")}; ${deltaText(cost.compute_per_month, "/month")} at 730 h`);
  out.push(`  disks and volumes: ${deltaText(cost.disks_per_month, "/month")}`);
  out.push(`  total: ${deltaText(cost.total_per_month, "/month")}${cost.estimated ? " (estimated prices included)" : ""}`);
  out.push("", ...resourceLines(diff));
  out.push("", `Volumes: ${diff.volumes.summary}`);
  if (diff.volumes.error) out.push(`  ${diff.volumes.error}`);
  for (const detail of diff.volumes.details) out.push(`  - ${detail}`);
  if (diff.warnings.length > 0) {
    out.push("", "Warnings (head):");
    for (const warning of diff.warnings) out.push(`  - ${warning.new ? "(new) " : ""}${warning.message}`);
  }
  out.push("", `Boot script:${bootScriptNote(diff) ?? ""}`);
  if (bootScriptNote(diff) === null) out.push(diff.boot_script.diff.trimEnd());
  return out;
}

/** The failed configurations of a folder and the total over the others. */
export interface DiffTotal {
  configurations: number;
  per_hour: Delta;
  per_month: Delta;
}

/** The whole output: each configuration's diff (or its failure, on stderr already), then the total. */
export function formatDiff(diffs: readonly ConfigDiff[], total: DiffTotal, failed: readonly string[]): string {
  const out: string[] = [];
  for (const diff of diffs) out.push(...formatConfigDiff(diff), "");
  if (diffs.length + failed.length > 1) {
    out.push(`Total over ${total.configurations} configuration${total.configurations === 1 ? "" : "s"}: ${deltaText(total.per_hour, "/h")}; ${deltaText(total.per_month, "/month")}`);
    for (const file of failed) out.push(`  not included: ${file} (see the error above)`);
    out.push("");
  }
  return out.join("\n");
}
