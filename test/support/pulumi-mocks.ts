/**
 * Pulumi's mock runtime for component tests: set once per process (mocha runs every test file in
 * one process), recording every resource registration and invoke, answering invokes from
 * per-test handlers, and faking the computed outputs the components read.
 */
import * as pulumi from "@pulumi/pulumi";
import { recordedOptions, type RecordedOptions } from "../../components/change-effects";

export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider?: string;
}

export interface Invoke {
  token: string;
  inputs: Record<string, unknown>;
}

type InvokeHandler = (inputs: Record<string, unknown>) => Record<string, unknown>;

/** Fake computed outputs per resource type (merged over the inputs). */
const COMPUTED: Record<string, (name: string, inputs: Record<string, unknown>) => Record<string, unknown>> = {
  "aws:ec2/instance:Instance": (name) => ({ publicIp: "203.0.113.10", privateIp: "10.0.0.10", arn: `arn:aws:ec2:::instance/${name}` }),
  "aws:ec2/eip:Eip": () => ({ publicIp: "203.0.113.20" }),
  "aws:ebs/volume:Volume": (name) => ({ arn: `arn:aws:ec2:::volume/${name}` }),
  "aws:iam/role:Role": (name) => ({ arn: `arn:aws:iam::123456789012:role/${name}` }),
  "aws:ssm/parameter:Parameter": (name, inputs) => ({ arn: `arn:aws:ssm:::parameter${String(inputs.name ?? name)}` }),
  "aws:ec2/keyPair:KeyPair": (name, inputs) => ({ keyName: String(inputs.keyName ?? `${name}-kp`), arn: `arn:aws:ec2:::key-pair/${name}` }),
  "aws:iam/instanceProfile:InstanceProfile": (name) => ({ arn: `arn:aws:iam::123456789012:instance-profile/${name}` }),
  "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1, defaultVersion: 1 }),
  // An instant fleet that found capacity for its first override (a test's computedOverride empties it).
  "aws:ec2/fleet:Fleet": (name, inputs) => {
    const configs = inputs.launchTemplateConfigs as { overrides?: { instanceType?: string }[] }[] | undefined;
    return { fleetInstanceSets: [{ instanceIds: [`${name}-instance`], instanceType: configs?.[0]?.overrides?.[0]?.instanceType ?? "", lifecycle: "on-demand", platform: "" }] };
  },
  "gcp:compute/instance:Instance": (name) => ({
    // GCE names are auto-named from the Pulumi name, with a random suffix.
    name: `${name}-4f3c2a1`,
    instanceId: `${name}-instance-id`,
    selfLink: `https://compute.googleapis.com/${name}`,
    networkInterfaces: [{ accessConfigs: [{ natIp: "198.51.100.10" }] }],
  }),
  "gcp:compute/address:Address": () => ({ address: "198.51.100.50" }),
  "gcp:compute/disk:Disk": (name) => ({ selfLink: `https://compute.googleapis.com/disks/${name}` }),
  "gcp:serviceaccount/account:Account": (name, inputs) => ({ email: `${String(inputs.accountId ?? name)}@project.iam.gserviceaccount.com` }),
  "gcp:secretmanager/secret:Secret": (name, inputs) => ({ name: `projects/p/secrets/${String(inputs.secretId ?? name)}` }),
  "gcp:tpu/v2Vm:V2Vm": () => ({ networkEndpoints: [{ ipAddress: "10.1.0.5", accessConfigs: [{ externalIp: "198.51.100.30" }] }] }),
  // A queued TPU (components/gcp/tpu-queued-resource.ts) once Cloud TPU provisioned it.
  "pulumi-nodejs:dynamic/dstack:TpuQueuedResource": (_name, inputs) => ({ publicIp: "198.51.100.31", state: "ACTIVE", queuedResource: `projects/${String(inputs.project)}/locations/${String(inputs.zone)}/queuedResources/${String(inputs.nodeId)}` }),
  "dstack:index:TpuQueuedResource": (_name, inputs) => ({ publicIp: "198.51.100.31", state: "ACTIVE", queuedResource: `projects/${String(inputs.project)}/locations/${String(inputs.zone)}/queuedResources/${String(inputs.nodeId)}` }),
};

export class MockRecorder {
  registrations: Registration[] = [];
  invokes: Invoke[] = [];
  /**
   * What earlier deployments left in each stash (by the stash's name), as the engine keeps it: a
   * stash registered here answers this value as its `output`, else its `input` (a new stash).
   */
  stashes = new Map<string, unknown>();
  /**
   * The replacement triggers the earlier deployment recorded, by stash name: a stash whose trigger
   * changed is replaced, so it answers its new `input`, as the engine does.
   */
  stashTriggers = new Map<string, unknown>();
  /** The options of each resource, by name, as `recordOptions` saw them (a transformation, run before registration). */
  options = new Map<string, RecordedOptions>();
  /** Extra computed outputs by resource (a harness's model of the cloud), merged last. */
  computedOverride: ((type: string, name: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined) | undefined;
  private handlers = new Map<string, InvokeHandler>();

  /** A `transformations` entry that records each resource's diff options (give it to the component). */
  readonly recordOptions: pulumi.ResourceTransformation = ({ name, props, opts }) => {
    this.options.set(name, recordedOptions(opts as RecordedOptions));
    return { props, opts };
  };

  /** Answers invokes of `token` (e.g. `aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings`). */
  onInvoke(token: string, handler: InvokeHandler): void {
    this.handlers.set(token, handler);
  }

  /** True when `token` has an answer. */
  hasHandler(token: string): boolean {
    return this.handlers.has(token);
  }

  reset(): void {
    this.registrations = [];
    this.invokes = [];
    this.stashes.clear();
    this.stashTriggers.clear();
    this.options.clear();
    this.computedOverride = undefined;
    this.handlers.clear();
  }

  /** Registrations other than components, as sorted `type name` lines. */
  resourceList(): string[] {
    return this.registrations.filter((r) => !r.type.startsWith("dstack:")).map((r) => `${r.type} ${r.name}`).sort();
  }

  /** The inputs of the one registration named `name`. */
  inputsOf(name: string): Record<string, unknown> {
    const found = this.registrations.filter((r) => r.name === name);
    if (found.length !== 1) throw new Error(`${found.length} registrations named ${name}: ${this.resourceList().join(", ")}`);
    return found[0].inputs;
  }

  /** True when the stash `name` keeps its recorded value: it exists, and its trigger (if both runs give one) is the same. */
  private keeps(name: string): boolean {
    if (!this.stashes.has(name)) return false;
    const before = this.stashTriggers.get(name);
    const now = this.options.get(name)?.replacementTrigger;
    return before === undefined || now === undefined || JSON.stringify(before) === JSON.stringify(now);
  }

  mocks(): pulumi.runtime.Mocks {
    return {
      newResource: (args) => {
        this.registrations.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
        const computed = args.type === "pulumi:index:Stash"
          ? { output: this.keeps(args.name) ? this.stashes.get(args.name) : args.inputs.input }
          : (COMPUTED[args.type]?.(args.name, args.inputs) ?? {});
        const override = this.computedOverride?.(args.type, args.name, args.inputs) ?? {};
        return { id: `${args.name}-id`, state: { ...args.inputs, ...computed, ...override } };
      },
      call: (args) => {
        this.invokes.push({ token: args.token, inputs: args.inputs });
        const handler = this.handlers.get(args.token);
        if (!handler) throw new Error(`no mock answer for invoke ${args.token}`);
        return handler(args.inputs);
      },
    };
  }
}

let ready: Promise<MockRecorder> | undefined;

/** The process-wide mock runtime (set on first use, `preview = false` so every apply runs). */
export function pulumiMocks(): Promise<MockRecorder> {
  ready ??= (async () => {
    const recorder = new MockRecorder();
    await pulumi.runtime.setMocks(recorder.mocks(), "dstack-test", "test", false);
    return recorder;
  })();
  return ready;
}

/** Waits until every registration and invoke issued so far has been answered. */
export async function settled(): Promise<void> {
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

/** The value of an output (under mocks every output resolves). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** True when the output is marked secret. */
export function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(output);
}
