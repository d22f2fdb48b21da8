/**
 * `Volume` (`dstack:index:Volume`): a standalone network volume, like dstack's `type: volume`
 * configuration: an EBS volume on AWS, a persistent disk on GCP, marked with its scope (by default
 * the Pulumi project and stack) and name. A `DevEnvironment` of the same scope mounts it by its
 * name (the builders' lookup) or through `reference`. Its zone comes from the args or an invoke
 * (kept in a stash after the first deployment, so that a zone's later state never moves it), never
 * from a resource output, so it is known during a preview, when a dev environment needs it to place
 * its VM. Only the cloud of `backend` is loaded.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ChildDefaults } from "./cloud-plan";
import type { CloudBackend, VolumeReference } from "./args";
import { cloudProvider } from "./cloud-provider";
import { loadCloudModule } from "./cloud-sdk";
import { isGceName, MAX_GCP_VOLUME_NAME } from "./gcp/names";
import { stackScope } from "./identity";
import { slug } from "./names";
import { checkedTags, isPlainRecord, origin, resolvedInput } from "./known-inputs";
import type { VolumeArgs } from "./volume-args";
import { volumeScope } from "./volume-marks";
import { isZoneOf } from "./zone-names";

export const VOLUME_TYPE = "dstack:index:Volume";

/** A `Volume`'s args with every default applied and checked: what a cloud module declares or looks up. */
export interface VolumeRequest {
  /** The component's name (errors start with it). */
  name: string;
  /** The Pulumi name of the volume or disk: `<name>-volume`. */
  childName: string;
  region: string;
  volumeName: string;
  /** The zone given; undefined = the first available zone of the region (sorted), kept after the first deployment. */
  zone: string | undefined;
  /** The scope the volume is marked with (a dev environment of this scope finds it by name). */
  scope: string;
  sizeGb: number;
  diskType: string;
  /** An existing volume to look up instead of creating one. */
  volumeId: string | undefined;
  deleteOnDestroy: boolean;
  /** The component's own `protect` and `retainOnDelete`, which its child takes. */
  childDefaults?: ChildDefaults;
  tags: Record<string, string>;
  /** GCP: the project; undefined = the provider's. */
  project: string | undefined;
  /** The parent of the child and of every invoke: the component. */
  parent: pulumi.Resource;
  /** An explicit provider for the cloud, passed to the child and every invoke. */
  provider: pulumi.ProviderResource | undefined;
}

/** What a cloud module hands back: the id (an output when created) and the plain zone and size. */
export interface DeclaredVolume {
  volumeId: pulumi.Input<string>;
  zone: string;
  sizeGb: number;
}

/** Per backend: the default volume type and the sizes (GB) the default type takes. */
const BACKEND_RULES: Record<CloudBackend, { kind: string; diskType: string; minGb: number; maxGb: number }> = {
  aws: { kind: "an AWS volume", diskType: "gp3", minGb: 1, maxGb: 16384 },
  gcp: { kind: "a GCP disk", diskType: "pd-balanced", minGb: 10, maxGb: 65536 },
};
const DEFAULT_SIZE_GB = 100;
/** The longest default volume name (what a GCE disk name leaves for it; AWS tags take more, but one rule for both keeps names portable). */
const MAX_NAME_LENGTH = MAX_GCP_VOLUME_NAME;
/** The args an existing volume (`volumeId`) does not use. */
const IGNORED_WITH_VOLUME_ID = ["sizeGb", "diskType", "deleteOnDestroy", "tags"] as const;

/** The plain volume name of each `Volume`, and whether it creates the volume (for `reference`; a property would become a schema output). */
/** The options of a `Volume`'s child: kept by a destroy unless `deleteOnDestroy`; the component's `protect` and `retainOnDelete`. */
export function volumeChildOptions(request: VolumeRequest): pulumi.CustomResourceOptions {
  const defaults = request.childDefaults ?? {};
  return {
    retainOnDelete: defaults.retainOnDelete === true || !request.deleteOnDestroy,
    ...(defaults.protect === true ? { protect: true } : {}),
    parent: request.parent,
    provider: request.provider,
  };
}

const volumeNames = new WeakMap<Volume, { volumeName: string; created: boolean }>();

/** `Hf_Cache.v2` -> `hf-cache-v2`: lower case, runs of other characters as `-`, trimmed, at most 54 characters. */
export function defaultVolumeName(componentName: string): string {
  return slug(componentName).slice(0, MAX_NAME_LENGTH).replace(/-+$/, "");
}

/** `VolumeArgs` with the input args resolved. */
type PlainVolumeArgs = Omit<VolumeArgs, "zone" | "sizeGb" | "tags"> & { zone?: unknown; sizeGb?: unknown; tags?: unknown };

/** The args that may be outputs (resolved before the request is checked). */
const INPUT_ARGS = ["zone", "sizeGb", "tags"] as const;

/** The args with `zone`, `sizeGb` and `tags` resolved (outputs are known by the time this settles, or it rejects). */
async function resolvedArgs(name: string, args: VolumeArgs): Promise<{ plain: PlainVolumeArgs; fromOutput: Set<string> }> {
  const plain: PlainVolumeArgs = { ...args };
  const fromOutput = new Set<string>();
  for (const key of INPUT_ARGS) {
    if (isPlainRecord(args[key])) continue;
    plain[key] = await resolvedInput(name, key, args[key]);
    fromOutput.add(key);
  }
  return { plain, fromOutput };
}

/** The request of a `Volume` without its parent and provider; throws on args that cannot work. */
function checkedRequest(name: string, args: PlainVolumeArgs, fromOutput: ReadonlySet<string> = new Set()): Omit<VolumeRequest, "parent" | "provider"> {
  const { backend, region, zone, volumeId } = args;
  if (backend !== "aws" && backend !== "gcp") throw new Error(`${name}: backend ${JSON.stringify(backend)} is not one of aws, gcp`);
  if (typeof region !== "string" || region === "") throw new Error(`${name}: region is required (e.g. us-east-1 or us-central1)`);
  if (zone !== undefined && typeof zone !== "string") throw new Error(`${name}: zone must be a zone name such as ${region}-a; ${origin(fromOutput.has("zone"))} a ${zone === null ? "null" : typeof zone}`);
  if (zone !== undefined && !isZoneOf(zone, region)) throw new Error(`${name}: zone ${zone} is not in region ${region}`);
  const rules = BACKEND_RULES[backend];
  const registered = volumeId !== undefined;
  if (backend === "gcp" && registered) {
    if (!isGceName(volumeId)) throw new Error(`${name}: volumeId ${JSON.stringify(volumeId)} is not a GCE disk name (on GCP, volumeId is the name of an existing disk)`);
  }
  const volumeName = args.volumeName ?? (backend === "gcp" && registered ? volumeId : defaultVolumeName(name));
  if (volumeName === "") throw new Error(`${name}: the component's name gives no volume name (no letter or digit): give volumeName`);
  if (backend === "gcp" && !registered && (!isGceName(volumeName) || volumeName.length > MAX_GCP_VOLUME_NAME)) {
    throw new Error(`${name}: volume name ${JSON.stringify(volumeName)} is not a valid GCP volume name (lower-case letters, digits and -, starting with a letter, up to ${MAX_GCP_VOLUME_NAME}: the disk is named <volume>-<scope hash>)`);
  }
  const sizeGb = args.sizeGb ?? DEFAULT_SIZE_GB;
  if (!registered && (typeof sizeGb !== "number" || !Number.isInteger(sizeGb) || sizeGb < rules.minGb || sizeGb > rules.maxGb)) {
    const shown = typeof sizeGb === "number" ? String(sizeGb) : `${JSON.stringify(sizeGb) ?? String(sizeGb)} (${origin(fromOutput.has("sizeGb"))} a ${typeof sizeGb})`;
    throw new Error(`${name}: sizeGb ${shown} is out of range: ${rules.kind} takes a whole number of GB from ${rules.minGb} to ${rules.maxGb}`);
  }
  return {
    name,
    childName: `${name}-volume`,
    region,
    volumeName,
    zone: zone as string | undefined,
    sizeGb: typeof sizeGb === "number" ? sizeGb : DEFAULT_SIZE_GB,
    diskType: args.diskType ?? rules.diskType,
    volumeId,
    deleteOnDestroy: args.deleteOnDestroy ?? false,
    tags: checkedTags(name, "tags", args.tags, fromOutput.has("tags")),
    project: args.project,
    scope: volumeScope(args.volumeScope, stackScope({ project: pulumi.getProject(), stack: pulumi.getStack() }), name),
  };
}

/** The cloud module of a backend, loaded only when a `Volume` of that backend is declared. */
async function declarerFor(backend: CloudBackend): Promise<(request: VolumeRequest) => Promise<DeclaredVolume>> {
  if (backend === "aws") return (await loadCloudModule("aws", () => import("./aws/ebs-volume"))).declareEbsVolume;
  return (await loadCloudModule("gcp", () => import("./gcp/volume-disk"))).declareGcpDisk;
}

/**
 * A network volume that dev environments mount: an encrypted EBS volume (gp3) on AWS, a persistent
 * disk (pd-balanced) on GCP, created in `zone` (default: the region's first available zone) and
 * kept by `pulumi destroy` unless `deleteOnDestroy`; or, with `volumeId`, an existing volume,
 * looked up and never changed. Its child is `<name>-volume`.
 */
export class Volume extends pulumi.ComponentResource {
  /** AWS: the EBS volume id. GCP: the disk's id (`projects/<project>/zones/<zone>/disks/<name>`). */
  readonly volumeId: pulumi.Output<string>;
  /** The volume's name as dstack configurations mount it (AWS `Name` tag, GCP disk name). */
  readonly volumeName: pulumi.Output<string>;
  /** The cloud of the volume. */
  readonly backend: pulumi.Output<CloudBackend>;
  /** The region of the volume. */
  readonly region: pulumi.Output<string>;
  /** The zone of the volume, known during a preview (a dev environment mounting it runs there). */
  readonly zone: pulumi.Output<string>;
  /**
   * The size of the volume in GB (of the existing volume, with `volumeId`).
   * @integer
   */
  readonly sizeGb: pulumi.Output<number>;

  constructor(name: string, args: VolumeArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Plain args are checked before anything is registered, outputs once known; args stay out of the component's state.
    const plain = INPUT_ARGS.every((key) => isPlainRecord(args[key]));
    const checked = plain ? checkedRequest(name, args as PlainVolumeArgs) : checkedRequest(name, { ...args, zone: undefined, sizeGb: undefined, tags: undefined });
    super(VOLUME_TYPE, name, {}, opts);
    const backend = args.backend;
    volumeNames.set(this, { volumeName: checked.volumeName, created: args.volumeId === undefined });
    if (args.volumeId !== undefined) {
      const ignored = IGNORED_WITH_VOLUME_ID.filter((key) => args[key] !== undefined);
      if (ignored.length > 0) pulumi.log.warn(`${ignored.join(", ")} ignored: volume ${args.volumeId} exists and is never changed`, this);
    }
    const extras = { parent: this, provider: cloudProvider(opts, backend), childDefaults: { protect: opts.protect, retainOnDelete: opts.retainOnDelete } };
    const request: Promise<VolumeRequest> = plain
      ? Promise.resolve({ ...checked, ...extras })
      : resolvedArgs(name, args).then(({ plain: resolved, fromOutput }) => ({ ...checkedRequest(name, resolved, fromOutput), ...extras }));
    const declared = Promise.all([declarerFor(backend), request]).then(([declare, resolved]) => declare(resolved));
    this.volumeId = pulumi.output(declared.then((volume) => volume.volumeId));
    this.volumeName = pulumi.output(checked.volumeName);
    this.backend = pulumi.output(backend);
    this.region = pulumi.output(checked.region);
    this.zone = pulumi.output(declared.then((volume) => volume.zone));
    this.sizeGb = pulumi.output(declared.then((volume) => volume.sizeGb));
    this.registerOutputs({
      volumeId: this.volumeId,
      volumeName: this.volumeName,
      backend: this.backend,
      region: this.region,
      zone: this.zone,
      sizeGb: this.sizeGb,
    });
  }

  /**
   * The volume for `DevEnvironment`'s `volumes`: `{ name, volumeId, zone, formatIfBlank }`
   * (TypeScript programs). `formatIfBlank` is true for a volume this component creates, false for
   * an existing one registered by `volumeId` (never formatted).
   */
  get reference(): VolumeReference {
    const { volumeName, created } = volumeNames.get(this)!;
    return { name: volumeName, volumeId: this.volumeId, zone: this.zone, formatIfBlank: created };
  }
}
