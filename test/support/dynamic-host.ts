/**
 * Pulumi's Node.js dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`, what the engine
 * starts as `pulumi-resource-pulumi-nodejs` for a dynamic resource), run as a process in a folder
 * of the test's choosing, and the `ResourceProvider` calls the engine makes to it: check, create,
 * diff, update, read, delete, each with the resource's properties as the engine sends them (the
 * serialized provider in `__provider`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ProviderClient } from "./fake-engine";

/* eslint-disable @typescript-eslint/no-require-imports -- generated gRPC messages without usable typings */
const providerPb = require("@pulumi/pulumi/proto/provider_pb") as Record<string, new () => Message>;
/* eslint-enable @typescript-eslint/no-require-imports */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- protobuf messages: generated getters and setters
type Message = any;

/** How long the host may take to print its port. */
const START_TIMEOUT_MS = 60_000;

export interface DynamicHost {
  process: ChildProcess;
  client: ProviderClient;
  /** What the host wrote to stderr. */
  output(): string;
  stop(): void;
}

/** Starts the host in `cwd` with `env` (the engine address it is given is never called by these requests). */
export async function startDynamicHost(cwd: string, env: NodeJS.ProcessEnv): Promise<DynamicHost> {
  const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  const child = spawn(process.execPath, [entry, "127.0.0.1:1"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the dynamic-provider host printed no port in ${START_TIMEOUT_MS} ms: ${stderr}`)), START_TIMEOUT_MS);
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^(\d+)\n/.exec(stdout);
      if (line) {
        clearTimeout(timer);
        resolve(line[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`the dynamic-provider host exited (${code}) before printing its port: ${stderr}`)));
  });
  const client = new ProviderClient(`127.0.0.1:${port}`);
  return {
    process: child,
    client,
    output: () => stderr,
    stop: () => {
      client.close();
      child.kill();
    },
  };
}

const struct = (value: Record<string, unknown>) => Struct.fromJavaScript(value as never);
const plain = (value: Message): Record<string, unknown> => (value ? value.toJavaScript() : {}) as Record<string, unknown>;

/** The engine's calls, each as a promise of plain values. */
export class DynamicCalls {
  constructor(
    private readonly client: ProviderClient,
    private readonly urn: string,
  ) {}

  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<Record<string, unknown>> {
    const request = new providerPb.CheckRequest();
    request.setUrn(this.urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    return plain((await this.client.call("check", request)).getInputs());
  }

  async create(properties: Record<string, unknown>): Promise<{ id: string; properties: Record<string, unknown> }> {
    const request = new providerPb.CreateRequest();
    request.setUrn(this.urn);
    request.setProperties(struct(properties));
    const response = await this.client.call("create", request);
    return { id: response.getId(), properties: plain(response.getProperties()) };
  }

  async diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ changes: number; replaces: string[]; deleteBeforeReplace: boolean }> {
    const request = new providerPb.DiffRequest();
    request.setId(id);
    request.setUrn(this.urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.client.call("diff", request);
    return { changes: response.getChanges(), replaces: response.getReplacesList(), deleteBeforeReplace: response.getDeletebeforereplace() };
  }

  async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<Record<string, unknown>> {
    const request = new providerPb.UpdateRequest();
    request.setId(id);
    request.setUrn(this.urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    return plain((await this.client.call("update", request)).getProperties());
  }

  async read(id: string, properties: Record<string, unknown>): Promise<{ id: string; properties: Record<string, unknown> }> {
    const request = new providerPb.ReadRequest();
    request.setId(id);
    request.setUrn(this.urn);
    request.setProperties(struct(properties));
    const response = await this.client.call("read", request);
    return { id: response.getId(), properties: plain(response.getProperties()) };
  }

  async delete(id: string, properties: Record<string, unknown>): Promise<void> {
    const request = new providerPb.DeleteRequest();
    request.setId(id);
    request.setUrn(this.urn);
    request.setProperties(struct(properties));
    await this.client.call("delete", request);
  }
}

/** `DiffResponse.DiffChanges`: DIFF_UNKNOWN 0, DIFF_NONE 1, DIFF_SOME 2. */
export const DIFF = { unknown: 0, none: 1, some: 2 } as const;
