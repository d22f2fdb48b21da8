/**
 * `dstack-pulumi up [--json] [--stack S] [--cwd DIR] [--refresh] [--wait SECONDS] [--catalog FILE] FILE`:
 * `pulumi up` of the user's own project and stack (Pulumi's Automation API over their Pulumi CLI),
 * looking for capacity as dstack does when the configuration FILE has `retry`: on a capacity error
 * the next offer is written to FILE's lock (which the program's `DevEnvironment` reads) and the
 * update runs again, until one succeeds or `retry.duration` runs out (capacity-loop.ts). Progress
 * goes to stderr and Pulumi's own output to stdout; with `--json`, one event object per line on
 * stdout and nothing else. Exit 0 when an update succeeded, 4 no capacity, 5 a quota, 1 another
 * failure (`update_failed`) or invalid input, 3 no offer.
 */
import * as path from "node:path";
import { CatalogError } from "../catalog/load";
import { capacityRetry } from "../offers/capacity-retry";
import { chooseOffer, NoOffersError } from "../offers/choose";
import { fallbackOrder } from "../offers/fallback";
import { lockFileFor, readLock, writeLock, LockError } from "../offers/lock";
import { sharedOfferIndex } from "../offers/shared-index";
import { describeTarget, runCapacityLoop, type LoopEvent, type LoopOutcome, type Runner, type Target } from "./capacity-loop";
import { fail, type FailureCode } from "./failure";
import { catalogFailure, noOffersFailure } from "./offers";
import { readConfigForCommand } from "./read-config";
import type { Output } from "./validate";

export interface UpOptions {
  json?: boolean;
  stack?: string;
  cwd?: string;
  refresh?: boolean;
  /** Seconds to wait once every offer was tried, before trying again. */
  wait?: number;
  catalog?: string;
}

/** Seconds to wait, by default, once every offer was tried. */
export const DEFAULT_WAIT_SECONDS = 60;

const FAILURES: Record<Exclude<LoopOutcome, "succeeded">, FailureCode> = { no_capacity: "no_capacity", quota: "quota_exceeded", error: "update_failed" };

/** An event as `--json` prints it (snake_case, the offer's machine and price). */
export function eventJson(event: LoopEvent): Record<string, unknown> {
  const target = (value: Target) => ({
    offer: { backend: value.offer.backend, region: value.offer.region, instance_type: value.offer.instance_type, spot: value.offer.spot, price_per_hour: value.offer.price_per_hour },
    zone: value.zone,
  });
  switch (event.event) {
    case "attempt": return { event: "attempt", attempt: event.attempt, ...target(event.target), elapsed_seconds: event.elapsedSeconds, replace: event.replace };
    case "capacity_error": return { event: "capacity_error", attempt: event.attempt, reason: event.reason, zones_available: event.zonesAvailable };
    case "lock_written": return { event: "lock_written", file: event.file, ...target(event.target) };
    case "waiting": return { event: "waiting", seconds: event.seconds };
    case "done": return { event: "done", outcome: event.outcome, attempts: event.attempts, message: event.message };
  }
}

/** The event as a line of progress on stderr. */
function eventText(event: LoopEvent): string | null {
  switch (event.event) {
    case "attempt": return `dstack-pulumi up: attempt ${event.attempt} (${event.elapsedSeconds} s): ${describeTarget(event.target)}${event.replace.length > 0 ? `, replacing ${event.replace.join(", ")}` : ""}`;
    case "capacity_error": return `dstack-pulumi up: no capacity: ${event.reason}${event.zonesAvailable.length > 0 ? ` (available: ${event.zonesAvailable.join(", ")})` : ""}`;
    case "lock_written": return `dstack-pulumi up: next ${describeTarget(event.target)}, written to ${event.file}`;
    case "waiting": return `dstack-pulumi up: every offer was tried; trying again in ${event.seconds} s`;
    case "done": return event.outcome === "succeeded" ? `dstack-pulumi up: ${event.message}` : null;
  }
}

/** Runs `up` with `runner` (the Automation API's by default); resolves to the exit code. */
export async function runUp(file: string, options: UpOptions, output: Output, runnerFor?: () => Promise<Runner>): Promise<number> {
  if (file === "-") return fail(output, options.json, { code: "usage", message: "up needs a configuration file (its lock is written next to it)" });
  const config = readConfigForCommand(file, output, options.json);
  if (config === null) return 1;
  const lockFile = lockFileFor(file);
  let first: Target;
  let order;
  let stamp;
  try {
    const index = sharedOfferIndex(options.catalog);
    stamp = index.catalog.stamp;
    const choice = chooseOffer(config.spec, index, { lock: readLock(lockFile), lockFile: path.basename(lockFile) });
    first = { offer: choice.offer, zone: choice.zonePinned || choice.offer.backend === "gcp" ? choice.zone : null };
    order = fallbackOrder(choice.offer, choice.requirements, index);
  } catch (error) {
    if (error instanceof NoOffersError) return fail(output, options.json, noOffersFailure(error.noOffers, error.warnings));
    if (error instanceof CatalogError) return fail(output, options.json, catalogFailure(error));
    if (error instanceof LockError) return fail(output, options.json, { code: "invalid_lock", message: error.message });
    throw error;
  }
  if (!options.stack) return fail(output, options.json, { code: "usage", message: "up needs --stack: the Pulumi stack to update" });
  const workDir = path.resolve(options.cwd ?? ".");
  let runner: Runner;
  try {
    runner = await (runnerFor ?? (async () => (await import("./pulumi-runner")).automationRunner({ workDir, stackName: options.stack!, refresh: options.refresh === true })))();
  } catch (error) {
    const message = `cannot select the stack ${options.stack} in ${workDir}: ${String((error as Error).message ?? error).trim().split("\n").slice(-3).join(" ")}`;
    return fail(output, options.json, { code: "update_failed", message });
  }
  const result = await runCapacityLoop(
    { order, first, retry: capacityRetry(config.spec), lockFile, stamp, waitSeconds: options.wait ?? DEFAULT_WAIT_SECONDS },
    {
      runner,
      now: () => Date.now(),
      sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
      writeLock,
      emit: (event) => {
        if (options.json) {
          if (event.event !== "done" || event.outcome === "succeeded") output.stdout(`${JSON.stringify(eventJson(event))}\n`);
          return;
        }
        const text = eventText(event);
        if (text !== null) output.stderr(`${text}\n`);
      },
      ...(options.json ? {} : { onOutput: (text: string) => output.stdout(text) }),
    },
  );
  if (result.outcome === "succeeded") return 0;
  return fail(output, options.json, { code: FAILURES[result.outcome], message: result.message, details: { attempts: result.attempts } });
}
