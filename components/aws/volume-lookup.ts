/**
 * Which EBS volumes of the plan exist already, in the offer's region, by their marks (see
 * volume-marks.ts). For each volume, its candidate names in order: the volumes tagged
 * `Name=<candidate>` in a usable state (invoke `ebs.getEbsVolumes`), narrowed by the scope and
 * owner tags; `ebs.getVolume` then reads the zone, size and tags of the ones that count. A volume
 * of another scope is ignored; one without marks is a problem, raised only if this place is used.
 * A referenced volume (`volumes` arg) is looked up by nobody: its zone is its reference's.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as ebs from "@pulumi/aws/ebs";
import type { CloudPlan, VolumePlan } from "../cloud-plan";
import { ownerKey } from "../identity";
import { foreignVolumeError, ownership, type Ownership } from "../volume-marks";
import { referenceZone } from "../volume-reference";
import { invokeOptions, OWNER_TAG, regionOf, SCOPE_TAG } from "./context";

export interface FoundVolume {
  /** The plan's volume. */
  volume: VolumePlan;
  /** The EBS id (an Output for a referenced volume that `pulumi up` has yet to create). */
  id: pulumi.Input<string>;
  zone: string;
  /** `own`: declare it again (with `import`); `scope` or a reference: attach only. */
  ownership: Ownership | "reference";
  /** Its size in GB, when looked up. */
  sizeGb?: number;
}

export interface VolumeLookup {
  /** The existing volume of each of the plan's volumes (undefined = to create), in plan order. */
  found: (FoundVolume | undefined)[];
  /** What stops a build here: volumes that match only by name. */
  problems: Error[];
}

/** Volume states that can be attached (a volume being deleted or in error is not a candidate). */
const USABLE_STATES = ["creating", "available", "in-use"];

type Filter = { name: string; values: string[] };

async function idsOf(plan: CloudPlan, filters: Filter[]): Promise<string[]> {
  const listed = await ebs.getEbsVolumes({ region: regionOf(plan), filters: [...filters, { name: "status", values: USABLE_STATES }] }, invokeOptions(plan));
  return [...(listed.ids ?? [])].sort();
}

async function describe(plan: CloudPlan, id: string): Promise<ebs.GetVolumeResult> {
  return ebs.getVolume({ region: regionOf(plan), filters: [{ name: "volume-id", values: [id] }] }, invokeOptions(plan));
}

/** A found volume before it is matched to the plan's volume. */
type Existing = Omit<FoundVolume, "volume">;

/** The volumes named `name` that count for this environment: its own or its scope's, and the foreign ones. */
async function volumesNamed(plan: CloudPlan, name: string): Promise<{ mine: Existing[]; foreign: ebs.GetVolumeResult[] }> {
  const named: Filter = { name: "tag:Name", values: [name] };
  const all = await idsOf(plan, [named]);
  if (all.length === 0) return { mine: [], foreign: [] };
  const owner = ownerKey(plan.identity);
  const [inScope, owned] = await Promise.all([
    idsOf(plan, [named, { name: `tag:${SCOPE_TAG}`, values: [plan.volumeScope] }]),
    idsOf(plan, [named, { name: `tag:${OWNER_TAG}`, values: [owner] }]),
  ]);
  const candidates = [...new Set([...inScope, ...owned])].sort();
  if (candidates.length > 0) {
    const mine = await Promise.all(candidates.map(async (id): Promise<Existing> => {
      const volume = await describe(plan, id);
      const marks = { scope: volume.tags?.[SCOPE_TAG], owner: volume.tags?.[OWNER_TAG] };
      return { id, zone: volume.availabilityZone, ownership: ownership(marks, { scope: plan.volumeScope, owner }), sizeGb: volume.size };
    }));
    return { mine, foreign: [] };
  }
  const marked = await idsOf(plan, [named, { name: "tag-key", values: [SCOPE_TAG, OWNER_TAG] }]);
  const foreign = all.filter((id) => !marked.includes(id));
  return { mine: [], foreign: await Promise.all(foreign.map((id) => describe(plan, id))) };
}

/** The existing volume of `volume`, if any, or the problem that stops its use. */
async function findVolume(plan: CloudPlan, volume: VolumePlan): Promise<FoundVolume | Error | undefined> {
  if (volume.reference) {
    return { volume, id: volume.reference.volumeId, zone: await referenceZone(plan.name, volume, regionOf(plan)), ownership: "reference" };
  }
  let foreign: ebs.GetVolumeResult | undefined;
  for (const candidate of volume.candidates) {
    const named = await volumesNamed(plan, candidate);
    if (named.mine.length > 1) {
      const where = named.mine.map((entry) => `${entry.id} in ${entry.zone}`).join(", ");
      return new Error(`${plan.name}: volume ${candidate}: ${named.mine.length} EBS volumes of this scope in ${regionOf(plan)} are named ${candidate} (${where}); keep the Name tag on one`);
    }
    if (named.mine.length === 1) return { ...named.mine[0], volume };
    foreign ??= named.foreign[0];
  }
  if (foreign === undefined) return undefined;
  const register = `{ name: "${volume.name}", volumeId: "${foreign.id}", zone: "${foreign.availabilityZone}" }`;
  return foreignVolumeError(plan.name, volume.name, `the EBS volume ${foreign.id} in ${foreign.availabilityZone}`, plan.volumeScope, register);
}

/** Looks every volume up (see the file comment); two volumes that are one EBS volume are a problem. */
export async function findVolumes(plan: CloudPlan): Promise<VolumeLookup> {
  const names = new Set<string>();
  for (const volume of plan.volumes) {
    if (names.has(volume.name)) throw new Error(`volume ${volume.name} is mounted twice: an EBS volume attaches to one path`);
    names.add(volume.name);
  }
  const answers = await Promise.all(plan.volumes.map((volume) => findVolume(plan, volume)));
  const problems = answers.filter((answer): answer is Error => answer instanceof Error);
  const found = answers.map((answer) => (answer instanceof Error ? undefined : answer));
  const ids = new Map<string, string>();
  for (const entry of found) {
    if (!entry || typeof entry.id !== "string") continue;
    const other = ids.get(entry.id);
    if (other !== undefined) problems.push(new Error(`volumes ${other} and ${entry.volume.name} are the same EBS volume ${entry.id}`));
    ids.set(entry.id, entry.volume.name);
  }
  return { found, problems };
}

/** How many of the plan's own volumes exist here (lookups only). */
export async function countOwnVolumes(plan: CloudPlan): Promise<number> {
  const { found } = await findVolumes({ ...plan, volumes: plan.volumes.filter((volume) => !volume.reference) });
  return found.filter((entry) => entry !== undefined).length;
}
