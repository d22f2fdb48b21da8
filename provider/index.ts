/**
 * The multi-language component provider's entry, as its schema analyzer reads it (TypeScript
 * sources). At run time Pulumi requires `index.js`, which loads the same classes compiled.
 */
export { DevEnvironment } from "../components/dev-environment";
