/**
 * `dstack-pulumi lock [--backend B] [--region R] [--spot-policy P] [--max-price N] [--catalog FILE]
 * FILE`: writes the top offer (and its zone, when the catalog knows one) to the lock file next to
 * the configuration (`.dstack.yml` -> `.dstack.lock.json`). The component then keeps that offer
 * while it satisfies the configuration. Exit 0 written, 1 invalid input, 2 no offers.
 */
import { CatalogError } from "../catalog/load";
import { checkArchitecture, RefusedConfigurationError } from "../offers/architecture";
import { formatUsd } from "../offers/describe";
import { lockFileFor, makeLock, readLock, writeLock, LockError } from "../offers/lock";
import { resolveOffers } from "../offers/resolve";
import { sharedOfferIndex } from "../offers/shared-index";
import { formatNoOffers, type OffersOptions } from "./offers";
import { formatAccelerator } from "./offers-table";
import { readConfigForCommand } from "./read-config";
import type { Output } from "./validate";

export function runLock(file: string, options: OffersOptions, output: Output): number {
  if (file === "-") {
    output.stderr("dstack-pulumi: lock needs a configuration file (the lock is written next to it)\n");
    return 2;
  }
  const config = readConfigForCommand(file, output);
  if (config === null) return 1;
  try {
    const index = sharedOfferIndex(options.catalog);
    const resolution = resolveOffers(config.spec, index, { backends: options.backend, regions: options.region, spotPolicy: options.spotPolicy, maxPrice: options.maxPrice, limit: 1 });
    checkArchitecture(config.spec, resolution.requirements);
    for (const warning of resolution.warnings) output.stderr(`warning: ${warning}\n`);
    if (resolution.noOffers) {
      output.stderr(formatNoOffers(resolution.noOffers) + "\n");
      return 2;
    }
    const offer = resolution.offers[0];
    const lockFile = lockFileFor(file);
    const previous = readLock(lockFile);
    writeLock(lockFile, makeLock(offer, offer.zones[0] ?? null, index.catalog.stamp));
    const what = `${offer.backend} ${offer.region}${offer.zones[0] ? ` (${offer.zones[0]})` : ""} ${offer.instance_type}${offer.gpu || offer.tpu ? ` ${formatAccelerator(offer)}` : ""}${offer.spot ? " spot" : ""} at ${formatUsd(offer.price_per_hour)}/h`;
    const replaced = previous && (previous.offer.instance_type !== offer.instance_type || previous.offer.region !== offer.region || previous.offer.spot !== offer.spot) ? `, replacing ${previous.offer.backend} ${previous.offer.region} ${previous.offer.instance_type}` : "";
    output.stdout(`${lockFile}: locked ${what}${replaced}\n`);
    return 0;
  } catch (error) {
    if (error instanceof RefusedConfigurationError) {
      output.stderr(`dstack-pulumi: ${file}: ${error.message}\n`);
      return 1;
    }
    if (!(error instanceof CatalogError) && !(error instanceof LockError)) throw error;
    output.stderr(`dstack-pulumi: ${error.message}\n`);
    return 1;
  }
}
