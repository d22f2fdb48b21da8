/**
 * How the day-two test makes each edit of components/day-two-edits.ts: the configuration and args
 * a column starts from, and what the edit changes.
 */
import type { DevEnvironmentArgs } from "../../components/args";
import type { Column } from "../../components/day-two-edits";

/** What the configuration says (the parts the edits touch). */
export interface ConfigParts {
  python: string;
  ide: "vscode" | "cursor";
  init: string[];
  env: string[];
  disk: string;
  spot: boolean;
  volumes: string[];
  /** The TPU slice of the TPU column. */
  slice: string;
}

const BASE_PARTS: ConfigParts = { python: "3.11", ide: "vscode", init: ["pip install -r requirements.txt"], env: ["MODE=dev", "HF_TOKEN"], disk: "100GB..", spot: false, volumes: [], slice: "v5litepod-8" };

/** The `.dstack.yml` text of `parts` for `column`. */
export function configText(column: Column, parts: ConfigParts): string {
  const resources = column === "tpu" ? [`  gpu: ${parts.slice}`] : ["  cpu: 4..8", "  memory: 16GB.."];
  return [
    "type: dev-environment",
    "name: box",
    `ide: ${parts.ide}`,
    `python: "${parts.python}"`,
    "init:", ...parts.init.map((line) => `  - ${line}`),
    "env:", ...parts.env.map((line) => `  - ${line}`),
    "resources:", ...resources, `  disk: ${parts.disk}`,
    `spot_policy: ${parts.spot ? "spot" : "on-demand"}`,
    ...(parts.volumes.length > 0 ? ["volumes:", ...parts.volumes.map((volume) => `  - ${volume}`)] : []),
    // A new AWS stack with retry launches through an EC2 Fleet.
    ...(column === "awsFleet" ? ["retry:", "  on_events: [no-capacity]", "  duration: 30m"] : []),
    "",
  ].join("\n");
}

/** A second SSH key (the first is the harness's). */
export const OTHER_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOtherKeyOtherKeyOtherKeyOtherKey0 other";

/** What a column starts from: its configuration and the args around it. */
export function baseArgs(column: Column, parts: Partial<ConfigParts> = {}): Partial<DevEnvironmentArgs> {
  const all = { ...BASE_PARTS, spot: column === "awsSpot", ...parts };
  const place = column === "aws" || column === "awsSpot" || column === "awsFleet" ? { backend: "aws" as const, region: "us-east-1" } : column === "gcp" ? { backend: "gcp" as const, region: "us-central1" } : { backend: "gcp" as const, region: "us-east5" };
  return { config: configText(column, all), ...place, tags: { team: "ml" }, env: { HF_TOKEN: "hf-secret-1" }, noRepo: true, lockFile: "/nonexistent/box.lock.json" };
}

/** How an edit is made: the args before (default: the column's base) and after. */
export interface EditMaker {
  before?: (column: Column) => Partial<DevEnvironmentArgs>;
  after: (column: Column, before: Partial<DevEnvironmentArgs>) => Partial<DevEnvironmentArgs>;
}

const config = (column: Column, parts: Partial<ConfigParts>) => baseArgs(column, parts).config;
const NEW_TYPE: Record<Exclude<Column, "tpu">, string> = { aws: "m6a.xlarge", awsSpot: "m5.2xlarge", awsFleet: "m6a.xlarge", gcp: "n2d-standard-4" };

/** By edit id (components/day-two-edits.ts). */
export const EDIT_MAKERS: Record<string, EditMaker> = {
  tags: { after: (_, args) => ({ ...args, tags: { team: "research" } }) },
  "ssh-key": { after: (_, args) => ({ ...args, sshPublicKey: OTHER_KEY }) },
  "run-name": { after: (_, args) => ({ ...args, runName: "box-2" }) },
  "allowed-cidrs": { after: (_, args) => ({ ...args, allowedCidrs: ["198.51.100.0/24"] }) },
  env: { after: (column, args) => ({ ...args, config: config(column, { env: ["MODE=prod", "HF_TOKEN"] }) }) },
  secret: { after: (_, args) => ({ ...args, env: { HF_TOKEN: "hf-secret-2" } }) },
  "repo-commit": {
    before: (column) => ({ ...baseArgs(column), noRepo: false, repo: { url: "https://github.com/acme/research.git", branch: "main", hash: "1111111111111111111111111111111111111111" } }),
    after: (_, args) => ({ ...args, repo: { url: "https://github.com/acme/research.git", branch: "main", hash: "2222222222222222222222222222222222222222" } }),
  },
  "boot-script": { after: (column, args) => ({ ...args, config: config(column, { python: "3.12", ide: "cursor", init: ["pip install -e ."] }) }) },
  disk: { after: (column, args) => ({ ...args, config: config(column, { disk: "200GB.." }) }) },
  "instance-type": {
    after: (column, args) => (column === "tpu" ? { ...args, config: config(column, { slice: "v5litepod-4" }) } : { ...args, instanceType: NEW_TYPE[column] }),
  },
  "spot-policy": { after: (column, args) => ({ ...args, config: config(column, { spot: column !== "awsSpot" }) }) },
  "volume-added": { after: (column, args) => ({ ...args, config: config(column, { volumes: ["data:/data"] }) }) },
  "volume-removed": {
    before: (column) => baseArgs(column, { volumes: ["data:/data"] }),
    after: (column, args) => ({ ...args, config: config(column, { volumes: [] }) }),
  },
};
