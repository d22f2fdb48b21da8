/**
 * The plugin as Pulumi starts it: Pulumi's Node.js plugin runner (`@pulumi/pulumi/cmd/run-plugin`)
 * in the provider folder with an engine address, which requires `provider/index.js` and runs the
 * function it exports. The process prints its gRPC port, answers `GetSchema` with the checked-in
 * schema and `GetPluginInfo` with the package version.
 */
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { PROVIDER_DIR } from "../../provider/host";

const ROOT = path.resolve(__dirname, "../../..");

/* eslint-disable @typescript-eslint/no-require-imports -- generated gRPC stubs without typings */
const services = require("@pulumi/pulumi/proto/provider_grpc_pb") as {
  ResourceProviderClient: new (address: string, credentials: grpc.ChannelCredentials) => ProviderClient;
};
const messages = require("@pulumi/pulumi/proto/provider_pb") as { GetSchemaRequest: new () => object };
const { Empty } = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => object };
/* eslint-enable @typescript-eslint/no-require-imports */

interface ProviderClient {
  getSchema(request: object, callback: (error: Error | null, response: { getSchema(): string }) => void): void;
  getPluginInfo(request: object, callback: (error: Error | null, response: { getVersion(): string }) => void): void;
  close(): void;
}

function call<T>(start: (callback: (error: Error | null, response: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((error, response) => (error ? reject(error) : resolve(response))));
}

describe("provider: the plugin process", function () {
  let plugin: ChildProcess;
  let client: ProviderClient;

  before(async () => {
    const runner = path.join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin");
    plugin = spawn(process.execPath, [runner, ".", "127.0.0.1:1"], { cwd: PROVIDER_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    plugin.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      plugin.stdout!.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = /^(\d+)\n/.exec(stdout);
        if (line) resolve(line[1]);
      });
      plugin.on("exit", (code) => reject(new Error(`the plugin exited (${code}) before printing its port: ${stderr}`)));
    });
    client = new services.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    plugin?.kill();
  });

  it("serves the checked-in schema over gRPC", async () => {
    const response = await call<{ getSchema(): string }>((callback) => client.getSchema(new messages.GetSchemaRequest(), callback));
    const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "fixtures", "provider", "schema.json"), "utf8")) as unknown;
    assert.deepEqual(JSON.parse(response.getSchema()), fixture);
  });

  it("reports the package version", async () => {
    const response = await call<{ getVersion(): string }>((callback) => client.getPluginInfo(new Empty(), callback));
    const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    assert.equal(response.getVersion(), rootPackage.version);
  });
});
