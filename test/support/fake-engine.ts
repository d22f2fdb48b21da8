/**
 * The engine side of a provider plugin's gRPC conversation, for tests that start the plugin as a
 * process: one server with Pulumi's `Engine` service (logs, the root resource) and its
 * `ResourceMonitor` service (feature support, resource registrations, invokes), as `pulumi up`
 * offers them to a component provider during `Construct`. Registrations are recorded as the
 * monitor receives them (the serialized inputs, secrets still wrapped); each resource answers its
 * inputs plus the computed outputs and invoke answers of the mock recorder (`MockRecorder`), so
 * the plugin's components see the same cloud as the mock-runtime tests. Also: a client for the
 * plugin's `ResourceProvider` service, and the plugin process started the way Pulumi starts it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { MockRecorder } from "./pulumi-mocks";

/* eslint-disable @typescript-eslint/no-require-imports -- generated gRPC stubs without usable typings */
const resourceGrpc = require("@pulumi/pulumi/proto/resource_grpc_pb") as { ResourceMonitorService: grpc.ServiceDefinition };
const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as { EngineService: grpc.ServiceDefinition };
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as { ResourceProviderClient: new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client & Record<string, Function> };
const resourcePb = require("@pulumi/pulumi/proto/resource_pb") as Record<string, new () => Message>;
const enginePb = require("@pulumi/pulumi/proto/engine_pb") as Record<string, new () => Message>;
const providerPb = require("@pulumi/pulumi/proto/provider_pb") as Record<string, new () => Message>;
const { Empty } = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => Message };
/* eslint-enable @typescript-eslint/no-require-imports */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- protobuf messages: generated getters and setters
type Message = any;
type Unary = (call: { request: Message }, callback: (error: Error | null, response?: Message) => void) => void;

/** Features the monitor reports as supported (those of a current engine that these components use). */
const FEATURES = new Set(["secrets", "resourceReferences", "outputValues", "deletedWith", "aliasSpecs", "resourceHooks"]);

export interface MonitorRegistration {
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  /** The provider version the registration asks for ("" for none). */
  version: string;
  /** The inputs as serialized by the plugin (secrets as `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`). */
  object: Record<string, unknown>;
}

export class FakeEngine {
  readonly registrations: MonitorRegistration[] = [];
  /** Info (1), warning (2) and error (3) messages. */
  readonly logs: { severity: number; message: string }[] = [];
  readonly invokes: string[] = [];
  /** The cloud as the mock-runtime tests see it (computed outputs, invoke answers). */
  readonly recorder = new MockRecorder();
  private server = new grpc.Server();
  address = "";

  constructor(readonly project = "project", readonly stack = "stack") {}

  async start(): Promise<string> {
    const handle = (method: (request: Message) => Promise<Message> | Message): Unary => (call, callback) => {
      Promise.resolve()
        .then(() => method(call.request))
        .then((response) => callback(null, response), (error: Error) => callback(error));
    };
    this.server.addService(resourceGrpc.ResourceMonitorService, {
      supportsFeature: handle((request) => {
        const response = new resourcePb.SupportsFeatureResponse();
        response.setHassupport(FEATURES.has(request.getId()));
        return response;
      }),
      registerResource: handle((request) => this.register(request)),
      registerResourceOutputs: handle(() => new Empty()),
      readResource: handle((request) => {
        const state = this.resourceState(request.getType(), request.getName(), request.getProperties());
        const response = new resourcePb.ReadResourceResponse();
        response.setUrn(this.urnOf(request.getParent(), request.getType(), request.getName()));
        response.setProperties(Struct.fromJavaScript(state as never));
        return response;
      }),
      invoke: handle((request) => this.invoke(request)),
      registerPackage: handle(() => {
        const response = new resourcePb.RegisterPackageResponse();
        response.setRef("fake-package-ref");
        return response;
      }),
      registerResourceHook: handle(() => new Empty()),
      signalAndWaitForShutdown: handle(() => new Empty()),
    } as unknown as grpc.UntypedServiceImplementation);
    this.server.addService(engineGrpc.EngineService, {
      log: handle((request) => {
        // Debug messages (severity 0) are the SDK's RPC trace: left out.
        if (request.getSeverity() > 0) this.logs.push({ severity: request.getSeverity(), message: request.getMessage() });
        return new Empty();
      }),
      getRootResource: handle(() => {
        const response = new enginePb.GetRootResourceResponse();
        response.setUrn(this.urnOf("", "pulumi:pulumi:Stack", `${this.project}-${this.stack}`));
        return response;
      }),
      setRootResource: handle(() => new enginePb.SetRootResourceResponse()),
    } as unknown as grpc.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) => this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
    this.address = `127.0.0.1:${port}`;
    return this.address;
  }

  stop(): void {
    this.server.forceShutdown();
  }

  /** The URN the engine gives `type`/`name` under `parent` (the parent's type joined by `$`). */
  urnOf(parent: string, type: string, name: string): string {
    const qualified = parent ? `${parent.split("::")[2]}$${type}` : type;
    return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
  }

  /** The registrations of custom resources (not components or providers) as sorted `type name` lines. */
  resourceList(): string[] {
    return this.registrations.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => `${r.type} ${r.name}`).sort();
  }

  inputsOf(name: string): Record<string, unknown> {
    const found = this.registrations.filter((registration) => registration.name === name);
    if (found.length !== 1) throw new Error(`${found.length} registrations named ${name}: ${this.resourceList().join(", ")}`);
    return found[0].object;
  }

  /** The serialized inputs with the recorder's computed outputs added (plain values). */
  private resourceState(type: string, name: string, properties: Message): Record<string, unknown> {
    const object = (properties ? properties.toJavaScript() : {}) as Record<string, unknown>;
    const inputs = rpc.deserializeProperties(properties ?? new Struct()) as Record<string, unknown>;
    const { state } = this.recorder.mocks().newResource({ type, name, inputs, custom: true } as never) as { state: Record<string, unknown> };
    const computed = Object.fromEntries(Object.entries(state).filter(([key]) => !(key in inputs)));
    return { ...object, ...computed };
  }

  private register(request: Message): Message {
    const type: string = request.getType();
    const name: string = request.getName();
    const custom: boolean = request.getCustom();
    const object = (request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
    this.registrations.push({ type, name, custom, parent: request.getParent(), version: request.getVersion(), object });
    const response = new resourcePb.RegisterResourceResponse();
    response.setUrn(this.urnOf(request.getParent(), type, name));
    if (custom) {
      response.setId(type.startsWith("pulumi:providers:") ? `${name}-provider-id` : `${name}-id`);
      response.setObject(Struct.fromJavaScript(this.resourceState(type, name, request.getObject()) as never));
    } else {
      response.setObject(new Struct());
    }
    return response;
  }

  private invoke(request: Message): Message {
    const token: string = request.getTok();
    this.invokes.push(token);
    const inputs = rpc.deserializeProperties(request.getArgs() ?? new Struct()) as Record<string, unknown>;
    const result = this.recorder.mocks().call({ token, inputs, provider: request.getProvider() } as never) as Record<string, unknown>;
    const response = new providerPb.InvokeResponse();
    response.setReturn(Struct.fromJavaScript(result as never));
    return response;
  }
}

/** A client of a plugin's `ResourceProvider` service, each call as a promise. */
export class ProviderClient {
  private client: grpc.Client & Record<string, Function>;

  constructor(address: string) {
    this.client = new providerGrpc.ResourceProviderClient(address, grpc.credentials.createInsecure());
  }

  call<T = Message>(method: string, request: Message): Promise<T> {
    return new Promise((resolve, reject) => this.client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))));
  }

  async getSchema(): Promise<string> {
    return (await this.call("getSchema", new providerPb.GetSchemaRequest())).getSchema();
  }

  /** `Configure` as the engine sends it to every provider; answers what the provider accepts. */
  async configure(): Promise<{ acceptSecrets: boolean; acceptOutputs: boolean }> {
    const request = new providerPb.ConfigureRequest();
    request.setAcceptsecrets(true);
    request.setAcceptresources(true);
    request.setArgs(new Struct());
    const response = await this.call("configure", request);
    return { acceptSecrets: response.getAcceptsecrets(), acceptOutputs: response.getAcceptoutputs() };
  }

  /**
   * `Construct` of `type`/`name` with `inputs` (already serialized, output values kept) against
   * `engine`'s monitor; answers the component's URN and its state (deserialized, secrets unwrapped
   * into `{secret: value}`).
   */
  async construct(engine: FakeEngine, type: string, name: string, inputs: Record<string, unknown>): Promise<{ urn: string; state: Record<string, unknown> }> {
    const request = new providerPb.ConstructRequest();
    request.setProject(engine.project);
    request.setStack(engine.stack);
    request.setDryrun(false);
    request.setParallel(4);
    request.setMonitorendpoint(engine.address);
    request.setType(type);
    request.setName(name);
    request.setInputs(Struct.fromJavaScript(inputs as never));
    request.setAcceptsOutputValues(true);
    const response = await this.call("construct", request);
    return { urn: response.getUrn(), state: (response.getState()?.toJavaScript() ?? {}) as Record<string, unknown> };
  }

  close(): void {
    this.client.close();
  }
}

/**
 * Where Pulumi's Node.js language host finds the plugin runner for `pluginDir` (its
 * `locateModule`: `require.resolve("@pulumi/pulumi/cmd/run-plugin")` in the plugin's folder).
 */
export function locateRunPlugin(pluginDir: string): string {
  const result = spawnSync(process.execPath, ["-e", "console.log(require.resolve('@pulumi/pulumi/cmd/run-plugin'))"], { cwd: pluginDir, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`@pulumi/pulumi/cmd/run-plugin does not resolve from ${pluginDir}: ${result.stderr}`);
  return result.stdout.trim();
}

/**
 * The plugin as Pulumi runs it (`RunPlugin`): `node <run-plugin> <plugin folder> <engine address>`
 * in the program's directory (the engine's working directory for plugins), resolved once it
 * prints its port.
 */
export async function startPlugin(pluginDir: string, programDir: string, engineAddress: string, env: NodeJS.ProcessEnv = process.env): Promise<{ process: ChildProcess; port: string; output: () => string }> {
  const runner = locateRunPlugin(pluginDir);
  const child = spawn(process.execPath, [runner, pluginDir, engineAddress], { cwd: programDir, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^(\d+)\n/.exec(stdout);
      if (line) resolve(line[1]);
    });
    child.on("exit", (code) => reject(new Error(`the plugin exited (${code}) before printing its port: ${stderr}`)));
  });
  return { process: child, port, output: () => stderr };
}
