/**
 * fast-check arbitraries of VALID `type: dev-environment` configurations, built from the grammar in
 * shared/reference/dstack-config-spec.md §2–§3 as the reader implements it (dstack 0.18.2x plus the
 * fields added since), each with what the reader should make of it.
 *
 * Mappings are plain objects whose keys are set with `defineProperty`, so a key such as `__proto__`
 * is an ordinary key (a `Map` would be written as `!!omap` by `yaml` in YAML 1.1 mode).
 */
import { normalizeLineBreaks } from "../../config/line-index";
import fc from "fast-check";
import YAML from "yaml";

/** A plain mapping with keys in the given order; `__proto__` and friends are ordinary keys. */
export function mapping(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

export interface Range {
  min: number | null;
  max: number | null;
}

/** What the reader should return for the parts of a generated configuration worth checking. */
export interface Expected {
  ide: string | null;
  version: string | null;
  python: string | null;
  image: string | null;
  nvcc: boolean | null;
  envNames: string[];
  volumes: Array<Record<string, unknown>>;
  ports: Array<{ local_port: number | null; container_port: number }>;
  cpu: { arch: string | null; count: Range };
  memory: Range;
  shmSize: number | null;
  gpu: { vendor: string | null; name: string[] | null; count: Range; memory: Range | null } | null;
  disk: { size: Range } | null;
  maxDuration: number | "off" | null;
  inactivityDuration: number | null;
  spotPolicy: string | null;
  backends: string[] | null;
  maxPrice: number | null;
  init: string[];
}

/** A generated configuration: the document to serialise and what reading it should give. */
export interface ValidConfig {
  doc: Record<string, unknown>;
  expected: Expected;
}

// ---------------------------------------------------------------------------------------------
// Free text

/** Strings that YAML 1.1 would read as something else, or that need quoting. */
const TRICKY_TEXT = [
  "yes", "no", "on", "off", "y", "n", "Y", "N", "true", "False", "null", "~", "3.10", "8:50", "190:20:30", "017", "0x1F",
  "0b101", "1_000", "1e3", "1.0e+3", "+12", "2001-01-01", ".inf", ".nan", "#not a comment", "- dash", "a: b", "key:value",
  "[x]", "{y}", "*star", "&amp", "!bang", "%pct", "@at", "`tick", "'", '"', "\\", "\t", "line1\nline2", " lead", "trail ",
  "", "---", "...", "?", "|", ">", "ünïcödé", "日本語", "😀", "\u00a0nbsp", "a\u2028b", "$${{ env.X }}", "${{ env.HF_TOKEN }}",
  "__proto__", "constructor",
];

/** Any string a `str` field accepts. */
export const textArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.constantFrom(...TRICKY_TEXT),
);

const nonEmptyTextArb = textArb.filter((text) => text.trim() !== "");

/** A `bool` field as the user may write it, and its value. */
const boolArb: fc.Arbitrary<{ value: unknown; bool: boolean }> = fc.oneof(
  { weight: 4, arbitrary: fc.boolean().map((bool) => ({ value: bool, bool })) },
  fc.constantFrom(
    { value: "yes", bool: true }, { value: "no", bool: false }, { value: "on", bool: true }, { value: "off", bool: false },
    { value: "y", bool: true }, { value: "n", bool: false }, { value: "True", bool: true }, { value: "f", bool: false },
    { value: 1, bool: true }, { value: 0, bool: false }, { value: "1", bool: true }, { value: "0", bool: false },
  ),
);

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
const DEFAULT_CPU: Range = { min: 2, max: null };

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

function resourcesArb(withImage: boolean): fc.Arbitrary<{ value: unknown; expected: Pick<Expected, "cpu" | "memory" | "shmSize" | "gpu" | "disk"> } | undefined> {
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

// ---------------------------------------------------------------------------------------------
// volumes

const segmentArb = fc.stringMatching(/^[a-z0-9_][a-z0-9_.-]{0,7}$/).filter((segment) => segment !== "." && segment !== "..");

interface PathInput {
  raw: string;
  normalized: string;
}

/** An absolute path, possibly with `//`, `/./` and a trailing `/`, and its normalised form. */
const pathArb: fc.Arbitrary<PathInput> = fc
  .tuple(
    fc.array(segmentArb, { minLength: 1, maxLength: 4 }),
    fc.constantFrom("/", "/", "/", "//", "///"),
    fc.array(fc.constantFrom("/", "/", "/", "//", "/./"), { minLength: 4, maxLength: 4 }),
    fc.constantFrom("", "", "/", "/."),
  )
  .map(([segments, leading, separators, trailing]) => {
    let raw = leading + segments[0];
    for (let index = 1; index < segments.length; index++) raw += separators[index - 1] + segments[index];
    raw += trailing;
    const normalizedLeading = leading === "//" ? "//" : "/";
    return { raw, normalized: normalizedLeading + segments.join("/") };
  });

/** A container path: never /workflow or below it (the project folder), nor a lookalike. */
const containerPathArb = pathArb.filter((path) => !/^\/+workflow/.test(path.normalized));

const volumeNameArb = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,15}$/);

const volumeArb: fc.Arbitrary<{ value: unknown; path: string; expected: Record<string, unknown> }> = fc.oneof(
  fc.tuple(fc.oneof({ weight: 9, arbitrary: volumeNameArb }, fc.constant("")), containerPathArb).map(([name, path]) => ({
    value: `${name}:${path.raw}`,
    path: path.normalized,
    expected: { name, path: path.normalized },
  })),
  fc.tuple(pathArb, containerPathArb).map(([source, path]) => ({
    value: `${source.raw}:${path.raw}`,
    path: path.normalized,
    expected: { instance_path: source.normalized, path: path.normalized, optional: false },
  })),
  fc.tuple(fc.oneof(volumeNameArb, textArb, fc.array(volumeNameArb, { minLength: 1, maxLength: 3 })), containerPathArb, fc.boolean()).map(([name, path, nameFirst]) => ({
    value: mapping(nameFirst ? [["name", name], ["path", path.raw]] : [["path", path.raw], ["name", name]]),
    path: path.normalized,
    expected: { name, path: path.normalized },
  })),
  fc.tuple(pathArb, containerPathArb, fc.option(boolArb, { nil: undefined })).map(([source, path, optional]) => ({
    value: mapping([["instance_path", source.raw], ["path", path.raw], ...(optional ? [["optional", optional.value] as [string, unknown]] : [])]),
    path: path.normalized,
    expected: { instance_path: source.normalized, path: path.normalized, optional: optional ? optional.bool : false },
  })),
);

/** Volumes with distinct container paths (`//a` and `/a` count as one, to stay clear of lookalikes). */
const volumesArb = fc.uniqueArray(volumeArb, { maxLength: 5, selector: (volume) => volume.path.replace(/^\/+/, "/") });

// ---------------------------------------------------------------------------------------------
// env, ports, durations

const envNameArb = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/) },
  fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "HF_TOKEN", "PATH", "y", "ON", "NULL"),
);

const envArb: fc.Arbitrary<{ value: unknown; names: string[] }> = fc
  .uniqueArray(fc.tuple(envNameArb, fc.option(textArb, { nil: undefined })), { maxLength: 6, selector: ([name]) => name })
  .chain((items) =>
    fc.constantFrom("list", "mapping").map((form) => {
      const names = items.map(([name]) => name);
      if (form === "list") return { value: items.map(([name, value]) => (value === undefined ? name : `${name}=${value}`)) as unknown, names };
      return { value: mapping(items.map(([name, value]) => [name, value ?? ""])) as unknown, names };
    }),
  );

const portNumberArb = fc.integer({ min: 1, max: 65535 });
const portArb: fc.Arbitrary<{ value: unknown; port: Expected["ports"][number] }> = fc.oneof(
  portNumberArb.map((n) => ({ value: n, port: { local_port: n, container_port: n } })),
  portNumberArb.map((n) => ({ value: String(n), port: { local_port: n, container_port: n } })),
  fc.tuple(portNumberArb, portNumberArb).map(([a, b]) => ({ value: `${a}:${b}`, port: { local_port: a, container_port: b } })),
  portNumberArb.map((b) => ({ value: `*:${b}`, port: { local_port: null, container_port: b } })),
  fc.tuple(fc.option(portNumberArb, { nil: undefined }), portNumberArb).map(([a, b]) => ({
    value: mapping([["container_port", b], ...(a === undefined ? [] : [["local_port", a] as [string, unknown]])]),
    port: { local_port: a ?? null, container_port: b },
  })),
);

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
/** A non-negative duration: seconds (int or text) or `<n><unit>`, and its seconds. */
const durationArb: fc.Arbitrary<{ value: unknown; seconds: number }> = fc.oneof(
  fc.integer({ min: 0, max: 10_000_000 }).map((n) => ({ value: n, seconds: n })),
  fc.integer({ min: 0, max: 100_000 }).map((n) => ({ value: String(n), seconds: n })),
  fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.constantFrom("s", "m", "h", "d", "w"), fc.constantFrom("", " ")).map(([n, unit, space]) => ({
    value: `${n}${space}${unit}`,
    seconds: n * UNIT_SECONDS[unit],
  })),
);

/** `max_duration` as the reader (dstack 0.18.2x) reads it. */
const maxDurationArb: fc.Arbitrary<{ value: unknown; expected: number | "off" | null }> = fc.oneof(
  durationArb.map((d) => ({ value: d.value, expected: d.seconds })),
  fc.constantFrom({ value: "off", expected: "off" as const }, { value: false, expected: 0 }, { value: null, expected: null }),
);

/** `inactivity_duration`: "off", false and true mean no limit (null). */
const inactivityArb: fc.Arbitrary<{ value: unknown; expected: number | null }> = fc.oneof(
  durationArb.map((d) => ({ value: d.value, expected: d.seconds })),
  fc.constantFrom({ value: "off", expected: null }, { value: false, expected: null }, { value: true, expected: null }, { value: null, expected: null }),
);

/** A duration that can be switched off (`stop_duration`, `idle_duration`). */
const offDurationArb: fc.Arbitrary<unknown> = fc.oneof(durationArb.map((d) => d.value), fc.constantFrom("off", false, true, null));

// ---------------------------------------------------------------------------------------------
// The whole configuration

const PYTHON: ReadonlyArray<readonly [unknown, string]> = [
  ["3.8", "3.8"], ["3.9", "3.9"], ["3.10", "3.10"], ["3.11", "3.11"], ["3.12", "3.12"], ["3.13", "3.13"],
  // Unquoted floats: YAML 3.10 is the float 3.1, which dstack maps back to "3.10".
  [3.8, "3.8"], [3.9, "3.9"], [3.1, "3.10"], [3.11, "3.11"], [3.12, "3.12"], [3.13, "3.13"],
];

const IMAGES = ["ubuntu", "ubuntu:22.04", "ghcr.io/huggingface/text-generation-inference:latest", "nvcr.io/nvidia/pytorch:24.01-py3", "rocm/pytorch:latest"];
const imageArb = fc.oneof(fc.constantFrom(...IMAGES), nonEmptyTextArb);

/** `ide` and `version`: a version only with an IDE; windsurf's is `version@commit`. */
type IdeChoice = { entries: Array<[string, unknown]>; ide: string | null; version: string | null };
const ideArb: fc.Arbitrary<IdeChoice> = fc.oneof(
  fc.constant<IdeChoice>({ entries: [], ide: null, version: null }),
  fc.constant({ entries: [["ide", null]] as Array<[string, unknown]>, ide: null, version: null }),
  fc.tuple(fc.constantFrom("vscode", "cursor", "zed"), fc.option(fc.oneof(fc.constantFrom("1.90.0", "0.42.3", "1.1"), nonEmptyTextArb), { nil: undefined })).map(([ide, version]) => ({
    entries: [["ide", ide], ...(version === undefined ? [] : [["version", version] as [string, unknown]])] as Array<[string, unknown]>,
    ide,
    version: version ?? null,
  })),
  fc.tuple(fc.option(fc.tuple(fc.stringMatching(/^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/), fc.stringMatching(/^[a-f0-9]{7,40}$/)), { nil: undefined })).map(([version]) => ({
    entries: [["ide", "windsurf"], ...(version === undefined ? [] : [["version", `${version[0]}@${version[1]}`] as [string, unknown]])] as Array<[string, unknown]>,
    ide: "windsurf",
    version: version ? `${version[0]}@${version[1]}` : null,
  })),
);

const optionalArb = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

/** registry_auth text: `${{ ... }}` must be a valid reference, so free text leaves it out. */
const registryTextArb = fc.oneof(textArb.filter((text) => !text.includes("${{")), fc.constantFrom("${{ secrets.GHCR_TOKEN }}", "$${{ not a reference }}", "user$$name"));

const backendsArb = fc.subarray(["aws", "gcp"]);
const regionsArb = fc.array(fc.oneof(fc.constantFrom("us-east-1", "eu-west-1", "us-central1", "europe-west4"), textArb), { maxLength: 3 });
const commandsArb = fc.array(textArb, { maxLength: 4 });
const priceArb: fc.Arbitrary<{ value: unknown; price: number }> = fc.oneof(
  fc.integer({ min: 1, max: 100 }).map((n) => ({ value: n, price: n })),
  fc.integer({ min: 1, max: 100_000 }).map((n) => ({ value: n / 100, price: n / 100 })),
  fc.constantFrom({ value: "0.5", price: 0.5 }, { value: "1.25", price: 1.25 }, { value: "2", price: 2 }),
);
const retryArb: fc.Arbitrary<unknown> = fc.oneof(
  boolArb.map((b) => b.value),
  fc
    .tuple(fc.array(fc.constantFrom("no-capacity", "interruption", "error"), { minLength: 1, maxLength: 3 }), fc.option(durationArb, { nil: undefined }))
    .map(([events, duration]) => mapping([["on_events", events], ...(duration ? [["duration", duration.value] as [string, unknown]] : [])])),
);
const userArb = fc.oneof(fc.constantFrom("ubuntu", "root", "1000", "1000:1000", "dev:staff", "0:0"), fc.integer({ min: 0, max: 65535 }));
const tagKeyArb = fc.stringMatching(/^[_\-a-zA-Z0-9]{1,20}$/);
// A bare "=" is not a value for PyYAML (it resolves to !!value), and yaml's writer leaves it bare.
const tagValueArb = fc.stringMatching(/^[a-zA-Z0-9 .:/=_\-+@]{0,20}$/).filter((value) => value !== "=");
const fleetArb = fc.oneof(
  fc.constantFrom("my-fleet", "team/gpu-fleet", "f1"),
  fc.tuple(fc.constantFrom("my-fleet", "other"), fc.option(fc.constantFrom("main", "research"), { nil: null })).map(([name, project]) => mapping([["name", name], ["project", project]])),
);
const instanceArb = fc.oneof(
  fc.constantFrom("instance-0", "worker-3"),
  fc.constantFrom("10.0.0.1", "host.internal").map((hostname) => mapping([["hostname", hostname]])),
  fc.tuple(fleetArb, fc.integer({ min: 0, max: 7 })).map(([fleet, instance]) => mapping([["fleet", fleet], ["instance", instance]])),
);
const cronArb = fc.constantFrom("0 8 * * *", "*/15 * * * *", "0 0 1 jan-mar mon-fri", "30 2 * * 0");

/** A valid dev-environment configuration, its keys in a random order, and its expected reading. */
export const validConfigArb: fc.Arbitrary<ValidConfig> = fc
  .record({
    ide: ideArb,
    base: fc.oneof(
      fc.constant({ kind: "none" as const }),
      imageArb.map((image) => ({ kind: "image" as const, image })),
      fc.constantFrom(...PYTHON).map(([value, python]) => ({ kind: "python" as const, value, python })),
    ),
    explicitNullBase: fc.boolean(),
    name: optionalArb(fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{1,40}$/), textArb)),
    nvcc: optionalArb(boolArb),
    env: optionalArb(envArb),
    volumes: optionalArb(volumesArb),
    ports: optionalArb(fc.array(portArb, { maxLength: 5 })),
    spot_policy: optionalArb(fc.constantFrom("spot", "on-demand", "auto")),
    backends: optionalArb(backendsArb),
    regions: optionalArb(regionsArb),
    availability_zones: optionalArb(fc.array(fc.constantFrom("us-east-1a", "us-central1-b"), { maxLength: 2 })),
    instance_types: optionalArb(fc.array(fc.constantFrom("g5.xlarge", "p4d.24xlarge", "n1-standard-4"), { maxLength: 2 })),
    max_price: optionalArb(priceArb),
    max_duration: optionalArb(maxDurationArb),
    inactivity_duration: optionalArb(inactivityArb),
    stop_duration: optionalArb(offDurationArb),
    idle_duration: optionalArb(offDurationArb),
    retry: optionalArb(retryArb),
    retry_policy: optionalArb(fc.tuple(fc.option(boolArb, { nil: undefined }), fc.option(durationArb, { nil: undefined }))),
    init: optionalArb(commandsArb),
    setup: optionalArb(commandsArb),
    privileged: optionalArb(boolArb),
    single_branch: optionalArb(boolArb),
    dstack: optionalArb(boolArb),
    working_dir: optionalArb(fc.oneof(fc.constantFrom(".", "/workflow", "src", "/home/user"), textArb)),
    home_dir: optionalArb(fc.constantFrom("/root", "/home/user")),
    entrypoint: optionalArb(fc.constantFrom("/bin/bash", "bash -c")),
    registry_auth: optionalArb(fc.tuple(registryTextArb, registryTextArb)),
    creation_policy: optionalArb(fc.constantFrom("reuse", "reuse-or-create")),
    termination_policy: optionalArb(fc.constantFrom("dont-destroy", "destroy-after-idle")),
    termination_idle_time: optionalArb(durationArb),
    pool_name: optionalArb(fc.constantFrom("default-pool", "gpu")),
    instance_name: optionalArb(fc.constantFrom("my-instance")),
    reservation: optionalArb(fc.constantFrom("cr-0123456789abcdef0")),
    user: optionalArb(userArb),
    shell: optionalArb(fc.constantFrom("sh", "bash", "/usr/bin/zsh", "/bin/fish")),
    priority: optionalArb(fc.integer({ min: 0, max: 100 })),
    utilization_policy: optionalArb(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.oneof(fc.constantFrom("5m", "30m", "1h"), fc.integer({ min: 300, max: 3600 })))),
    startup_order: optionalArb(fc.constantFrom("any", "master-first", "workers-first")),
    stop_criteria: optionalArb(fc.constantFrom("all-done", "master-done")),
    schedule: optionalArb(fc.oneof(cronArb, fc.array(cronArb, { minLength: 1, maxLength: 3 }))),
    fleets: optionalArb(fc.array(fleetArb, { maxLength: 3 })),
    instances: optionalArb(fc.array(instanceArb, { minLength: 1, maxLength: 3 })),
    tags: optionalArb(fc.uniqueArray(fc.tuple(tagKeyArb, tagValueArb), { maxLength: 3, selector: ([key]) => key })),
    backend_options: optionalArb(
      fc.record({ offer_order: fc.constantFrom("score", "price"), min_reliability: fc.integer({ min: 0, max: 100 }).map((n) => n / 100), min_score: fc.integer({ min: 0, max: 1000 }) }, { requiredKeys: [] }),
    ),
    withImageResources: fc.boolean(),
    docker: fc.boolean(),
    order: fc.array(fc.nat({ max: 1000 }), { minLength: 64, maxLength: 64 }),
  })
  .chain((parts) => {
    const withImage = parts.base.kind === "image";
    return fc.tuple(fc.constant(parts), resourcesArb(withImage));
  })
  .map(([parts, resources]) => {
    const entries: Array<[string, unknown]> = [["type", "dev-environment"], ...parts.ide.entries];
    const put = (key: string, value: unknown) => entries.push([key, value]);
    let image: string | null = null;
    let python: string | null = null;
    if (parts.base.kind === "image") {
      image = parts.base.image;
      put("image", image);
      if (parts.explicitNullBase) put("python", null);
    } else if (parts.base.kind === "python") {
      python = parts.base.python;
      put("python", parts.base.value);
      if (parts.explicitNullBase) put("image", null);
    }
    if (parts.name !== undefined) put("name", parts.name);
    const nvcc = parts.nvcc ? parts.nvcc.bool : null;
    if (parts.nvcc) put("nvcc", parts.nvcc.value);
    if (parts.env) put("env", parts.env.value);
    if (resources) put("resources", resources.value);
    if (parts.volumes) put("volumes", parts.volumes.map((volume) => volume.value));
    if (parts.ports) put("ports", parts.ports.map((port) => port.value));
    for (const key of ["spot_policy", "backends", "regions", "availability_zones", "instance_types", "init", "setup", "working_dir", "home_dir",
      "entrypoint", "creation_policy", "termination_policy", "pool_name", "instance_name", "reservation", "user", "shell", "priority",
      "startup_order", "stop_criteria", "fleets", "instances", "stop_duration", "idle_duration", "retry"] as const) {
      if (parts[key] !== undefined) put(key, parts[key]);
    }
    if (parts.max_price) put("max_price", parts.max_price.value);
    if (parts.max_duration) put("max_duration", parts.max_duration.value);
    if (parts.inactivity_duration) put("inactivity_duration", parts.inactivity_duration.value);
    if (parts.termination_idle_time) put("termination_idle_time", parts.termination_idle_time.value);
    if (parts.retry_policy) {
      const [retry, duration] = parts.retry_policy;
      put("retry_policy", mapping([...(retry ? [["retry", retry.value] as [string, unknown]] : []), ...(duration ? [["duration", duration.value] as [string, unknown]] : [])]));
    }
    if (parts.privileged) put("privileged", parts.privileged.value);
    if (parts.single_branch) put("single_branch", parts.single_branch.value);
    // dstack: true cannot be combined with an inactivity_duration.
    const inactivity = parts.inactivity_duration ? parts.inactivity_duration.expected : null;
    if (parts.dstack && (!parts.dstack.bool || inactivity === null)) put("dstack", parts.dstack.value);
    // docker: true conflicts with image, python and a truthy nvcc.
    if (parts.docker && !image && !python && !nvcc) put("docker", true);
    if (parts.registry_auth) put("registry_auth", mapping([["username", parts.registry_auth[0]], ["password", parts.registry_auth[1]]]));
    if (parts.utilization_policy) put("utilization_policy", mapping([["min_gpu_utilization", parts.utilization_policy[0]], ["time_window", parts.utilization_policy[1]]]));
    if (parts.schedule) put("schedule", mapping([["cron", parts.schedule]]));
    if (parts.tags) put("tags", mapping(parts.tags));
    if (parts.backend_options) put("backend_options", [mapping([["type", "vastai"], ...Object.entries(parts.backend_options)])]);

    // Keys in a random order.
    const keyed = entries.map((entry, index) => ({ entry, rank: parts.order[index % parts.order.length], index }));
    keyed.sort((a, b) => a.rank - b.rank || a.index - b.index);
    const doc = mapping(keyed.map(({ entry }) => entry));
    const expected: Expected = {
      ide: parts.ide.ide,
      version: parts.ide.version,
      python,
      image,
      nvcc,
      envNames: parts.env ? parts.env.names : [],
      volumes: parts.volumes ? parts.volumes.map((volume) => volume.expected) : [],
      ports: parts.ports ? parts.ports.map((port) => port.port) : [],
      cpu: resources ? resources.expected.cpu : { arch: null, count: DEFAULT_CPU },
      memory: resources ? resources.expected.memory : { min: 8, max: null },
      shmSize: resources ? resources.expected.shmSize : null,
      gpu: resources ? resources.expected.gpu : null,
      disk: resources ? resources.expected.disk : { size: { min: 100, max: null } },
      maxDuration: parts.max_duration ? parts.max_duration.expected : null,
      inactivityDuration: inactivity,
      spotPolicy: parts.spot_policy ?? null,
      backends: parts.backends ?? null,
      maxPrice: parts.max_price ? parts.max_price.price : null,
      init: parts.init ?? [],
    };
    return { doc, expected };
  });

// ---------------------------------------------------------------------------------------------
// Serialisation

/** How a document is written: indentation, quoting, flow or block collections, line folding. */
export type YamlStyle = YAML.ToStringOptions & { collectionStyle?: "any" | "block" | "flow" };

export const styleArb: fc.Arbitrary<YamlStyle> = fc.record({
  indent: fc.constantFrom(2, 2, 3, 4),
  indentSeq: fc.boolean(),
  collectionStyle: fc.constantFrom<"any" | "block" | "flow">("any", "any", "any", "block", "flow"),
  defaultStringType: fc.constantFrom<YAML.Scalar.Type>("PLAIN", "PLAIN", "PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE", "BLOCK_LITERAL", "BLOCK_FOLDED"),
  defaultKeyType: fc.constantFrom<YAML.Scalar.Type | null>(null, "PLAIN"),
  lineWidth: fc.constantFrom(0, 20, 80),
  minContentWidth: fc.constantFrom(0, 20),
  flowCollectionPadding: fc.boolean(),
});

/** True when `text` holds the same strings, keys and structure as `doc` (scalar types not compared). */
export function roundTrips(doc: unknown, text: string): boolean {
  // Read with PyYAML's line breaks, as the reader does.
  const parsed = YAML.parseDocument(normalizeLineBreaks(text), { version: "1.1", schema: "failsafe", uniqueKeys: false });
  if (parsed.errors.length > 0) return false;
  const same = (value: unknown, read: unknown): boolean => {
    if (Array.isArray(value)) return Array.isArray(read) && read.length === value.length && value.every((item, index) => same(item, read[index]));
    if (value !== null && typeof value === "object") {
      if (!(read instanceof Map)) return false;
      const keys = Object.keys(value);
      return keys.length === read.size && keys.every((key) => read.has(key) && same((value as Record<string, unknown>)[key], read.get(key)));
    }
    return typeof value !== "string" || value === read;
  };
  return same(doc, parsed.toJS({ mapAsMap: true, maxAliasCount: -1 }));
}

/**
 * Writes a document as YAML 1.1, so strings that PyYAML would read as booleans, numbers, dates or
 * null (`on`, `yes`, `3.10`, `8:50`) are quoted.
 *
 * Some styles make `yaml` write text that does not read back as the same strings (folded lines
 * with the literal text "undefined", whitespace-only block scalars read back empty, an empty list
 * at the key's own indentation): those are bugs of the writer, not of the reader under test, so a
 * text that does not read back (as `yaml` itself reads it) is written again in the default style.
 */
export function toYaml(doc: unknown, style: YamlStyle = {}): string {
  const text = toYamlUnchecked(doc, style);
  if (roundTrips(doc, text)) return text;
  const plain = YAML.stringify(doc, { version: "1.1", lineWidth: 0 });
  if (roundTrips(doc, plain)) return plain;
  // PyYAML's extra line breaks (NEL, U+2028, U+2029) survive only escaped in double quotes.
  const quoted = YAML.stringify(doc, { version: "1.1", lineWidth: 0, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "QUOTE_DOUBLE" })
    .replace(/\u0085/g, "\\N")
    .replace(/\u2028/g, "\\L")
    .replace(/\u2029/g, "\\P");
  if (!roundTrips(doc, quoted)) throw new Error(`yaml cannot write this document so that it reads back:\n${quoted}`);
  return quoted;
}

/** Writes any document (mutated ones too, which need not read back) in the given style. */
export function toYamlUnchecked(doc: unknown, style: YamlStyle = {}): string {
  // Keys cannot be block scalars.
  const keyType = style.defaultStringType === "BLOCK_LITERAL" || style.defaultStringType === "BLOCK_FOLDED" ? "PLAIN" : style.defaultKeyType;
  // Block style with indentSeq: false writes an empty list as "key:\n[]", which no parser reads.
  const indentSeq = style.collectionStyle === "block" ? true : style.indentSeq;
  return YAML.stringify(doc, { ...style, defaultKeyType: keyType, indentSeq, version: "1.1" });
}
