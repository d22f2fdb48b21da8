/**
 * `volumes[]`: network volumes (`name:/path`, `{name, path}`, a list of names) and instance
 * volumes (`/host/path:/path`, `{instance_path, path, optional}`).
 */
import { checkKeys, ErrorSink, GrammarError, mapItems, show, toBool, toMapping, toStr, typeError, within } from "./coerce";

/** A network volume mounted at `path`; `name` may list alternatives (one per region, say). */
export interface NetworkVolumeMount {
  name: string | string[];
  path: string;
}

/** A folder of the host mounted at `path`. `optional`: run without it where unsupported. */
export interface InstanceVolumeMount {
  instance_path: string;
  path: string;
  optional: boolean;
}

export type VolumeMount = NetworkVolumeMount | InstanceVolumeMount;

/** The project folder is mounted here; volumes may not sit on or under it (dstack 0.18.2x). */
export const PROJECT_MOUNT = "/workflow";

export function isInstanceMount(mount: VolumeMount): mount is InstanceVolumeMount {
  return "instance_path" in mount;
}

/** Python's `str(PurePosixPath(p))`: collapses `//` and `.`, drops a trailing `/`, keeps a leading `//`. */
export function normalizePosixPath(path: string): string {
  const leading = path.startsWith("//") && !path.startsWith("///") ? "//" : path.startsWith("/") ? "/" : "";
  const parts = path.split("/").filter((part) => part !== "" && part !== ".");
  const joined = parts.join("/");
  return leading + joined || ".";
}

/** An absolute path without `..`, normalised. */
export function parseMountPath(value: unknown): string {
  const path = toStr(value);
  if (path === "") throw new GrammarError("empty path: give an absolute path such as /data", "invalid_value");
  if (!path.startsWith("/")) throw new GrammarError(`path must be absolute: ${show(path)}`, "invalid_value", [], `Did you mean "/${path.replace(/^\.?\/*/, "")}"?`);
  if (path.split("/").includes("..")) throw new GrammarError(`".." is not allowed in a path: ${show(path)}`, "invalid_value");
  return normalizePosixPath(path);
}

/** The container path of a mount: absolute, and not the project folder or below it. */
function parseContainerPath(value: unknown): string {
  const path = parseMountPath(value);
  if (path === PROJECT_MOUNT || path.startsWith(`${PROJECT_MOUNT}/`)) {
    throw new GrammarError(
      `a volume cannot be mounted at ${show(path)}: the project folder is mounted at ${PROJECT_MOUNT}`,
      "invalid_value",
    );
  }
  return path;
}

/** Short syntax: `source:destination`; a source with a `/` is an instance path. */
function parseShortSyntax(text: string): VolumeMount {
  const parts = text.split(":");
  if (parts.length !== 2) {
    throw new GrammarError(
      `invalid mount point format ${show(text)}: use "volume-name:/container/path" or "/instance/path:/container/path"`,
      "invalid_value",
    );
  }
  const [source, destination] = parts;
  if (source.includes("/")) {
    return {
      instance_path: within("instance_path", () => parseMountPath(source)),
      path: within("path", () => parseContainerPath(destination)),
      optional: false,
    };
  }
  return { name: source, path: within("path", () => parseContainerPath(destination)) };
}

function parseVolumeName(value: unknown): string | string[] {
  return Array.isArray(value) ? mapItems(value, toStr) : toStr(value);
}

/** One entry of `volumes`. */
export function parseVolumeMount(value: unknown): VolumeMount {
  if (typeof value === "string") return parseShortSyntax(value);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw typeError('a volume such as "my-volume:/data", "/mnt/disk:/data" or {name, path}', value);
  }
  const mapping = toMapping(value);
  const missing = (key: string, kind: string) =>
    new GrammarError(`${kind} needs "${key}"`, "missing_field", [key]);
  const sink = new ErrorSink();
  const path = () => {
    if (mapping.path === undefined) throw missing("path", "a volume");
    return within("path", () => parseContainerPath(mapping.path));
  };
  let mount: Partial<NetworkVolumeMount & InstanceVolumeMount>;
  if ("name" in mapping || !("instance_path" in mapping)) {
    sink.run(null, () => checkKeys(mapping, ["name", "path"], "a network volume ({name, path})"));
    mount = {
      name: sink.run(null, () => {
        if (mapping.name === undefined) {
          throw new GrammarError('a volume needs "name" (a network volume) or "instance_path" (an instance volume)', "missing_field", ["name"]);
        }
        return within("name", () => parseVolumeName(mapping.name));
      }),
      path: sink.run(null, path),
    };
  } else {
    sink.run(null, () => checkKeys(mapping, ["instance_path", "path", "optional"], "an instance volume ({instance_path, path, optional})"));
    mount = {
      instance_path: sink.run("instance_path", () => parseMountPath(mapping.instance_path)),
      path: sink.run(null, path),
      optional: mapping.optional === undefined ? false : sink.run("optional", () => toBool(mapping.optional)),
    };
  }
  sink.done();
  return mount as VolumeMount;
}

/** `volumes`: a list (null is an error); two mounts at one container path conflict. */
export function parseVolumes(value: unknown): VolumeMount[] {
  const mounts = mapItems(value, parseVolumeMount, "a list of volumes");
  const seen = new Map<string, number>();
  mounts.forEach((mount, index) => {
    const first = seen.get(mount.path);
    if (first !== undefined) {
      throw new GrammarError(`volumes[${first}] and volumes[${index}] are both mounted at ${show(mount.path)}`, "conflict", [index, "path"]);
    }
    seen.set(mount.path, index);
  });
  return mounts;
}
