/**
 * `backend_options` (recent dstack, since 0.20.22): settings that apply only to the offers of one
 * backend. Only `vastai` has any so far.
 */
import { checkKeys, GrammarError, mapItems, show, toChoice, toFloat, toInt, toMapping, within } from "./coerce";

/** Backends that take options. */
export const OPTION_BACKENDS = ["vastai"] as const;
export type OptionBackend = (typeof OPTION_BACKENDS)[number];

/** The order in which Vast.ai offers are tried: best score first, or cheapest first. */
export const VASTAI_OFFER_ORDERS = ["score", "price"] as const;
export type VastAIOfferOrder = (typeof VASTAI_OFFER_ORDERS)[number];

/** Vast.ai options as recent dstack serialises them (null: the backend's default). */
export interface VastAIOptions {
  type: "vastai";
  offer_order: VastAIOfferOrder | null;
  /** 0..1; dstack's default is 0.9. */
  min_reliability: number | null;
  /** >= 0. */
  min_score: number | null;
}

export type BackendOptions = VastAIOptions;

const VASTAI_KEYS = ["type", "offer_order", "min_reliability", "min_score"] as const;

/**
 * One entry of `backend_options`. `type` may be left out: dstack's only options model, Vast.ai's,
 * declares `type: "vastai"` as its default.
 */
export function parseBackendOption(value: unknown): BackendOptions {
  const mapping = toMapping(value, 'a mapping such as {type: vastai, min_score: 100}');
  checkKeys(mapping, VASTAI_KEYS, "vastai backend options");
  const type = mapping.type === undefined ? "vastai" : within("type", () => toChoice(mapping.type, OPTION_BACKENDS, "backend with options"));
  const optional = <T>(key: string, parse: (item: unknown) => T): T | null =>
    mapping[key] === null || mapping[key] === undefined ? null : within(key, () => parse(mapping[key]));
  const reliability = optional("min_reliability", toFloat);
  if (reliability !== null && !(reliability >= 0 && reliability <= 1)) {
    throw new GrammarError(`min_reliability is a fraction from 0 to 1, got ${show(mapping.min_reliability)}`, "invalid_range", ["min_reliability"]);
  }
  const score = optional("min_score", toInt);
  if (score !== null && score < 0) {
    throw new GrammarError(`min_score cannot be negative, got ${show(mapping.min_score)}`, "invalid_range", ["min_score"]);
  }
  return {
    type,
    offer_order: optional("offer_order", (item) => toChoice(item, VASTAI_OFFER_ORDERS, "offer order")),
    min_reliability: reliability,
    min_score: score,
  };
}

/** `backend_options`: a list with at most one entry per backend `type`; null when unset. */
export function parseBackendOptions(value: unknown): BackendOptions[] | null {
  if (value === null || value === undefined) return null;
  const options = mapItems(value, parseBackendOption, "a list of backend options");
  options.forEach((option, index) => {
    if (options.findIndex((other) => other.type === option.type) !== index) {
      throw new GrammarError(`backend_options has more than one entry for the backend "${option.type}"; merge them into one`, "conflict", [index]);
    }
  });
  return options;
}
