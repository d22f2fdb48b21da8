/**
 * fast-check arbitraries of the `resources` block of generated dev-environment configurations
 * (cpu, memory, shm_size, gpu, disk), built from counts, sizes and ranges in every form the reader
 * takes, each with what the reader should make of it.
 */
import fc from "fast-check";
import type { Expected, Range } from "./dev-environment";
import { mapping } from "./mapping";
import { textArb } from "./text";

// ---------------------------------------------------------------------------------------------
// Counts, sizes and ranges

interface Bound {
  /** As written in a document (a number or a string). */
  value: number | string;
  /** As written inside a range string. */
  text: string;
  /** The number the reader makes of it (GB for sizes). */
  number: number;
}

const countBoundArb = (max: number): fc.Arbitrary<Bound> =>
  fc.tuple(fc.integer({ min: 0, max }), fc.boolean()).map(([n, asText]) => ({ value: asText ? String(n) : n, text: String(n), number: n }));

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ["MB", 1 / 1024], ["GB", 1], ["TB", 1024], ["mb", 1 / 1024], ["gb", 1], ["tb", 1024], ["Gb", 1], ["gB", 1], ["Mb", 1 / 1024], ["Tb", 1024],
];

const sizeNumberArb = fc.oneof(fc.integer({ min: 1, max: 2048 }), fc.integer({ min: 1, max: 99 }).map((n) => n / 10));

/** A size with a unit (`512MB`, `16 GB`, `1.5TB`): always contains a letter. */
const sizeWithUnitArb: fc.Arbitrary<Bound> = fc
  .tuple(sizeNumberArb, fc.constantFrom(...UNITS), fc.constantFrom("", "", " "))
  .map(([n, [unit, factor], space]) => {
    const text = `${n}${space}${unit}`;
    return { value: text, text, number: n * factor };
  });

/** A size: a bare number (GB), numeric text, or a number with a unit. */
const sizeArb: fc.Arbitrary<Bound> = fc.oneof(
  sizeNumberArb.map((n) => ({ value: n, text: String(n), number: n })),
  sizeNumberArb.map((n) => ({ value: String(n), text: String(n), number: n })),
  { weight: 3, arbitrary: sizeWithUnitArb },
);

export interface RangeInput {
  value: unknown;
  range: Range;
}

const spaced = (text: string, space: boolean) => (space ? text.replace("..", " .. ") : text);

/**
 * A range of `bound`s in every form: an exact value, `a..b`, `a..`, `..b`, `{min, max}`.
 * `textOnly` restricts it to the string forms (short GPU and CPU tokens).
 */
function rangeArb(boundArb: fc.Arbitrary<Bound>, textOnly = false): fc.Arbitrary<RangeInput> {
  const sorted = fc.tuple(boundArb, boundArb).map(([a, b]) => (a.number <= b.number ? [a, b] : [b, a]));
  const forms: Array<fc.Arbitrary<RangeInput>> = [
    boundArb.map((b) => ({ value: textOnly ? b.text : b.value, range: { min: b.number, max: b.number } })),
    fc.tuple(sorted, fc.boolean()).map(([[a, b], space]) => ({ value: spaced(`${a.text}..${b.text}`, space), range: { min: a.number, max: b.number } })),
    fc.tuple(boundArb, fc.boolean()).map(([a, space]) => ({ value: spaced(`${a.text}..`, space), range: { min: a.number, max: null } })),
    fc.tuple(boundArb, fc.boolean()).map(([b, space]) => ({ value: spaced(`..${b.text}`, space), range: { min: null, max: b.number } })),
  ];
  if (!textOnly) {
    forms.push(
      fc.tuple(sorted, fc.constantFrom("both", "min", "max", "min-null", "null-max")).map(([[a, b], which]) => {
        const entries: Array<[string, unknown]> = [];
        let range: Range;
        if (which === "both") { entries.push(["min", a.value], ["max", b.value]); range = { min: a.number, max: b.number }; }
        else if (which === "min") { entries.push(["min", a.value]); range = { min: a.number, max: null }; }
        else if (which === "max") { entries.push(["max", b.value]); range = { min: null, max: b.number }; }
        else if (which === "min-null") { entries.push(["min", a.value], ["max", null]); range = { min: a.number, max: null }; }
        else { entries.push(["min", null], ["max", b.value]); range = { min: null, max: b.number }; }
        return { value: mapping(entries), range };
      }),
    );
  }
  return fc.oneof(...forms);
}

const textOf = (input: RangeInput) => input.value as string;

// ---------------------------------------------------------------------------------------------
// resources

const cpuCountArb = rangeArb(countBoundArb(256));
const cpuCountTextArb = rangeArb(countBoundArb(256), true);
const archArb = fc.constantFrom("x86", "arm", "X86", "ARM", "Arm");
export const DEFAULT_CPU: Range = { min: 2, max: null };

const cpuArb: fc.Arbitrary<{ value: unknown; cpu: Expected["cpu"] }> = fc.oneof(
  fc.integer({ min: 1, max: 256 }).map((n) => ({ value: n, cpu: { arch: null, count: { min: n, max: n } } })),
  fc
    .tuple(fc.option(archArb, { nil: undefined }), fc.option(cpuCountTextArb, { nil: undefined }), fc.boolean(), fc.boolean())
    .filter(([arch, count]) => arch !== undefined || count !== undefined)
    .map(([arch, count, archFirst, space]) => {
      const tokens = [arch, count && textOf(count)].filter((token): token is string => token !== undefined);
      if (!archFirst) tokens.reverse();
      return {
        value: tokens.join(space ? " : " : ":"),
        cpu: { arch: arch ? arch.toLowerCase() : null, count: count ? count.range : DEFAULT_CPU },
      };
    }),
  cpuCountArb.filter((count) => typeof count.value === "object").map((count) => ({ value: count.value, cpu: { arch: null, count: count.range } })),
  fc
    .record({ arch: fc.option(archArb, { nil: null }), count: cpuCountArb }, { requiredKeys: [] })
    .filter((spec) => Object.keys(spec).length > 0)
    .map((spec) => {
      const entries: Array<[string, unknown]> = [];
      if ("arch" in spec) entries.push(["arch", spec.arch]);
      if (spec.count) entries.push(["count", spec.count.value]);
      return { value: mapping(entries), cpu: { arch: spec.arch ? spec.arch.toLowerCase() : null, count: spec.count ? spec.count.range : DEFAULT_CPU } };
    }),
);

const memoryArb = rangeArb(sizeArb);
/** A GPU memory token must contain a letter (else it is a count): every bound has a unit. */
const gpuMemoryTokenArb = rangeArb(sizeWithUnitArb, true);
const gpuCountArb = rangeArb(countBoundArb(16));
const gpuCountTextArb = rangeArb(countBoundArb(16), true);

const NVIDIA_NAMES = ["A10", "A100", "A10G", "H100", "H200", "L4", "L40S", "T4", "V100", "RTX4090", "RTX3090", "a100", "h100", "GH200", "B200"];
const TPU_NAMES = ["v2-8", "v3-64", "v5litepod-16", "v5p-1024", "v6e-8", "tpu-v2-8", "tpu-v5litepod-4"];
const OTHER_NAMES = ["Gaudi2", "Ä100", "MyGPU", "x"];
const AMD_NAMES = ["MI300X", "MI250", "mi100"];
/** Lower-cased AMD names the reader knows: a request naming one needs an image. */
const KNOWN_AMD = new Set(["mi100", "mi210", "mi250", "mi250x", "mi300a", "mi300x", "mi308x", "mi325x", "mi355x"]);
const VENDOR_TOKENS: ReadonlyArray<readonly [string, string]> = [
  ["nvidia", "nvidia"], ["NVIDIA", "nvidia"], ["Nvidia", "nvidia"], ["google", "google"], ["tpu", "google"], ["TPU", "google"],
];
const AMD_VENDOR_TOKENS: ReadonlyArray<readonly [string, string]> = [["amd", "amd"], ["AMD", "amd"]];

const stripTpu = (name: string) => (name.startsWith("tpu-") ? name.slice(4) : name);

function gpuArb(withImage: boolean): fc.Arbitrary<{ value: unknown; gpu: NonNullable<Expected["gpu"]> }> {
  const shortName = fc.constantFrom(...NVIDIA_NAMES, ...TPU_NAMES, ...OTHER_NAMES, ...(withImage ? AMD_NAMES : []));
  const vendor = fc.constantFrom(...VENDOR_TOKENS, ...(withImage ? AMD_VENDOR_TOKENS : []));
  const shortForm = fc
    .record(
      {
        names: fc.uniqueArray(shortName, { minLength: 1, maxLength: 3 }),
        memory: gpuMemoryTokenArb,
        count: gpuCountTextArb,
        vendor,
      },
      { requiredKeys: [] },
    )
    .filter((parts) => Object.keys(parts).length > 0)
    .chain((parts) => {
      const tokens: string[] = [];
      if (parts.names) tokens.push(parts.names.join(","));
      if (parts.memory) tokens.push(textOf(parts.memory));
      if (parts.count) tokens.push(textOf(parts.count));
      if (parts.vendor) tokens.push(parts.vendor[0]);
      return fc.tuple(fc.shuffledSubarray(tokens, { minLength: tokens.length, maxLength: tokens.length }), fc.constantFrom(":", " : ", ": "), fc.boolean()).map(
        ([ordered, separator, asInt]) => {
          const text = ordered.join(separator);
          // A bare count may be written as an int: `gpu: 2`.
          const value = asInt && /^\d+$/.test(text) ? Number(text) : text;
          return {
            value,
            gpu: {
              vendor: parts.vendor ? parts.vendor[1] : null,
              name: parts.names ? parts.names.map(stripTpu) : null,
              count: parts.count ? parts.count.range : { min: 1, max: 1 },
              memory: parts.memory ? parts.memory.range : null,
            },
          };
        },
      );
    });
  const objectName = fc.oneof(
    shortName.map((name) => ({ value: name as unknown, names: [stripTpu(name)] })),
    textArb.filter((name) => withImage || !KNOWN_AMD.has(name.toLowerCase())).map((name) => ({ value: name as unknown, names: [stripTpu(name)] })),
    fc.array(fc.oneof(shortName, textArb).filter((name) => withImage || !KNOWN_AMD.has(name.toLowerCase())), { maxLength: 3 }).map((names) => ({ value: names as unknown, names: names.map(stripTpu) })),
  );
  const computeCapability = fc.constantFrom<unknown>(7.5, 8.6, 8.9, "8.0", "9.0", [9, 0], [8, 6]);
  const objectForm = fc
    .record(
      {
        vendor: fc.option(vendor, { nil: null }),
        name: objectName,
        count: gpuCountArb,
        memory: memoryArb,
        total_memory: memoryArb,
        compute_capability: computeCapability,
      },
      { requiredKeys: [] },
    )
    .map((parts) => {
      const entries: Array<[string, unknown]> = [];
      if ("vendor" in parts) entries.push(["vendor", parts.vendor ? parts.vendor[0] : null]);
      if (parts.name) entries.push(["name", parts.name.value]);
      if (parts.count) entries.push(["count", parts.count.value]);
      if (parts.memory) entries.push(["memory", parts.memory.value]);
      if (parts.total_memory) entries.push(["total_memory", parts.total_memory.value]);
      if (parts.compute_capability !== undefined) entries.push(["compute_capability", parts.compute_capability]);
      return {
        value: mapping(entries),
        gpu: {
          vendor: parts.vendor ? parts.vendor[1] : null,
          name: parts.name ? parts.name.names : null,
          count: parts.count ? parts.count.range : { min: 1, max: 1 },
          memory: parts.memory ? parts.memory.range : null,
        },
      };
    });
  return fc.oneof({ weight: 3, arbitrary: shortForm }, objectForm);
}

const diskArb: fc.Arbitrary<{ value: unknown; disk: Expected["disk"] }> = fc.oneof(
  rangeArb(sizeArb).filter((size) => typeof size.value !== "object").map((size) => ({ value: size.value, disk: { size: size.range } })),
  rangeArb(sizeArb).map((size) => ({ value: mapping([["size", size.value]]), disk: { size: size.range } })),
  fc.constant({ value: null, disk: null }),
);

export function resourcesArb(withImage: boolean): fc.Arbitrary<{ value: unknown; expected: Pick<Expected, "cpu" | "memory" | "shmSize" | "gpu" | "disk"> } | undefined> {
  const block = fc
    .record(
      {
        cpu: cpuArb,
        memory: memoryArb,
        shm_size: sizeArb,
        gpu: fc.oneof({ weight: 5, arbitrary: gpuArb(withImage) }, fc.constant({ value: null, gpu: null })),
        disk: diskArb,
      },
      { requiredKeys: [] },
    )
    .chain((parts) => {
      const entries: Array<[string, unknown]> = [];
      if (parts.cpu) entries.push(["cpu", parts.cpu.value]);
      if (parts.memory) entries.push(["memory", parts.memory.value]);
      if (parts.shm_size) entries.push(["shm_size", parts.shm_size.value]);
      if (parts.gpu) entries.push(["gpu", parts.gpu.value]);
      if (parts.disk) entries.push(["disk", parts.disk.value]);
      return fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }).map((ordered) => ({
        value: mapping(ordered) as unknown,
        expected: {
          cpu: parts.cpu ? parts.cpu.cpu : { arch: null, count: DEFAULT_CPU },
          memory: parts.memory ? parts.memory.range : { min: 8, max: null },
          shmSize: parts.shm_size ? parts.shm_size.number : null,
          gpu: parts.gpu ? parts.gpu.gpu : null,
          disk: parts.disk ? parts.disk.disk : { size: { min: 100, max: null } },
        },
      }));
    });
  return fc.option(block, { nil: undefined, freq: 4 });
}
