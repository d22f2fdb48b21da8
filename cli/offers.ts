/**
 * `dstack-pulumi offers [--json] [--backend B] [--region R] [--spot-policy P] [--max-price N]
 * [--limit N] [--catalog FILE] FILE`: the offers that satisfy a configuration, cheapest first.
 * Exit 0 with offers, 1 for an invalid configuration or catalog, 3 when nothing matches (see
 * `failure.ts` for every code and the `--json` error object).
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
import { resolveOffers, type Resolution } from "../offers/resolve";
import { DEFAULT_OFFER_LIMIT } from "./defaults";
import { fail, type Failure } from "./failure";
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

/** The stamp as `offers --json` and `plan --json` show it. */
export function catalogJson(catalog: Catalog, file: string | undefined): Record<string, unknown> {
  return { file: file ?? null, ...catalog.stamp };
}

/**
 * The `no_offers` failure: the reason, the constraint, the nearest offers and the resolution's
 * warnings (in the error object with `--json`, else as `warning:` lines before the reason).
 */
export function noOffersFailure(noOffers: NoOffers, warnings: readonly string[]): Failure {
  return {
    code: "no_offers",
    message: noOffers.message,
    details: {
      constraint: noOffers.constraint,
      nearest: noOffers.nearest.map((near) => ({ ...offerJson(near.offer), misses: near.misses })),
      warnings: [...warnings],
    },
    text: [...warnings.map((warning) => `warning: ${warning}`), formatNoOffers(noOffers)].join("\n"),
  };
}

/**
 * The end of a resolution for `offers` and `lock`: the `no_offers` failure's exit code, or null
 * when there are offers (their warnings then printed on stderr).
 */
export function failIfNoOffers(output: Output, json: boolean | undefined, resolution: Resolution): number | null {
  if (resolution.noOffers) return fail(output, json, noOffersFailure(resolution.noOffers, resolution.warnings));
  for (const warning of resolution.warnings) output.stderr(`warning: ${warning}\n`);
  return null;
}

/** The failure of a catalog file that cannot be read. */
export function catalogFailure(error: CatalogError): Failure {
  return { code: "invalid_catalog", message: error.message };
}

/** The failure of a configuration the offers refuse (an architecture the image cannot run on). */
export function refusedFailure(file: string, error: RefusedConfigurationError): Failure {
  return { code: "refused", message: `${file}: ${error.message}` };
}

/** The no-offer explanation as text: the reason, then the nearest offers with what they miss. */
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
  const config = readConfigForCommand(file, output, options.json);
  if (config === null) return 1;
  let index: OfferIndex;
  try {
    index = sharedOfferIndex(options.catalog);
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    return fail(output, options.json, catalogFailure(error));
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
    return fail(output, options.json, refusedFailure(file, error));
  }
  const failed = failIfNoOffers(output, options.json, resolution);
  if (failed !== null) return failed;
  if (options.json) {
    const json = { catalog: catalogJson(index.catalog, options.catalog), offers: resolution.offers.map(offerJson), total: resolution.total };
    output.stdout(JSON.stringify(json, null, 2) + "\n");
  } else {
    const stamp = index.catalog.stamp;
    output.stdout(`${config.name}: ${describeRequest(resolution.requirements)}\n`);
    output.stdout(`catalog: ${options.catalog ?? "bundled"}, prices from ${stamp.oldest_data_date} to ${stamp.data_date}\n\n`);
    output.stdout(offersTable(resolution.offers) + "\n\n");
    const estimated = resolution.offers.some((offer) => offer.estimated_price) ? " ~ = estimated price." : "";
    const more = resolution.total > resolution.offers.length ? ` (--limit N for more, 0 for all)` : "";
    output.stdout(`${resolution.offers.length} of ${resolution.total} offers${more}.${estimated}\n`);
  }
  return 0;
}
