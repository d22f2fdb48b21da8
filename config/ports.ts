/**
 * `ports[]`: `8080`, `"8080"`, `"80:8080"` (local:container), `"*:8080"` (any local port), or
 * `{local_port, container_port}`.
 */
import { checkKeys, GrammarError, show, toInt, toMapping, within } from "./coerce";
import { isPyNumber } from "./py-values";

/** A forwarded port; `local_port` null means any free local port. */
export interface PortMapping {
  local_port: number | null;
  container_port: number;
}

/** Ports go up to 65536 in dstack 0.18.2x (a quirk it later fixed to 65535). */
export const MAX_PORT = 65536;
/** Python's `re.match` with `$`, which also matches before a final newline. */
const MAPPING_TEXT = /^(?:[0-9]+|\*):[0-9]+\n?$/;
const FORMS = 'a port (8080), "local:container" ("80:8080"), "*:8080" or {local_port, container_port}';

function checkPort(port: number): number {
  if (port < 1 || port > MAX_PORT) {
    throw new GrammarError(`port ${port} is out of range: ports are 1..${MAX_PORT}`, "invalid_value", [], port > MAX_PORT ? "The highest TCP port is 65535" : undefined);
  }
  return port;
}

function parseText(text: string): PortMapping {
  if (MAPPING_TEXT.test(text)) {
    const [local, container] = text.trimEnd().split(":");
    return {
      local_port: local === "*" ? null : within("local_port", () => checkPort(Number(local))),
      container_port: within("container_port", () => checkPort(Number(container))),
    };
  }
  let port: number;
  try {
    port = toInt(text);
  } catch {
    throw new GrammarError(`invalid port ${show(text)}: expected ${FORMS}`, "invalid_value", [], text.includes("-") ? "Port ranges are not supported: list each port" : undefined);
  }
  return { local_port: checkPort(port), container_port: port };
}

/** One entry of `ports`. */
export function parsePort(value: unknown): PortMapping {
  if (typeof value === "boolean" || isPyNumber(value)) {
    const port = checkPort(toInt(value));
    return { local_port: port, container_port: port };
  }
  if (typeof value === "string") return parseText(value);
  const mapping = toMapping(value, FORMS);
  checkKeys(mapping, ["local_port", "container_port"], "a port mapping");
  if (mapping.container_port === undefined || mapping.container_port === null) {
    throw new GrammarError("a port mapping needs container_port", "missing_field", ["container_port"]);
  }
  return {
    local_port: mapping.local_port == null ? null : within("local_port", () => checkPort(toInt(mapping.local_port))),
    container_port: within("container_port", () => checkPort(toInt(mapping.container_port))),
  };
}
