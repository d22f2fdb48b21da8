/**
 * The fetcher a fleet VM's launch template installs (bootstrap/shell/fetch-boot-ssm.py), run with
 * python3 against a stand-in for the instance metadata service and SSM on localhost: it reads the
 * role's credentials (IMDSv2), the manifest and the parts with SigV4-signed GetParameter calls
 * (the signature checked by an independent implementation here), writes the bootstrap (mode 700);
 * a second boot with the same script rewrites nothing; parts that do not match their manifest keep
 * the bootstrap there.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { BOOT_PARTS, bootParts } from "../../components/aws/boot-parts";
import { requireTools } from "../support/system-tools";

const ROOT = path.resolve(__dirname, "../../..");
const FETCHER = path.join(ROOT, "bootstrap", "shell", "fetch-boot-ssm.py");
const PREFIX = "/dstack/p/s/box";
const CREDS = { AccessKeyId: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Token: "session-token" };
/** A script that does not compress to one part: hex of a hash chain (deterministic). */
const NOISE = Array.from({ length: 150 }, (_, i) => createHash("sha256").update(String(i)).digest("hex")).join("\n");
const SCRIPT = `#!/bin/bash\necho "the bootstrap"\n: '${NOISE}'\n`;

const hmac = (key: Buffer | string, text: string) => createHmac("sha256", key).update(text).digest();
const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

/** SigV4 of a request, as SSM checks it (AWS's documented algorithm, written again here). */
function expectedSignature(request: IncomingMessage, body: string, host: string): string {
  const date = String(request.headers["x-amz-date"]);
  const day = date.slice(0, 8);
  const signed = ["content-type", "host", "x-amz-date", "x-amz-security-token", "x-amz-target"];
  const values: Record<string, string> = { host, "content-type": String(request.headers["content-type"]), "x-amz-date": date, "x-amz-security-token": String(request.headers["x-amz-security-token"]), "x-amz-target": String(request.headers["x-amz-target"]) };
  const canonical = ["POST", "/", "", ...signed.map((name) => `${name}:${values[name]}`), "", signed.join(";"), sha256(body)].join("\n");
  const scope = `${day}/us-east-1/ssm/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", date, scope, sha256(canonical)].join("\n");
  const key = ["us-east-1", "ssm", "aws4_request"].reduce<Buffer>((k, part) => hmac(k, part), hmac(`AWS4${CREDS.SecretAccessKey}`, day));
  return `AWS4-HMAC-SHA256 Credential=${CREDS.AccessKeyId}/${scope}, SignedHeaders=${signed.join(";")}, Signature=${createHmac("sha256", key).update(toSign).digest("hex")}`;
}

/** The stand-in: IMDSv2 and SSM, serving `values` by parameter name; records the names asked and any bad signature. */
function standIn(values: Map<string, string>): Promise<{ server: Server; url: string; asked: string[]; badSignatures: number }> {
  const state = { asked: [] as string[], badSignatures: 0 };
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const url = request.url ?? "";
      if (request.method === "PUT" && url === "/latest/api/token") return response.end("imds-token");
      if (url.startsWith("/latest/meta-data/")) {
        if (request.headers["x-aws-ec2-metadata-token"] !== "imds-token") return response.writeHead(401).end();
        return response.end(url.endsWith("/security-credentials/") ? "box-role\n" : JSON.stringify(CREDS));
      }
      if (request.method === "POST" && request.headers["x-amz-target"] === "AmazonSSM.GetParameter") {
        const { address, port } = server.address() as AddressInfo;
        if (request.headers.authorization !== expectedSignature(request, body, `${address}:${port}`)) state.badSignatures += 1;
        const name = (JSON.parse(body) as { Name: string }).Name;
        state.asked.push(name);
        const value = values.get(name);
        if (value === undefined) return response.writeHead(400).end(JSON.stringify({ __type: "ParameterNotFound" }));
        return response.end(JSON.stringify({ Parameter: { Name: name, Value: value } }));
      }
      response.writeHead(404).end();
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    resolve({ server, url: `http://127.0.0.1:${port}`, get asked() { return state.asked; }, get badSignatures() { return state.badSignatures; } });
  }));
}

/** The parameters of `script`, by name. */
function parameters(script: string): Map<string, string> {
  const { manifest, parts } = bootParts(script);
  return new Map([[`${PREFIX}/boot/0`, manifest], ...parts.map((part, i): [string, string] => [`${PREFIX}/boot/${i + 1}`, part])]);
}

/** Runs the fetcher against the stand-in (asynchronously: the server is in this process). */
function fetcher(url: string, root: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, DSTACK_BOOTSTRAP_ROOT: root, DSTACK_IMDS_URL: `${url}/latest`, DSTACK_SSM_URL: `${url}/`, DSTACK_FETCH_ATTEMPTS: "1" };
  return new Promise((resolve) => {
    const child = spawn("python3", [FETCHER, "us-east-1", PREFIX], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("the fleet VM's boot fetcher (fetch-boot-ssm.py)", () => {
  it("reads the manifest and the parts, signed, and writes the bootstrap; the same script again rewrites nothing; parts that do not match keep it", async function () {
    requireTools(this, ["python3"]);
    const root = mkdtempSync(path.join(tmpdir(), "fetch-boot-"));
    const target = path.join(root, "usr/local/lib/dstack-pulumi/bootstrap.sh");
    const values = parameters(SCRIPT);
    const stand = await standIn(values);
    try {
      const first = await fetcher(stand.url, root);
      assert.equal(first.status, 0, first.stderr);
      assert.equal(first.stdout, "dstack-pulumi: the bootstrap was taken from SSM Parameter Store\n");
      assert.equal(readFileSync(target, "utf8"), SCRIPT);
      assert.equal(statSync(target).mode & 0o777, 0o700);
      const used = (JSON.parse(values.get(`${PREFIX}/boot/0`)!) as { parts: number }).parts;
      assert.ok(used > 1 && used < BOOT_PARTS, `${used} parts`);
      assert.deepEqual(stand.asked, Array.from({ length: used + 1 }, (_, i) => `${PREFIX}/boot/${i}`), "the manifest, then the parts it names");
      assert.equal(stand.badSignatures, 0);

      const again = await fetcher(stand.url, root);
      assert.deepEqual([again.status, again.stdout], [0, ""]);

      // An update in progress: the manifest of another script with these parts.
      values.set(`${PREFIX}/boot/0`, bootParts(`${SCRIPT}changed\n`).manifest);
      const torn = await fetcher(stand.url, root);
      assert.equal(torn.status, 0);
      assert.match(torn.stderr, /cannot read the boot script from SSM: the parts do not match the manifest/);
      assert.equal(readFileSync(target, "utf8"), SCRIPT, "the bootstrap there is kept");
    } finally {
      stand.server.close();
    }
  });
});
