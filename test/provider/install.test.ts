/**
 * The `dstack` plugin installed the way Pulumi's plugin installer installs it, then started and
 * used the way the engine uses it. What Pulumi does (pulumi/pulumi: pkg/workspace/plugin.go
 * `installDependenciesForPluginSpec`, sdk/go/common/workspace/plugins.go `gitSource`, the Node.js
 * language host's `InstallDependencies` and `RunPlugin`, sdk/go/common/resource/plugin):
 * - from a git URL (`pulumi package add <repository URL>/provider`): a shallow clone of the whole
 *   repository into the plugin cache, then, since `provider/PulumiPlugin.yaml` says nodejs,
 *   `npm install --loglevel=error` in `provider/` (the folder is in no npm workspace);
 * - from the npm package (its tarball unpacked, `pulumi package add ./package/provider`): the same
 *   `npm install` in that `provider/` folder;
 * - then `RunPlugin`: `node <@pulumi/pulumi/cmd/run-plugin resolved from provider/> <provider dir>
 *   <engine address>` with the *program's* directory as working directory; the engine calls
 *   `Configure`, `GetSchema` and `Construct` (with its resource monitor's address).
 * Simulated here: the repository is this checkout's files (tracked, or untracked and not ignored)
 * committed to a scratch repository and cloned from there with `--depth 1`; npm runs with
 * `prefer-offline` (packages come from the npm cache when it has them, else from the registry); the
 * engine is a fake one (test/support/fake-engine.ts) whose monitor answers registrations and
 * invokes like the mock runtime. No Pulumi CLI runs.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadBundledCatalog } from "../../catalog/load";
import { parseConfig } from "../../config/read";
import { lockText, makeLock } from "../../offers/lock";
import { OfferIndex } from "../../offers/offer-index";
import { resolveOffers } from "../../offers/resolve";
import { SSH_KEY } from "../support/bootstrap-scenarios";
import { answerInvokes } from "../support/component-harness";
import { serializedConstructInputs } from "../support/construct-inputs";
import { FakeEngine, locateRunPlugin, ProviderClient, startPlugin } from "../support/fake-engine";
import { pulumiMocks } from "../support/pulumi-mocks";

const ROOT = path.resolve(__dirname, "../../..");
const FIXTURE = path.join(ROOT, "test", "fixtures", "provider", "schema.json");
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

const CONFIG = `type: dev-environment
name: box
ide: vscode
env:
  - HF_TOKEN
resources:
  gpu: L4,A10G
backends: [aws]
`;

/** A lock of g5.xlarge in us-west-2c: not the cheapest offer for CONFIG, so a used lock shows. */
function g5Lock(): string {
  const catalog = loadBundledCatalog();
  const g5 = resolveOffers(parseConfig(CONFIG), new OfferIndex(catalog), { instanceTypes: ["g5.xlarge"], regions: ["us-west-2"], limit: 1 }).offers[0];
  return lockText(makeLock(g5, "us-west-2c", catalog.stamp));
}

/** npm as Pulumi's Node.js language host runs it in a plugin folder (`npm install --loglevel=error`). */
function pulumiNpmInstall(dir: string): string {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false" };
  for (const key of Object.keys(env)) if (/^npm_(package_|lifecycle_|config_(local_)?prefix)/i.test(key)) delete env[key];
  return execFileSync("npm", ["install", "--loglevel=error"], { cwd: dir, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
}

/** This checkout as a repository: its files (tracked, or untracked and not ignored) committed to a scratch repository. */
function snapshotRepository(into: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of new Set(files)) {
    const source = path.join(ROOT, file);
    if (!fs.existsSync(source) || fs.lstatSync(source).isSymbolicLink() || !fs.statSync(source).isFile()) continue;
    fs.mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
    fs.copyFileSync(source, path.join(into, file));
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: into, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "snapshot");
}

/** The plugin running against a fake engine, in a program directory that holds CONFIG and its lock. */
interface Running {
  engine: FakeEngine;
  client: ProviderClient;
  plugin: ChildProcess;
  programDir: string;
}

async function runPlugin(pluginDir: string, scratch: string): Promise<Running> {
  const programDir = path.join(scratch, "program");
  fs.mkdirSync(programDir, { recursive: true });
  fs.writeFileSync(path.join(programDir, ".dstack.yml"), CONFIG);
  fs.writeFileSync(path.join(programDir, ".dstack.lock.json"), g5Lock());
  const engine = new FakeEngine("dstack-yaml", "dev");
  answerInvokes(engine.recorder);
  await engine.start();
  const { process: plugin, port } = await startPlugin(pluginDir, programDir, engine.address, { ...process.env, PULUMI_HOME: path.join(scratch, "pulumi-home") });
  return { engine, client: new ProviderClient(`127.0.0.1:${port}`), plugin, programDir };
}

function stopPlugin(running: Running | undefined): void {
  running?.client.close();
  running?.plugin.kill();
  running?.engine.stop();
}

/** Construct of a DevEnvironment through the running plugin; the resources the monitor saw and the state. */
async function constructBox(running: Running, name: string, args: Record<string, unknown>) {
  running.engine.registrations.length = 0;
  const inputs = await serializedConstructInputs({ sshPublicKey: SSH_KEY, allowedCidrs: ["203.0.113.4/32"], noRepo: true, env: { HF_TOKEN: pulumi.secret("hf-install-sentinel") }, ...args });
  const result = await running.client.construct(running.engine, "dstack:index:DevEnvironment", name, inputs);
  return { ...result, vm: running.engine.inputsOf(`${name}-vm`), engine: running.engine };
}

/** What every construct must show: the locked offer, the secret kept a secret on its way to the SSM parameter and nowhere else. */
function assertLockedAndSecret(result: Awaited<ReturnType<typeof constructBox>>, name: string): void {
  assert.equal(result.urn, `urn:pulumi:dev::dstack-yaml::dstack:index:DevEnvironment::${name}`);
  assert.deepEqual([result.vm.instanceType, result.vm.availabilityZone, result.vm.region], ["g5.xlarge", "us-west-2c", "us-west-2"]);
  const offer = result.state.offer as { instanceType?: string; instance_type?: string };
  assert.equal(offer.instanceType ?? offer.instance_type, "g5.xlarge");
  const parameter = result.engine.registrations.find((registration) => registration.type === "aws:ssm/parameter:Parameter");
  assert.ok(parameter, "no SSM parameter registered");
  assert.equal((parameter.object.value as Record<string, unknown>)[SECRET_SIG], "1b47061264138c4ac30d75fd1eb44270");
  const leaking = result.engine.registrations.filter((registration) => JSON.stringify(registration.object).includes("hf-install-sentinel") && registration !== parameter);
  assert.deepEqual(leaking.map((registration) => registration.name), []);
  assert.ok(!JSON.stringify(result.state).includes("hf-install-sentinel"));
}

describe("provider: installed as Pulumi installs a plugin", function () {
  // Two real npm installs (one builds the package with tsc): minutes on a loaded machine.
  this.timeout(20 * 60_000);
  let scratch: string;

  before(async () => {
    await pulumiMocks(); // serializes the construct inputs in this process
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dstack-plugin-install-"));
  });

  after(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  describe("from a git URL: a shallow clone, then npm install in provider/", () => {
    let clone: string;
    let running: Running | undefined;
    let installLog = "";

    before(async () => {
      const repository = path.join(scratch, "repository");
      snapshotRepository(repository);
      clone = path.join(scratch, "plugins", "resource-dstack-v0.0.0-xsnapshot");
      execFileSync("git", ["clone", "-q", "--depth", "1", `file://${repository}`, clone], { stdio: "ignore" });
      assert.ok(!fs.existsSync(path.join(clone, "dist")) && !fs.existsSync(path.join(clone, "provider", "schema.json")), "the clone holds no build");
      installLog = pulumiNpmInstall(path.join(clone, "provider"));
      running = await runPlugin(path.join(clone, "provider"), path.join(scratch, "git"));
    });

    after(() => stopPlugin(running));

    it("npm install in provider/ installed and built the package around it (dist/, the schema, its node_modules)", () => {
      assert.match(installLog, /pulumi-dstack plugin: npm ci --include=dev/);
      assert.ok(fs.existsSync(path.join(clone, "dist", "provider", "host.js")));
      assert.deepEqual(JSON.parse(fs.readFileSync(path.join(clone, "provider", "schema.json"), "utf8")), JSON.parse(fs.readFileSync(FIXTURE, "utf8")));
      for (const name of ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/gcp"]) assert.ok(fs.existsSync(path.join(clone, "node_modules", name, "package.json")), name);
      assert.equal(locateRunPlugin(path.join(clone, "provider")), path.join(clone, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin", "index.js"));
    });

    it("a second npm install (pulumi install again) has nothing to do", () => {
      assert.match(pulumiNpmInstall(path.join(clone, "provider")), /is built and its modules resolve: nothing to do/);
    });

    it("the started plugin accepts secrets and output values, and serves the schema", async () => {
      assert.deepEqual(await running!.client.configure(), { acceptSecrets: true, acceptOutputs: true });
      assert.deepEqual(JSON.parse(await running!.client.getSchema()), JSON.parse(fs.readFileSync(FIXTURE, "utf8")));
    });

    it("Construct with a relative configPath reads the configuration and its lock from the program's directory", async () => {
      const result = await constructBox(running!, "box", { configPath: ".dstack.yml" });
      assertLockedAndSecret(result, "box");
      assert.ok(result.engine.resourceList().includes("aws:ec2/instance:Instance box-vm"));
    });

    it("Construct with the configuration and the lock as content (lockContent) deploys the same offer", async () => {
      const result = await constructBox(running!, "inline", { config: CONFIG, lockContent: fs.readFileSync(path.join(running!.programDir, ".dstack.lock.json"), "utf8") });
      assertLockedAndSecret(result, "inline");
    });
  });

  describe("from the npm package: its tarball unpacked, then npm install in provider/", () => {
    let unpacked: string;
    let running: Running | undefined;
    let installLog = "";

    before(async () => {
      const packed = path.join(scratch, "packed");
      fs.mkdirSync(packed, { recursive: true });
      const tarball = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", packed], { cwd: ROOT, encoding: "utf8" }).trim().split("\n").pop()!;
      execFileSync("tar", ["-xzf", path.join(packed, tarball), "-C", packed]);
      unpacked = path.join(packed, "package");
      installLog = pulumiNpmInstall(path.join(unpacked, "provider"));
      running = await runPlugin(path.join(unpacked, "provider"), path.join(scratch, "npm"));
    });

    after(() => stopPlugin(running));

    it("npm install in provider/ installed the production dependencies and both cloud SDKs, without building", () => {
      assert.match(installLog, /pulumi-dstack plugin: npm install --omit=dev --ignore-scripts --no-package-lock \(in \S+\/package\/\.plugin-install\)/);
      assert.ok(!fs.existsSync(path.join(unpacked, ".plugin-install")));
      for (const name of ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/gcp", "yaml", "zod"]) assert.ok(fs.existsSync(path.join(unpacked, "node_modules", name, "package.json")), name);
      assert.ok(!fs.existsSync(path.join(unpacked, "node_modules", "typescript")), "no dev dependency");
      assert.equal(locateRunPlugin(path.join(unpacked, "provider")), path.join(unpacked, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin", "index.js"));
    });

    it("the started plugin serves the schema and constructs with the program directory's files", async () => {
      assert.deepEqual(JSON.parse(await running!.client.getSchema()), JSON.parse(fs.readFileSync(FIXTURE, "utf8")));
      assertLockedAndSecret(await constructBox(running!, "box", { configPath: ".dstack.yml" }), "box");
    });
  });
});
