/**
 * Where a `Volume` lives: its region and zone (and GCP project) as first deployed, kept in a stash
 * (`<name>-zone`). Without a zone arg, the zone is the region's first available one at the first
 * deployment and stays: a zone that later becomes unavailable, or a new zone that sorts first, never
 * moves (replaces) the volume. A region, zone or project arg that names another place later is an
 * error that names the volume, not a replacement that would orphan (or delete) it.
 */
import { keptValue } from "./stash";
import type { VolumeRequest } from "./volume";

interface VolumePlace {
  region: string;
  zone: string;
  project?: string;
}

function isPlace(value: unknown): value is VolumePlace {
  const place = value as Partial<VolumePlace> | null | undefined;
  return typeof place?.region === "string" && typeof place.zone === "string" && (place.project === undefined || typeof place.project === "string");
}

/** The zone to declare the volume in; `zone` is the zone the args or the region's zones give today. */
export async function keptVolumeZone(request: VolumeRequest, zone: string): Promise<string> {
  const today: VolumePlace = { region: request.region, zone, ...(request.project === undefined ? {} : { project: request.project }) };
  const kept = await keptValue(`${request.name}-zone`, today, request.parent, isPlace);
  const place = kept.value;
  const otherProject = (place.project ?? null) !== (today.project ?? null);
  const moved = place.region !== today.region || (request.zone !== undefined && place.zone !== request.zone) || otherProject;
  if (moved) {
    const there = `${place.zone}${place.project ? ` of project ${place.project}` : ""}`;
    const asked = `${request.zone ?? today.region}${today.project ? ` of project ${today.project}` : ""}`;
    const project = otherProject ? (place.project ? ` and project ${place.project}` : " and no project (the provider's)") : "";
    throw new Error(
      `${request.name}: volume ${request.volumeName} is in ${there}, and the args now ask for ${asked}: a volume cannot move. ` +
        `Give back region ${place.region}${request.zone !== undefined ? ` and zone ${place.zone}` : ""}${project}; to start over elsewhere, declare a new Volume (this one is kept unless deleteOnDestroy).`,
    );
  }
  return place.zone;
}
