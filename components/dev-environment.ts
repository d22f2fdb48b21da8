/**
 * `DevEnvironment` (`dstack:index:DevEnvironment`): a dstack dev environment on AWS or GCP. It
 * reads the configuration, chooses the offer (the lock while it holds, else the top offer), and
 * has the cloud's builder declare the VM or TPU VM, disks, volumes, firewall, identity, secrets
 * and the boot script. Only the cloud the offer needs is loaded.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Backend } from "../catalog/types";
import { nearest } from "../config/did-you-mean";
import { isInstanceMount, type NetworkVolumeMount } from "../config/volumes";
import { chooseOffer, type ChooseOptions, type OfferChoice } from "../offers/choose";
import { loadCloudModule } from "./cloud-sdk";
import { lockOf } from "./lock-source";
import { sharedOfferIndex } from "../offers/shared-index";
import type { DevEnvironmentArgs, DevEnvironmentOptions, VolumeReference } from "./args";
import { buildEnvironment, type EnvironmentInputs } from "./build-environment";
import type { CloudBuilder, CloudPlan, VolumePlan } from "./cloud-plan";
import { allowedCidrsOf, checkedOutputCidrs, worldOpenWarning } from "./cidrs";
import { checkedSshKey, sshKeyOf } from "./ssh-key";
import { checkedTags, isPlainRecord, resolvedInput } from "./known-inputs";
import { cloudProvider } from "./cloud-provider";
import { keptIdentity, stackScope } from "./identity";
import { awsLaunchOf, firstDeployment, launchNote, tpuLaunchOf } from "./launch-mode";
import { ideUrl, sshCommand, sshConfig, type PortForward } from "./connection";
import { loadConfig } from "./load-config";
import { offerSummary, type OfferSummary } from "./offer-summary";
import { addressNote, REPLACE_WARNING } from "./power";
import { knownResult, knownValue } from "./volume-reference";
import { runSettings } from "./run-settings";
import { collectSecrets } from "./secrets";
import { volumeScope } from "./volume-marks";

export const DEV_ENVIRONMENT_TYPE = "dstack:index:DevEnvironment";
const DEFAULT_VOLUME_GB = 100;

/** `My_Box.1` -> `my-box-1`: lower-case letters, digits and hyphens, at most 40 characters. */
export function toRunName(text: string): string {
  const name = text.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
  return name || "dev";
}

/** The cloud builder of a backend, loaded only when an offer needs it. */
async function builderFor(backend: Backend): Promise<CloudBuilder> {
  if (backend === "aws") return (await loadCloudModule("aws", () => import("./aws/build"))).awsBuilder;
  return (await loadCloudModule("gcp", () => import("./gcp/build"))).gcpBuilder;
}

/**
 * A dstack dev environment (`type: dev-environment`, from `.dstack.yml`) on AWS or GCP: the
 * cheapest offer for its resources (or the locked one), and the VM or TPU VM with its disks,
 * volumes, firewall, identity, secrets and the boot script that starts the container with the IDE.
 */
export class DevEnvironment extends pulumi.ComponentResource {
  /** The chosen offer (the fields of `dstack-pulumi offers --json`, in camelCase). */
  readonly offer: pulumi.Output<OfferSummary>;
  /** USD per hour of the instance (or TPU slice). */
  readonly pricePerHour: pulumi.Output<number>;
  /** The EC2 instance id, the GCE instance id, or the TPU VM's id. */
  readonly instanceId: pulumi.Output<string>;
  /** The VM's public IP address (the Elastic IP when `elasticIp` is set). */
  readonly publicIp: pulumi.Output<string>;
  /** The zone the VM runs in. */
  readonly zone: pulumi.Output<string>;
  /** `ssh -J ubuntu@<ip> -p 10022 ... root@localhost`. */
  readonly sshCommand: pulumi.Output<string>;
  /** `Host` blocks for ~/.ssh/config (`ssh <run>` then works, and the IDE link). */
  readonly sshConfig: pulumi.Output<string>;
  /** `vscode://vscode-remote/ssh-remote+<run>/workflow` (`cursor://` for Cursor); empty for other IDEs. */
  readonly ideUrl: pulumi.Output<string>;
  /** The configuration's `ports`, forwarded by `sshConfig` (`LocalForward`) and `sshCommand` (`-L`). */
  readonly ports: pulumi.Output<PortForward[]>;
  /** Warnings about the choice (no lock or a stale one, open SSH, fields with no effect here, ...), also logged. */
  readonly warnings: pulumi.Output<string[]>;

  constructor(name: string, args: DevEnvironmentArgs, opts: DevEnvironmentOptions = {}) {
    // Args stay out of the component's state: they may hold secrets and the whole configuration.
    super(DEV_ENVIRONMENT_TYPE, name, {}, opts);
    const sshKey = sshKeyOf(name, args.sshPublicKey);
    const { spec } = loadConfig(args);
    const { lock, lockFile } = lockOf(args);
    const index = sharedOfferIndex(args.catalogPath);
    const given: ChooseOptions = {
      backends: args.backend ? [args.backend] : args.backends,
      regions: args.region ? [args.region] : args.regions,
      instanceTypes: args.instanceType ? [args.instanceType] : undefined,
      spotPolicy: args.spotPolicy,
      maxPrice: args.maxPrice,
      zone: args.zone,
      lock,
      lockFile,
    };
    const choice: OfferChoice = chooseOffer(spec, index, given);
    const warnings = [...choice.warnings];
    const cidrs = allowedCidrsOf(args.allowedCidrs);
    const worldOpen = cidrs.known && worldOpenWarning(cidrs.known);
    if (worldOpen) warnings.push(worldOpen);
    const secrets = collectSecrets(spec, args);
    const settings = runSettings(name, spec, args);
    // Tags given as plain values are checked now; outputs once known (before anything is built from them).
    if (isPlainRecord(args.tags)) checkedTags(name, "tags", args.tags, false);
    warnings.push(...settings.warnings);
    for (const warning of warnings) pulumi.log.warn(warning, this);
    const runName = toRunName(args.runName ?? spec.name ?? name);
    const mounts = spec.volumes.filter((mount) => !isInstanceMount(mount)).map((mount) => mount as NetworkVolumeMount);
    const volumes: VolumePlan[] = withReferences(name, mounts.map((mount) => {
      const candidates = Array.isArray(mount.name) ? mount.name : [mount.name];
      const size = args.volumeSizes?.[candidates[0]];
      return { candidates, name: candidates[0], path: mount.path, sizeGb: size ?? DEFAULT_VOLUME_GB, sizeExplicit: size !== undefined };
    }), args.volumes ?? []);
    const scope = args.volumeScope === undefined ? undefined : volumeScope(args.volumeScope, "", name);
    const base = {
      name,
      runName,
      spec,
      sshPublicKey: sshKey.known ?? "",
      allowedCidrs: cidrs.known ?? [],
      secretEnv: secrets.env,
      registryPassword: secrets.registryPassword,
      ...(settings.repo ? { repo: settings.repo } : {}),
      ...(settings.repoToken ? { repoToken: settings.repoToken } : {}),
      ...(settings.reservation ? { reservation: settings.reservation } : {}),
      volumes,
      deleteVolumesOnDestroy: args.deleteVolumesOnDestroy ?? false,
      running: args.running ?? true,
      tags: settings.tags,
      parent: this,
      ...cloudExtras(args, opts),
    };
    const tpuSetting = { explicit: args.tpuLaunch, reservation: settings.reservation };
    const kept = keptIdentity(name, this, firstDeployment(spec, args.awsLaunch, tpuSetting));
    const built = kept.then(async ({ deployedBefore: _, first, ...identity }) => {
      const launch = awsLaunchOf(name, spec, first, args.awsLaunch, settings.reservation);
      const tpuLaunch = tpuLaunchOf(name, spec, first, tpuSetting);
      // Outputs in allowedCidrs: known by now in an update; in a preview maybe not (pending).
      const cidrValue = cidrs.pending ? await knownResult(cidrs.pending) : { value: cidrs.known };
      const resolved = cidrValue === undefined ? undefined : cidrs.pending ? checkedOutputCidrs(cidrValue.value) : cidrs.known;
      const late = cidrs.known === undefined && resolved !== undefined ? worldOpenWarning(resolved) : null;
      // The key likewise; unknown only in a preview of a key made by a resource not created yet.
      const keyValue = sshKey.pending ? await knownResult(sshKey.pending) : { value: sshKey.known };
      const key = keyValue === undefined ? undefined : checkedSshKey(name, keyValue.value, sshKey.pending !== undefined);
      const tagsArg = checkedTags(name, "tags", await resolvedInput(name, "tags", args.tags), !isPlainRecord(args.tags));
      const inputs: EnvironmentInputs = {
        plan: {
          ...base,
          tags: { ...settings.tags, ...tagsArg },
          allowedCidrs: resolved ?? [],
          ...(resolved === undefined && cidrs.pending ? { allowedCidrsPending: cidrs.pending.apply(checkedOutputCidrs) } : {}),
          sshPublicKey: key ?? "",
          ...(key === undefined && sshKey.pending ? { sshPublicKeyPending: sshKey.pending.apply((value) => checkedSshKey(name, value, true)) } : {}),
          identity,
          volumeScope: scope ?? stackScope(identity),
        },
        spec,
        index,
        options: given,
        pins: { backend: args.backend, region: args.region, zone: args.zone },
        fleet: launch.fleet,
        ...(tpuLaunch.queue ? { tpuQueue: opts.queuedTpuPluginVersion === undefined ? tpuLaunch.queue : { ...tpuLaunch.queue, pluginVersion: opts.queuedTpuPluginVersion } } : {}),
        providerFor: (backend) => cloudProvider(opts, backend),
        builderFor,
      };
      const build = await buildEnvironment(inputs, choice, this);
      const note = launchNote(spec, build.choice.offer, launch, tpuLaunch);
      const extra = [...(late === null ? [] : [late]), ...(note === null ? [] : [note])];
      return extra.length === 0 ? build : { ...build, warnings: [...extra, ...build.warnings] };
    });
    built.then((build) => build.warnings.forEach((warning) => pulumi.log.warn(warning, this)), () => undefined);
    if (pulumi.runtime.isDryRun()) {
      // A preview of an update: a VM without an id is a VM to be created, here in place of the old one.
      Promise.all([kept, built.then((build) => knownValue(build.result.instanceId))]).then(([identity, id]) => {
        if (identity.deployedBefore && id === undefined) pulumi.log.warn(REPLACE_WARNING, this);
      }, () => undefined);
    }
    const ip = pulumi.output(built.then((build) => build.result.publicIp));
    const sshUser = built.then((build) => build.result.sshUser);
    const note = built.then((build) => addressNote({ elasticIp: args.elasticIp, offer: build.choice.offer }));
    const live = pulumi.output(built.then((build) => build.result.liveWarnings));
    live.apply((found) => found.forEach((warning) => pulumi.log.warn(warning, this)));
    this.offer = pulumi.output(built.then((build) => offerSummary(build.choice.offer)));
    this.pricePerHour = pulumi.output(built.then((build) => build.choice.offer.price_per_hour));
    this.instanceId = pulumi.output(built.then((build) => build.result.instanceId));
    this.publicIp = ip;
    this.zone = pulumi.output(built.then((build) => build.result.zone));
    this.sshCommand = pulumi.all([ip, sshUser]).apply(([address, user]) => sshCommand(runName, address, user, settings.access));
    this.sshConfig = pulumi.all([ip, sshUser, note]).apply(([address, user, text]) => sshConfig(runName, address, user, settings.access, text));
    this.ports = pulumi.output(settings.ports);
    this.ideUrl = pulumi.output(ideUrl(runName, spec) ?? "");
    this.warnings = pulumi.all([built.then((build) => build.warnings), live]).apply(([buildWarnings, found]) => [...warnings, ...buildWarnings, ...found]);
    this.registerOutputs({
      offer: this.offer,
      pricePerHour: this.pricePerHour,
      instanceId: this.instanceId,
      publicIp: this.publicIp,
      zone: this.zone,
      sshCommand: this.sshCommand,
      sshConfig: this.sshConfig,
      ideUrl: this.ideUrl,
      ports: this.ports,
      warnings: this.warnings,
    });
  }
}

/**
 * The plan's volumes with the `volumes` references set on the volumes they name (a reference
 * names one of a volume's candidate names; that name is then the volume's), sorted by name, so
 * that reordering the configuration's list changes nothing on the cloud or the VM. A reference
 * that names no mounted volume, two references for one volume, or a volume mounted twice are errors.
 */
function withReferences(component: string, volumes: VolumePlan[], references: readonly VolumeReference[]): VolumePlan[] {
  if (!Array.isArray(references)) throw new Error(`${component}: volumes must be a list known when the program runs (each item's volumeId and zone may be outputs)`);
  const result = volumes.map((volume) => ({ ...volume }));
  references.forEach((reference, i) => {
    const target = result.find((volume) => volume.candidates.includes(reference.name));
    if (!target) {
      const names = volumes.flatMap((volume) => volume.candidates);
      const hint = names.length > 0 ? `the configuration mounts ${names.join(", ")}` : "the configuration mounts no network volume";
      const near = nearest(reference.name, names);
      throw new Error(`${component}: volumes[${i}].name ${JSON.stringify(reference.name)} is not a volume of the configuration (${hint})${near ? `; did you mean "${near}"?` : ""}`);
    }
    if (target.reference) throw new Error(`${component}: volumes[${i}]: volume ${target.name} already has a reference (${target.reference.name})`);
    target.reference = { name: reference.name, volumeId: reference.volumeId, zone: reference.zone, formatIfBlank: reference.formatIfBlank === true };
    target.name = reference.name;
    target.candidates = [reference.name];
  });
  const seen = new Set<string>();
  for (const volume of result) {
    if (seen.has(volume.name)) throw new Error(`${component}: volume ${volume.name} is mounted twice: a network volume attaches to one path`);
    seen.add(volume.name);
  }
  return result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The cloud-specific args, passed on to the builder's plan. */
function cloudExtras(args: DevEnvironmentArgs, opts: DevEnvironmentOptions): Partial<CloudPlan> {
  const extras: Record<string, unknown> = {};
  if (args.ami !== undefined) extras.ami = args.ami;
  if (args.elasticIp !== undefined) extras.elasticIp = args.elasticIp;
  if (args.gcp !== undefined) extras.gcp = args.gcp;
  if (args.aws !== undefined) extras.aws = args.aws;
  if (opts.childTransforms !== undefined) extras.transforms = opts.childTransforms;
  // A component's protect and retainOnDelete are its children's: they are what is on the cloud.
  extras.childDefaults = { protect: opts.protect, retainOnDelete: opts.retainOnDelete };
  return extras as Partial<CloudPlan>;
}
