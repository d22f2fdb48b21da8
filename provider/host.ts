/**
 * The `dstack` component provider: `DevEnvironment` and `Volume` for every Pulumi language.
 *
 * The schema comes from Pulumi's own analyzer (`@pulumi/pulumi/provider/experimental`) run over
 * the TypeScript args, with each arg's `@default` and `@example` added (schema-docs.ts). It is
 * made at build time (`npm run build` writes provider/schema.json; a test keeps it equal to the
 * checked-in fixture), so the plugin itself needs no TypeScript compiler when it runs: it serves
 * that file and constructs the compiled classes. `provider/index.js` serves it when Pulumi runs
 * the plugin (`PulumiPlugin.yaml`, runtime nodejs).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { main, type CheckResult, type ConstructResult, type CreateResult, type DiffResult, type Provider, type ReadResult, type UpdateResult } from "@pulumi/pulumi/provider";
import { DevEnvironment, DEV_ENVIRONMENT_TYPE } from "../components/dev-environment";
import { Volume, VOLUME_TYPE } from "../components/volume";
import { inputShapes, plainInputs, type InputShape } from "./plain-inputs";
import { documentSchema, readSourceDocs, type PackageSchema } from "./schema-docs";
import { isQueuedTpu, QueuedTpuCrud, typeOfUrn } from "./tpu-resource";
import { withQueuedTpu } from "./tpu-schema";

/** The Pulumi package name (type tokens `dstack:index:...`). */
export const PACKAGE_NAME = "dstack";

/** The folder with the plugin's manifest, package.json, tsconfig.json, index.ts and schema.json. */
export const PROVIDER_DIR = path.resolve(__dirname, "..", "..", "provider");

/** The schema file the plugin serves (written by the build). */
export const SCHEMA_FILE = path.join(PROVIDER_DIR, "schema.json");

/** The sources whose interfaces make up the schema (args, nested types, outputs). */
const SCHEMA_SOURCES = [
  "components/args.ts",
  "components/volume-args.ts",
  "components/cloud-plan.ts",
  "components/offer-summary.ts",
  "components/connection.ts",
  "components/dev-environment.ts",
  "components/volume.ts",
];

type ComponentClass = new (name: string, args: never, opts?: pulumi.ComponentResourceOptions) => pulumi.ComponentResource;

/** The components by type token, with the args interface each one's inputs come from. */
const COMPONENTS: Record<string, { component: ComponentClass; args: string; outputs: string }> = {
  [DEV_ENVIRONMENT_TYPE]: { component: DevEnvironment, args: "DevEnvironmentArgs", outputs: "DevEnvironment" },
  [VOLUME_TYPE]: { component: Volume, args: "VolumeArgs", outputs: "Volume" },
};

/**
 * The package schema from the TypeScript sources (the analyzer reads `provider/index.ts` and what
 * it imports), with defaults and examples in the descriptions. Needs the `typescript` package.
 */
export async function analyzeSchema(dirname: string = PROVIDER_DIR): Promise<PackageSchema> {
  const { ComponentProvider } = await import("@pulumi/pulumi/provider/experimental");
  const analyzer = new ComponentProvider({ components: [DevEnvironment, Volume], name: PACKAGE_NAME, dirname });
  const schema = JSON.parse(await analyzer.getSchema()) as PackageSchema;
  const docs = readSourceDocs(SCHEMA_SOURCES.map((file) => path.join(dirname, "..", file)));
  const entries = Object.entries(COMPONENTS);
  return withQueuedTpu(documentSchema(schema, docs, Object.fromEntries(entries.map(([token, { args }]) => [token, args])), Object.fromEntries(entries.map(([token, { outputs }]) => [token, outputs]))));
}

/** The schema as the plugin serves it and the fixture holds it: two-space JSON and a newline. */
export function schemaText(schema: PackageSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/**
 * The provider the engine talks to: the built schema, construct through the compiled classes, and
 * the CRUD of the plugin's one custom resource, the queued TPU (tpu-resource.ts), that a
 * DevEnvironment it constructs declares for `tpuLaunch: queued`.
 */
export class DstackProvider implements Provider {
  readonly version: string;
  private readonly served: string;
  private readonly outputs: Record<string, string[]>;
  private readonly shapes: Record<string, Record<string, InputShape>>;

  constructor(schemaFile: string = SCHEMA_FILE, private readonly queuedTpu: QueuedTpuCrud = new QueuedTpuCrud()) {
    this.served = fs.readFileSync(schemaFile, "utf8");
    const parsed = JSON.parse(this.served) as PackageSchema & { version: string; resources: Record<string, { properties?: Record<string, unknown>; inputProperties?: Record<string, object> }> };
    this.version = parsed.version;
    this.shapes = Object.fromEntries(Object.entries(parsed.resources).map(([token, resource]) => [token, inputShapes(resource.inputProperties ?? {})]));
    this.outputs = Object.fromEntries(Object.entries(parsed.resources).map(([token, resource]) => [token, Object.keys(resource.properties ?? {})]));
  }

  async getSchema(): Promise<string> {
    return this.served;
  }

  /** Builds the component of `type` from the inputs the engine sent; its state is the schema's outputs. */
  async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<ConstructResult> {
    const entry = COMPONENTS[type];
    const outputs = this.outputs[type];
    if (!entry || !outputs) {
      throw new Error(`unknown resource type ${type}: the ${PACKAGE_NAME} package has ${Object.keys(COMPONENTS).sort().join(", ")}`);
    }
    const args = await plainInputs(name, inputs, this.shapes[type] ?? {});
    // A queued TPU is this plugin's own resource, of this version (served by the CRUD below).
    const own = type === DEV_ENVIRONMENT_TYPE ? { ...options, queuedTpuPluginVersion: this.version } : options;
    const instance = new entry.component(name, args as never, own) as pulumi.ComponentResource & Record<string, unknown>;
    return { urn: instance.urn, state: Object.fromEntries(outputs.map((output) => [output, instance[output]])) };
  }

  async check(urn: pulumi.URN, _olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult> {
    return this.custom(urn).check(news);
  }

  async diff(_id: pulumi.ID, urn: pulumi.URN, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult> {
    return this.custom(urn).diff(olds, news);
  }

  async create(urn: pulumi.URN, inputs: Record<string, unknown>): Promise<CreateResult> {
    return this.custom(urn).create(inputs);
  }

  async read(id: pulumi.ID, urn: pulumi.URN, props?: Record<string, unknown>): Promise<ReadResult> {
    return this.custom(urn).read(id, props ?? {});
  }

  async update(id: pulumi.ID, urn: pulumi.URN, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<UpdateResult> {
    return this.custom(urn).update(id, olds, news);
  }

  async delete(id: pulumi.ID, urn: pulumi.URN, props: Record<string, unknown>): Promise<void> {
    return this.custom(urn).delete(id, props);
  }

  /** The CRUD of the custom resource `urn` names: the queued TPU's, else an error. */
  private custom(urn: pulumi.URN): QueuedTpuCrud {
    if (isQueuedTpu(urn)) return this.queuedTpu;
    throw new Error(`unknown resource type ${typeOfUrn(urn)}: the ${PACKAGE_NAME} package's one custom resource is dstack:index:TpuQueuedResource`);
  }
}

/** Serves the provider to the Pulumi engine (the plugin's entry). */
export function serve(args: string[] = process.argv.slice(2)): Promise<void> {
  return main(new DstackProvider(), args);
}
