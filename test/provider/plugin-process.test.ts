/**
 * The plugin as Pulumi starts it: Pulumi's Node.js plugin runner (`@pulumi/pulumi/cmd/run-plugin`,
 * resolved from the provider folder) with the provider folder and an engine address, in the
 * program's directory, which requires `provider/index.js` and runs the function it exports. The
 * process prints its gRPC port, answers `GetSchema` with the checked-in schema and
 * `GetPluginInfo` with the package version.
 */
import { strict as assert } from "node:assert";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROVIDER_DIR } from "../../provider/host";
import { ProviderClient, startPlugin } from "../support/fake-engine";

const ROOT = path.resolve(__dirname, "../../..");

// eslint-disable-next-line @typescript-eslint/no-require-imports -- generated protobuf without typings
const { Empty } = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => object };

describe("provider: the plugin process", function () {
  let plugin: ChildProcess;
  let client: ProviderClient;

  before(async () => {
    const started = await startPlugin(PROVIDER_DIR, fs.mkdtempSync(path.join(os.tmpdir(), "dstack-program-")), "127.0.0.1:1");
    plugin = started.process;
    client = new ProviderClient(`127.0.0.1:${started.port}`);
  });

  after(() => {
    client?.close();
    plugin?.kill();
  });

  it("serves the checked-in schema over gRPC", async () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "fixtures", "provider", "schema.json"), "utf8")) as unknown;
    assert.deepEqual(JSON.parse(await client.getSchema()), fixture);
  });

  it("reports the package version", async () => {
    const response = await client.call<{ getVersion(): string }>("getPluginInfo", new Empty());
    const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    assert.equal(response.getVersion(), rootPackage.version);
  });
});
