// The provider's run-time entry (package.json "main"): the compiled components. Pulumi's plugin
// host finds the ComponentResource classes among these exports and serves them; its schema
// analyzer reads index.ts, the same exports as TypeScript sources.
"use strict";
const { DevEnvironment } = require("../dist/components/dev-environment");
module.exports = { DevEnvironment };
