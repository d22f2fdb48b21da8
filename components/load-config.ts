/**
 * The configuration a component deploys: from `configPath` or `config` (YAML text or an object),
 * read by the same reader as `validate`; a bad configuration is an error that lists every issue
 * with its position, before any resource is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { formatIssueList } from "../cli/format-issues";
import { readSourceFile } from "../config/read";
import type { DevEnvironmentSpec } from "../config/schema";
import { readConfigOnce } from "./config-cache";

export class InvalidConfigError extends Error {
  override readonly name = "InvalidConfigError";
}

export function loadConfig(args: { configPath?: string; config?: unknown }): { spec: DevEnvironmentSpec; file: string } {
  if ((args.configPath === undefined) === (args.config === undefined)) {
    throw new InvalidConfigError("give exactly one of configPath (a .dstack.yml file) and config (YAML text or an object)");
  }
  let text: string;
  let file: string;
  if (args.configPath !== undefined) {
    file = args.configPath;
    const read = readSourceFile(args.configPath);
    if (typeof read !== "string") throw new InvalidConfigError(formatIssueList([read], null));
    text = read;
  } else {
    file = "<config>";
    text = configText(args.config);
  }
  const result = readConfigOnce(text, file);
  if (!result.ok) throw new InvalidConfigError(`${file} is not a valid dev environment:\n${formatIssueList(result.issues, text)}`);
  return { spec: result.spec, file };
}

/** The `config` arg as YAML text: a string as it is, a plain object dumped; anything else refused. */
function configText(config: unknown): string {
  if (typeof config === "string") return config;
  if (pulumi.Output.isInstance(config)) {
    throw new InvalidConfigError("config must be known when the component is declared (YAML text or an object), not an Output: read the file or build the text in the program");
  }
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    const kind = config === null ? "null" : Array.isArray(config) ? "a list" : `a ${typeof config}`;
    throw new InvalidConfigError(`config must be YAML text or an object (a mapping), not ${kind}`);
  }
  return stringify(config);
}
