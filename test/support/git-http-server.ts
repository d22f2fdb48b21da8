/**
 * A git smart-HTTP server for the tests that clone at boot: `git http-backend` behind Node's http,
 * on 127.0.0.1 and a free port, in a child process of its own (the tests run the bootstrap with
 * spawnSync, which would block a server in their own process). With a token, every request must
 * carry it as the password of HTTP basic auth (any user name); on each request that does, the
 * server looks through /proc at that moment for a process whose arguments or environment hold the
 * token (git, its helpers and the bootstrap are running then) and writes what it found to its
 * report, one JSON line per request: { method, path, user, authorized, leaks }.
 *
 * Run as a program: `node git-http-server.js PROJECT_ROOT REPORT_FILE`, the token in the
 * environment (GIT_SERVER_TOKEN, not an argument: the server's own arguments are looked through
 * too); it prints `listening PORT` once ready.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { toolPath } from "./system-tools";

export interface GitRequest {
  method: string;
  path: string;
  user: string | null;
  authorized: boolean;
  /** Processes (other than the server) whose arguments or environment held the token: `PID cmdline`. */
  leaks: string[];
}

export interface GitServer {
  /** `http://127.0.0.1:PORT`: a repository `R.git` under the project root is at `${base}/R.git`. */
  base: string;
  requests(): GitRequest[];
  stop(): void;
}

/** Starts the server over the bare repositories in `root`, requiring `token` when given. */
export async function startGitServer(root: string, report: string, token?: string): Promise<GitServer> {
  fs.writeFileSync(report, "");
  const child = spawn(process.execPath, [__filename, root, report], {
    env: { ...process.env, GIT_SERVER_TOKEN: token ?? "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^listening (\d+)$/m.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.on("exit", (code) => reject(new Error(`git server exited (${code}) before listening`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    requests: () => fs.readFileSync(report, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as GitRequest),
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): void {
  if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, "SIGTERM");
}

/** `PID cmdline` of every process but this one whose arguments or environment contain `secret`. */
function processesHolding(secret: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "latin1");
      const environ = fs.readFileSync(`/proc/${pid}/environ`, "latin1");
      if (cmdline.includes(secret) || environ.includes(secret)) found.push(`${pid} ${cmdline.replace(/\0/g, " ").trim()}`);
    } catch {
      // The process ended meanwhile.
    }
  }
  return found;
}

/** The user and password of a basic `Authorization` header. */
function basicAuth(header: string | undefined): { user: string; password: string } | null {
  if (!header?.startsWith("Basic ")) return null;
  const text = Buffer.from(header.slice("Basic ".length), "base64").toString("utf8");
  const colon = text.indexOf(":");
  return colon < 0 ? null : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Answers one request with `git http-backend` (CGI): the request body in, the CGI headers and body out. */
function backend(root: string, request: http.IncomingMessage, response: http.ServerResponse, user: string | null): void {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const header = (name: string) => String(request.headers[name] ?? "");
  const cgi = spawn(toolPath("git"), ["http-backend"], {
    env: {
      PATH: process.env.PATH, GIT_PROJECT_ROOT: root, GIT_HTTP_EXPORT_ALL: "1", REQUEST_METHOD: request.method ?? "GET",
      PATH_INFO: decodeURIComponent(url.pathname), QUERY_STRING: url.search.slice(1), CONTENT_TYPE: header("content-type"),
      HTTP_CONTENT_ENCODING: header("content-encoding"), GIT_PROTOCOL: header("git-protocol"), REMOTE_USER: user ?? "", REMOTE_ADDR: "127.0.0.1",
    },
  });
  request.pipe(cgi.stdin);
  let head: Buffer | null = Buffer.alloc(0);
  cgi.stdout.on("data", (chunk: Buffer) => {
    if (head === null) {
      response.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    let status = 200;
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const colon = line.indexOf(":");
      const [name, value] = [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
      else response.setHeader(name, value);
    }
    response.writeHead(status);
    response.write(head.subarray(end + 4));
    head = null;
  });
  cgi.stdout.on("end", () => response.end());
}

function serve(root: string, report: string, token: string): void {
  const server = http.createServer((request, response) => {
    const auth = basicAuth(request.headers.authorization);
    const authorized = token === "" || auth?.password === token;
    const entry: GitRequest = { method: request.method ?? "", path: request.url ?? "", user: auth?.user ?? null, authorized, leaks: authorized && token ? processesHolding(token) : [] };
    fs.appendFileSync(report, `${JSON.stringify(entry)}\n`);
    if (!authorized) {
      response.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"' });
      response.end();
      return;
    }
    backend(root, request, response, auth?.user ?? null);
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === "object" && address ? address.port : 0}\n`);
  });
  process.on("SIGTERM", () => process.exit(0));
}

if (require.main === module) {
  const [root, report] = process.argv.slice(2);
  if (!root || !report) throw new Error(`usage: node ${path.basename(__filename)} PROJECT_ROOT REPORT_FILE`);
  serve(root, report, process.env.GIT_SERVER_TOKEN ?? "");
}
