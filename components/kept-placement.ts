/**
 * What keeps a running environment where it is on the next `pulumi up`: the offer and the zone
 * chosen at the first deployment, kept in two stashes (stash.ts), so that a catalog update, a
 * cheaper region, a zone that starts (or stops) offering the type, or zones listed in another
 * order change nothing.
 * - `<name>-offer` keeps the machine (backend, region, instance type, spot) while the requirements
 *   that choose it stay the same: resources but the disk, spot policy, max price, backends, regions,
 *   zones, instance types, reservation, and the lock. When they change, the offer is chosen again
 *   (and kept anew): changing what you ask for is asking for a new choice. A disk size change keeps
 *   the machine. The kept machine takes today's catalog price and disk size when the catalog still
 *   has it, else its recorded offer.
 * - `<name>-zone` keeps the zone while the backend and region stay the same and the zones the user
 *   asks for include it: for the same instance type whatever the catalog or the cloud's offerings
 *   say now (the VM exists there), for a new type as long as the zone offers it (else the VM moves:
 *   the cloud forces it). A volume's zone, a zone arg and the lock's zone come first.
 * - `<name>-type-zone` keeps the zone an instance type was first deployed in (recorded anew with a
 *   new type or place): a VM that moved for a new type stays where it went, even when the first
 *   zone offers the type later.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { DevEnvironmentSpec } from "../config/schema";
import { chooseOffer, NoOffersError, type ChooseOptions, type OfferChoice } from "../offers/choose";
import { lockedOffer } from "../offers/lock";
import { offerJson, sameMachine, type Offer } from "../offers/offer";
import type { OfferIndex } from "../offers/offer-index";
import { keptValue } from "./stash";

/** The offer kept for a key. */
export interface KeptOffer {
  key: string;
  offer: Offer;
}

/** The zone kept for a backend and region, and the instance type the VM had there. */
export interface KeptZone {
  place: string;
  zone: string;
  instanceType: string;
}

/** A kept zone as a builder takes it: for the same instance type it holds whatever the offerings say now. */
export interface ZoneToKeep {
  zone: string;
  sameInstanceType: boolean;
}

/**
 * The key of what chooses the machine: the requirements without the disk, and the lock's machine
 * and zone. Same configuration and args, same key, whatever the catalog says.
 */
export function offerKey(choice: OfferChoice, options: ChooseOptions): string {
  const { disk: _disk, gpu, ...rest } = choice.requirements;
  const machine = gpu === null ? null : { ...gpu, writtenNames: null };
  const lock = options.lock ? { ...machineOf(options.lock.offer), zone: options.lock.zone } : null;
  const text = JSON.stringify({ requirements: { ...rest, gpu: machine }, lock });
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function machineOf(offer: Offer): { backend: string; region: string; instance_type: string; spot: boolean } {
  return { backend: offer.backend, region: offer.region, instance_type: offer.instance_type, spot: offer.spot };
}

function isKeptOffer(value: unknown): value is KeptOffer {
  const kept = value as Partial<KeptOffer> | null | undefined;
  const offer = kept?.offer as Partial<Offer> | undefined;
  return typeof kept?.key === "string" && (offer?.backend === "aws" || offer?.backend === "gcp") &&
    typeof offer.region === "string" && typeof offer.instance_type === "string" && typeof offer.spot === "boolean" &&
    Array.isArray(offer.zones) && typeof offer.price_per_hour === "number";
}

function isKeptZone(value: unknown): value is KeptZone {
  const kept = value as Partial<KeptZone> | null | undefined;
  return typeof kept?.place === "string" && typeof kept.zone === "string" && typeof kept.instanceType === "string";
}

/** The kept machine under today's catalog (its price and disk size), else as recorded. */
function todaysOffer(kept: Offer, spec: DevEnvironmentSpec, index: OfferIndex, options: ChooseOptions, requirements: OfferChoice["requirements"]): Offer {
  const narrowed: ChooseOptions = {
    ...options,
    lock: null,
    backends: [kept.backend],
    regions: [kept.region],
    instanceTypes: [kept.instance_type],
    spotPolicy: kept.spot ? "spot" : "on-demand",
    maxPrice: undefined,
  };
  try {
    const today = chooseOffer(spec, index, narrowed).offer;
    if (today.instance_type === kept.instance_type && today.spot === kept.spot) return { ...today, zones: kept.zones };
  } catch (error) {
    if (!(error instanceof NoOffersError)) throw error;
  }
  return lockedOffer({ format: 1, offer: kept, zone: null, catalog: { built_from: "", data_date: "" } }, requirements);
}

/**
 * The choice to build: `first` when nothing is kept for its key (a first deployment, or changed
 * requirements), else the kept machine. `parent` is the component.
 */
export async function keptChoice(name: string, first: OfferChoice, spec: DevEnvironmentSpec, index: OfferIndex, options: ChooseOptions, parent: pulumi.Resource): Promise<OfferChoice> {
  const key = offerKey(first, options);
  const stored = offerJson(first.offer) as unknown as Offer;
  const kept = (await keptValue<KeptOffer>(`${name}-offer`, { key, offer: stored }, parent, isKeptOffer, key)).value;
  if (kept.key !== key || sameMachine(kept.offer, first.offer)) return first;
  const offer = todaysOffer(kept.offer, spec, index, options, first.requirements);
  const zone = first.zonePinned ? first.zone : (offer.zones[0] ?? null);
  return { ...first, offer, zone };
}

/**
 * The zone recorded in the stash `stashName` (today's `zone` and type when it is new; `trigger`
 * records anew), when it is for the offer's backend and region and the zones the user asks for
 * (`requested`, lower-case; null for any) include it; else null. Asking for other zones is asking
 * to move, whereas the catalog's or the cloud's zone lists never move the VM.
 */
async function recordedZone(stashName: string, offer: Offer, zone: string, parent: pulumi.Resource, trigger: string, requested: readonly string[] | null): Promise<KeptZone | null> {
  const place = `${offer.backend}/${offer.region}`;
  const kept = (await keptValue<KeptZone>(stashName, { place, zone, instanceType: offer.instance_type }, parent, isKeptZone, trigger)).value;
  if (kept.place !== place) return null;
  if (requested !== null && !requested.includes(kept.zone.toLowerCase())) return null;
  return kept;
}

/**
 * The zone kept for the offer's backend and region (`<name>-zone`); `zone` is today's choice
 * (recorded when nothing is kept), `requested` the zones the user asks for (configuration
 * `availability_zones`, the zones arg), lower-case, null for any.
 */
export async function keptZone(name: string, offer: Offer, zone: string, parent: pulumi.Resource, requested: readonly string[] | null = null): Promise<ZoneToKeep> {
  const kept = await recordedZone(`${name}-zone`, offer, zone, parent, `${offer.backend}/${offer.region}`, requested);
  return kept === null ? { zone, sameInstanceType: false } : { zone: kept.zone, sameInstanceType: kept.instanceType === offer.instance_type };
}

/**
 * The zone the offer's instance type was first deployed in, in this backend and region
 * (`<name>-type-zone`, recorded anew when the type or the place changes); `zone` is the zone
 * chosen today with `keptZone`. It holds for that type from then on, so that a VM that moved for a
 * new type (its kept zone did not offer it) does not move back when that zone offers it later.
 * Zones the user no longer asks for (`requested`) are not kept.
 */
export async function keptTypeZone(name: string, offer: Offer, zone: string, parent: pulumi.Resource, requested: readonly string[] | null = null): Promise<string> {
  const kept = await recordedZone(`${name}-type-zone`, offer, zone, parent, `${offer.backend}/${offer.region}/${offer.instance_type}`, requested);
  return kept !== null && kept.instanceType === offer.instance_type ? kept.zone : zone;
}
