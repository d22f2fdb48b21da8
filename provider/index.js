// The run-time entry of the `dstack` Pulumi plugin (package.json "main"). Pulumi's Node.js plugin
// runner requires this file and, as it exports a function, runs it: it serves the compiled
// component provider (dist/provider/host.js) to the engine. The schema analyzer reads index.ts,
// which names the same classes in TypeScript. Pulumi's install step (`npm install` here) runs
// install.js, which builds or installs the package around this folder when it needs to.
"use strict";
module.exports = function serveDstackProvider() {
  return require("../dist/provider/host").serve(process.argv.slice(2));
};
