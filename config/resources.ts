/**
 * `resources`: cpu, memory, shm_size, gpu, disk, with dstack's defaults (cpu 2.., memory 8GB..,
 * disk 100GB.., no GPU constraint) and short forms.
 */
import { checkKeys, ErrorSink, GrammarError, show, toMapping, toSeedMapping, within } from "./coerce";
import { suggest } from "./did-you-mean";
import { parseGpuSpec, type GpuSpec } from "./gpu";
import { isPyNumber } from "./py-values";
import { parseIntRange, parseMemory, parseMemoryRange, type Range } from "./range";

export const CPU_ARCHS = ["x86", "arm"] as const;
export type CpuArch = (typeof CPU_ARCHS)[number];

/** CPU request: a count range and, optionally, an architecture (`arm:8`, `x86:4..`). */
export interface CpuSpec {
  arch: CpuArch | null;
  count: Range;
}

/** The normalised `resources` block. All sizes are GB. */
export interface ResourcesSpec {
  cpu: CpuSpec;
  memory: Range;
  /** Shared memory of the container (`/dev/shm`), GB; a single size. */
  shm_size: number | null;
  /** Null when the file asks for nothing about GPUs. */
  gpu: GpuSpec | null;
  /** Null only when the file says `disk: null` (no disk constraint). */
  disk: { size: Range } | null;
}

export const DEFAULT_CPU_COUNT: Range = { min: 2, max: null };
export const DEFAULT_MEMORY: Range = { min: 8, max: null };
export const DEFAULT_DISK_SIZE: Range = { min: 100, max: null };

/** The keys of `resources`. */
export const RESOURCE_FIELDS = ["cpu", "memory", "shm_size", "gpu", "disk"] as const;
const ARCH_ALIASES: Record<string, CpuArch> = { amd64: "x86", x86_64: "x86", x64: "x86", aarch64: "arm", arm64: "arm" };

function archOf(token: string): CpuArch | null {
  const lower = token.toLowerCase();
  return (CPU_ARCHS as readonly string[]).includes(lower) ? (lower as CpuArch) : null;
}

function badArch(token: string, whole: string): GrammarError {
  const alias = ARCH_ALIASES[token.toLowerCase()];
  return new GrammarError(
    `invalid CPU spec ${show(whole)}: "${token}" is neither a count (4, 2..8) nor an architecture (x86, arm)`,
    "invalid_value",
    [],
    alias ? `Did you mean "${alias}"?` : suggest(token.toLowerCase(), CPU_ARCHS),
  );
}

/** Parses a CPU string: `:`-separated count and architecture tokens in any order. */
function parseCpuText(text: string): CpuSpec {
  const tokens = text.replace(/ /g, "").split(":");
  let arch: CpuArch | null = null;
  let count: Range | null = null;
  for (const token of tokens) {
    if (token === "") throw new GrammarError(`CPU spec ${show(text)} has an empty token: use a count, an architecture or arch:count`, "invalid_value");
    const tokenArch = archOf(token);
    if (tokenArch) {
      if (arch) throw new GrammarError(`CPU spec ${show(text)} has two architectures: give at most one`, "conflict");
      arch = tokenArch;
      continue;
    }
    let tokenCount: Range;
    try {
      // A lone count is a dstack 0.18.2x value: read the text as its Range does, spaces kept
      // until ".." is found (". .2" and "1 0" are not counts there).
      tokenCount = parseIntRange(tokens.length === 1 ? text : token);
    } catch (error) {
      if (error instanceof GrammarError && /[a-z]/i.test(token) && !token.includes("..")) throw badArch(token, text);
      throw error;
    }
    // Only a second token that is a count makes two counts ("2:foo" has a bad architecture).
    if (count) throw new GrammarError(`CPU spec ${show(text)} has two counts: give at most one`, "conflict");
    count = tokenCount;
  }
  return { arch, count: count ?? DEFAULT_CPU_COUNT };
}

/** `resources.cpu`: `4`, `2..8`, `arm`, `arm:8`, `{min, max}` or `{arch, count}`. */
export function parseCpuSpec(value: unknown): CpuSpec {
  if (typeof value === "string") return parseCpuText(value);
  if (typeof value === "boolean" || isPyNumber(value)) return { arch: null, count: parseIntRange(value) };
  const mapping = toMapping(value, 'a CPU spec such as 4, "2..8", "arm:8" or a mapping');
  const keys = Object.keys(mapping);
  if (keys.length === 0 || keys.every((key) => key === "min" || key === "max")) {
    return { arch: null, count: parseIntRange(mapping) };
  }
  checkKeys(mapping, ["arch", "count"], "resources.cpu");
  const arch = within("arch", () => {
    if (mapping.arch === null || mapping.arch === undefined) return null;
    if (typeof mapping.arch === "string" && archOf(mapping.arch)) return archOf(mapping.arch);
    if (typeof mapping.arch !== "string") throw new GrammarError(`expected an architecture (x86 or arm), got ${show(mapping.arch)}`, "invalid_type");
    throw badArch(mapping.arch, mapping.arch);
  });
  const count = mapping.count === undefined ? DEFAULT_CPU_COUNT : within("count", () => parseIntRange(mapping.count));
  return { arch, count };
}

/** `resources.disk`: a size or range (`500GB`, `100GB..`) or `{size}`; null means no constraint. */
export function parseDisk(value: unknown): { size: Range } | null {
  if (value === null) return null;
  if (typeof value === "string" || typeof value === "boolean" || isPyNumber(value)) return { size: parseMemoryRange(value) };
  const mapping = toMapping(value, 'a disk size such as "100GB", "100GB.." or {size: ...}');
  checkKeys(mapping, ["size"], "resources.disk");
  if (mapping.size === undefined || mapping.size === null) {
    throw new GrammarError("resources.disk needs a size, such as 100GB or 100GB..", "missing_field", ["size"]);
  }
  return { size: within("size", () => parseMemoryRange(mapping.size)) };
}

function required<T>(mapping: Record<string, unknown>, key: string, parse: (value: unknown) => T, fallback: T): T {
  if (!(key in mapping)) return fallback;
  return within(key, () => {
    if (mapping[key] === null) throw new GrammarError(`${key} cannot be null: remove the line to use the default`, "invalid_type");
    return parse(mapping[key]);
  });
}

/** `resources` with each key defaulted independently; `resources: null` is an error. */
export function parseResources(value: unknown): ResourcesSpec {
  if (value === undefined) return parseResources({});
  if (value === null) throw new GrammarError("resources cannot be null: remove the line to use the defaults", "invalid_type");
  const mapping = toSeedMapping(value, "a mapping of cpu, memory, shm_size, gpu, disk");
  const sink = new ErrorSink();
  sink.run(null, () => checkKeys(mapping, RESOURCE_FIELDS, "resources"));
  const spec = {
    cpu: sink.run(null, () => required(mapping, "cpu", parseCpuSpec, { arch: null, count: DEFAULT_CPU_COUNT })),
    memory: sink.run(null, () => required(mapping, "memory", parseMemoryRange, DEFAULT_MEMORY)),
    shm_size: mapping.shm_size == null ? null : sink.run("shm_size", () => parseMemory(mapping.shm_size)),
    gpu: mapping.gpu == null ? null : sink.run("gpu", () => parseGpuSpec(mapping.gpu)),
    disk: "disk" in mapping ? sink.run("disk", () => parseDisk(mapping.disk)) : { size: DEFAULT_DISK_SIZE },
  };
  sink.done();
  return spec as ResourcesSpec;
}
