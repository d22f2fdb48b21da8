#!/usr/bin/env bash
# What a user pays to install pulumi-dstack: packs this checkout (`npm pack`, built dist/ needed),
# installs the tarball into an empty project with a fresh npm cache (every package downloaded)
# and again with that cache warm, then prints the time, node_modules' size and the Pulumi
# resource plugins npm put there (each one a provider binary `pulumi up` downloads).
# Usage: bench/consumer-install.sh [EXTRA_PACKAGE...]   (e.g. @pulumi/aws for an AWS-only user)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$(cd "$repo" && npm pack --silent --ignore-scripts --pack-destination "$work")"
echo "tarball: $tarball $(du -k "$work/$tarball" | cut -f1) KB"
install() {
  rm -rf "$work/project" && mkdir -p "$work/project" && cd "$work/project"
  echo '{"name":"consumer","version":"1.0.0","private":true}' > package.json
  local start end
  start=$(date +%s.%N)
  npm install --no-audit --no-fund --loglevel=error --cache "$work/cache" "$work/$tarball" "$@" > /dev/null
  end=$(date +%s.%N)
  echo "  $(echo "$end - $start" | bc) s, node_modules $(du -sm node_modules | cut -f1) MB on disk, $(npm ls --all --parseable 2>/dev/null | tail -n +2 | wc -l) packages"
  node -e '
    const fs = require("fs"), path = require("path");
    const found = [];
    (function walk(dir) {
      for (const name of fs.readdirSync(dir)) {
        if (name.startsWith(".")) continue;
        const full = path.join(dir, name);
        if (name.startsWith("@")) { walk(full); continue; }
        try { const p = JSON.parse(fs.readFileSync(path.join(full, "package.json"), "utf8")); if (p.pulumi && p.pulumi.resource) found.push(`${p.name}@${p.version}`); } catch {}
        if (fs.existsSync(path.join(full, "node_modules"))) walk(path.join(full, "node_modules"));
      }
    })("node_modules");
    const sdk = JSON.parse(fs.readFileSync("node_modules/@pulumi/pulumi/package.json", "utf8")).version;
    console.log(`   resource plugins: ${found.join(", ") || "none"}; @pulumi/pulumi ${sdk}`);'
}
echo "cold cache:"; install "$@"
echo "warm cache:"; install "$@"
