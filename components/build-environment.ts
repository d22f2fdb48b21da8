/**
 * Where an environment goes, then what it declares. Network volumes decide the place before any
 * price does, as dstack limits offers to a volume's region:
 * 1. A referenced volume (`volumes` arg) fixes backend, region and zone: the offer is chosen there.
 * 2. The environment's own volumes: the cloud's builder locates the first choice (the volumes found
 *    by their marks, the zone), and the place where the volumes live is kept in a stash
 *    (volume-home.ts). When the kept place is elsewhere and the volumes are there, the offer is
 *    chosen there (a catalog update or a cheaper region moves nothing), or, when the configuration,
 *    an arg or the lock insists on elsewhere, the update stops with an error that names the volume,
 *    its zone and the way out. Nothing is declared before that decision.
 * 3. Without volumes to decide, the offer and zone an earlier deployment chose are kept
 *    (kept-placement.ts): the same configuration gives the same VM whatever the catalog or the
 *    cloud's offerings say since.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Backend } from "../catalog/types";
import type { DevEnvironmentSpec } from "../config/schema";
import { chooseOffer, NoOffersError, type ChooseOptions, type OfferChoice } from "../offers/choose";
import { sameRegion } from "../offers/fallback";
import type { Offer } from "../offers/offer";
import type { OfferIndex } from "../offers/offer-index";
import { compatibleOffers } from "./aws/fleet-overrides";
import type { CloudBuilder, CloudPlan, CloudResult, Located } from "./cloud-plan";
import { keptChoice, keptTypeZone, keptZone, offerKey } from "./kept-placement";
import { keptRepo } from "./kept-repo";
import { referenceZone } from "./volume-reference";
import { describeHome, keptHome, sameHome, type VolumeHome } from "./volume-home";
import { zoneLocation } from "./zone-names";

/** Everything but the place: the plan without offer, zone and provider, and how to choose an offer. */
export interface EnvironmentInputs {
  plan: Omit<CloudPlan, "offer" | "zone" | "provider">;
  spec: DevEnvironmentSpec;
  index: OfferIndex;
  /** What the first choice was made with (overrides, lock, zone pin). */
  options: ChooseOptions;
  /** The args that pin a place explicitly. */
  pins: { backend?: string; region?: string; zone?: string };
  /** Launch an AWS VM through an EC2 Fleet over the region's compatible offers (launch-mode.ts). */
  fleet?: boolean;
  /** Request a TPU slice through Cloud TPU's queue, waiting this long for capacity (launch-mode.ts). */
  tpuQueue?: { validUntilSeconds: number; pluginVersion?: string };
  /** The explicit provider of a backend. */
  providerFor(backend: Backend): pulumi.ProviderResource | undefined;
  builderFor(backend: Backend): Promise<CloudBuilder>;
}

export interface EnvironmentBuild {
  result: CloudResult;
  /** The offer finally used. */
  choice: OfferChoice;
  warnings: string[];
}

/** The plan of a choice: its offer, zone (a pin, the lock's, or `zone`), provider and, for a fleet, the offers it may launch (for a queued TPU, its wait). */
function planFor(inputs: EnvironmentInputs, choice: OfferChoice, zone?: string): CloudPlan {
  const pinned = zone ?? (choice.zonePinned ? (choice.zone ?? undefined) : undefined);
  const plan = { ...inputs.plan, offer: choice.offer, zone: pinned, provider: inputs.providerFor(choice.offer.backend) } as CloudPlan;
  if (inputs.fleet && choice.offer.backend === "aws") plan.fleetOffers = compatibleOffers(choice.offer, sameRegion(choice.offer, choice.requirements, inputs.index), plan.ami);
  if (inputs.tpuQueue && choice.offer.tpu) plan.tpuQueue = inputs.tpuQueue;
  return plan;
}

function offerIn(offer: Offer, home: Pick<VolumeHome, "backend" | "region" | "zone">): boolean {
  return offer.backend === home.backend && offer.region === home.region && (offer.zones.length === 0 || offer.zones.includes(home.zone));
}

const lower = (values: readonly string[] | null | undefined) => values?.map((value) => value.toLowerCase());

/** A place the referenced volumes fix. */
interface ReferencedPlace {
  home: Omit<VolumeHome, "project">;
  volume: string;
}

/** The setting that insists on a place other than `home`, in words; null when none does. */
function conflictWith(inputs: EnvironmentInputs, first: OfferChoice, home: Omit<VolumeHome, "project">, referenced: ReferencedPlace | undefined): string | null {
  const { pins, options, spec } = inputs;
  if (referenced && referenced.home.zone !== home.zone) return `volume ${referenced.volume} of the volumes arg is in ${referenced.home.zone}`;
  if (pins.backend !== undefined && pins.backend !== home.backend) return `the backend arg asks for ${pins.backend}`;
  if (pins.region !== undefined && pins.region !== home.region) return `the region arg asks for ${pins.region}`;
  if (pins.zone !== undefined && pins.zone !== home.zone) return `the zone arg asks for ${pins.zone}`;
  const lists: [string[] | undefined, string, string][] = [
    [lower(options.backends ?? spec.backends), home.backend, options.backends ? "the backends arg" : "the configuration's backends"],
    [lower(options.regions ?? spec.regions), home.region, options.regions ? "the regions arg" : "the configuration's regions"],
    [lower(spec.availability_zones), home.zone, "the configuration's availability_zones"],
  ];
  for (const [allowed, value, what] of lists) {
    if (allowed && !allowed.includes(value)) return `${what} allows only ${allowed.join(", ")}`;
  }
  const lock = options.lock;
  if (first.source === "lock" && lock && !offerIn(lock.offer, home)) {
    return `the lock ${options.lockFile ?? ""} holds ${lock.offer.backend} ${lock.offer.region} ${lock.offer.instance_type}`;
  }
  return null;
}

/** The offer within `home` (a volume's place), or the error that says why there is none. */
function chooseWithin(inputs: EnvironmentInputs, first: OfferChoice, home: Omit<VolumeHome, "project">, what: string, referenced?: ReferencedPlace): OfferChoice {
  const conflict = conflictWith(inputs, first, home, referenced);
  const wayOut = `To keep it, change that setting so that the offer stays in ${home.backend} ${home.region} (a lock there: dstack-pulumi lock --backend ${home.backend} --region ${home.region} FILE). ` +
    "To start over elsewhere with new, empty volumes, first remove the volumes from the configuration and run pulumi up (they are kept in the cloud unless deleteVolumesOnDestroy), then make the change.";
  if (conflict !== null) throw new Error(`${inputs.plan.name}: ${what}, but ${conflict}. A network volume cannot move. ${wayOut}`);
  try {
    return chooseOffer(inputs.spec, inputs.index, { ...inputs.options, backends: [home.backend], regions: [home.region], zone: home.zone });
  } catch (error) {
    if (!(error instanceof NoOffersError)) throw error;
    throw new Error(`${inputs.plan.name}: ${what}, and no offer there satisfies the configuration: ${error.message}. A network volume cannot move. ${wayOut}`);
  }
}

/** The place the referenced volumes fix (all in one zone), or undefined when there are none. */
async function referencedPlace(inputs: EnvironmentInputs): Promise<ReferencedPlace | undefined> {
  const places: ReferencedPlace[] = [];
  for (const volume of inputs.plan.volumes.filter((entry) => entry.reference)) {
    const zone = await referenceZone(inputs.plan.name, volume, null);
    const location = zoneLocation(zone);
    if (!location) throw new Error(`${inputs.plan.name}: volume ${volume.name}: ${JSON.stringify(zone)} is not an AWS or GCP zone name`);
    places.push({ home: { ...location, zone }, volume: volume.name });
  }
  const zones = [...new Set(places.map((place) => place.home.zone))];
  if (zones.length > 1) {
    throw new Error(`${inputs.plan.name}: the volumes arg references volumes in different zones (${places.map((place) => `${place.volume} in ${place.home.zone}`).join(", ")}); a VM attaches volumes of its own zone only`);
  }
  return places[0];
}

/**
 * Where the environment's own volumes are (`located` found them, or the kept place holds them), or
 * undefined when none exists yet. A kept place elsewhere that holds none of them is an error.
 */
async function placeOfOwnVolumes(inputs: EnvironmentInputs, choice: OfferChoice, located: Located, parent: pulumi.Resource): Promise<VolumeHome | undefined> {
  const kept = await keptHome(inputs.plan.name, located.home, parent);
  const home = kept.value;
  if (sameHome(home, located.home)) return located.ownVolumesFound > 0 ? home : undefined;
  const probe = { ...planFor(inputs, choice, home.zone), offer: { ...choice.offer, backend: home.backend, region: home.region, zones: [home.zone] }, provider: inputs.providerFor(home.backend) };
  if (home.project !== undefined) probe.gcp = { ...probe.gcp, project: home.project };
  if ((await (await inputs.builderFor(home.backend)).countOwnVolumes(probe)) === 0) {
    throw new Error(
      `${inputs.plan.name}: the place kept for this environment's volumes (${describeHome(home)}) holds none of them (never created, or deleted outside Pulumi), ` +
        `and the offer now goes to ${describeHome(located.home)}. To create them there, forget the kept place: pulumi up --replace '${kept.urn}'`,
    );
  }
  if (home.project !== located.home.project && home.backend === located.home.backend) {
    const own = inputs.plan.volumes.find((volume) => !volume.reference)!;
    throw new Error(`${inputs.plan.name}: volume ${own.name} is in ${describeHome(home)}, where this stack created it, but the GCP project is now ${located.home.project ?? "the provider's"}. A network volume cannot move to another project.`);
  }
  return home;
}

/** Chooses the place and declares everything (see the file comment). */
export async function buildEnvironment(inputs: EnvironmentInputs, first: OfferChoice, parent: pulumi.Resource): Promise<EnvironmentBuild> {
  const warnings: string[] = [];
  if (inputs.plan.repo) {
    const kept = await keptRepo(inputs.plan.name, inputs.plan.repo, offerKey(first, inputs.options), parent);
    inputs = { ...inputs, plan: { ...inputs.plan, repo: kept.repo } };
    if (kept.warning) warnings.push(kept.warning);
  }
  let choice = await keptChoice(inputs.plan.name, first, inputs.spec, inputs.index, inputs.options, parent);
  const referenced = await referencedPlace(inputs);
  if (referenced && !offerIn(choice.offer, referenced.home)) {
    choice = chooseWithin(inputs, first, referenced.home, `volume ${referenced.volume} (the volumes arg) is in ${referenced.home.backend} ${referenced.home.zone}`);
  }
  let located = await (await inputs.builderFor(choice.offer.backend)).locate(planFor(inputs, choice, referenced?.home.zone));
  const own = inputs.plan.volumes.filter((volume) => !volume.reference);
  const home = own.length > 0 ? await placeOfOwnVolumes(inputs, choice, located, parent) : undefined;
  if (home !== undefined && (!sameHome(home, located.home) || !offerIn(choice.offer, home) || conflictWith(inputs, first, home, referenced) !== null)) {
    const within = chooseWithin(inputs, first, home, `volume ${own[0].name} is in ${describeHome(home)}, where this stack created it`, referenced);
    if (within.offer.instance_type !== first.offer.instance_type || within.offer.region !== first.offer.region || within.offer.backend !== first.offer.backend) {
      warnings.push(`the volumes are in ${describeHome(home)}: the offer stays there (${within.offer.instance_type} at $${within.offer.price_per_hour}/h), not ${first.offer.backend} ${first.offer.region} ${first.offer.instance_type}`);
    }
    choice = within;
    located = await (await inputs.builderFor(home.backend)).locate(planFor(inputs, within, home.zone));
  }
  const kept = await keptZone(inputs.plan.name, choice.offer, located.zone, parent, choice.requirements.zones);
  if (located.zoneFree && kept.zone !== located.zone) {
    located = await (await inputs.builderFor(choice.offer.backend)).locate({ ...planFor(inputs, choice, referenced?.home.zone), keptZone: kept });
  }
  // Declared whatever pins the zone today, so that the VM stays where it is when the pin goes.
  const typeZone = await keptTypeZone(inputs.plan.name, choice.offer, located.zone, parent, choice.requirements.zones);
  if (located.zoneFree && typeZone !== located.zone) {
    located = await (await inputs.builderFor(choice.offer.backend)).locate({ ...planFor(inputs, choice, referenced?.home.zone), keptZone: { zone: typeZone, sameInstanceType: true } });
  }
  return { result: await located.declare(), choice, warnings };
}
