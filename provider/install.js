// The install step of the `dstack` plugin folder. Pulumi installs a Node.js plugin by running
// `npm install` in the folder that holds its PulumiPlugin.yaml (this one), and npm runs this
// script. The plugin is the pulumi-dstack package around this folder, and its code resolves its
// modules from there, so this makes that package ready:
// - a git checkout (`pulumi package add <repository URL>/provider`: Pulumi clones the whole
//   repository, then installs here) has sources only: `npm ci` in the package, whose `prepare`
//   builds dist/ and provider/schema.json (this needs the dev dependencies: TypeScript, Pulumi's
//   schema analyzer, the cloud SDKs);
// - the npm package (an unpacked `npm pack` tarball, or node_modules/pulumi-dstack) is built
//   already; what the package cannot resolve is installed in it, production only, with the cloud
//   SDKs (optional peers of the library, both needed by a plugin that serves every backend);
// - everything resolves (a consumer that installed both cloud SDKs, a second run): nothing to do.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const packageDir = path.resolve(__dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8"));

/** The cloud SDKs the plugin loads (optional peer dependencies of the library). */
const CLOUD_SDKS = ["@pulumi/aws", "@pulumi/gcp"];

/** The modules the plugin's code requires at run time: dependencies, @pulumi/pulumi and the cloud SDKs. */
function runtimeModules() {
  return [...Object.keys(manifest.dependencies ?? {}), "@pulumi/pulumi", ...CLOUD_SDKS];
}

/** True when Node's resolution from the package finds `name` (a node_modules folder here or above). */
function resolvable(name) {
  for (let dir = packageDir; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "node_modules", name, "package.json"))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

function isBuilt() {
  return fs.existsSync(path.join(packageDir, "dist", "provider", "host.js")) && fs.existsSync(path.join(packageDir, "provider", "schema.json"));
}

/** The npm that runs this script (Pulumi runs `npm install`), else the one on PATH. */
function npmCommand() {
  const execPath = process.env.npm_execpath;
  return execPath && /npm-cli\.js$/.test(execPath) ? [process.execPath, execPath] : ["npm"];
}

/** The environment of the nested npm: npm's own settings, without the ones that point it at this folder. */
function nestedEnvironment() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_(config_(local_)?prefix|config_omit|config_include|config_production|package_|lifecycle_)/i.test(key)) delete env[key];
  }
  return env;
}

function npm(args, cwd = packageDir) {
  const [command, ...prefix] = npmCommand();
  console.log(`pulumi-dstack plugin: npm ${args.join(" ")} (in ${cwd})`);
  const result = spawnSync(command, [...prefix, ...args, "--no-audit", "--no-fund"], { cwd, env: nestedEnvironment(), stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`pulumi-dstack plugin: npm ${args[0]} in ${cwd} failed (${result.error ? result.error.message : `exit code ${result.status}`})`);
    return false;
  }
  return true;
}

/**
 * The published package's run-time modules, installed into its node_modules: npm installs them in
 * a scratch project (the package's own manifest lists the SDKs as dev and optional peer
 * dependencies, which an install there would leave out), then they move into the package.
 */
function installRuntimeModules() {
  const peers = manifest.peerDependencies ?? {};
  const dependencies = { ...manifest.dependencies };
  for (const name of ["@pulumi/pulumi", ...CLOUD_SDKS]) dependencies[name] = peers[name] ?? "*";
  const scratch = path.join(packageDir, ".plugin-install");
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch);
  try {
    fs.writeFileSync(path.join(scratch, "package.json"), `${JSON.stringify({ name: "dstack-plugin-runtime", private: true, dependencies }, null, 2)}\n`);
    if (!npm(["install", "--omit=dev", "--ignore-scripts", "--no-package-lock"], scratch)) return false;
    const target = path.join(packageDir, "node_modules");
    if (!fs.existsSync(target)) {
      fs.renameSync(path.join(scratch, "node_modules"), target);
      return true;
    }
    for (const entry of fs.readdirSync(path.join(scratch, "node_modules"))) {
      const names = entry.startsWith("@") ? fs.readdirSync(path.join(scratch, "node_modules", entry)).map((name) => `${entry}/${name}`) : [entry];
      for (const name of names) {
        if (name.startsWith(".") || fs.existsSync(path.join(target, name))) continue;
        fs.mkdirSync(path.dirname(path.join(target, name)), { recursive: true });
        fs.renameSync(path.join(scratch, "node_modules", name), path.join(target, name));
      }
    }
    return true;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function main() {
  const missing = () => runtimeModules().filter((name) => !resolvable(name));
  if (isBuilt() && missing().length === 0) {
    console.log(`pulumi-dstack plugin: ${packageDir} is built and its modules resolve: nothing to do`);
    return 0;
  }
  if (!isBuilt()) {
    // A checkout: install everything from the lock file; `prepare` builds.
    const lock = fs.existsSync(path.join(packageDir, "package-lock.json"));
    if (!npm([lock ? "ci" : "install", "--include=dev"])) return 1;
  } else {
    // The published package: its production dependencies, @pulumi/pulumi and both cloud SDKs.
    if (!installRuntimeModules()) return 1;
  }
  const left = [...(isBuilt() ? [] : ["dist/ and provider/schema.json (the build)"]), ...missing()];
  if (left.length > 0) {
    console.error(`pulumi-dstack plugin: ${packageDir} still lacks ${left.join(", ")}`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
