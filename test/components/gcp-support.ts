/**
 * GCP builder test support: a `CloudPlan` built by hand (spec from YAML, offer from the bundled
 * catalog, a test parent), invoke answers for zones and disks, and a parent transformation that
 * records the options every child was declared with.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadBundledCatalog } from "../../catalog/load";
import { parseConfig } from "../../config/read";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers } from "../../offers/resolve";
import type { CloudPlan, SecretValue, VolumePlan } from "../../components/cloud-plan";
import { answerDisks } from "../support/fake-volumes";
import { pulumiMocks, settled, valueOf, type MockRecorder } from "../support/pulumi-mocks";
import { SSH_KEY } from "../support/bootstrap-scenarios";

let index: OfferIndex | undefined;

export type BuildGcp = typeof import("../../components/gcp/build").buildGcp;

/** The mock runtime, then the builder (loaded after the mocks are set, as pulumi-notes §3 advises). */
export async function gcpBuilder(): Promise<{ recorder: MockRecorder; buildGcp: BuildGcp }> {
  const recorder = await pulumiMocks();
  return { recorder, buildGcp: (await import("../../components/gcp/build")).buildGcp };
}

/** Stands in for `DevEnvironment` as the parent of the children. */
class TestParent extends pulumi.ComponentResource {
  constructor(name: string, opts: pulumi.ComponentResourceOptions) {
    super("dstack:index:DevEnvironment", name, {}, opts);
    this.registerOutputs({});
  }
}

/** The one offer of `instanceType` in `region` for the configuration. */
export function offerFor(yaml: string, instanceType: string, region: string) {
  index ??= new OfferIndex(loadBundledCatalog());
  const spec = parseConfig(yaml);
  const offer = resolveOffers(spec, index, { instanceTypes: [instanceType], regions: [region], limit: 1 }).offers[0];
  if (!offer) throw new Error(`no offer ${instanceType} in ${region}`);
  return { spec, offer };
}

export const T4_YAML = "type: dev-environment\nname: t4-box\nide: vscode\nresources:\n  gpu: T4\n";
export const A2_YAML = "type: dev-environment\nname: a2-box\nide: vscode\nresources:\n  gpu: A100:40GB\nvolumes:\n  - models:/models\n";
export const TPU_YAML = "type: dev-environment\nname: tpu-box\nide: vscode\nresources:\n  gpu: v5litepod-8\nvolumes:\n  - tpu-data:/data\n";

/** Options a child was declared with, by child name (recorded by the parent's transformation). */
export type ChildOptions = Map<string, pulumi.CustomResourceOptions>;

export interface PlanOptions {
  name: string;
  yaml: string;
  instanceType: string;
  region: string;
  runName?: string;
  zone?: string;
  volumes?: VolumePlan[];
  secretEnv?: SecretValue[];
  registryPassword?: SecretValue;
  tags?: Record<string, string>;
  provider?: pulumi.ProviderResource;
  overrides?: Partial<CloudPlan>;
}

/** A plan as `DevEnvironment` would hand it over, with a test parent; `children` fills as children are declared. */
export function gcpPlan(options: PlanOptions): { plan: CloudPlan; parent: pulumi.Resource; children: ChildOptions } {
  const { spec, offer } = offerFor(options.yaml, options.instanceType, options.region);
  const children: ChildOptions = new Map();
  const record: pulumi.ResourceTransformation = ({ name, props, opts }) => {
    children.set(name, opts as pulumi.CustomResourceOptions);
    return { props, opts };
  };
  const parent = new TestParent(options.name, { transformations: [record] });
  const plan: CloudPlan = {
    name: options.name,
    identity: { project: "dstack-test", stack: "test", name: options.name },
    volumeScope: "dstack-test/test",
    runName: options.runName ?? spec.name ?? options.name,
    spec,
    offer,
    zone: options.zone,
    sshPublicKey: SSH_KEY,
    allowedCidrs: ["203.0.113.4/32"],
    secretEnv: options.secretEnv ?? [],
    registryPassword: options.registryPassword,
    volumes: options.volumes ?? [],
    deleteVolumesOnDestroy: false,
    running: true,
    tags: options.tags ?? {},
    parent,
    provider: options.provider,
    ...options.overrides,
  };
  return { plan, parent, children };
}

export function volume(name: string, path: string, sizeGb = 100, candidates = [name]): VolumePlan {
  return { name, path, sizeGb, sizeExplicit: false, candidates };
}

export const ZONES: Record<string, string[]> = {
  "us-central1": ["us-central1-f", "us-central1-c", "us-central1-b", "us-central1-a"],
  "us-east5": ["us-east5-c", "us-east5-b", "us-east5-a"],
};

/**
 * An invoke failure as the engine reports it: the SDK rethrows `new Error(err.details)`, so a mock
 * must put the message in `details` (a plain Error arrives with an empty message).
 */
export function invokeError(message: string): Error {
  return Object.assign(new Error(message), { details: message });
}

/** Answers the zone list of each region, the provider's project, and `getDisk` with "not found" (see fake-volumes.ts for disks that exist). */
export function answerZonesAndDisks(recorder: MockRecorder): void {
  recorder.onInvoke("gcp:compute/getZones:getZones", (inputs) => ({ id: "zones", project: "test-project", names: ZONES[String(inputs.region)] ?? [] }));
  recorder.onInvoke("gcp:organizations/getClientConfig:getClientConfig", () => ({ id: "c", project: "test-project", region: "", zone: "", accessToken: "" }));
  answerDisks(recorder, []);
  recorder.onInvoke(GCP_GET_INSTANCE, (inputs) => ({ id: String(inputs.name), name: inputs.name, zone: inputs.zone, currentStatus: "RUNNING" }));
}

/** The invoke that reads the VM as it is once built. */
export const GCP_GET_INSTANCE = "gcp:compute/getInstance:getInstance";

/** Runs a build and waits until every registration is in. */
export async function built<T>(build: () => Promise<T>): Promise<T> {
  const result = await build();
  // The VM is read once it exists (its live status): wait for that read too.
  const live = (result as { liveWarnings?: pulumi.Output<string[]> }).liveWarnings;
  if (live !== undefined) await valueOf(live);
  await settled();
  return result;
}

/** The inputs the recorder holds for `name`, through a JSON round trip (plain data, comparable). */
export function plainInputs(recorder: MockRecorder, name: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(recorder.inputsOf(name))) as Record<string, unknown>;
}
