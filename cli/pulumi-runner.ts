/**
 * The capacity loop's `Runner` over the user's own Pulumi CLI and stack, through Pulumi's
 * Automation API (`LocalWorkspace` on the project folder; `pulumi up --yes --skip-preview` per
 * attempt, `--replace URN` when the loop asks, `--refresh` when the user does). No server of ours:
 * the CLI, its backend, credentials and stack config are the user's. The Automation API is loaded
 * only here (it is large). A failed update resolves with the CLI's output; a stack that cannot be
 * selected rejects (the loop has nothing to retry).
 */
import type { Runner } from "./capacity-loop";

export interface AutomationOptions {
  /** The Pulumi project's folder (where Pulumi.yaml is). */
  workDir: string;
  stackName: string;
  /** `pulumi up --refresh` on every attempt. */
  refresh: boolean;
}

/** The runner, once the stack is selected. */
export async function automationRunner(options: AutomationOptions): Promise<Runner> {
  const automation = await import("@pulumi/pulumi/automation");
  const stack = await automation.LocalWorkspace.selectStack({ stackName: options.stackName, workDir: options.workDir });
  return {
    async up({ replace, onOutput }) {
      try {
        const result = await stack.up({ replace, refresh: options.refresh, ...(onOutput ? { onOutput } : {}) });
        return { ok: true, output: `${result.stdout}\n${result.stderr}` };
      } catch (error) {
        if (error instanceof automation.CommandError) return { ok: false, output: error.message };
        throw error;
      }
    },
  };
}
