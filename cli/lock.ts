/**
 * `dstack-pulumi lock [--json] [--backend B] [--region R] [--spot-policy P] [--max-price N]
 * [--catalog FILE] FILE`: writes the top offer (and its zone, when the catalog knows one) to the
 * lock file next to the configuration (`.dstack.yml` -> `.dstack.lock.json`). The component then
 * keeps that offer while it satisfies the configuration. Exit 0 written, 1 invalid input, 2 usage
 * (standard input), 3 no offers.
 */
import { CatalogError } from "../catalog/load";
import { checkArchitecture, RefusedConfigurationError } from "../offers/architecture";
import { formatUsd } from "../offers/describe";
import { lockFileFor, makeLock, readLock, writeLock, LockError, type OfferLock } from "../offers/lock";
import { offerJson, type Offer } from "../offers/offer";
import { resolveOffers } from "../offers/resolve";
import { sharedOfferIndex } from "../offers/shared-index";
import { fail } from "./failure";
import { catalogFailure, failIfNoOffers, refusedFailure, type OffersOptions } from "./offers";
import { formatAccelerator } from "./offers-table";
import { readConfigForCommand } from "./read-config";
import type { Output } from "./validate";

/** The previous lock's machine, when the new lock replaces a different one. */
function replacedBy(previous: OfferLock | null, offer: Offer): Offer | null {
  if (!previous) return null;
  const same = previous.offer.instance_type === offer.instance_type && previous.offer.region === offer.region && previous.offer.spot === offer.spot;
  return same ? null : previous.offer;
}

/** Runs `lock`; returns the exit code. */
export function runLock(file: string, options: OffersOptions, output: Output): number {
  if (file === "-") {
    return fail(output, options.json, { code: "usage", message: "lock needs a configuration file (the lock is written next to it)" });
  }
  const config = readConfigForCommand(file, output, options.json);
  if (config === null) return 1;
  try {
    const index = sharedOfferIndex(options.catalog);
    const resolution = resolveOffers(config.spec, index, { backends: options.backend, regions: options.region, spotPolicy: options.spotPolicy, maxPrice: options.maxPrice, limit: 1 });
    checkArchitecture(config.spec, resolution.requirements);
    const failed = failIfNoOffers(output, options.json, resolution);
    if (failed !== null) return failed;
    const offer = resolution.offers[0];
    const zone = offer.zones[0] ?? null;
    const lockFile = lockFileFor(file);
    const replaced = replacedBy(readLock(lockFile), offer);
    writeLock(lockFile, makeLock(offer, zone, index.catalog.stamp));
    if (options.json) {
      const json = { lock_file: lockFile, offer: offerJson(offer), zone, replaced: replaced && { backend: replaced.backend, region: replaced.region, instance_type: replaced.instance_type, spot: replaced.spot } };
      output.stdout(`${JSON.stringify(json, null, 2)}\n`);
      return 0;
    }
    const what = `${offer.backend} ${offer.region}${zone ? ` (${zone})` : ""} ${offer.instance_type}${offer.gpu || offer.tpu ? ` ${formatAccelerator(offer)}` : ""}${offer.spot ? " spot" : ""} at ${formatUsd(offer.price_per_hour)}/h`;
    output.stdout(`${lockFile}: locked ${what}${replaced ? `, replacing ${replaced.backend} ${replaced.region} ${replaced.instance_type}` : ""}\n`);
    return 0;
  } catch (error) {
    if (error instanceof RefusedConfigurationError) return fail(output, options.json, refusedFailure(file, error));
    if (error instanceof CatalogError) return fail(output, options.json, catalogFailure(error));
    if (error instanceof LockError) return fail(output, options.json, { code: "invalid_lock", message: error.message });
    throw error;
  }
}
