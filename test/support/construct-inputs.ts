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
 * The engine sends output values to a provider that accepts them, as Pulumi's Node.js provider
 * server does; the mock monitor turns the feature off for programs, so it is on while serializing.
 */
export async function asConstructInputs(args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const store = getStore();
  const saved = store.supportsOutputValues;
  store.supportsOutputValues = true;
  try {
    const serialized = await rpc.serializeProperties("construct inputs", args, { keepOutputValues: true });
    return await deserializeInputs(Struct.fromJavaScript(serialized), new Map());
  } finally {
    store.supportsOutputValues = saved;
  }
}
