/**
 * The commands a dev environment runs once per container, listed and joined as dstack 0.18.2x's
 * dev-environment configurator does (the IDE server is installed before them by the container's
 * init): ipykernel, `setup` (deprecated), an empty line, then `init`. The container runs the line
 * with `"$SHELL" -i -c`, so the first failure stops the rest (`&&`).
 */
import type { DevEnvironmentSpec } from "../config/schema";

/** dstack's INSTALL_IPYKERNEL: for Jupyter in VS Code; without pip it says so and goes on. */
export const INSTALL_IPYKERNEL = '(pip install -q --no-cache-dir ipykernel 2> /dev/null) || echo "no pip, ipykernel was not installed"';

/**
 * dstack's `_join_shell_commands`: each command trimmed, one that ends with `&` (a server started
 * in the background) wrapped in `{ ... }` so that `&&` can follow it, all joined with ` && `.
 */
export function joinShellCommands(commands: readonly string[]): string {
  return commands
    .map((command) => command.trim())
    .map((command) => (command.endsWith("&") ? `{ ${command} }` : command))
    .join(" && ");
}

/** The command line of init.sh. */
export function initCommandLine(spec: DevEnvironmentSpec): string {
  return joinShellCommands([INSTALL_IPYKERNEL, ...spec.setup, "echo", ...spec.init]);
}
