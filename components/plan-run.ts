/**
 * `plan`: the real `DevEnvironment` under Pulumi's mock runtime, offline. Invokes are answered
 * from the catalog (zones of the offer; no existing volumes, or those of an earlier run: see
 * plan-prior.ts), every registration is recorded with its inputs (secrets shown as `[secret]`) and
 * diff options, and nothing leaves the process. The mock runtime is set once per process; runs
 * follow one another (`diff` makes two).
 */
import * as pulumi from "@pulumi/pulumi";
import { gunzipSync } from "node:zlib";
import { SECRET_MASK } from "../config/normalize";
import type { DevEnvironmentArgs } from "./args";
import { scriptFromParts } from "./aws/boot-parts";
import { recordedOptions, type RecordedOptions } from "./change-effects";
import type { PortForward } from "./connection";
import type { OfferSummary } from "./offer-summary";
import { answerVolumes, stashValue, templateVersion, type PriorResource, type PriorState } from "./plan-prior";
import { QUEUED_TPU_TYPE } from "./gcp/tpu-request";

/** How Pulumi marks a secret value inside recorded inputs (the SDK's own signature key and value). */
const SECRET_KEY = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;

export interface PlannedResource {
  type: string;
  name: string;
  /** The parent's name (the component for every child). */
  parent: string | null;
  inputs: Record<string, unknown>;
}

export interface PlanRun {
  resources: PlannedResource[];
  outputs: { offer: OfferSummary; pricePerHour: number; zone: string; sshCommand: string; ideUrl: string; ports: PortForward[]; warnings: string[] };
  /** The boot script the VM runs (decoded from the user data or the startup script). */
  bootScript: string;
  /** The children (the component left out) with their diff options, for `diff`. */
  recorded: PriorResource[];
}

/**
 * A dynamic resource's inputs without `__provider` (its provider's code, serialized by Pulumi: the
 * same for every plan of this installation, and no input of the cloud's).
 */
export function withoutProviderCode(inputs: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _code, ...rest } = inputs;
  return rest;
}

/** Replaces Pulumi secrets in recorded inputs by `[secret]`. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SECRET_KEY] === SECRET_SIG) return SECRET_MASK;
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, maskSecrets(item)]));
  }
  return value;
}

/** The instance an EC2 Fleet launches under the plan: its first override's type. */
function plannedFleet(name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const configs = inputs.launchTemplateConfigs as { overrides?: { instanceType?: string }[] }[] | undefined;
  const instanceType = configs?.[0]?.overrides?.[0]?.instanceType ?? "";
  return { fleetInstanceSets: [{ instanceIds: [`${name}-instance`], instanceType, lifecycle: "", platform: "" }] };
}

/** Fake computed outputs, so that every output resolves (documentation addresses, fixed ids). */
function computed(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "aws:ec2/fleet:Fleet": return plannedFleet(name, inputs);
    case "aws:ec2/instance:Instance": return { publicIp: "192.0.2.10", privateIp: "10.0.0.10" };
    case "aws:ec2/eip:Eip": return { publicIp: "192.0.2.20" };
    case "aws:ec2/launchTemplate:LaunchTemplate": return { latestVersion: 1 };
    case "aws:iam/instanceProfile:InstanceProfile": return { arn: `arn:aws:iam::000000000000:instance-profile/${name}` };
    case "aws:iam/role:Role": return { arn: `arn:aws:iam::000000000000:role/${name}` };
    case "aws:ssm/parameter:Parameter": return { arn: `arn:aws:ssm:::parameter/${name}` };
    case "gcp:compute/instance:Instance": return { instanceId: `${name}-id`, networkInterfaces: [{ accessConfigs: [{ natIp: "192.0.2.30" }] }] };
    case "gcp:compute/disk:Disk": return { selfLink: `projects/p/zones/z/disks/${name}` };
    case "gcp:serviceaccount/account:Account": return { email: `${name}@project.iam.gserviceaccount.com` };
    case "gcp:tpu/v2Vm:V2Vm": return { networkEndpoints: [{ ipAddress: "10.1.0.5", accessConfigs: [{ externalIp: "192.0.2.40" }] }] };
    case QUEUED_TPU_TYPE: return { publicIp: "192.0.2.40", state: "ACTIVE", queuedResource: `projects/${String(inputs.project)}/locations/${String(inputs.zone)}/queuedResources/${String(inputs.nodeId)}` };
    default: return {};
  }
}

/** Invoke answers from what the offer knows: zones, and the volumes of the earlier run (none without one). */
function answer(token: string, inputs: Record<string, unknown>, zones: string[], prior: PriorState | undefined): Record<string, unknown> {
  const region = String(inputs.region ?? "");
  const volumes = answerVolumes(prior, token, inputs);
  if (volumes !== undefined) return volumes;
  switch (token) {
    case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": {
      // The offer's zones for every type asked (a fleet asks for several at once).
      const known = zones.length > 0 ? zones : [`${region}a`];
      const types = (inputs.filters as { values: string[] }[] | undefined)?.[0]?.values ?? [""];
      const pairs = types.flatMap((type) => known.map((zone) => [type, zone]));
      return { id: region, region, instanceTypes: pairs.map(([type]) => type), locationTypes: pairs.map(() => "availability-zone"), locations: pairs.map(([, zone]) => zone) };
    }
    case "aws:ec2/getInstances:getInstances": return { id: region, region, ids: [], privateIps: [], publicIps: [], ipv6Addresses: [] };
    case "aws:ec2/getSubnets:getSubnets": return { id: region, region, ids: ["subnet-planned"] };
    case "aws:ec2/getSubnet:getSubnet": return { id: String(inputs.id), vpcId: "vpc-planned", availabilityZone: zones[0] ?? `${region}a`, region };
    case "gcp:organizations/getClientConfig:getClientConfig": return { id: "plan", project: "your-project", region: "", zone: "", accessToken: "" };
    case "gcp:compute/getZones:getZones": return { id: "zones", project: "your-project", names: zones.length > 0 ? zones : [`${region}-a`] };
    case "gcp:compute/getMachineTypes:getMachineTypes": return { id: "types", project: "your-project", zone: inputs.zone, machineTypes: [{ name: String(inputs.filter ?? "").replace(/^name = "?|"?$/g, "") }] };
    case "gcp:tpu/getV2AcceleratorTypes:getV2AcceleratorTypes": return { id: "types", project: "your-project", zone: inputs.zone, types: [] };
    // The VM as the cloud sees it after pulumi up: running, at the planned address.
    case "aws:ec2/getInstance:getInstance": return { id: String(inputs.instanceId), instanceState: "running", publicIp: "192.0.2.10" };
    case "gcp:compute/getInstance:getInstance": return { id: String(inputs.name), name: inputs.name, zone: inputs.zone, currentStatus: "RUNNING" };
    default: throw new Error(`plan cannot answer ${token} offline`);
  }
}

function bootScriptOf(resources: PlannedResource[]): string {
  // A fleet's VM reads its bootstrap from SSM: the manifest `<prefix>/boot/0`, then the parts.
  const boot = resources.filter((resource) => resource.type === "aws:ssm/parameter:Parameter" && /\/boot\/\d+$/.test(String(resource.inputs.name)));
  if (boot.length > 0) {
    const ordered = [...boot].sort((a, b) => Number(String(a.inputs.name).split("/").pop()) - Number(String(b.inputs.name).split("/").pop()));
    return scriptFromParts(String(ordered[0].inputs.insecureValue), ordered.slice(1).map((resource) => String(resource.inputs.insecureValue)));
  }
  for (const resource of resources) {
    const inputs = resource.inputs as { userDataBase64?: string; userData?: string; metadata?: Record<string, string> };
    if (typeof inputs.userDataBase64 === "string") {
      const bytes = Buffer.from(inputs.userDataBase64, "base64");
      return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");
    }
    if (typeof inputs.userData === "string") return inputs.userData;
    if (typeof inputs.metadata?.["startup-script"] === "string") return inputs.metadata["startup-script"];
  }
  return "";
}

/** The run under way: where registrations go and what answers invokes. */
interface Run {
  resources: PlannedResource[];
  options: Map<string, RecordedOptions>;
  zones: () => string[];
  prior: PriorState | undefined;
}

let current: Run | undefined;
let mocksSet: Promise<void> | undefined;

/** Sets the process's mock runtime once; it answers for the run under way. */
function setPlanMocks(): Promise<void> {
  mocksSet ??= pulumi.runtime.setMocks(
    {
      newResource: (mock) => {
        const run = current!;
        run.resources.push({ type: mock.type, name: mock.name, parent: null, inputs: maskSecrets(withoutProviderCode(mock.inputs)) as Record<string, unknown> });
        let own: Record<string, unknown> = computed(mock.type, mock.name, mock.inputs);
        // A stash holds what the earlier run recorded, else (new) what it is given.
        if (mock.type === "pulumi:index:Stash") own = { output: stashValue(run.prior, mock.name, mock.inputs.input, run.options.get(`${mock.type} ${mock.name}`)?.replacementTrigger) };
        if (mock.type === "aws:ec2/launchTemplate:LaunchTemplate") own = templateVersion(run.prior, mock.name, maskSecrets(mock.inputs) as Record<string, unknown>);
        return { id: `${mock.name}-id`, state: { ...mock.inputs, ...own } };
      },
      call: (mock) => answer(mock.token, mock.inputs, current!.zones(), current!.prior),
    },
    "plan",
    "plan",
    false,
  );
  return mocksSet;
}

/** Records each resource's diff options (a transformation: it sees them before registration). */
function recordOptions(options: Map<string, RecordedOptions>): pulumi.ResourceTransformation {
  return ({ type, name, props, opts }) => {
    options.set(`${type} ${name}`, recordedOptions(opts as RecordedOptions));
    return { props, opts };
  };
}

/**
 * Declares the environment under mocks and returns what `pulumi up` would create; with `prior`,
 * what it would declare on a stack where an earlier run was deployed. Runs must not overlap.
 */
export async function runPlan(name: string, args: DevEnvironmentArgs, zones: () => string[], prior?: PriorState): Promise<PlanRun> {
  const run: Run = { resources: [], options: new Map(), zones, prior };
  await setPlanMocks();
  current = run;
  const warn = console.warn;
  console.warn = () => undefined; // the component's warnings come back in its `warnings` output
  // A builder's error (an invalid volume name, volumes in two zones) rejects the component's
  // outputs outside any await: catch it and fail the plan with its message.
  let onFailure: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (onFailure = reject));
  process.on("unhandledRejection", onFailure);
  try {
    return await Promise.race([declare(name, args, run), failed]);
  } catch (error) {
    throw new PlanError(String((error as Error)?.message ?? error).replace(/^error serializing property "\w+": /, ""));
  } finally {
    process.off("unhandledRejection", onFailure);
    console.warn = warn;
    current = undefined;
  }
}

/** Why a plan could not be made (the component refused the configuration or its args). */
export class PlanError extends Error {
  override readonly name = "PlanError";
}

/** The component under the mocks, its outputs, and what registered (in `resources`). */
async function declare(name: string, args: DevEnvironmentArgs, run: Run): Promise<PlanRun> {
  const { DevEnvironment } = await import("./dev-environment");
  const { resources } = run;
  const env = new DevEnvironment(name, args, { transformations: [recordOptions(run.options)] });
  const value = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));
  const outputs = {
    offer: await value(env.offer),
    pricePerHour: await value(env.pricePerHour),
    zone: await value(env.zone),
    sshCommand: await value(env.sshCommand),
    ideUrl: await value(env.ideUrl),
    ports: await value(env.ports),
    warnings: await value(env.warnings),
  };
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  const component = resources.find((resource) => resource.type === "dstack:index:DevEnvironment")?.name ?? null;
  for (const resource of resources) resource.parent = resource.type === "dstack:index:DevEnvironment" ? null : component;
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const ordered = resources.sort((a, b) => (a.parent === null ? -1 : b.parent === null ? 1 : text(a.type, b.type) || text(a.name, b.name)));
  const recorded = ordered.filter((resource) => resource.parent !== null).map(({ type, name: child, inputs }) => ({ type, name: child, inputs, options: run.options.get(`${type} ${child}`) ?? {} }));
  return { resources: ordered, outputs, bootScript: bootScriptOf(ordered), recorded };
}
