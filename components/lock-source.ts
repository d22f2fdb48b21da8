/**
 * Where a dev environment's offer lock comes from: `lockContent` (the lock's text, for programs
 * that pass files as content, such as Pulumi YAML's `fn::readFile`), else `lockFile`, else the
 * lock file next to `configPath`. Relative paths are read from the working directory: the
 * program's directory in a TypeScript program, and in the component provider too, since Pulumi
 * starts every plugin in the program's directory.
 */
import { lockFileFor, parseLock, readLock, type OfferLock } from "../offers/lock";

/** The lock (null when there is none) and how messages name it. */
export function lockOf(args: { configPath?: string; lockFile?: string; lockContent?: string }): { lock: OfferLock | null; lockFile: string } {
  if (args.lockContent !== undefined) {
    if (args.lockFile !== undefined) throw new Error("give at most one of lockFile (a path) and lockContent (the lock's text)");
    return { lock: parseLock(args.lockContent, "lockContent"), lockFile: "lockContent" };
  }
  const file = args.lockFile ?? (args.configPath ? lockFileFor(args.configPath) : undefined);
  return file ? { lock: readLock(file), lockFile: file } : { lock: null, lockFile: "no lockFile or lockContent given for an inline config" };
}
