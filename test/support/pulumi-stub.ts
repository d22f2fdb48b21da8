/**
 * A stand-in for the Pulumi CLI, placed first on PATH: a `pulumi` script that answers what the
 * Automation API runs (`pulumi version`, `pulumi stack select --stack S`, `pulumi up --yes
 * --skip-preview ...`, `pulumi stack output --json`, `pulumi stack history --json`) and logs every
 * call with the lock file as it was then. An update reads the lock (what the program's
 * `DevEnvironment` would deploy: its offer and zone, `default` without a lock) and fails with the
 * scripted provider error for that key, or succeeds.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** A call the stub answered: its arguments and the lock's `instance_type@zone` (or `default`) then. */
export interface StubCall {
  args: string[];
  lock: string;
}

const SCRIPT = `#!/usr/bin/env node
const fs = require("node:fs");
const args = process.argv.slice(2);
let lock = "default";
try {
  const held = JSON.parse(fs.readFileSync(process.env.STUB_LOCK, "utf8"));
  lock = held.offer.instance_type + (held.zone ? "@" + held.zone : "");
} catch {}
fs.appendFileSync(process.env.STUB_LOG, JSON.stringify({ args, lock }) + "\\n");
const has = (...words) => words.every((word, i) => args[i] === word);
if (has("version")) { console.log("v3.230.0"); process.exit(0); }
if (has("stack", "select")) {
  const stack = args[args.indexOf("--stack") + 1];
  if (stack !== process.env.STUB_STACK) { console.error("error: no stack named '" + stack + "' found"); process.exit(255); }
  process.exit(0);
}
if (has("up")) {
  const errors = JSON.parse(process.env.STUB_ERRORS || "{}");
  if (errors[lock] !== undefined) { process.stdout.write(errors[lock]); console.error("error: update failed"); process.exit(255); }
  console.log("Updating (" + process.env.STUB_STACK + "):\\nResources:\\n    + 23 created\\nUpdate succeeded");
  process.exit(0);
}
if (has("stack", "output")) { console.log("{}"); process.exit(0); }
if (has("stack", "history")) { console.log("[]"); process.exit(0); }
console.error("stub pulumi: no answer for " + args.join(" "));
process.exit(2);
`;

/** Writes the stub into a fresh folder; returns the folder (for PATH) and the log file. */
export function pulumiStub(): { bin: string; log: string } {
  const bin = mkdtempSync(path.join(tmpdir(), "pulumi-stub-"));
  writeFileSync(path.join(bin, "pulumi"), SCRIPT);
  chmodSync(path.join(bin, "pulumi"), 0o755);
  const log = path.join(bin, "calls.jsonl");
  writeFileSync(log, "");
  return { bin, log };
}

/** The calls logged so far. */
export function stubCalls(log: string): StubCall[] {
  return readFileSync(log, "utf8").split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as StubCall);
}
