/**
 * The queued TPU as a custom resource of the `dstack` plugin itself (`dstack:index:TpuQueuedResource`,
 * as pulumi-eks serves its own resources): its schema entry, and the CRUD the engine calls on the
 * plugin for it (check, diff, create, read, update, delete), each the operation of
 * components/gcp/tpu-queued-ops.ts that the Node.js dynamic provider runs for a TypeScript program.
 * So a DevEnvironment constructed by the plugin (Python, Go, .NET, YAML) can queue its TPU: the
 * engine serves the resource with the plugin already running, no dynamic provider and no program
 * folder involved (pulumi/pulumi#5455).
 *
 * The engine sends properties as plain JSON with secrets wrapped (`Configure` accepts secrets): the
 * wrapped values are unwrapped for the operations, and every top-level property that held one is
 * returned wrapped again (never less secret than its input). The token is the plugin process's
 * (tpu-token.ts), never a property.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult } from "@pulumi/pulumi/provider";
import * as ops from "../components/gcp/tpu-queued-ops";
import { PLUGIN_QUEUED_TPU_TYPE } from "../components/gcp/tpu-request";

/** The signature key and value of a secret in a property struct (Pulumi's wire format, as the SDK names them). */
const SIG_KEY = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;

type Props = Record<string, unknown>;

function isSecretValue(value: unknown): value is { value: unknown } {
  return value !== null && typeof value === "object" && (value as Props)[SIG_KEY] === SECRET_SIG;
}

/** `value` with every secret unwrapped, and whether it held one. */
function unwrap(value: unknown): { plain: unknown; secret: boolean } {
  if (isSecretValue(value)) return { plain: unwrap(value.value).plain, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(unwrap);
    return { plain: items.map((item) => item.plain), secret: items.some((item) => item.secret) };
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Props).map(([key, item]) => [key, unwrap(item)] as const);
    return { plain: Object.fromEntries(entries.map(([key, item]) => [key, item.plain])), secret: entries.some(([, item]) => item.secret) };
  }
  return { plain: value, secret: false };
}

/** The properties unwrapped, with the names of those that held a secret. */
export function unwrapSecrets(props: Props | undefined): { plain: Props; secrets: Set<string> } {
  const plain: Props = {};
  const secrets = new Set<string>();
  for (const [key, value] of Object.entries(props ?? {})) {
    const result = unwrap(value);
    plain[key] = result.plain;
    if (result.secret) secrets.add(key);
  }
  return { plain, secrets };
}

/** `props` with each property named in `secrets` wrapped as a secret. */
export function wrapSecrets(props: Props, secrets: Set<string>): Props {
  return Object.fromEntries(Object.entries(props).map(([key, value]) => [key, secrets.has(key) && value !== undefined ? { [SIG_KEY]: SECRET_SIG, value } : value]));
}

/** The union of the secret names of several property sets. */
const secretsOf = (...sets: Props[]): Set<string> => new Set(sets.flatMap((props) => [...unwrapSecrets(props).secrets]));

/** The resource type of a URN (`urn:pulumi:<stack>::<project>::<parent types$>type::<name>`). */
export function typeOfUrn(urn: string): string {
  return (urn.split("::")[2] ?? "").split("$").pop() ?? "";
}

/** Whether `urn` is a queued TPU's. */
export function isQueuedTpu(urn: string): boolean {
  return typeOfUrn(urn) === PLUGIN_QUEUED_TPU_TYPE;
}

/** Where the operations run: the plugin process's environment (API address, token, timing). */
export type ContextSource = () => ops.OpsContext;

/** The plugin's CRUD of `dstack:index:TpuQueuedResource` (the host checks the type first). */
export class QueuedTpuCrud {
  constructor(private readonly context: ContextSource = () => ops.contextFromEnv()) {}

  /** The inputs as given (unknowns of a preview included): the component built them. */
  async check(news: Props): Promise<CheckResult> {
    return { inputs: news };
  }

  async diff(olds: Props, news: Props): Promise<DiffResult> {
    return ops.diff(unwrapSecrets(olds).plain, unwrapSecrets(news).plain);
  }

  async create(inputs: Props): Promise<CreateResult> {
    const { plain, secrets } = unwrapSecrets(inputs);
    const { id, outs } = await ops.create(plain, this.context());
    return { id, outs: wrapSecrets(outs as unknown as Props, secrets) };
  }

  async read(id: pulumi.ID, props: Props): Promise<ReadResult> {
    const { plain, secrets } = unwrapSecrets(props);
    const result = await ops.read(id, plain, this.context());
    return { id: result.id, props: wrapSecrets(result.props, secrets) };
  }

  async update(id: pulumi.ID, olds: Props, news: Props): Promise<UpdateResult> {
    const { outs } = await ops.update(id, unwrapSecrets(olds).plain, unwrapSecrets(news).plain, this.context());
    return { outs: wrapSecrets(outs, secretsOf(olds, news)) };
  }

  async delete(id: pulumi.ID, props: Props): Promise<void> {
    await ops.destroy(id, unwrapSecrets(props).plain, this.context());
  }
}
