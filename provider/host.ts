/**
 * The `dstack` component provider: `DevEnvironment` and `Volume` for every Pulumi language. It is
 * Pulumi's own component provider (`@pulumi/pulumi/provider/experimental`: schema from the
 * TypeScript args, construct through the real classes) with the schema's descriptions completed by
 * the args' `@default` and `@example` (schema-docs.ts). `provider/index.js` serves it when Pulumi
 * runs the plugin (`PulumiPlugin.yaml`, runtime nodejs).
 */
import * as path from "node:path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { main } from "@pulumi/pulumi/provider";
import { DevEnvironment, DEV_ENVIRONMENT_TYPE } from "../components/dev-environment";
import { Volume, VOLUME_TYPE } from "../components/volume";
import { documentSchema, readInterfaceTags, type PackageSchema } from "./schema-docs";

/** The Pulumi package name (type tokens `dstack:index:...`). */
export const PACKAGE_NAME = "dstack";

/** The folder with the provider's package.json, tsconfig.json and index.ts (the analyzer's entry). */
export const PROVIDER_DIR = path.resolve(__dirname, "..", "..", "provider");

/** The sources whose interfaces make up the schema (args, nested types, outputs). */
const SCHEMA_SOURCES = ["components/args.ts", "components/volume-args.ts", "components/cloud-plan.ts", "components/offer-summary.ts"];

/** Which args interface each component's inputs come from. */
const ARGS_OF: Record<string, string> = { [DEV_ENVIRONMENT_TYPE]: "DevEnvironmentArgs", [VOLUME_TYPE]: "VolumeArgs" };

export class DstackComponentProvider extends ComponentProvider {
  private documented: string | undefined;
  private readonly root: string;

  /** `dirname`: the provider folder; the args' sources are read from its parent. */
  constructor(dirname: string = PROVIDER_DIR) {
    super({ components: [DevEnvironment, Volume], name: PACKAGE_NAME, dirname });
    this.root = path.resolve(dirname, "..");
  }

  /** The package schema: the analyzer's, with defaults and examples in the descriptions. */
  override async getSchema(): Promise<string> {
    if (this.documented === undefined) {
      const schema = JSON.parse(await super.getSchema()) as PackageSchema;
      const tags = readInterfaceTags(SCHEMA_SOURCES.map((file) => path.join(this.root, file)));
      this.documented = JSON.stringify(documentSchema(schema, tags, ARGS_OF));
    }
    return this.documented;
  }
}

/** Serves the provider to the Pulumi engine (the plugin's entry). */
export function serve(args: string[] = process.argv.slice(2)): Promise<void> {
  return main(new DstackComponentProvider(), args);
}
