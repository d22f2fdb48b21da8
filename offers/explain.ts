/**
 * Why nothing matched: the constraint that removed the last candidates (in the order of
 * `CONSTRAINTS`), said plainly when the catalog has no such accelerator at all, with the notes on
 * names that belong to it (a region of another backend, a GPU name the catalog does not know), and
 * the offers that came nearest (`nearest.ts`).
 */
import { suggest } from "../config/did-you-mean";
import { GPU_VENDORS, type GpuVendor } from "../config/gpu";
import type { Candidate } from "./candidate";
import { acceleratorOf, CONSTRAINTS, type Accelerator, type ConstraintId } from "./constraints";
import { describeConstraint, describeRequest } from "./describe";
import { VENDOR_NAMES } from "./gpu-family";
import type { NameNote } from "./name-notes";
import { nearestOffers, type NearOffer } from "./nearest";
import type { Requirements } from "./requirements";

export type { NearOffer } from "./nearest";

export interface NoOffers {
  /** The constraint that left no candidate; null when the catalog itself is empty for the backends. */
  constraint: ConstraintId | null;
  /** Candidates left just before that constraint. */
  remaining: number;
  /** One line: `no offer for 2 x A100 80GB, ...: gpu count 2 removed the last 3 candidates`. */
  message: string;
  nearest: NearOffer[];
}

/** `NVIDIA GPUs and Google TPUs`: the vendors the catalog has. */
function vendorsIn(accelerators: readonly Accelerator[]): string {
  const present = GPU_VENDORS.filter((vendor) => accelerators.some((a) => a.vendor === vendor));
  return present.map((vendor) => `${VENDOR_NAMES[vendor]}s`).join(" and ") || "no accelerators";
}

/**
 * The plain words when the catalog has none of the asked accelerators at all (whatever the
 * placement): `the catalog has no MI300X GPU, nor any AMD GPU (it has NVIDIA GPUs and Google TPUs)`.
 */
function absentAccelerator(candidates: readonly Candidate[], requirements: Requirements, constraint: ConstraintId): string | null {
  const gpu = requirements.gpu;
  if (gpu === null || (constraint !== "gpu_name" && constraint !== "gpu_vendor")) return null;
  const accelerators = [...new Set(candidates.map((candidate) => candidate.instance))].map(acceleratorOf).filter((a): a is Accelerator => a !== null);
  const vendorAbsent = (vendor: GpuVendor | null) => vendor !== null && !accelerators.some((a) => a.vendor === vendor);
  const others = `(it has ${vendorsIn(accelerators)})`;
  if (constraint === "gpu_vendor") return vendorAbsent(gpu.vendor) ? `the catalog has no ${VENDOR_NAMES[gpu.vendor!]}s ${others}` : null;
  const names = gpu.writtenNames ?? [];
  if (names.some((name) => accelerators.some((a) => a.name.toLowerCase() === name.toLowerCase()))) return null;
  const known = [...new Set(accelerators.map((a) => a.name))];
  const hints = names.map((name) => suggest(name, known)).filter((hint): hint is string => hint !== undefined);
  const kind = gpu.vendor === "google" ? "TPU slice" : "GPU";
  const vendor = vendorAbsent(gpu.vendor) ? `, nor any ${VENDOR_NAMES[gpu.vendor!]} ${others}` : "";
  return `the catalog has no ${names.join(" or ")} ${kind}${hints.length ? ` (${hints.join(" ")})` : ""}${vendor}`;
}

/**
 * Explains an empty result; `candidates` are every candidate of the catalog, in offer order, and
 * `notes` the name notes of the request (those of the constraint that emptied the list are told).
 */
export function explainNoOffers(candidates: readonly Candidate[], requirements: Requirements, notes: readonly NameNote[] = []): NoOffers {
  let remaining: readonly Candidate[] = candidates;
  let constraint: ConstraintId | null = null;
  let before = remaining.length;
  // An empty catalog (for the backends this project provisions) is said as such, not blamed on a constraint.
  for (const { id, check } of remaining.length === 0 ? [] : CONSTRAINTS) {
    const next = remaining.filter((candidate) => check(candidate, requirements) === null);
    if (next.length === 0) {
      constraint = id;
      before = remaining.length;
      break;
    }
    remaining = next;
  }
  const request = describeRequest(requirements, true);
  const scope = requirements.backends?.filter((backend) => backend === "aws" || backend === "gcp").join(" or ");
  const subject = scope ? `no ${scope} offer` : "no offer";
  const absent = constraint === null ? null : absentAccelerator(candidates, requirements, constraint);
  const reason =
    constraint === null
      ? "the catalog has no machines"
      : (absent ?? `${describeConstraint(constraint, requirements)} removed the last ${before === 1 ? "candidate" : `${before} candidates`}`);
  // The plain words already say which names the catalog lacks.
  const told = notes.filter((note) => note.constraint === constraint && !(absent && note.constraint === "gpu_name")).map((note) => note.note);
  const message = `${subject} for ${request}: ${[reason, ...told].join("; ")}`;
  return { constraint, remaining: before, message, nearest: nearestOffers(candidates, requirements) };
}

/** The notes that are told in the explanation of `noOffers` (and so are not warnings). */
export function notesTold(noOffers: NoOffers | null, notes: readonly NameNote[]): NameNote[] {
  return noOffers === null ? [] : notes.filter((note) => note.constraint === noOffers.constraint);
}
