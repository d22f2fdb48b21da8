/**
 * `diff --fail-on GATE` for CI: the diff is printed in full, and the exit code is 4 (failure.ts's
 * `gate_failed`) when a gate trips.
 * - `replace`: a cloud resource is replaced (a stash, which holds state only, does not count);
 * - `volume`: the volume verdict is not clean (a volume moved, emptied or deleted, or the
 *   component refusing the update because of a volume);
 * - `cost:+N`: the cost per month (compute at 730 hours plus disks and volumes), summed over the
 *   configurations, rises by more than N USD (`cost:+0`: by anything).
 */
import { InvalidArgumentError } from "commander";
import { formatUsd } from "../offers/describe";
import { isStateOnly, type ConfigDiff } from "./diff-compare";

export type Gate = { kind: "replace" } | { kind: "volume" } | { kind: "cost"; usd: number };

export interface GateResult {
  gate: string;
  tripped: boolean;
  /** Why it tripped, one line each. */
  why: string[];
}

/** Parses one gate (commander's argument parser: a bad one is a usage error). */
export function parseGate(text: string): Gate {
  if (text === "replace" || text === "volume") return { kind: text };
  const cost = /^cost:\+?(\d+(?:\.\d+)?)$/.exec(text);
  if (cost) return { kind: "cost", usd: Number(cost[1]) };
  throw new InvalidArgumentError(`expected replace, volume or cost:+N (N USD per month), got ${JSON.stringify(text)}`);
}

/** Collects gates (repeated, or comma-separated). */
export function collectGates(value: string, previous: Gate[] | undefined): Gate[] {
  return [...(previous ?? []), ...value.split(",").map((part) => parseGate(part.trim()))];
}

export function gateName(gate: Gate): string {
  return gate.kind === "cost" ? `cost:+${gate.usd}` : gate.kind;
}

/** Signed dollars: `+$12.50`, `-$0.2012`, `$0`. */
export function signedUsd(value: number): string {
  if (value === 0) return "$0";
  return `${value > 0 ? "+" : "-"}${formatUsd(Math.abs(value))}`;
}

function why(gate: Gate, diffs: readonly ConfigDiff[], monthly: number): string[] {
  switch (gate.kind) {
    case "replace":
      return diffs.flatMap((diff) =>
        diff.resources.filter((resource) => resource.change === "replace" && !isStateOnly(resource.type)).map((resource) => `${diff.file}: ${resource.type} ${resource.name} is replaced (forced by ${resource.forced_by.join(", ")})`),
      );
    case "volume":
      return diffs.filter((diff) => !diff.volumes.ok).map((diff) => `${diff.file}: ${diff.volumes.error ?? diff.volumes.details.filter((line) => / is (moved|emptied|deleted)/.test(line)).join("; ")}`);
    case "cost":
      return monthly > gate.usd ? [`the cost per month changes by ${signedUsd(monthly)}, more than +${formatUsd(gate.usd)}`] : [];
  }
}

/** Each gate's result; `monthly` is the total change per month. */
export function checkGates(gates: readonly Gate[], diffs: readonly ConfigDiff[], monthly: number): GateResult[] {
  return gates.map((gate) => {
    const reasons = why(gate, diffs, monthly);
    return { gate: gateName(gate), tripped: reasons.length > 0, why: reasons };
  });
}
