/**
 * Names in a request that no offer of the catalog has (`g5.xlarg`, `a10`), and regions of a
 * backend the request leaves out (`us-east1` with `backends: [aws]`), each with the nearest name
 * the catalog knows. They are warnings, or part of the no-offer explanation when the constraint
 * they belong to is the one that removed the last candidates.
 */
import type { Backend } from "../catalog/types";
import { suggest } from "../config/did-you-mean";
import type { ConstraintId } from "./constraints";
import type { OfferIndex } from "./offer-index";
import type { Requirements } from "./requirements";

export interface NameNote {
  /** The constraint the name belongs to. */
  constraint: ConstraintId;
  /** The configuration field: `regions`, `instance_types`, `resources.gpu`. */
  field: string;
  name: string;
  /** What is wrong with it, and the hint: `us-east1 is a GCP region, not an AWS one (Did you mean "us-east-1"?)`. */
  note: string;
}

const CLOUD: Record<Backend, string> = { aws: "AWS", gcp: "GCP" };

/** `an AWS`, `a GCP`. */
const article = (word: string): string => `${/^[AEIOU]/.test(word) ? "an" : "a"} ${word}`;

/** `Did you mean "x"?` in brackets, or nothing. */
const hinted = (hint: string | undefined): string => (hint ? ` (${hint})` : "");

/**
 * The same name in the other cloud's spelling, when the asked backends have it: GCP's `us-east1`
 * is AWS's `us-east-1` and the reverse. No hint by likeness alone: `us-central1` is not near
 * `ca-central-1`.
 */
function spellingTwin(name: string, regions: readonly string[]): string | undefined {
  const twins = [name.replace(/-(\d+)$/, "$1"), name.replace(/([a-z])(\d+)$/, "$1-$2")];
  const twin = regions.find((region) => region !== name && twins.includes(region));
  return twin === undefined ? undefined : `Did you mean "${twin}"?`;
}

/** Regions the catalog has for backends other than the requested ones. */
function crossBackendRegions(requirements: Requirements, index: OfferIndex): NameNote[] {
  const asked = (requirements.backends ?? []).filter((backend): backend is Backend => backend in CLOUD);
  if (asked.length === 0) return [];
  const standard = index.catalog.regions.filter((region) => asked.includes(region.backend) && region.kind === "standard").map((region) => region.name);
  const notes: NameNote[] = [];
  for (const name of requirements.regions ?? []) {
    const owners = index.catalog.regions.filter((region) => region.name.toLowerCase() === name).map((region) => region.backend);
    if (owners.length === 0 || owners.some((backend) => asked.includes(backend))) continue;
    const owner = article(owners.map((backend) => CLOUD[backend]).join(" and "));
    const other = article(asked.map((backend) => CLOUD[backend]).join(" or "));
    notes.push({ constraint: "region", field: "regions", name, note: `${name} is ${owner} region, not ${other} one${hinted(spellingTwin(name, standard))}` });
  }
  return notes;
}

/** Every name the catalog does not know, and every region of another backend, in field order. */
export function nameNotes(requirements: Requirements, index: OfferIndex): NameNote[] {
  const checks: [ConstraintId, string, string[] | null | undefined, Map<string, string>][] = [
    ["instance_type", "instance_types", requirements.instanceTypes, index.known.instanceTypes],
    ["region", "regions", requirements.regions, index.known.regions],
    ["gpu_name", "resources.gpu", requirements.gpu?.writtenNames, index.known.accelerators],
  ];
  const notes: NameNote[] = [];
  for (const [constraint, field, names, known] of checks) {
    for (const name of names ?? []) {
      if (known.has(name.toLowerCase())) continue;
      notes.push({ constraint, field, name, note: `${name} is in no offer of the catalog${hinted(suggest(name, [...known.values()]))}` });
    }
    if (constraint === "region") notes.push(...crossBackendRegions(requirements, index));
  }
  return notes;
}
