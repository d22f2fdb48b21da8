/**
 * `plan`'s human output: the configuration, the offer and the runners-up, the resource tree with
 * inputs, the cost, day two (power-off, stopped cost, which edits replace the VM), the warnings and
 * the boot script.
 */
import type { Offer } from "../offers/offer";
import { formatUsd } from "../offers/describe";
import type { PlanCost } from "../components/plan-cost";
import { dayTwoLines, type DayTwo } from "../components/plan-day-two";
import type { PlannedResource } from "../components/plan-run";
import { fallbackLines, type PlanFallback } from "./plan-fallback";
import { formatAccelerator } from "./offers-table";

export interface PlanView {
  configuration: { file: string; summary: string };
  catalog: Record<string, unknown>;
  offer: Record<string, unknown> & { source: string; zone: string };
  runners_up: Record<string, unknown>[];
  /** With retry: the order `dstack-pulumi up` tries offers in (plan-fallback.ts). */
  fallback?: PlanFallback;
  resources: PlannedResource[];
  boot_script: string;
  cost: PlanCost;
  day_two: DayTwo;
  outputs: { ssh_command: string; ide_url: string; ports: { local: number; container: number }[] };
  warnings: string[];
}

const BOOT_KEYS = new Set(["userDataBase64", "userData", "startup-script"]);

/** An offer on one line: backend, region, type, size, market and price. */
export function machine(offer: Offer): string {
  const accelerator = offer.gpu || offer.tpu ? `, ${formatAccelerator(offer)}` : "";
  return `${offer.backend} ${offer.region} ${offer.instance_type}: ${offer.cpus} CPUs, ${offer.memory_gb}GB${accelerator}, ${offer.disk_gb}GB disk, ${offer.spot ? "spot" : "on-demand"}, ${offer.estimated_price ? "~" : ""}${formatUsd(offer.price_per_hour)}/h`;
}

/** One input per line, `key: json`, the boot script replaced by a pointer to its section. */
function inputLines(resource: PlannedResource, indent: string): string[] {
  const { inputs } = resource;
  // A fleet's VM: its template only fetches the boot script, which SSM parameters hold in parts.
  const fleetTemplate = resource.type === "aws:ec2/launchTemplate:LaunchTemplate" && typeof inputs.userData === "string";
  const bootPart = resource.type === "aws:ssm/parameter:Parameter" ? /\/boot\/([1-9]\d*)$/.exec(String(inputs.name))?.[1] : undefined;
  return Object.keys(inputs).sort().map((key) => {
    const value = inputs[key];
    if (fleetTemplate && key === "userData") return `${indent}${key}: (a cloud-config that fetches the boot script from SSM at every boot, then runs it)`;
    if (bootPart !== undefined && key === "insecureValue") return `${indent}${key}: ${value === "-" ? '"-" (unused)' : `(the boot script, below: part ${bootPart}, gzipped and base64-encoded)`}`;
    if (BOOT_KEYS.has(key)) return `${indent}${key}: (the boot script, below)`;
    if (key === "metadata" && value && typeof value === "object") {
      const shown = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, BOOT_KEYS.has(k) ? "(the boot script, below)" : v]));
      return `${indent}${key}: ${JSON.stringify(shown)}`;
    }
    return `${indent}${key}: ${JSON.stringify(value)}`;
  });
}

export function formatPlan(plan: PlanView): string {
  const offer = plan.offer as unknown as Offer & { source: string; zone: string };
  const out: string[] = [plan.configuration.summary, ""];
  out.push(`Offer (${offer.source === "lock" ? "from the lock" : "the cheapest in the catalog, not locked"}): ${machine(offer)}, zone ${offer.zone}`);
  if (plan.runners_up.length > 0) {
    out.push("Next offers:");
    for (const other of plan.runners_up as unknown as Offer[]) out.push(`  ${machine(other)}`);
  }
  if (plan.fallback) out.push("", ...fallbackLines(plan.fallback, machine));
  const children = plan.resources.filter((resource) => resource.parent !== null);
  out.push("", `Resources (pulumi up would create ${plan.resources.length}):`);
  for (const resource of plan.resources.filter((r) => r.parent === null)) out.push(`${resource.type} ${resource.name}`);
  for (const resource of children) {
    out.push(`  ${resource.type} ${resource.name}`);
    out.push(...inputLines(resource, "      "));
  }
  const { cost } = plan;
  out.push("", "Cost:");
  out.push(`  compute: ${cost.estimated ? "~" : ""}${formatUsd(cost.compute_per_hour)}/h (${formatUsd(cost.compute_per_month)}/month at 730 h)`);
  for (const disk of cost.disks) out.push(`  ${disk.role} ${disk.resource}: ${disk.size_gb}GB ${disk.type}, ~${formatUsd(disk.per_month)}/month`);
  out.push(`  disks and volumes: ~${formatUsd(cost.disks_per_month)}/month (list prices per GB-month)`);
  out.push("", ...dayTwoLines(plan.day_two, formatUsd));
  out.push("", "Connect (after pulumi up):", `  ${plan.outputs.ssh_command}`);
  if (plan.outputs.ide_url) out.push(`  ${plan.outputs.ide_url}`);
  for (const port of plan.outputs.ports) out.push(`  port ${port.container}: localhost:${port.local} while connected`);
  if (plan.warnings.length > 0) {
    out.push("", "Warnings:");
    for (const warning of plan.warnings) out.push(`  - ${warning}`);
  }
  out.push("", "Boot script:", plan.boot_script.trimEnd(), "");
  return out.join("\n");
}
