/**
 * dstack's own vectors (`dstack-vectors.json`): single fields and whole files, run through the
 * reader. The seed's expectation (`expect_seed`, dstack 0.18.21) holds where it differs from recent
 * dstack, except for the features we accept from later releases (listed below with the reason).
 * A vector dstack rejects must be rejected for its reason: our first error is at the field dstack's
 * message names (its `loc`), or, for the range and size parsers, says what dstack's says.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { GrammarError, GrammarErrors } from "../config/coerce";
import { FIELDS, FIELD_NAMES } from "../config/fields";
import { inferGpuVendor } from "../config/gpu-vendor";
import { toDstackJson } from "../config/normalize";
import { PyFloat } from "../config/py-values";
import { parseIntRange, parseMemory, parseMemoryRange } from "../config/range";
import { readConfigText } from "../config/read";
import { loadYaml } from "../config/yaml-source";
import { jsonMismatch } from "./support/json-match";

interface Vector {
  id: string;
  kind: string;
  input: unknown;
  expect: unknown;
  expect_seed?: unknown;
  match?: string;
  match_seed?: string;
}

const vectors: Vector[] = JSON.parse(readFileSync(resolve(__dirname, "../../test/fixtures/conformance/dstack-vectors.json"), "utf8"));

/** Recent-dstack features this reader accepts although dstack 0.18.21 rejected them. */
const LATER_FEATURES: Record<string, string> = {
  "cpu-arch-only-uppercase": "CPU architecture (0.19.8)",
  "cpu-arch-count": "CPU architecture (0.19.8)",
  "cpu-count-then-arch": "CPU architecture (0.19.8)",
  "cpu-full-object": "CPU architecture (0.19.8)",
  "cpu-object-half-open": "CPU {arch, count} object (0.19.8)",
  "cpu-arm-open": "CPU architecture (0.19.8)",
  "cpu-object-count-str": "CPU {arch, count} object (0.19.8)",
  "resources-cpu-arm": "CPU architecture (0.19.8)",
  "yaml-cpu-arm": "CPU architecture (0.19.8)",
  "vol-long-name-list": "volume name lists (0.18.25)",
  "vol-long-instance-optional": "optional instance volumes (0.18.40)",
  "conf-no-ide": "optional ide (0.20.14)",
  "conf-ide-null": "optional ide (0.20.14)",
  "conf-ide-cursor": "ide: cursor (0.19.0)",
  "conf-ide-zed": "ide: zed (0.20.24)",
  "conf-ide-windsurf-good-version": "ide: windsurf (0.20.3)",
  "conf-ide-windsurf-bad-version": "ide: windsurf (0.20.3)",
  "infer-count-only-docker": "docker (0.19.16)",
};

function laterField(vector: Vector): boolean {
  const seed = vector.expect_seed as { error?: boolean; why?: string } | undefined;
  return Boolean(seed?.error && /extra fields not permitted/.test(seed.why ?? ""));
}

/** The expectation we hold ourselves to, and why. */
function expectation(vector: Vector): { expect: unknown; match?: string; follows: "seed" | "recent" } {
  if (!("expect_seed" in vector)) return { expect: vector.expect, match: vector.match, follows: "seed" };
  if (LATER_FEATURES[vector.id] || laterField(vector)) return { expect: vector.expect, match: vector.match, follows: "recent" };
  return { expect: vector.expect_seed, match: vector.match_seed ?? vector.match, follows: "seed" };
}

const LATER = new Set(FIELD_NAMES.filter((name) => FIELDS[name].since));

/** A whole configuration around one field, as the vectors were fed (`{type, ide: vscode, ...}`). */
function configWith(fields: Record<string, unknown>): string {
  return JSON.stringify({ type: "dev-environment", ide: "vscode", ...fields });
}

/** A rejection's errors: where (our dotted path) and what. */
interface Problem {
  path: string;
  message: string;
}
type Outcome = { error: true; problems: Problem[] } | { value: unknown };

function rejected(result: { issues: { path: string; message: string; severity?: string }[] }): Outcome {
  return { error: true, problems: result.issues.filter((issue) => issue.severity !== "warning").map(({ path, message }) => ({ path, message })) };
}

function readJson(text: string): Outcome {
  const result = readConfigText(text);
  if (!result.ok) return rejected(result);
  const json = toDstackJson(result.spec) as Record<string, any>;
  const cpu = json.resources.cpu;
  json.resources.cpu = { arch: cpu.arch ?? null, count: { min: cpu.min, max: cpu.max } };
  return { value: json };
}

function direct(parse: () => unknown): Outcome {
  try {
    return { value: parse() };
  } catch (error) {
    if (!(error instanceof GrammarError || error instanceof GrammarErrors)) throw error;
    const errors = error instanceof GrammarErrors ? error.errors : [error];
    return { error: true, problems: errors.map((item) => ({ path: item.subpath.join("."), message: item.message })) };
  }
}

function plain(value: unknown): unknown {
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

function field<T>(outcome: Outcome, pick: (json: Record<string, any>) => T): Outcome {
  return "error" in outcome ? outcome : { value: pick(outcome.value as Record<string, any>) };
}

/** Runs one vector through the reader. */
function run(vector: Vector): Outcome {
  const input = vector.input as any;
  switch (vector.kind) {
    case "range_int": return direct(() => parseIntRange(input));
    case "range_memory": return direct(() => parseMemoryRange(input));
    case "memory": return direct(() => parseMemory(input));
    case "cpu": return field(readJson(configWith({ resources: { cpu: input } })), (j) => j.resources.cpu);
    // A parser vector: an image keeps the CLI's "AMD needs an image" check out of the way.
    case "gpu": return field(readJson(configWith({ image: "ubuntu", resources: { gpu: input } })), (j) => j.resources.gpu);
    case "disk": return field(readJson(configWith({ resources: { disk: input } })), (j) => j.resources.disk);
    case "resources": return field(readJson(configWith({ resources: input })), (j) => j.resources);
    case "volume": return field(readJson(configWith({ volumes: [input] })), (j) => j.volumes[0]);
    case "env": return field(readJson(configWith({ env: input })), (j) => j.env);
    case "port": return field(readJson(configWith({ ports: [input] })), (j) => j.ports[0]);
    case "python": return field(readJson(configWith({ python: input })), (j) => j.python);
    case "config": return readJson(JSON.stringify(input));
    case "config_yaml": return readJson(input);
    case "yaml_scalar": {
      const source = loadYaml(input);
      return source.problems.length ? { error: true, problems: source.problems.map((problem) => ({ path: problem.path.join("."), message: problem.message })) } : { value: plain(source.value) };
    }
    case "gpu_vendor_inference": {
      const fields: Record<string, unknown> = {};
      if ("gpu" in input) fields.resources = { gpu: input.gpu };
      if ("image" in input) fields.image = input.image;
      if ("docker" in input) fields.docker = input.docker;
      const result = readConfigText(configWith(fields));
      if (!result.ok) return rejected(result);
      const gpu = inferGpuVendor(result.spec.resources.gpu, { docker: result.spec.docker });
      return { value: { vendor: gpu?.vendor ?? null, count: gpu?.count ?? null } };
    }
    default: throw new Error(`unknown vector kind ${vector.kind}`);
  }
}

/**
 * Where our output is meant to differ from the vector's: the registry password is always masked
 * (secrets never appear in output), and a vector that follows recent dstack for a later feature
 * is compared on that feature only (recent dstack's other defaults, such as gpu 0.., are not ours).
 */
function adjust(vector: Vector, expect: unknown): unknown {
  const auth = (expect as { registry_auth?: { password?: string } } | null)?.registry_auth;
  if (auth?.password !== undefined) return { ...(expect as object), registry_auth: { ...auth, password: "[secret]" } };
  return vector.id === "resources-cpu-arm" ? { cpu: (expect as { cpu: unknown }).cpu } : expect;
}

function narrow(vector: Vector, value: unknown): unknown {
  return vector.id === "resources-cpu-arm" ? { cpu: (value as { cpu: unknown }).cpu } : value;
}

/** Where each kind of vector was fed, as a path: dstack's `loc` is relative to it. */
const BASE: Record<string, string> = { cpu: "resources", disk: "resources", resources: "resources", gpu: "resources.gpu" };
/** The kinds checked by their parser alone: no field path, so the reason is compared. */
const PARSERS = new Set(["range_int", "range_memory", "memory"]);

/** Where a rejection is expected, for the vectors whose dstack message names no field (`loc`). */
const UNLOCATED: Record<string, string> = {
  "conf-missing-type": "type",
  "conf-unknown-type": "type",
  "conf-type-null": "type",
  "conf-ide-windsurf-bad-version": "version",
  "conf-image-and-python": "python",
  "conf-python-then-image-order": "python",
  "conf-dstack-with-inactivity": "dstack",
  "conf-tags-int-value": "tags",
  "port-trailing-colon": "ports[0]",
  "yaml-empty-document": "",
  "yaml-list-document": "",
  "infer-amd-no-image": "resources.gpu",
  "infer-amd-declared-no-image": "resources.gpu",
  "infer-two-vendors-incl-amd-no-image": "resources.gpu",
};

/** Where our rejection is meant to differ from dstack's, and why. */
const OTHER_PLACE: Record<string, [string, string]> = {
  // {instance_path: ./rel, path: /data}: dstack reads a network volume (no name); we read an
  // instance volume, whose relative instance_path is the problem.
  "vol-long-instance-relative": ["volumes[0].instance_path", "an instance volume's relative path"],
  // dstack 0.18.21 requires ide ("ide: field required"); we accept a missing ide (0.20.14) and
  // refuse the version that needs one.
  "conf-version-requires-ide": ["version", "version without an ide"],
};

/** dstack's reasons in the range and size parsers, and how ours say them. */
const REASONS: [RegExp, RegExp][] = [
  [/Invalid empty range/, /^invalid empty range/],
  [/Invalid range order/, /^invalid range order/],
  [/too many values to unpack/, /a range has one "\.\."/],
  [/Input should be a valid integer|value is not a valid integer/, /^expected an integer/],
  [/could not convert string to float/, /^invalid size/],
  [/Extra inputs are not permitted|extra fields not permitted/, /^unknown field/],
];

/** dstack's `loc` (`volumes.0.path`) in our form (`volumes[0].path`), under `base`. */
function ourPath(base: string, loc: string): string {
  const parts = loc.split(".").map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`));
  return `${base}${parts.join("")}`.replace(/^\./, "");
}

/** True when one path is the other or lies inside it (`ports[0]` and `ports[0].local_port`). */
function samePlace(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return long === short || (short !== "" && long.startsWith(short) && ".[".includes(long[short.length]));
}

/** Checks that a rejection is for dstack's reason: at its field, or (parsers) saying the same. */
function assertSameReason(vector: Vector, expect: unknown, problems: Problem[]): void {
  const why = (expect as { why?: string }).why ?? (vector.expect as { why?: string }).why ?? "";
  const first = problems[0];
  assert.ok(first, "a rejection without an error");
  if (PARSERS.has(vector.kind)) {
    const reason = REASONS.find(([theirs]) => theirs.test(why));
    assert.ok(reason, `no known reason for dstack's ${JSON.stringify(why)}`);
    assert.match(first.message, reason[1], `dstack: ${why}`);
    return;
  }
  const loc = /^([A-Za-z_][\w.]*): /.exec(why)?.[1];
  const [where, because] = OTHER_PLACE[vector.id] ?? [loc !== undefined ? ourPath(BASE[vector.kind] ?? "", loc) : (UNLOCATED[vector.id] ?? BASE[vector.kind]), ""];
  assert.ok(where !== undefined, `dstack's reason names no field: ${JSON.stringify(why)}; list the vector in UNLOCATED`);
  assert.ok(samePlace(first.path, where), `rejected at ${first.path || "the document"} (${first.message}), dstack at ${where || "the document"} (${why})${because && `; expected: ${because}`}`);
}

const counts = { seed: 0, recent: 0 };
for (const vector of vectors) counts[expectation(vector).follows]++;

describe(`dstack's vectors (${vectors.length} checked: ${counts.seed} at the seed's behaviour, ${counts.recent} at recent dstack for later features)`, () => {
  it("covers every vector of the shared file", () => assert.equal(vectors.length, 431));
  for (const vector of vectors) {
    const { expect, match, follows } = expectation(vector);
    it(`${vector.kind} ${vector.id}${follows === "recent" ? " (recent dstack)" : ""}`, () => {
      const outcome = run(vector);
      const wantsError = match === "error" || (expect !== null && typeof expect === "object" && (expect as { error?: boolean }).error === true);
      if (wantsError) {
        assert.ok("error" in outcome, `expected a rejection, got ${JSON.stringify("value" in outcome ? outcome.value : null)}`);
        assertSameReason(vector, expect, outcome.problems);
        return;
      }
      assert.ok("value" in outcome, `expected ${JSON.stringify(expect)}, got a rejection`);
      const mismatch = jsonMismatch(adjust(vector, expect), narrow(vector, outcome.value), "$", (path, key) =>
        match === "subset" || (path === "$" && LATER.has(key as never)),
      );
      assert.equal(mismatch, null, `input ${JSON.stringify(vector.input)}`);
    });
  }
});
