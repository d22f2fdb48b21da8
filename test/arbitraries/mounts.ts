/**
 * fast-check arbitraries of what a generated dev-environment configuration mounts and exposes:
 * volumes (with their normalised paths), env and ports, each with what the reader should make of it.
 */
import fc from "fast-check";
import type { Expected } from "./dev-environment";
import { mapping } from "./mapping";
import { boolArb, textArb } from "./text";

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
export const volumesArb = fc.uniqueArray(volumeArb, { maxLength: 5, selector: (volume) => volume.path.replace(/^\/+/, "/") });

// ---------------------------------------------------------------------------------------------
// env, ports

const envNameArb = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/) },
  fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "HF_TOKEN", "PATH", "y", "ON", "NULL"),
);

export const envArb: fc.Arbitrary<{ value: unknown; names: string[] }> = fc
  .uniqueArray(fc.tuple(envNameArb, fc.option(textArb, { nil: undefined })), { maxLength: 6, selector: ([name]) => name })
  .chain((items) =>
    fc.constantFrom("list", "mapping").map((form) => {
      const names = items.map(([name]) => name);
      if (form === "list") return { value: items.map(([name, value]) => (value === undefined ? name : `${name}=${value}`)) as unknown, names };
      return { value: mapping(items.map(([name, value]) => [name, value ?? ""])) as unknown, names };
    }),
  );

const portNumberArb = fc.integer({ min: 1, max: 65535 });
export const portArb: fc.Arbitrary<{ value: unknown; port: Expected["ports"][number] }> = fc.oneof(
  portNumberArb.map((n) => ({ value: n, port: { local_port: n, container_port: n } })),
  portNumberArb.map((n) => ({ value: String(n), port: { local_port: n, container_port: n } })),
  fc.tuple(portNumberArb, portNumberArb).map(([a, b]) => ({ value: `${a}:${b}`, port: { local_port: a, container_port: b } })),
  portNumberArb.map((b) => ({ value: `*:${b}`, port: { local_port: null, container_port: b } })),
  fc.tuple(fc.option(portNumberArb, { nil: undefined }), portNumberArb).map(([a, b]) => ({
    value: mapping([["container_port", b], ...(a === undefined ? [] : [["local_port", a] as [string, unknown]])]),
    port: { local_port: a ?? null, container_port: b },
  })),
);
