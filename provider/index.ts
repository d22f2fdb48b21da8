/**
 * The components of the `dstack` Pulumi package, as the schema analyzer of
 * `@pulumi/pulumi/provider/experimental` reads them (TypeScript sources; package.json names this
 * file through `main: index.js`). At run time Pulumi requires `index.js`, which serves the same
 * classes compiled (host.ts).
 */
export { DevEnvironment } from "../components/dev-environment";
export { Volume } from "../components/volume";
