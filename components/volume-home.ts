/**
 * Where an environment's own network volumes live: backend, region, zone (and the GCP project).
 * Network volumes are zonal and cannot move, so once the environment has created them, this
 * place is kept (in the stash `<name>-volume-home`, see stash.ts) and the offer is chosen within
 * it, as dstack limits offers to a volume's region. A configuration, lock, catalog or cloud answer
 * that points elsewhere then cannot move, empty or orphan a volume: the offer stays here, or the
 * update stops with an error that names the volume and the way out.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Backend } from "../catalog/types";
import { keptValue, type Kept } from "./stash";

export interface VolumeHome {
  backend: Backend;
  region: string;
  zone: string;
  /** GCP: the project of the disks. */
  project?: string;
}

function isHome(value: unknown): value is VolumeHome {
  const home = value as Partial<VolumeHome> | null | undefined;
  return (home?.backend === "aws" || home?.backend === "gcp") && typeof home.region === "string" && typeof home.zone === "string" &&
    (home.project === undefined || typeof home.project === "string");
}

/** The kept home of the environment `name`'s volumes: `home` when none is kept yet. */
export function keptHome(name: string, home: VolumeHome, parent: pulumi.Resource): Promise<Kept<VolumeHome>> {
  return keptValue(`${name}-volume-home`, home, parent, isHome);
}

export function sameHome(a: VolumeHome, b: VolumeHome): boolean {
  return a.backend === b.backend && a.region === b.region && a.zone === b.zone && (a.project ?? null) === (b.project ?? null);
}

/** `aws us-east-1a`, `gcp us-central1-b (project my-project)`. */
export function describeHome(home: VolumeHome): string {
  return `${home.backend} ${home.zone}${home.project ? ` (project ${home.project})` : ""}`;
}
