/**
 * What a queued TPU's provider does on the cloud (create, read, update, delete, diff), over the
 * Cloud TPU v2 REST API (tpu-api.ts). The dynamic provider (tpu-queued-resource.ts) loads this
 * module when Pulumi calls it, so that the function Pulumi serializes into the state stays small.
 *
 * - create: `POST queuedResources?queuedResourceId=<id>` (tpu-request.ts), its operation, then the
 *   queued resource polled (CREATING, ACCEPTED, WAITING_FOR_RESOURCES, PROVISIONING) until ACTIVE,
 *   then the node read for its external IP. FAILED, SUSPENDED, or still waiting once
 *   `validUntilSeconds` (plus a grace for the API's own verdict) has passed: the request is deleted
 *   and the update fails with a message `dstack-pulumi up` reads as "no capacity"
 *   (cli/capacity-errors.ts). A request of the same id already there (an update interrupted while
 *   it waited) is waited for again when it asks for the same slice and tier, deleted and asked
 *   anew when it failed, and otherwise left alone with an error.
 * - diff: what force-new.json says for `QUEUED_TPU_TYPE` (the V2Vm's rules, plus data disks that
 *   replace as tpu.ts has them); `validUntilSeconds` is the request's, never a change. A queued
 *   resource a refresh found SUSPENDED or FAILED (a spot TPU Cloud TPU took back: its TPU VM is
 *   gone) is replaced: the next `pulumi up --refresh` asks for the slice again, as it starts a VM
 *   that powered off.
 * - update: `nodes.patch` with the changed fields of description, labels, metadata and tags.
 * - delete: `DELETE queuedResources/<id>?force=true` (the TPU VM goes with it); 404 = gone.
 * - read: the queued resource's state and the node's address; 404 = gone.
 */
import { changedPaths, pathEffect } from "../change-effects";
import { formatSeconds } from "../../offers/capacity-retry";
import { TpuApi, TpuApiError, TPU_API, type Operation } from "./tpu-api";
import { nodePatch, nodePath, PATCHABLE_NODE_FIELDS, QUEUED_TPU_TYPE, queuedResourceBody, queuedResourcePath, locationPath, type QueuedTpuInputs } from "./tpu-request";
import { defaultTokenSource, type TokenSource } from "./tpu-token";

/** How long to poll and wait. */
export interface Timing {
  /** Between two polls of an operation or the queued resource. */
  pollMs: number;
  /** After `validUntilSeconds`, how long to wait for the API to say FAILED itself. */
  graceSeconds: number;
  /** How long a request may stay PROVISIONING past that. */
  provisionSeconds: number;
}

export const DEFAULT_TIMING: Timing = { pollMs: 10_000, graceSeconds: 120, provisionSeconds: 1800 };

/** What the operations run against. */
export interface OpsContext {
  api: TpuApi;
  timing: Timing;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The context of a provider call: `DSTACK_PULUMI_TPU_API` (base URL), `DSTACK_PULUMI_TPU_TIMING` (JSON, partial `Timing`), the credentials of tpu-token.ts. */
export function contextFromEnv(env: NodeJS.ProcessEnv = process.env, tokens: TokenSource = defaultTokenSource(env)): OpsContext {
  const timing: Timing = { ...DEFAULT_TIMING, ...(env.DSTACK_PULUMI_TPU_TIMING ? (JSON.parse(env.DSTACK_PULUMI_TPU_TIMING) as Partial<Timing>) : {}) };
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  return { api: new TpuApi(env.DSTACK_PULUMI_TPU_API || TPU_API, tokens, { pollMs: timing.pollMs, sleep }), timing, now: Date.now, sleep };
}

/** What the provider keeps besides the inputs. */
export interface QueuedTpuOutputs {
  /** The queued resource's full name. */
  queuedResource: string;
  /** Its state when last seen (`ACTIVE` once created). */
  state: string;
  /** The TPU VM's external IP. */
  publicIp: string;
}

const INPUT_KEYS: readonly (keyof QueuedTpuInputs)[] = [
  "project", "zone", "nodeId", "acceleratorType", "runtimeVersion", "description", "metadata", "labels", "tags",
  "networkConfig", "serviceAccount", "dataDisks", "spot", "reservationName", "validUntilSeconds",
];

/** The inputs among a state's properties (the dynamic provider's `__provider` and the outputs left out). */
export function inputsOf(props: object): QueuedTpuInputs {
  const given = props as Record<string, unknown>;
  const inputs: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) if (given[key] !== undefined && given[key] !== null) inputs[key] = given[key];
  return inputs as unknown as QueuedTpuInputs;
}

/** States in which a queued resource holds no TPU VM and will not get one. */
const LOST_STATES = ["FAILED", "SUSPENDING", "SUSPENDED"];

const stateOf = (qr: Record<string, unknown>) => String((qr.state as { state?: string } | undefined)?.state ?? "STATE_UNSPECIFIED");
const isGone = (error: unknown) => error instanceof TpuApiError && error.status === 404;

/** The message of a request that found no capacity: the classifier's phrase and marker (cli/capacity-errors.ts). */
export function noCapacityMessage(inputs: QueuedTpuInputs, reason: string): string {
  const tier = inputs.spot === true ? "spot" : inputs.reservationName !== undefined ? "reserved" : "on demand";
  const region = inputs.zone.replace(/-[a-z]$/, "");
  return `${inputs.nodeId}: Cloud TPU found no capacity for queued resource ${inputs.nodeId} (${inputs.acceleratorType} ${tier} in ${inputs.zone}, ` +
    `waiting up to ${formatSeconds(inputs.validUntilSeconds)}): ${reason} [dstack-capacity gcp ${region} ${inputs.acceleratorType}]`;
}

/** Deletes the queued resource (and its TPU VM) and waits; a queued resource already gone is fine. */
async function remove(inputs: Pick<QueuedTpuInputs, "project" | "zone">, id: string, ctx: OpsContext): Promise<void> {
  let operation: Operation;
  try {
    operation = (await ctx.api.call("DELETE", queuedResourcePath(inputs, id), { force: "true" })) as unknown as Operation;
  } catch (error) {
    if (isGone(error)) return;
    throw error;
  }
  await ctx.api.waitOperation(operation, `deleting queued resource ${id}`);
}

/** Deletes a request that will not be served, then fails with the capacity message (and any trouble deleting it). */
async function giveUp(inputs: QueuedTpuInputs, reason: string, ctx: OpsContext): Promise<never> {
  let cleanup = "the request was deleted";
  try {
    await remove(inputs, inputs.nodeId, ctx);
  } catch (error) {
    cleanup = `deleting the request failed (${(error as Error).message}): gcloud compute tpus queued-resources delete ${inputs.nodeId} --zone ${inputs.zone} --force`;
  }
  throw new Error(`${noCapacityMessage(inputs, reason)}; ${cleanup}`);
}

/** True when an existing queued resource asks for what `inputs` asks (slice, runtime, tier). */
function sameRequest(qr: Record<string, unknown>, inputs: QueuedTpuInputs): boolean {
  const node = ((qr.tpu as { nodeSpec?: { node?: Record<string, unknown> }[] } | undefined)?.nodeSpec?.[0]?.node ?? {}) as Record<string, unknown>;
  return node.acceleratorType === inputs.acceleratorType && node.runtimeVersion === inputs.runtimeVersion && (qr.spot !== undefined) === (inputs.spot === true);
}

/** Sends the request; with one of the same id there, takes it over or replaces it. Resolves to true when taken over. */
async function send(inputs: QueuedTpuInputs, ctx: OpsContext): Promise<boolean> {
  const post = async () => {
    const operation = (await ctx.api.call("POST", `${locationPath(inputs)}/queuedResources`, { queuedResourceId: inputs.nodeId }, queuedResourceBody(inputs))) as unknown as Operation;
    await ctx.api.waitOperation(operation, `creating queued resource ${inputs.nodeId}`);
  };
  try {
    await post();
    return false;
  } catch (error) {
    if (!(error instanceof TpuApiError && error.status === 409)) throw error;
  }
  const existing = await ctx.api.call("GET", queuedResourcePath(inputs, inputs.nodeId));
  if (LOST_STATES.includes(stateOf(existing))) {
    await remove(inputs, inputs.nodeId, ctx);
    await post();
    return false;
  }
  if (sameRequest(existing, inputs)) return true;
  throw new Error(
    `${inputs.nodeId}: queued resource ${inputs.nodeId} already exists in ${inputs.zone} and asks for another TPU (${stateOf(existing)}): ` +
      `delete it (gcloud compute tpus queued-resources delete ${inputs.nodeId} --zone ${inputs.zone} --force) and run pulumi up again`,
  );
}

/** Polls the queued resource until ACTIVE; gives up on FAILED, SUSPENDED, or past its time. */
async function waitActive(inputs: QueuedTpuInputs, started: number, ctx: OpsContext): Promise<Record<string, unknown>> {
  const deadline = started + (inputs.validUntilSeconds + ctx.timing.graceSeconds) * 1000;
  const provisionDeadline = deadline + ctx.timing.provisionSeconds * 1000;
  for (;;) {
    const qr = await ctx.api.call("GET", queuedResourcePath(inputs, inputs.nodeId));
    const state = stateOf(qr);
    if (state === "ACTIVE") return qr;
    if (LOST_STATES.includes(state)) {
      const failed = (qr.state as { failedData?: { error?: { message?: string } } }).failedData?.error?.message;
      return giveUp(inputs, `${state}${failed ? `: ${failed}` : ""}`, ctx);
    }
    if (ctx.now() >= (state === "PROVISIONING" ? provisionDeadline : deadline)) {
      return giveUp(inputs, `still ${state} when its time ran out`, ctx);
    }
    await ctx.sleep(ctx.timing.pollMs);
  }
}

/** The TPU VM's external IP (its first worker's); empty when it has none yet, or no node. */
async function externalIp(inputs: QueuedTpuInputs, id: string, ctx: OpsContext): Promise<string> {
  let node: Record<string, unknown>;
  try {
    node = await ctx.api.call("GET", nodePath(inputs, id));
  } catch (error) {
    if (isGone(error)) return "";
    throw error;
  }
  const endpoints = (node.networkEndpoints ?? []) as { accessConfig?: { externalIp?: string } }[];
  return endpoints[0]?.accessConfig?.externalIp ?? "";
}

/** Creates the queued TPU and waits until its TPU VM exists. */
export async function create(props: object, ctx: OpsContext = contextFromEnv()): Promise<{ id: string; outs: QueuedTpuInputs & QueuedTpuOutputs }> {
  const inputs = inputsOf(props);
  const started = ctx.now();
  const adopted = await send(inputs, ctx);
  const qr = await waitActive(inputs, started, ctx);
  if (adopted) await patch(inputs, { updateMask: PATCHABLE_NODE_FIELDS.join(","), body: Object.fromEntries(PATCHABLE_NODE_FIELDS.map((field) => [field, inputs[field]])) }, ctx);
  const publicIp = await externalIp(inputs, inputs.nodeId, ctx);
  return { id: inputs.nodeId, outs: { ...inputs, queuedResource: String(qr.name ?? queuedResourcePath(inputs, inputs.nodeId)), state: "ACTIVE", publicIp } };
}

async function patch(inputs: QueuedTpuInputs, change: { updateMask: string; body: Record<string, unknown> }, ctx: OpsContext): Promise<void> {
  const operation = (await ctx.api.call("PATCH", nodePath(inputs, inputs.nodeId), { updateMask: change.updateMask }, change.body)) as unknown as Operation;
  await ctx.api.waitOperation(operation, `updating TPU VM ${inputs.nodeId}`);
}

/** The queued resource as it is now; `id: ""` when it is gone. */
export async function read(id: string, props: object, ctx: OpsContext = contextFromEnv()): Promise<{ id: string; props: Record<string, unknown> }> {
  const inputs = inputsOf(props);
  let qr: Record<string, unknown>;
  try {
    qr = await ctx.api.call("GET", queuedResourcePath(inputs, id));
  } catch (error) {
    if (isGone(error)) return { id: "", props: {} };
    throw error;
  }
  const state = stateOf(qr);
  const publicIp = state === "ACTIVE" ? await externalIp(inputs, id, ctx) : "";
  return { id, props: { ...props, state, publicIp } };
}

/** Updates the TPU VM in place (what `diff` let through: description, labels, metadata, tags). */
export async function update(id: string, olds: object, news: object, ctx: OpsContext = contextFromEnv()): Promise<{ outs: Record<string, unknown> }> {
  const inputs = inputsOf(news);
  const change = nodePatch(inputsOf(olds), inputs);
  if (change !== null) await patch({ ...inputs, nodeId: id }, change, ctx);
  const { queuedResource, state, publicIp } = olds as Partial<QueuedTpuOutputs>;
  const kept = { queuedResource, state, publicIp };
  return { outs: { ...inputs, ...kept } };
}

/** Deletes the queued resource with its TPU VM (`force`); one already gone is fine. */
export async function destroy(id: string, props: object, ctx: OpsContext = contextFromEnv()): Promise<void> {
  await remove(inputsOf(props), id, ctx);
}

/** What changed and what replaces, by force-new.json's rules for the queued TPU. */
export function diff(olds: object, news: object): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
  const { validUntilSeconds: _old, ...before } = inputsOf(olds);
  const { validUntilSeconds: _new, ...after } = inputsOf(news);
  const paths = changedPaths(before, after);
  const lost = LOST_STATES.includes(String((olds as Partial<QueuedTpuOutputs>).state));
  const replaces = [...new Set([...paths.filter((path) => pathEffect(QUEUED_TPU_TYPE, path, after) === "replace").map((path) => path.split(/[.[]/)[0]), ...(lost ? ["state"] : [])])].sort();
  return { changes: paths.length > 0 || lost, replaces, deleteBeforeReplace: true };
}

