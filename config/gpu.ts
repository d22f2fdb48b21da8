/**
 * `resources.gpu`: the short form (`A100:80GB:2`, `nvidia:2`, `24GB..:1..2`, `v5litepod-8`,
 * tokens in any order, classified by their shape) and the object form.
 */
import { checkKeys, ErrorSink, GrammarError, mapItems, show, toInt, toSeedMapping, toStr, typeError, within } from "./coerce";
import { suggest } from "./did-you-mean";
import { isPyFloat, parsePythonInt, PyFloat, pythonStr } from "./py-values";
import { vendorOfName } from "./gpu-vendor";
import { parseIntRange, parseMemoryRange, type Range } from "./range";

/** Accelerator vendors as dstack 0.18.2x knows them (gpuhunt 0.0.x). */
export const GPU_VENDORS = ["nvidia", "amd", "google"] as const;
export type GpuVendor = (typeof GPU_VENDORS)[number];

/** The normalised GPU request. */
export interface GpuSpec {
  /** Set by the user (a vendor token or `vendor:`), or null; inference from names happens later. */
  vendor: GpuVendor | null;
  /** Acceptable GPU (or TPU slice) names as written; matched case-insensitively against offers. */
  name: string[] | null;
  /** GPUs per machine. Omitted count means exactly one (`{1, 1}`), as in dstack 0.18.2x. */
  count: Range;
  /** Memory per GPU in GB. */
  memory: Range | null;
  /** Memory of all GPUs together in GB. */
  total_memory: Range | null;
  /** Minimum CUDA compute capability `[major, minor]`. */
  compute_capability: [number, number] | null;
}

/** The count when a GPU request names no count: exactly one GPU (dstack 0.18.2x). */
export const DEFAULT_GPU_COUNT: Range = { min: 1, max: 1 };

const GPU_FIELDS = ["vendor", "name", "count", "memory", "total_memory", "compute_capability"] as const;
const TPU_PREFIX = "tpu-";

/** Lower-cased vendor token -> vendor; `tpu` is an alias of `google`. */
function vendorOf(token: string): GpuVendor | null {
  const lower = token.toLowerCase();
  if (lower === "tpu") return "google";
  return (GPU_VENDORS as readonly string[]).includes(lower) ? (lower as GpuVendor) : null;
}

/** Removes the deprecated `tpu-` prefix from TPU names (`tpu-v2-8` -> `v2-8`). */
function stripTpuPrefix(name: string): string {
  return name.startsWith(TPU_PREFIX) ? name.slice(TPU_PREFIX.length) : name;
}

const STARTS_WITH_LETTER = /^\p{L}/u;
const HAS_LETTER = /\p{L}/u;

/** Parses the short form: `:`-separated tokens, spaces removed, each token classified by shape. */
export function parseGpuShortForm(text: string): GpuSpec {
  const spec: GpuSpec = { vendor: null, name: null, count: DEFAULT_GPU_COUNT, memory: null, total_memory: null, compute_capability: null };
  const tokens = text.replace(/ /g, "").split(":");
  let countSeen = false;
  const conflict = (what: string, hint?: string) =>
    new GrammarError(`GPU spec ${what} conflict in ${show(text)}: give at most one ${what} token`, "conflict", [], hint);
  for (const token of tokens) {
    if (token === "") {
      throw new GrammarError(
        `GPU spec ${show(text)} has an empty token: use tokens such as A100, 80GB, 2 or nvidia, joined by ":"`,
        "invalid_value",
      );
    }
    const vendor = vendorOf(token);
    if (vendor) {
      if (spec.vendor) throw conflict("vendor");
      spec.vendor = vendor;
    } else if (STARTS_WITH_LETTER.test(token)) {
      if (spec.name) {
        const known = token.split(",").every((name) => vendorOfName(name) !== null);
        throw conflict("name", known ? `To accept any of these GPUs, separate the names with commas: "${[...spec.name, token].join(",")}"` : undefined);
      }
      const names = token.split(",");
      if (names.some((name) => name === "")) {
        throw new GrammarError(`GPU name cannot be empty in ${show(text)}: separate names with single commas`, "invalid_value");
      }
      spec.name = names.map(stripTpuPrefix);
    } else if (HAS_LETTER.test(token)) {
      if (spec.memory) throw conflict("memory");
      spec.memory = gpuToken(token, "memory", parseMemoryRange);
    } else {
      if (countSeen) throw conflict("count");
      spec.count = gpuToken(token, "count", parseIntRange);
      countSeen = true;
    }
  }
  return spec;
}

/** Parses one short-form token, naming the token in the message when it fails. */
function gpuToken(token: string, what: string, parse: (value: string) => Range): Range {
  try {
    return parse(token);
  } catch (error) {
    if (!(error instanceof GrammarError)) throw error;
    if (error.code === "invalid_range") throw error;
    const reason = error.message.charAt(0).toLowerCase() + error.message.slice(1);
    throw new GrammarError(`invalid GPU ${what} "${token}": ${reason}`, error.code, [], error.hint);
  }
}

function parseVendor(value: unknown): GpuVendor | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") throw new GrammarError(`unsupported GPU vendor ${show(value)}: expected one of ${GPU_VENDORS.join(", ")} or tpu`, "invalid_type");
  const vendor = vendorOf(value);
  if (vendor) return vendor;
  throw new GrammarError(
    `"${value}" is not a valid GPU vendor; allowed: ${GPU_VENDORS.join(", ")}, tpu (case-insensitive)`,
    "invalid_choice",
    [],
    suggest(value.toLowerCase(), [...GPU_VENDORS, "tpu"]),
  );
}

function parseNames(value: unknown): string[] | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return mapItems(value, (item) => stripTpuPrefix(toStr(item)));
  return [stripTpuPrefix(toStr(value))];
}

/** `7.5`, `"8.0"` or `[9, 0]` -> `[major, minor]`. */
export function parseComputeCapability(value: unknown): [number, number] | null {
  if (value === null || value === undefined) return null;
  let parts: unknown[];
  if (isPyFloat(value)) parts = pythonStr(value as number | PyFloat).split(".");
  else if (typeof value === "string") parts = value.split(".");
  else if (Array.isArray(value)) parts = value;
  else throw typeError('a compute capability such as 8.0 or "7.5"', value);
  if (parts.length !== 2) {
    throw new GrammarError(`invalid compute capability ${show(value)}: expected major.minor, such as 8.0`, "invalid_value");
  }
  return parts.map((part, index) =>
    within(index, () => {
      if (typeof part === "string" && parsePythonInt(part) === null) {
        throw new GrammarError(`invalid compute capability ${show(value)}: expected major.minor, such as 8.0`, "invalid_value");
      }
      return toInt(part);
    }),
  ) as [number, number];
}

/**
 * `resources.gpu` in any form. An int is read as text (`2` is a count), and so is a boolean
 * (`true` becomes the name "True", as in dstack); a float is rejected.
 */
export function parseGpuSpec(value: unknown): GpuSpec {
  if (typeof value === "string") return parseGpuShortForm(value);
  if (typeof value === "number" && Number.isInteger(value)) return parseGpuShortForm(String(value));
  if (typeof value === "boolean") return parseGpuShortForm(pythonStr(value));
  if (value === null || value instanceof PyFloat || typeof value !== "object" || (Array.isArray(value) && value.length > 0)) {
    throw typeError('a GPU spec such as "A100:80GB:2", "24GB..:2" or a mapping with name, count, memory', value);
  }
  const mapping = toSeedMapping(value);
  const sink = new ErrorSink();
  sink.run(null, () => checkKeys(mapping, GPU_FIELDS, "resources.gpu"));
  const count = mapping.count;
  const spec = {
    vendor: sink.run("vendor", () => parseVendor(mapping.vendor)),
    name: sink.run("name", () => parseNames(mapping.name)),
    count: count === undefined ? DEFAULT_GPU_COUNT : sink.run("count", () => {
      if (count === null) throw new GrammarError("count cannot be null: give a count such as 1 or 1..2", "invalid_type");
      return parseIntRange(count);
    }),
    memory: mapping.memory == null ? null : sink.run("memory", () => parseMemoryRange(mapping.memory)),
    total_memory: mapping.total_memory == null ? null : sink.run("total_memory", () => parseMemoryRange(mapping.total_memory)),
    compute_capability: sink.run("compute_capability", () => parseComputeCapability(mapping.compute_capability)),
  };
  sink.done();
  return spec as GpuSpec;
}
