/**
 * A stand-in for the Cloud TPU v2 REST API on 127.0.0.1 (node `http`), for the queued TPU's
 * provider: queued resources (create with `queuedResourceId`, get, delete with `force`), nodes
 * (get, patch with `updateMask`) and operations (done at their first poll). Each queued resource
 * walks through the states a test scripts for it, one per GET (the last one stays). Every request
 * is recorded (method, path, query, JSON body) with the token it came with kept apart; a request
 * without the expected token gets 401.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { QueuedTpuInputs } from "../../components/gcp/tpu-request";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

interface FakeQueuedResource {
  body: Record<string, unknown>;
  states: string[];
  failure?: string;
}

/** A queued TPU's inputs as the component declares them (on demand, no disks), with `overrides`. */
export function queuedInputs(overrides: Partial<QueuedTpuInputs> = {}): QueuedTpuInputs {
  return {
    project: "ml-project",
    zone: "us-east5-a",
    nodeId: "dstack-tpu-ml-test-17b10300",
    acceleratorType: "v5litepod-8",
    runtimeVersion: "v2-alpha-tpuv5-lite",
    description: "dstack dev environment tpu-box",
    metadata: { "block-project-ssh-keys": "TRUE", "startup-script": "#!/bin/bash\necho boot\n", "ssh-keys": "ubuntu:ssh-ed25519 AAAA key" },
    labels: { owner: "dstack", dstack_name: "tpu-box" },
    tags: ["dstack-tpu-ml-test-17b10300"],
    networkConfig: { enableExternalIps: true, network: "default" },
    serviceAccount: { email: "dstack-tpu@ml-project.iam.gserviceaccount.com", scopes: ["https://www.googleapis.com/auth/cloud-platform"] },
    validUntilSeconds: 1800,
    ...overrides,
  };
}

/**
 * The requests of one round of the engine's calls on a queued TPU with `queuedInputs()` (create
 * through WAITING_FOR_RESOURCES and PROVISIONING, an update of the metadata, a read, a delete), as
 * `lines()` gives them: the same whichever host serves the calls.
 */
export function crudRoundLines(): string[] {
  const { project, zone, nodeId } = queuedInputs();
  const location = `projects/${project}/locations/${zone}`;
  const queued = `${location}/queuedResources/${nodeId}`;
  const node = `${location}/nodes/${nodeId}`;
  const operation = (n: number) => `GET ${location}/operations/operation-${n}`;
  return [
    `POST ${location}/queuedResources?queuedResourceId=${nodeId}`,
    operation(1),
    `GET ${queued}`,
    `GET ${queued}`,
    `GET ${queued}`,
    `GET ${node}`,
    `PATCH ${node}?updateMask=metadata`,
    operation(2),
    `GET ${queued}`,
    `GET ${node}`,
    `DELETE ${queued}?force=true`,
    operation(3),
  ];
}

export class FakeTpuApi {
  readonly requests: RecordedRequest[] = [];
  /** The bearer tokens the requests came with, in order. */
  readonly tokens: string[] = [];
  /** Queued resources by full name. */
  readonly queued = new Map<string, FakeQueuedResource>();
  /** Tokens the API accepts. */
  accepted = new Set(["test-token-1"]);
  /** The states the next created queued resource walks through. */
  nextStates: string[] = ["ACTIVE"];
  /** The FAILED state's message for the next created queued resource. */
  nextFailure: string | undefined;
  /** Nodes that are gone though their queued resource is there (full names). */
  readonly missingNodes = new Set<string>();
  private operations = 0;
  private server = http.createServer((request, response) => this.answer(request, response));
  url = "";

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.requests.length = 0;
    this.tokens.length = 0;
    this.queued.clear();
    this.accepted = new Set(["test-token-1"]);
    this.nextStates = ["ACTIVE"];
    this.nextFailure = undefined;
    this.missingNodes.clear();
    this.operations = 0;
  }

  /** A queued resource that is there already (an earlier request). */
  existing(name: string, body: Record<string, unknown>, states: string[]): void {
    this.queued.set(name, { body, states: [...states] });
  }

  /** The requests as `METHOD path?query` lines. */
  lines(): string[] {
    return this.requests.map((entry) => `${entry.method} ${entry.path}${Object.keys(entry.query).length ? `?${new URLSearchParams(entry.query).toString()}` : ""}`);
  }

  private operation(target: string): Record<string, unknown> {
    this.operations += 1;
    const location = target.split("/").slice(0, 4).join("/");
    return { name: `${location}/operations/operation-${this.operations}`, done: false };
  }

  private answer(request: http.IncomingMessage, response: http.ServerResponse): void {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString()));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://fake");
      const path = url.pathname.replace(/^\/v2\//, "");
      const body = text === "" ? null : (JSON.parse(text) as unknown);
      const token = String(request.headers.authorization ?? "").replace(/^Bearer /, "");
      this.tokens.push(token);
      this.requests.push({ method: request.method ?? "", path, query: Object.fromEntries(url.searchParams), body });
      const send = (status: number, json: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(json));
      };
      if (!this.accepted.has(token)) return send(401, { error: { code: 401, message: "Request had invalid authentication credentials.", status: "UNAUTHENTICATED" } });
      const [status, json] = this.route(request.method ?? "", path, url.searchParams, body as Record<string, unknown> | null);
      send(status, json);
    });
  }

  private route(method: string, path: string, query: URLSearchParams, body: Record<string, unknown> | null): [number, unknown] {
    const notFound: [number, unknown] = [404, { error: { code: 404, message: `Resource '${path}' was not found`, status: "NOT_FOUND" } }];
    if (/\/operations\//.test(path) && method === "GET") return [200, { name: path, done: true }];
    if (method === "POST" && path.endsWith("/queuedResources")) {
      const name = `${path}/${query.get("queuedResourceId")}`;
      if (this.queued.has(name)) return [409, { error: { code: 409, message: `Resource '${name}' already exists`, status: "ALREADY_EXISTS" } }];
      this.queued.set(name, { body: body ?? {}, states: [...this.nextStates], failure: this.nextFailure });
      return [200, this.operation(path)];
    }
    const queued = this.queued.get(path);
    if (/\/queuedResources\//.test(path)) {
      if (queued === undefined) return notFound;
      if (method === "DELETE") {
        this.queued.delete(path);
        return [200, this.operation(path)];
      }
      const state = queued.states.length > 1 ? queued.states.shift()! : queued.states[0];
      const failedData = state === "FAILED" && queued.failure ? { failedData: { error: { code: 8, message: queued.failure } } } : {};
      return [200, { ...queued.body, name: path, state: { state, ...failedData } }];
    }
    if (/\/nodes\//.test(path)) {
      const owner = path.replace("/nodes/", "/queuedResources/");
      if (!this.queued.has(owner) || this.missingNodes.has(path)) return notFound;
      if (method === "PATCH") return [200, this.operation(path)];
      return [200, { name: path, state: "READY", networkEndpoints: [{ ipAddress: "10.1.0.7", port: 8470, accessConfig: { externalIp: "203.0.113.77" } }] }];
    }
    return notFound;
  }
}
