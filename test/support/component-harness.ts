/**
 * Running `DevEnvironment` under the mock runtime: standard invoke answers (zones where a type is
 * offered, volumes and disks that exist), a deploy that waits for every output and registration,
 * and views of what was recorded.
 */
import { DevEnvironment } from "../../components/dev-environment";
import type { DevEnvironmentArgs, DevEnvironmentOptions } from "../../components/args";
import { SSH_KEY } from "./bootstrap-scenarios";
import { answerDisks, answerEbs, type FakeDisk, type FakeEbs } from "./fake-volumes";
import { pulumiMocks, settled, valueOf, type MockRecorder } from "./pulumi-mocks";
import type { PortForward } from "../../components/connection";
import type { OfferSummary } from "../../components/offer-summary";

export interface ExistingVolumes {
  /** Extra invoke answers by token. */
  invokes?: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>>;
  /** AWS: the EBS volumes that exist (fake-volumes.ts). */
  aws?: FakeEbs[];
  /** GCP: the disks that exist. */
  gcp?: FakeDisk[];
  /** What the stack's state holds in each stash, by stash name (an earlier `pulumi up`). */
  stashes?: Record<string, unknown>;
  /** The replacement trigger each stash was recorded with (a changed one replaces the stash). */
  stashTriggers?: Record<string, unknown>;
  /** Computed outputs the cloud gives besides the usual mock ones (merged last). */
  computed?: MockRecorder["computedOverride"];
}

const GCP_ZONES: Record<string, string[]> = {
  "us-central1": ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"],
  "us-east5": ["us-east5-a", "us-east5-b", "us-east5-c"],
  "us-west4": ["us-west4-a", "us-west4-b", "us-west4-c"],
};

export function answerInvokes(recorder: MockRecorder, existing: ExistingVolumes = {}): void {
  recorder.onInvoke("aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings", (inputs) => {
    // Every type asked (a fleet asks for several) in the region's zones a, b and c.
    const zones = ["a", "b", "c"].map((letter) => `${String(inputs.region)}${letter}`);
    const pairs = (inputs.filters as { values: string[] }[])[0].values.flatMap((type) => zones.map((zone) => [type, zone]));
    return { id: String(inputs.region), region: inputs.region, instanceTypes: pairs.map(([type]) => type), locationTypes: pairs.map(() => "availability-zone"), locations: pairs.map(([, zone]) => zone) };
  });
  answerEbs(recorder, existing.aws ?? []);
  recorder.onInvoke("gcp:organizations/getClientConfig:getClientConfig", () => ({ id: "c", project: "test-project", region: "", zone: "", accessToken: "" }));
  recorder.onInvoke("gcp:compute/getZones:getZones", (inputs) => ({ id: "zones", project: "test-project", names: GCP_ZONES[String(inputs.region)] ?? [] }));
  answerDisks(recorder, existing.gcp ?? []);
  for (const [name, value] of Object.entries(existing.stashes ?? {})) recorder.stashes.set(name, value);
  for (const [name, value] of Object.entries(existing.stashTriggers ?? {})) recorder.stashTriggers.set(name, value);
  recorder.computedOverride = existing.computed;
  // The region's zones for a `Volume` without a zone, unsorted (the first sorted is the `a` zone).
  recorder.onInvoke("aws:index/getAvailabilityZones:getAvailabilityZones", (inputs) => {
    const region = String(inputs.region ?? "us-east-1");
    return { id: region, names: ["c", "a", "b"].map((letter) => `${region}${letter}`), zoneIds: ["az3", "az1", "az2"].map((id) => `${region}-${id}`), groupNames: [] };
  });
  for (const [token, answer] of Object.entries(existing.invokes ?? {})) recorder.onInvoke(token, answer);
  recorder.onInvoke("gcp:tpu/getV2AcceleratorTypes:getV2AcceleratorTypes", (inputs) => ({ id: "types", project: "test-project", zone: inputs.zone, types: ["v5litepod-8", "v6e-4"] }));
  // No VM of an earlier fleet unless a test (or the two-run harness) says so.
  if (!recorder.hasHandler("aws:ec2/getInstances:getInstances")) {
    recorder.onInvoke("aws:ec2/getInstances:getInstances", (inputs) => ({ id: String(inputs.region), region: inputs.region, ids: [], privateIps: [], publicIps: [], ipv6Addresses: [] }));
  }
  if (!recorder.hasHandler("aws:ec2/getInstance:getInstance")) {
    recorder.onInvoke("aws:ec2/getInstance:getInstance", (inputs) => ({ id: String(inputs.instanceId), instanceState: "running", publicIp: "203.0.113.10" }));
  }
  if (!recorder.hasHandler("gcp:compute/getInstance:getInstance")) {
    recorder.onInvoke("gcp:compute/getInstance:getInstance", (inputs) => ({ id: String(inputs.name), name: inputs.name, zone: inputs.zone, currentStatus: "RUNNING" }));
  }
}

export interface Deployment {
  env: DevEnvironment;
  recorder: MockRecorder;
  outputs: { instanceId: string; publicIp: string; zone: string; sshCommand: string; ideUrl: string; pricePerHour: number; offer: OfferSummary; ports: PortForward[]; warnings: string[] };
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
    ports: await valueOf(env.ports),
    warnings: await valueOf(env.warnings),
  };
  await settled();
  return { env, recorder, outputs };
}

/**
 * Runs `body` with the process's unhandled-rejection listeners swapped for a no-op, then waits
 * until every registration settled. A component that fails after its constructor rejects its
 * outputs outside any await, as in a real program, where the engine reports it and the update
 * stops before anything else changes.
 */
export async function withRejectionsSwallowed<T>(body: () => Promise<T>): Promise<T> {
  const listeners = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", () => undefined);
  try {
    const result = await body();
    await settled();
    await new Promise((resolve) => setImmediate(resolve));
    return result;
  } finally {
    process.removeAllListeners("unhandledRejection");
    for (const listener of listeners) process.on("unhandledRejection", listener);
  }
}

/**
 * Declares a DevEnvironment that must fail after its constructor (in the builder: a volume lookup,
 * the place of its volumes) and resolves to that error (see `withRejectionsSwallowed`).
 */
export async function deployRejected(name: string, args: Partial<DevEnvironmentArgs>, existing: ExistingVolumes = {}, opts: DevEnvironmentOptions = {}): Promise<{ error: Error; recorder: MockRecorder }> {
  const recorder = await pulumiMocks();
  recorder.reset();
  answerInvokes(recorder, existing);
  const error = await withRejectionsSwallowed(() => {
    const env = new DevEnvironment(name, { sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.4/32"], ...args }, opts);
    return (env.instanceId as unknown as { promise(): Promise<unknown> }).promise().then(
      () => new Error("the deployment succeeded"),
      // The SDK reports the first output that failed to serialize; the message after it is the component's.
      (reason: unknown) => new Error(String((reason as Error)?.message ?? reason).replace(/^error serializing property "\w+": /, "")),
    );
  });
  return { error, recorder };
}

/** Every recorded input, as plain JSON by resource name (for determinism checks). */
export function recordedInputs(recorder: MockRecorder): Record<string, unknown> {
  return Object.fromEntries(recorder.registrations.map((r) => [`${r.type} ${r.name}`, JSON.parse(JSON.stringify(r.inputs))]));
}

