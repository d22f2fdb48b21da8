/**
 * `diff --markdown`: a pull-request comment. First a table, one row per configuration (machine,
 * price per hour and per month, resources, volumes) and the total; then the gates that tripped
 * and the replacements, in a line each; then, per configuration, the details collapsed in
 * `<details>`: the configuration's changes, the offers, every changed resource with its inputs,
 * the volume verdict, the warnings and the boot script's diff (cut after 300 lines, to stay within
 * a comment's size).
 */
import type { Offer } from "../offers/offer";
import { isStateOnly, type ConfigDiff } from "./diff-compare";
import { showValue } from "./diff-config";
import { bootScriptNote, changeWord, countsLine, deltaText, inputValue, offerLine, orderedResources, CHANGE_WORDS, STATE_WORDS, type DiffTotal } from "./diff-format";
import type { GateResult } from "./diff-gates";

/** The marker the README's CI step looks for to update its comment instead of adding one. */
export const COMMENT_MARKER = "<!-- dstack-pulumi diff -->";
const MAX_BOOT_LINES = 300;

/** Inline code that survives backticks inside. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** Code inside HTML (a `<summary>`, where markdown is not read). */
function htmlCode(text: string): string {
  return `<code>${text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</code>`;
}

/** A table cell: pipes escaped, one line. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function fenced(language: string, text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

function machineShort(offer: Record<string, unknown> | null): string {
  if (offer === null) return "none";
  const item = offer as unknown as Offer;
  return `${item.backend} ${item.region} ${item.instance_type}${item.spot ? " (spot)" : ""}`;
}

function row(diff: ConfigDiff): string {
  const before = machineShort(diff.offer.before);
  const after = diff.refused !== null ? "refused" : machineShort(diff.offer.after);
  const machine = before === after ? before : `${before} → ${after}`;
  const replaced = diff.summary.replace > 0 ? `**${countsLine(diff)}**` : countsLine(diff);
  const volumes = diff.volumes.error ? "⛔ refused to protect a volume" : diff.volumes.ok ? "✅ safe" : "❌ at risk";
  const cells = [code(diff.file), machine, deltaText(diff.cost.price_per_hour, "/h"), deltaText(diff.cost.total_per_month, ""), replaced, volumes];
  return `| ${cells.map(cell).join(" | ")} |`;
}

function details(diff: ConfigDiff): string[] {
  const out = ["", `<details><summary>${htmlCode(diff.file)}: ${diff.configuration.length} configuration change${diff.configuration.length === 1 ? "" : "s"}; ${countsLine(diff)}</summary>`, ""];
  if (!diff.base.exists || !diff.head.exists) out.push(diff.base.exists ? "The configuration is removed: every resource is deleted." : "A new configuration: every resource is created.", "");
  if (diff.configuration.length > 0) {
    out.push("**Configuration** (dstack fields)", "", "| field | before | after |", "|---|---|---|");
    for (const change of diff.configuration) {
      const before = change.change === "added" ? "" : code(showValue(change.field, change.before));
      const after = change.change === "removed" ? "" : code(showValue(change.field, change.after));
      out.push(`| ${cell(code(change.field))} | ${cell(before)} | ${cell(after)} |`);
    }
    out.push("");
  }
  out.push("**Offer**", "", `- before: ${offerLine(diff.offer.before, "none")} (lock: ${diff.base.lock ?? "none"})`);
  out.push(`- after: ${offerLine(diff.offer.after, diff.refused !== null ? "none: the update is refused" : "none")} (lock: ${diff.head.lock ?? "none"})`);
  out.push(`- compute: ${deltaText(diff.cost.price_per_hour, "/h")}; ${deltaText(diff.cost.compute_per_month, "/month")} at 730 h`);
  out.push(`- disks and volumes: ${deltaText(diff.cost.disks_per_month, "/month")}`, "");
  if (diff.refused !== null && !diff.volumes.error) out.push(`**pulumi up would stop** with: ${diff.refused}`, "");
  const changed = orderedResources(diff).filter((resource) => resource.change !== "none" && !isStateOnly(resource.type));
  const state = orderedResources(diff).filter((resource) => resource.change !== "none" && isStateOnly(resource.type));
  if (changed.length > 0) {
    out.push("**Resources**", "", "| change | resource | inputs |", "|---|---|---|");
    for (const resource of changed) {
      const inputs = resource.inputs.map((input) => `${code(input.path)}: ${code(inputValue(input.before))} → ${code(inputValue(input.after))} (${CHANGE_WORDS[input.effect]})`);
      const forced = resource.change === "replace" ? `**replace** (forced by ${resource.forced_by.map(code).join(", ")})` : changeWord(resource);
      out.push(`| ${cell(forced)} | ${cell(`${code(resource.type)} ${code(resource.name)}`)} | ${cell(inputs.join("<br>"))} |`);
    }
    out.push("");
  }
  if (state.length > 0) out.push(`State only (stashes, nothing on the cloud): ${state.map((resource) => `${code(resource.name)} ${STATE_WORDS[resource.change]}`).join(", ")}.`, "");
  const same = diff.resources.filter((resource) => resource.change === "none").length;
  if (diff.refused === null) out.push(`${same} resource${same === 1 ? "" : "s"} without change.`, "");
  out.push(`**Volumes**: ${diff.volumes.summary}`);
  if (diff.volumes.error) out.push("", fenced("", diff.volumes.error));
  for (const detail of diff.volumes.details) out.push(`- ${detail}`);
  if (diff.warnings.length > 0) {
    out.push("", "**Warnings** (head)", "");
    for (const warning of diff.warnings) out.push(`- ${warning.new ? "**new**: " : ""}${warning.message}`);
  }
  const note = bootScriptNote(diff);
  out.push("", `**Boot script**${note === null ? "" : `:${note}`}`);
  if (note === null) {
    const lines = diff.boot_script.diff.trimEnd().split("\n");
    const shown = lines.slice(0, MAX_BOOT_LINES);
    if (lines.length > MAX_BOOT_LINES) shown.push(`… ${lines.length - MAX_BOOT_LINES} more lines: run dstack-pulumi diff for all of it`);
    out.push("", fenced("diff", shown.join("\n")));
  }
  out.push("", "</details>");
  return out;
}

/** The pull-request comment. */
export function formatMarkdown(diffs: readonly ConfigDiff[], total: DiffTotal, failed: readonly string[], gates: readonly GateResult[]): string {
  const out = [COMMENT_MARKER, "### dstack-pulumi diff", "", "| configuration | machine | per hour | per month (730 h + disks) | resources | volumes |", "|---|---|---|---|---|---|"];
  for (const diff of diffs) out.push(row(diff));
  for (const file of failed) out.push(`| ${cell(code(file))} | ❌ error: see the job's log | | | | |`);
  if (diffs.length + failed.length > 1) out.push(`| **total** | | ${deltaText(total.per_hour, "/h")} | ${deltaText(total.per_month, "")} | | |`);
  out.push("");
  for (const gate of gates.filter((entry) => entry.tripped)) out.push(`❌ \`--fail-on ${gate.gate}\`: ${gate.why.join("; ")}`, "");
  for (const diff of diffs) {
    for (const resource of diff.resources.filter((entry) => entry.change === "replace" && /Instance$|V2Vm$|TpuQueuedResource$/.test(entry.type))) {
      out.push(`⚠️ ${code(diff.file)}: the VM ${code(resource.name)} is **replaced** (forced by ${resource.forced_by.map(code).join(", ")}): its root disk is lost (the container, what was installed in it, /workflow unless on a volume); network volumes keep their data.`, "");
    }
    if (diff.volumes.error) out.push(`❌ ${code(diff.file)}: ${diff.volumes.summary}.`, "");
  }
  for (const diff of diffs) out.push(...details(diff));
  return `${out.join("\n").trimEnd()}\n`;
}
