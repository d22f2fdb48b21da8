/**
 * The root Pulumi program (`Pulumi.yaml` at the repository root): deploys `./.dstack.yml`, or the
 * file in stack config `dstack:config`. Stack config (namespace `dstack`): `sshPublicKey` (default
 * ~/.ssh/id_ed25519.pub), `allowedCidrs` (required), `name` (default: the stack name), `env`
 * (secret object of env values), `catalog` (a catalog file), `lockFile`, `deleteVolumesOnDestroy`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as pulumi from "@pulumi/pulumi";
import { DevEnvironment } from "../components/dev-environment";

const config = new pulumi.Config("dstack");
const env = new DevEnvironment(config.get("name") ?? pulumi.getStack(), {
  configPath: config.get("config") ?? ".dstack.yml",
  sshPublicKey: config.get("sshPublicKey") ?? fs.readFileSync(`${os.homedir()}/.ssh/id_ed25519.pub`, "utf8"),
  allowedCidrs: config.requireObject<string[]>("allowedCidrs"),
  // Set with `pulumi config set --secret --path 'dstack:env.HF_TOKEN' ...`; the component keeps every value secret.
  env: config.getObject<Record<string, string>>("env"),
  catalogPath: config.get("catalog"),
  lockFile: config.get("lockFile"),
  deleteVolumesOnDestroy: config.getBoolean("deleteVolumesOnDestroy"),
});

export const offer = env.offer;
export const pricePerHour = env.pricePerHour;
export const instanceId = env.instanceId;
export const publicIp = env.publicIp;
export const sshCommand = env.sshCommand;
export const sshConfig = env.sshConfig;
export const ideUrl = env.ideUrl;
