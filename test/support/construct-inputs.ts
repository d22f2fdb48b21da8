/**
 * Component args as a component provider receives them from the engine: serialized with output
 * values kept (secrets and dependencies travel as output values), then read back by the provider
 * server's own `deserializeInputs`.
 */
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- internal: the runtime's per-program state
const { getStore } = require("@pulumi/pulumi/runtime/state") as { getStore(): { supportsOutputValues: boolean } };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- exported by the server module, not by its typings
const { deserializeInputs } = require("@pulumi/pulumi/provider/server") as {
  deserializeInputs(inputs: Struct, dependencies: Map<string, { getUrnsList(): string[] }>): Promise<Record<string, unknown>>;
};

/**
 * `args` serialized as the engine sends them to a provider that accepts output values (secrets and
 * dependencies as output values), as Pulumi's Node.js provider server does; the mock monitor turns
 * the feature off for programs, so it is on while serializing.
 */
export async function serializedConstructInputs(args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const store = getStore();
  const saved = store.supportsOutputValues;
  store.supportsOutputValues = true;
  try {
    return await rpc.serializeProperties("construct inputs", args, { keepOutputValues: true });
  } finally {
    store.supportsOutputValues = saved;
  }
}

/** `args` as a component provider receives them: serialized as the engine sends them, read back by the provider server. */
export async function asConstructInputs(args: Record<string, unknown>): Promise<Record<string, unknown>> {
  return deserializeInputs(Struct.fromJavaScript((await serializedConstructInputs(args)) as never), new Map());
}
