/**
 * `dstack-pulumi offers [--json] [--backend B] [--region R] [--spot-policy P] [--max-price N]
 * [--limit N] [--catalog FILE] FILE`: the offers that satisfy a configuration, cheapest first.
 * Exit 0 with offers, 1 for an invalid configuration or catalog, 2 when nothing matches.
 */
import { CatalogError } from "../catalog/load";
import type { Catalog } from "../catalog/types";
import type { SpotPolicy } from "../config/run-fields";
import { checkArchitecture, RefusedConfigurationError } from "../offers/architecture";
import { describeRequest, formatUsd } from "../offers/describe";
import type { NoOffers } from "../offers/explain";
import { offerJson } from "../offers/offer";
import type { OfferIndex } from "../offers/offer-index";
import { sharedOfferIndex } from "../offers/shared-index";
import { resolveOffers } from "../offers/resolve";
import { offersTable } from "./offers-table";
import { readConfigForCommand } from "./read-config";
import type { Output } from "./validate";

export interface OffersOptions {
  json?: boolean;
  backend?: string[];
  region?: string[];
  spotPolicy?: SpotPolicy;
  maxPrice?: number;
  /** 0 = all. */
  limit?: number;
  catalog?: string;
}

import { DEFAULT_OFFER_LIMIT } from "./defaults";

/** The stamp as `offers --json` and `plan --json` show it. */
export function catalogJson(catalog: Catalog, file: string | undefined): Record<string, unknown> {
  return { file: file ?? null, ...catalog.stamp };
}

function noOffersJson(noOffers: NoOffers): Record<string, unknown> {
  return {
    constraint: noOffers.constraint,
    message: noOffers.message,
    nearest: noOffers.nearest.map((near) => ({ ...offerJson(near.offer), misses: near.misses })),
  };
}

export function formatNoOffers(noOffers: NoOffers): string {
  const lines = [noOffers.message];
  if (noOffers.nearest.length > 0) {
    lines.push("nearest:");
    for (const near of noOffers.nearest) {
      const { offer } = near;
      lines.push(`  ${offer.instance_type} (${offer.backend} ${offer.region}, ${near.machine}, ${formatUsd(offer.price_per_hour)}/h${offer.spot ? " spot" : ""}): ${near.misses.join("; ")}`);
    }
  }
  return lines.join("\n");
}

/** Runs `offers`; returns the exit code. */
export function runOffers(file: string, options: OffersOptions, output: Output): number {
  const config = readConfigForCommand(file, output);
  if (config === null) return 1;
  let index: OfferIndex;
  try {
    index = sharedOfferIndex(options.catalog);
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    output.stderr(`dstack-pulumi: ${error.message}\n`);
    return 1;
  }
  const limit = options.limit === undefined ? DEFAULT_OFFER_LIMIT : options.limit === 0 ? Infinity : options.limit;
  const resolution = resolveOffers(config.spec, index, {
    backends: options.backend,
    regions: options.region,
    spotPolicy: options.spotPolicy,
    maxPrice: options.maxPrice,
    limit,
  });
  try {
    checkArchitecture(config.spec, resolution.requirements);
  } catch (error) {
    if (!(error instanceof RefusedConfigurationError)) throw error;
    output.stderr(`dstack-pulumi: ${file}: ${error.message}\n`);
    return 1;
  }
  for (const warning of resolution.warnings) output.stderr(`warning: ${warning}\n`);
  if (options.json) {
    const json: Record<string, unknown> = {
      catalog: catalogJson(index.catalog, options.catalog),
      offers: resolution.offers.map(offerJson),
      total: resolution.total,
    };
    if (resolution.noOffers) json.no_offers = noOffersJson(resolution.noOffers);
    output.stdout(JSON.stringify(json, null, 2) + "\n");
  } else if (resolution.noOffers) {
    output.stderr(formatNoOffers(resolution.noOffers) + "\n");
  } else {
    const stamp = index.catalog.stamp;
    output.stdout(`${config.name}: ${describeRequest(resolution.requirements)}\n`);
    output.stdout(`catalog: ${options.catalog ?? "bundled"}, prices from ${stamp.oldest_data_date} to ${stamp.data_date}\n\n`);
    output.stdout(offersTable(resolution.offers) + "\n\n");
    const estimated = resolution.offers.some((offer) => offer.estimated_price) ? " ~ = estimated price." : "";
    const more = resolution.total > resolution.offers.length ? ` (--limit N for more, 0 for all)` : "";
    output.stdout(`${resolution.offers.length} of ${resolution.total} offers${more}.${estimated}\n`);
  }
  return resolution.noOffers ? 2 : 0;
}
