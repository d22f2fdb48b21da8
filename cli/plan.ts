/**
 * `dstack-pulumi plan [--json] [--backend B] [--region R] [--spot-policy P] [--max-price N]
 * [--catalog FILE] [--ssh-public-key FILE] [--allowed-cidr CIDR] [--no-repo] FILE`: the offline
 * preview. It runs the real `DevEnvironment` under Pulumi's mock runtime and prints the
 * configuration, the chosen offer and the runners-up, every resource `pulumi up` would create with
 * its inputs (secrets as `[secret]`), the boot script, the cost and the warnings. The same input
 * gives byte-identical output. Exit 0 ok, 1 invalid input or refused, 3 no offers; with `--json`
 * a failure is the error object of `failure.ts`.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CatalogError } from "../catalog/load";
import { isEnvPlaceholder } from "../config/env";
import { isInstanceMount } from "../config/volumes";
import type { DevEnvironmentSpec } from "../config/schema";
import { RefusedConfigurationError } from "../offers/architecture";
import { chooseOffer, NoOffersError, type OfferChoice } from "../offers/choose";
import { describeRequest } from "../offers/describe";
import { lockFileFor, readLock, LockError } from "../offers/lock";
import { offerJson } from "../offers/offer";
import { sharedOfferIndex } from "../offers/shared-index";
import type { PlanRun } from "../components/plan-run";
import type { PriorState } from "../components/plan-prior";
import type { RepoArg } from "../components/repo-source";
import { fail, type Failure } from "./failure";
import { catalogFailure, catalogJson, noOffersFailure, refusedFailure, type OffersOptions } from "./offers";
import { planFallback } from "./plan-fallback";
import { formatPlan, type PlanView } from "./plan-format";
import { readConfigForCommand } from "./read-config";
import type { Output } from "./validate";

/** `plan`'s flags: the offer flags of `offers` (but `--limit`), and the component's args. */
export interface PlanOptions extends Omit<OffersOptions, "limit"> {
  sshPublicKey?: string;
  allowedCidr?: string[];
  /** Commander's `--no-repo`: false when given. */
  repo?: boolean;
}

/** The key `plan` uses unless given one: plan output must not depend on the machine. */
export const PLAN_SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPlanPlaceholderKeyPlanPlaceholderKey00 your-key";

/** The configuration in one paragraph. */
export function describeConfig(spec: DevEnvironmentSpec, file: string, choice: OfferChoice): string {
  const parts = [`${file}: ${spec.name ?? "a dev environment"} with ${spec.ide ?? "no IDE"}${spec.version ? ` ${spec.version}` : ""}`];
  parts.push(spec.image ? `image ${spec.image}` : `Python ${spec.python ?? "3.11"}${spec.nvcc ? " with nvcc" : ""}`);
  parts.push(`asks for ${describeRequest(choice.requirements)}`);
  const volumes = spec.volumes.map((mount) => (isInstanceMount(mount) ? `${mount.instance_path} (instance) at ${mount.path}` : `${[mount.name].flat().join(" or ")} at ${mount.path}`));
  if (volumes.length > 0) parts.push(`volumes ${volumes.join(", ")}`);
  const env = Object.entries(spec.env);
  if (env.length > 0) parts.push(`${env.length} env variable${env.length === 1 ? "" : "s"} (${env.filter(([, value]) => isEnvPlaceholder(value)).length} without a value)`);
  if (spec.init.length > 0) parts.push(`${spec.init.length} init command${spec.init.length === 1 ? "" : "s"}`);
  return `${parts.join("; ")}.`;
}

/** Days between two `YYYY-MM-DD` dates. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * A warning when part of the catalog is much older than the rest (judged from the stamp alone, so
 * that plan's output does not depend on today's date).
 */
export function catalogAgeWarnings(stamp: { data_date: string; oldest_data_date: string; sources: { id: string; data_date: string }[] }): string[] {
  const days = daysBetween(stamp.oldest_data_date, stamp.data_date);
  if (days <= 180) return [];
  const old = stamp.sources.filter((source) => daysBetween(source.data_date, stamp.data_date) > 180).map((source) => `${source.id} (${source.data_date})`);
  const what = old.length > 0 ? old.join(", ") : `data from ${stamp.oldest_data_date}`;
  return [`the catalog mixes data up to ${days} days apart: ${what} is older than the rest (${stamp.data_date}); dstack-pulumi catalog update refreshes it`];
}

/** A configuration to plan: read already, with the lock file that goes with it. */
export interface PlanSource {
  spec: DevEnvironmentSpec;
  /** The file as named in messages (`<stdin>`, `main:.dstack.yml`). */
  name: string;
  text: string;
  /** The file on disk the component reads (its git repository is the default repo); else the text is given. */
  configPath?: string;
  /** The lock file, and its name in messages. */
  lockFile?: string;
  lockName?: string;
}

/** What a plan needs besides the configuration (`diff` gives the same to both sides). */
export interface PlanContext {
  /** The component's name (default: the configuration's name, else `dev`). */
  component?: string;
  /** The repository for /workflow, resolved once (`diff`), instead of the one holding the file. */
  repo?: RepoArg;
  /** What an earlier run left (`diff`'s head is planned on the base's deployment). */
  prior?: PriorState;
  /** The command, in messages. */
  command?: string;
}

/** A plan made, with the run it comes from. */
export type MadePlan = { ok: true; view: PlanView; run: PlanRun; choice: OfferChoice } | { ok: false; failure: Failure };

/** Plans one configuration: the offer, then the component under mocks. */
export async function makePlan(source: PlanSource, options: PlanOptions, context: PlanContext = {}): Promise<MadePlan> {
  const { spec } = source;
  const command = context.command ?? "plan";
  const refused = (failure: Failure): MadePlan => ({ ok: false, failure });
  let choice: OfferChoice;
  let index;
  const { lockFile } = source;
  // The same overrides reach the choice here and the component's args below.
  const overrides = { backends: options.backend, regions: options.region, spotPolicy: options.spotPolicy, maxPrice: options.maxPrice };
  try {
    index = sharedOfferIndex(options.catalog);
    choice = chooseOffer(spec, index, { ...overrides, lock: lockFile ? readLock(lockFile) : null, lockFile: source.lockName ?? (lockFile ? path.basename(lockFile) : "no lock for standard input") });
  } catch (error) {
    if (error instanceof NoOffersError) return refused(noOffersFailure(error.noOffers, error.warnings));
    if (error instanceof CatalogError) return refused(catalogFailure(error));
    if (error instanceof LockError) return refused({ code: "invalid_lock", message: error.message });
    if (error instanceof RefusedConfigurationError) return refused(refusedFailure(source.name, error));
    throw error;
  }
  // Values `pulumi up` would need but this process does not have: planned as secrets, with a warning.
  const missing = Object.entries(spec.env).filter(([name, value]) => isEnvPlaceholder(value) && process.env[name] === undefined).map(([name]) => name);
  const env = Object.fromEntries(missing.map((name) => [name, "[missing]"]));
  let sshPublicKey = PLAN_SSH_KEY;
  if (options.sshPublicKey) {
    try {
      sshPublicKey = readFileSync(options.sshPublicKey, "utf8");
    } catch (error) {
      const message = `cannot read the SSH public key ${options.sshPublicKey}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
      return refused({ code: "unreadable_file", message, details: { file: options.sshPublicKey }, text: `dstack-pulumi: ${command}: ${message}` });
    }
  }
  const { runPlan: run } = await import("../components/plan-run");
  let planned: PlanRun;
  try {
    // A file is passed by path: the component finds the git repository holding it, as pulumi up does.
    const config = source.configPath !== undefined ? { configPath: source.configPath } : { config: source.text };
    const repo = context.repo !== undefined ? { repo: context.repo } : {};
    const args = { ...config, ...overrides, lockFile, catalogPath: options.catalog, sshPublicKey, allowedCidrs: options.allowedCidr, env, noRepo: options.repo === false, ...repo };
    planned = await run(context.component ?? spec.name ?? "dev", args, () => choice.offer.zones, context.prior);
  } catch (error) {
    // What the component refuses (its own checks, a builder's): one line, no stack trace.
    const message = (error as Error).message;
    return refused({ code: "refused", message, text: `dstack-pulumi: ${command}: ${message}` });
  }
  const warnings = [
    ...missing.map((name) => `env ${name} has no value here: pulumi up takes it from the component's env arg or its environment`),
    ...planned.outputs.warnings,
  ];
  if (choice.offer.estimated_price) warnings.push("the offer's price is estimated (derived from another region's or size's published price)");
  const volumes = spec.volumes.filter((mount) => !isInstanceMount(mount)).map((mount) => [(mount as { name: string | string[] }).name].flat().join(" or "));
  if (volumes.length > 0 && context.prior === undefined) {
    warnings.push(`volumes ${volumes.join(", ")}: planned as new; one of this stack's volume scope that exists at pulumi up is attached, and the VM and the offer stay in its zone`);
  }
  warnings.push(...catalogAgeWarnings(index.catalog.stamp));
  const { planCost } = await import("../components/plan-cost");
  const { planDayTwo } = await import("../components/plan-day-two");
  const cost = planCost(planned.resources, choice.offer.price_per_hour, choice.offer.estimated_price);
  const fallback = planFallback(spec, choice, index, planned.resources);
  const view: PlanView = {
    configuration: { file: source.name, summary: describeConfig(spec, source.name, choice) },
    catalog: catalogJson(index.catalog, options.catalog),
    offer: { ...offerJson(choice.offer), source: choice.source, zone: planned.outputs.zone },
    runners_up: choice.runnersUp.map(offerJson),
    ...(fallback === null ? {} : { fallback }),
    resources: planned.resources,
    boot_script: planned.bootScript,
    cost,
    day_two: planDayTwo(spec, choice.offer, cost, planned.resources),
    outputs: { ssh_command: planned.outputs.sshCommand, ide_url: planned.outputs.ideUrl, ports: planned.outputs.ports },
    warnings,
  };
  return { ok: true, view, run: planned, choice };
}

/** Runs `plan`; resolves to the exit code. */
export async function runPlan(file: string, options: PlanOptions, output: Output): Promise<number> {
  const config = readConfigForCommand(file, output, options.json);
  if (config === null) return 1;
  const lockFile = file === "-" ? undefined : lockFileFor(file);
  const source: PlanSource = { ...config, configPath: file === "-" ? undefined : file, lockFile };
  const made = await makePlan(source, options);
  if (!made.ok) return fail(output, options.json, made.failure);
  output.stdout(options.json ? `${JSON.stringify(made.view, null, 2)}\n` : formatPlan(made.view));
  return 0;
}
