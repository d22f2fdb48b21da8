/** Defaults of CLI options, in a module of their own so that `main` can show them without loading the commands. */
export const DEFAULT_OFFER_LIMIT = 20;
export const DEFAULT_CATALOG_OUT = "dstack-catalog.json";
