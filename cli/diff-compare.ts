/**
 * One configuration's diff, from the plans of its two sides (the head planned on the base's
 * deployment): the configuration's changes in dstack's terms, the offer before and after with the
 * cost per hour and per 730-hour month, every resource's change, the volume verdict, the boot
 * script's unified diff and the warnings. Either side may be absent (a configuration added or
 * removed); the head may be refused by the component (its error is the verdict).
 */
import { createTwoFilesPatch } from "diff";
import type { DevEnvironmentSpec } from "../config/schema";
import type { ChangeKind } from "../components/change-effects";
import { refusedVerdict, resourceDiffs, volumeVerdict, type ResourceDiff, type VolumeVerdict } from "../components/plan-changes";
import { configChanges, type ConfigChange } from "./diff-config";
import type { PlanView } from "./plan-format";
import type { PlanRun } from "../components/plan-run";

/** One side as planned: null when the configuration does not exist there. */
export interface PlannedSide {
  file: string;
  /** The lock file, when the side has one. */
  lock: string | null;
  /** How the side's messages name its lock file (there or not). */
  lockName: string;
  spec: DevEnvironmentSpec | null;
  plan: { view: PlanView; run: PlanRun } | null;
  /** The component's refusal (the head only). */
  refused?: string;
}

/** A number before and after, and the change (after - before). */
export interface Delta {
  before: number;
  after: number;
  change: number;
}

export interface ConfigDiff {
  file: string;
  base: { file: string; lock: string | null; exists: boolean };
  head: { file: string; lock: string | null; exists: boolean };
  /** The component's error for the head: pulumi up would stop before changing anything. */
  refused: string | null;
  configuration: ConfigChange[];
  offer: { before: Record<string, unknown> | null; after: Record<string, unknown> | null };
  cost: { price_per_hour: Delta; compute_per_month: Delta; disks_per_month: Delta; total_per_month: Delta; estimated: boolean };
  /** Resources by change, the state-only stashes (`pulumi:index:Stash`) left out. */
  summary: Record<ChangeKind, number>;
  resources: ResourceDiff[];
  volumes: VolumeVerdict;
  boot_script: { changed: boolean; diff: string };
  /** The head's warnings; `new` when the base did not have it. */
  warnings: { message: string; new: boolean }[];
}

const cents = (value: number) => Math.round(value * 100) / 100;
const micro = (value: number) => Math.round(value * 10_000) / 10_000;

function delta(before: number, after: number, round: (value: number) => number): Delta {
  return { before: round(before), after: round(after), change: round(after - before) };
}

/** True for a resource that lives in the stack's state only (a stash): nothing on the cloud. */
export function isStateOnly(type: string): boolean {
  return type.startsWith("pulumi:");
}

function costOf(side: PlannedSide): { hour: number; compute: number; disks: number; estimated: boolean } {
  const cost = side.plan?.view.cost;
  return cost ? { hour: cost.compute_per_hour, compute: cost.compute_per_month, disks: cost.disks_per_month, estimated: cost.estimated } : { hour: 0, compute: 0, disks: 0, estimated: false };
}

/** The unified diff of the boot scripts; none for a configuration added or removed (plan prints its script). */
function bootScriptDiff(base: PlannedSide, head: PlannedSide): string {
  const before = base.plan?.view.boot_script ?? "";
  const after = head.plan?.view.boot_script ?? "";
  if (before === after || base.plan === null || head.plan === null) return "";
  const patch = createTwoFilesPatch(`${base.file} (boot script)`, `${head.file} (boot script)`, before, after, undefined, undefined, { context: 3 });
  return patch.replace(/^=+\n/, "");
}

/** Compares the two planned sides of one configuration. */
export function compareSides(base: PlannedSide, head: PlannedSide): ConfigDiff {
  const refused = head.refused ?? null;
  const resources = refused === null ? resourceDiffs(base.plan?.run.recorded ?? [], head.plan?.run.recorded ?? []) : [];
  const summary: Record<ChangeKind, number> = { create: 0, "in-place": 0, "stop-start": 0, replace: 0, delete: 0, none: 0 };
  for (const resource of resources) if (!isStateOnly(resource.type)) summary[resource.change] += 1;
  const before = costOf(base);
  // A refused head changes nothing: pulumi up stops first.
  const after = refused === null ? costOf(head) : before;
  // A warning is new unless the base has it too, its lock file named alike.
  const unnamed = (side: PlannedSide, message: string) => message.split(side.lockName).join("<lock>");
  const baseWarnings = new Set((base.plan?.view.warnings ?? []).map((message) => unnamed(base, message)));
  return {
    file: head.spec !== null ? head.file : base.file,
    base: { file: base.file, lock: base.lock, exists: base.spec !== null },
    head: { file: head.file, lock: head.lock, exists: head.spec !== null },
    refused,
    configuration: configChanges(base.spec, head.spec),
    offer: { before: base.plan?.view.offer ?? null, after: head.plan?.view.offer ?? null },
    cost: {
      price_per_hour: delta(before.hour, after.hour, micro),
      compute_per_month: delta(before.compute, after.compute, cents),
      disks_per_month: delta(before.disks, after.disks, cents),
      total_per_month: delta(before.compute + before.disks, after.compute + after.disks, cents),
      estimated: before.estimated || after.estimated,
    },
    summary,
    resources,
    volumes: refused === null ? volumeVerdict(resources) : refusedVerdict(refused),
    boot_script: { changed: refused === null && (base.plan?.view.boot_script ?? "") !== (head.plan?.view.boot_script ?? ""), diff: refused === null ? bootScriptDiff(base, head) : "" },
    warnings: (head.plan?.view.warnings ?? []).map((message) => ({ message, new: !baseWarnings.has(unnamed(head, message)) })),
  };
}

/** The month's cost change of a configuration diff (for the total and `--fail-on cost`). */
export function monthlyChange(diff: ConfigDiff): number {
  return diff.cost.total_per_month.change;
}
