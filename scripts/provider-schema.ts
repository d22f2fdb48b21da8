/**
 * Writes provider/schema.json, the schema the `dstack` plugin serves, from the TypeScript args
 * (Pulumi's analyzer + their @default/@example). Run by `npm run build` after `tsc`.
 */
import * as fs from "node:fs";
import { analyzeSchema, SCHEMA_FILE, schemaText } from "../provider/host";

analyzeSchema().then(
  (schema) => fs.writeFileSync(SCHEMA_FILE, schemaText(schema)),
  (error: unknown) => {
    console.error(`provider schema: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
