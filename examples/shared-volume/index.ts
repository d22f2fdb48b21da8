/**
 * `pulumi up` in this folder declares a 500 GB `Volume` named `models` and the dev environment of
 * ./.dstack.yml on it (in the volume's zone). The volume is kept by `pulumi destroy`; a later
 * environment mounting `models` finds it by name. Stack config: `sshPublicKey` (default:
 * ~/.ssh/id_ed25519.pub) and `allowedCidrs` (the networks that may reach SSH).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as pulumi from "@pulumi/pulumi";
import { DevEnvironment, Volume } from "pulumi-dstack";

const config = new pulumi.Config();
const models = new Volume("models", { backend: "aws", region: "us-east-1", volumeName: "models", sizeGb: 500 });
const env = new DevEnvironment("shared-volume-dev", {
  configPath: ".dstack.yml",
  sshPublicKey: config.get("sshPublicKey") ?? fs.readFileSync(`${os.homedir()}/.ssh/id_ed25519.pub`, "utf8"),
  allowedCidrs: config.requireObject<string[]>("allowedCidrs"),
  region: "us-east-1",
  volumes: [models.reference],
});

export const volumeId = models.volumeId;
export const zone = env.zone;
export const offer = env.offer;
export const pricePerHour = env.pricePerHour;
export const sshCommand = env.sshCommand;
export const sshConfig = env.sshConfig;
export const ideUrl = env.ideUrl;
