/**
 * `backend_options` (recent dstack, since 0.20.22): settings that apply only to the offers of one
 * backend. Only `vastai` has any so far.
 */
import { checkKeys, ErrorSink, GrammarError, mapItems, show, toChoice, toFloat, toRecentInt, toMapping } from "./coerce";

/** Backends that take options. */
export const OPTION_BACKENDS = ["vastai"] as const;
/** A backend that takes options. */
export type OptionBackend = (typeof OPTION_BACKENDS)[number];

/** The order in which Vast.ai offers are tried: best score first, or cheapest first. */
export const VASTAI_OFFER_ORDERS = ["score", "price"] as const;
/** `score` (dstack's default) or `price`. */
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

/** The options of one backend (only Vast.ai has any). */
export type BackendOptions = VastAIOptions;

const VASTAI_KEYS = ["type", "offer_order", "min_reliability", "min_score"] as const;

/**
 * One entry of `backend_options`. `type` may be left out: dstack's only options model, Vast.ai's,
 * declares `type: "vastai"` as its default.
 */
export function parseBackendOption(value: unknown): BackendOptions {
  const mapping = toMapping(value, 'a mapping such as {type: vastai, min_score: 100}');
  const sink = new ErrorSink();
  sink.run(null, () => checkKeys(mapping, VASTAI_KEYS, "vastai backend options"));
  const type = mapping.type === undefined ? "vastai" : sink.run("type", () => toChoice(mapping.type, OPTION_BACKENDS, "backend with options"));
  const optional = <T>(key: string, parse: (item: unknown) => T): T | null =>
    mapping[key] === null || mapping[key] === undefined ? null : (sink.run(key, () => parse(mapping[key])) ?? null);
  const offerOrder = optional("offer_order", (item) => toChoice(item, VASTAI_OFFER_ORDERS, "offer order"));
  const reliability = optional("min_reliability", (item) => {
    const fraction = toFloat(item);
    if (!(fraction >= 0 && fraction <= 1)) throw new GrammarError(`min_reliability is a fraction from 0 to 1, got ${show(item)}`, "invalid_range");
    return fraction;
  });
  const score = optional("min_score", (item) => {
    const number = toRecentInt(item);
    if (number < 0) throw new GrammarError(`min_score cannot be negative, got ${show(item)}`, "invalid_range");
    return number;
  });
  sink.done();
  return { type: type!, offer_order: offerOrder, min_reliability: reliability, min_score: score };
}

/** `backend_options`: a list with at most one entry per backend `type`; null when unset. */
export function parseBackendOptions(value: unknown): BackendOptions[] | null {
  if (value === null || value === undefined) return null;
  const options = mapItems(value, parseBackendOption, "a list of backend options");
  const seen = new Set<string>();
  options.forEach((option, index) => {
    if (seen.has(option.type)) {
      throw new GrammarError(`backend_options has more than one entry for the backend "${option.type}"; merge them into one`, "conflict", [index]);
    }
    seen.add(option.type);
  });
  return options;
}
