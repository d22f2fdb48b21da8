/**
 * The lock of a chosen offer: `dstack-pulumi lock FILE` writes it next to the configuration, and
 * the component uses it while it still satisfies the configuration, so that neither a catalog
 * update nor a cheaper region moves a running environment. The lock holds the whole offer (the
 * machine's facts too), so it is checked without the catalog.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { CatalogStamp } from "../catalog/types";
import type { Candidate } from "./candidate";
import { CONSTRAINTS, diskSize, type ConstraintId } from "./constraints";
import { describeConstraint } from "./describe";
import { offerJson, type Offer } from "./offer";
import type { Requirements } from "./requirements";

export interface OfferLock {
  format: 1;
  offer: Offer;
  /** The zone, when one was known at locking (the catalog's first zone, or a pin). */
  zone: string | null;
  /** The catalog the offer came from. */
  catalog: { built_from: string; data_date: string };
}

/** `.dstack.yml` -> `.dstack.lock.json`, `gpu.dstack.yaml` -> `gpu.dstack.lock.json`. */
export function lockFileFor(configFile: string): string {
  return `${configFile.replace(/\.ya?ml$/i, "")}.lock.json`;
}

export function makeLock(offer: Offer, zone: string | null, stamp: CatalogStamp): OfferLock {
  return { format: 1, offer, zone, catalog: { built_from: stamp.built_from, data_date: stamp.data_date } };
}

export function lockText(lock: OfferLock): string {
  return `${JSON.stringify({ format: lock.format, offer: offerJson(lock.offer), zone: lock.zone, catalog: lock.catalog }, null, 2)}\n`;
}

export function writeLock(file: string, lock: OfferLock): void {
  writeFileSync(file, lockText(lock));
}

/** A lock file that cannot be read. */
export class LockError extends Error {
  override readonly name = "LockError";
}

/** The lock at `file`, or null when there is none. */
export function readLock(file: string): OfferLock | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new LockError(`${file}: cannot read the lock: ${(error as Error).message}`);
  }
  return parseLock(text, file);
}

/** The lock in `text` (a lock file's content); `source` names it in errors (a file, an arg). */
export function parseLock(text: string, source: string): OfferLock {
  let lock: OfferLock;
  try {
    lock = JSON.parse(text) as OfferLock;
  } catch (error) {
    throw new LockError(`${source}: not a lock file: ${(error as Error).message}`);
  }
  const offer = lock?.offer as Partial<Offer> | undefined;
  if (lock?.format !== 1 || !offer || typeof offer.instance_type !== "string" || typeof offer.region !== "string" || (offer.backend !== "aws" && offer.backend !== "gcp")) {
    throw new LockError(`${source}: not a pulumi-dstack lock (format 1 with an offer); delete it or run dstack-pulumi lock again`);
  }
  return lock;
}

/** The lock's offer as a candidate, for the same constraint checks as catalog offers. */
function lockCandidate(lock: OfferLock): Candidate {
  const { offer } = lock;
  return {
    instance: { backend: offer.backend, instance_type: offer.instance_type, cpus: offer.cpus, memory_gb: offer.memory_gb, arch: offer.arch, gpu: offer.gpu, tpu: offer.tpu, local_ssd_gb: null, prices: [] },
    instanceId: -1,
    price: { region: offer.region, zones: offer.zones, on_demand: offer.spot ? null : offer.price_per_hour, spot: offer.spot ? offer.price_per_hour : null, on_demand_estimated: false, spot_estimated: false },
    // A locked region is the user's choice already: Local Zones and the like stay allowed.
    regionKind: "standard",
    spot: offer.spot,
    pricePerHour: offer.price_per_hour,
    estimated: offer.estimated_price,
  };
}

/**
 * Checks a lock against the configuration's requirements: null when it still satisfies them,
 * else the constraints it misses, in words.
 */
export function staleLockReasons(lock: OfferLock, requirements: Requirements): string[] | null {
  const candidate = lockCandidate(lock);
  const missed: ConstraintId[] = CONSTRAINTS.filter((constraint) => constraint.check(candidate, requirements) !== null).map((constraint) => constraint.id);
  return missed.length === 0 ? null : missed.map((id) => describeConstraint(id, requirements));
}

/** The locked offer under the current requirements (the boot disk follows the configuration). */
export function lockedOffer(lock: OfferLock, requirements: Requirements): Offer {
  return { ...lock.offer, disk_gb: diskSize(lock.offer.backend, requirements.disk) ?? lock.offer.disk_gb };
}
