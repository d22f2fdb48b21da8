/**
 * Running `DevEnvironment` under the mock runtime: standard invoke answers (zones where a type is
 * offered, volumes and disks that exist), a deploy that waits for every output and registration,
 * and views of what was recorded.
 */
import { DevEnvironment } from "../../components/dev-environment";
import type { DevEnvironmentArgs, DevEnvironmentOptions } from "../../components/args";
import { SSH_KEY } from "./bootstrap-scenarios";
import { pulumiMocks, settled, valueOf, type MockRecorder } from "./pulumi-mocks";
import type { OfferSummary } from "../../components/offer-summary";

export interface ExistingVolumes {
  /** Extra invoke answers by token. */
  invokes?: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>>;
  /** AWS: Name tag -> {id, zone}. */
  aws?: Record<string, { id: string; zone: string }>;
  /** GCP: `name@zone` -> the disk. */
  gcp?: Record<string, { zone: string; sizeGb: number }>;
}

const GCP_ZONES: Record<string, string[]> = {
  "us-central1": ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"],
  "us-east5": ["us-east5-a", "us-east5-b", "us-east5-c"],
  "us-west4": ["us-west4-a", "us-west4-b", "us-west4-c"],
};

function notFound(message: string): Error {
  return Object.assign(new Error(message), { details: message });
}

export function answerInvokes(recorder: MockRecorder, existing: ExistingVolumes = {}): void {
  recorder.onInvoke("aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings", (inputs) => {
    const zones = ["a", "b", "c"].map((letter) => `${String(inputs.region)}${letter}`);
    const type = (inputs.filters as { values: string[] }[])[0].values[0];
    return { id: String(inputs.region), region: inputs.region, instanceTypes: zones.map(() => type), locationTypes: zones.map(() => "availability-zone"), locations: zones };
  });
  const awsVolumes = existing.aws ?? {};
  recorder.onInvoke("aws:ebs/getEbsVolumes:getEbsVolumes", (inputs) => {
    const name = (inputs.filters as { name: string; values: string[] }[]).find((filter) => filter.name === "tag:Name")!.values[0];
    return { id: String(inputs.region), region: inputs.region, ids: awsVolumes[name] ? [awsVolumes[name].id] : [] };
  });
  recorder.onInvoke("aws:ebs/getVolume:getVolume", (inputs) => {
    const id = (inputs.filters as { values: string[] }[])[0].values[0];
    const [name, volume] = Object.entries(awsVolumes).find(([, v]) => v.id === id)!;
    return { id, volumeId: id, availabilityZone: volume.zone, tags: { Name: name }, size: 100, encrypted: true, volumeType: "gp3", region: inputs.region };
  });
  recorder.onInvoke("gcp:organizations/getClientConfig:getClientConfig", () => ({ id: "c", project: "test-project", region: "", zone: "", accessToken: "" }));
  recorder.onInvoke("gcp:compute/getZones:getZones", (inputs) => ({ id: "zones", project: "test-project", names: GCP_ZONES[String(inputs.region)] ?? [] }));
  recorder.onInvoke("gcp:compute/getDisk:getDisk", (inputs) => {
    const disk = existing.gcp?.[`${String(inputs.name)}@${String(inputs.zone)}`];
    if (!disk) throw notFound(`googleapi: Error 404: The resource 'projects/test-project/zones/${String(inputs.zone)}/disks/${String(inputs.name)}' was not found, notFound`);
    return { id: `${String(inputs.name)}-disk-id`, name: inputs.name, zone: disk.zone, size: disk.sizeGb, type: "pd-balanced", selfLink: `https://compute.googleapis.com/zones/${disk.zone}/disks/${String(inputs.name)}`, labels: {}, project: "test-project" };
  });
  // The region's zones for a `Volume` without a zone, unsorted (the first sorted is the `a` zone).
  recorder.onInvoke("aws:index/getAvailabilityZones:getAvailabilityZones", (inputs) => {
    const region = String(inputs.region ?? "us-east-1");
    return { id: region, names: ["c", "a", "b"].map((letter) => `${region}${letter}`), zoneIds: ["az3", "az1", "az2"].map((id) => `${region}-${id}`), groupNames: [] };
  });
  for (const [token, answer] of Object.entries(existing.invokes ?? {})) recorder.onInvoke(token, answer);
  recorder.onInvoke("gcp:tpu/getV2AcceleratorTypes:getV2AcceleratorTypes", (inputs) => ({ id: "types", project: "test-project", zone: inputs.zone, types: ["v5litepod-8", "v6e-4"] }));
}

export interface Deployment {
  env: DevEnvironment;
  recorder: MockRecorder;
  outputs: { instanceId: string; publicIp: string; zone: string; sshCommand: string; ideUrl: string; pricePerHour: number; offer: OfferSummary; warnings: string[] };
}

/** Declares a DevEnvironment and waits until everything is registered and every output resolved. */
export async function deploy(name: string, args: Partial<DevEnvironmentArgs>, existing: ExistingVolumes = {}, opts: DevEnvironmentOptions = {}): Promise<Deployment> {
  const recorder = await pulumiMocks();
  recorder.reset();
  answerInvokes(recorder, existing);
  const env = new DevEnvironment(name, { sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.4/32"], ...args }, opts);
  const outputs = {
    instanceId: await valueOf(env.instanceId),
    publicIp: await valueOf(env.publicIp),
    zone: await valueOf(env.zone),
    sshCommand: await valueOf(env.sshCommand),
    ideUrl: await valueOf(env.ideUrl),
    pricePerHour: await valueOf(env.pricePerHour),
    offer: await valueOf(env.offer),
    warnings: await valueOf(env.warnings),
  };
  await settled();
  return { env, recorder, outputs };
}

/** Every recorded input, as plain JSON by resource name (for determinism checks). */
export function recordedInputs(recorder: MockRecorder): Record<string, unknown> {
  return Object.fromEntries(recorder.registrations.map((r) => [`${r.type} ${r.name}`, JSON.parse(JSON.stringify(r.inputs))]));
}

