#!/usr/bin/env bash
# `npm run pack`: builds the publishable packages from a clean build and packs each into a tarball.
#   scripts/pack.sh [OUT_DIR]     OUT_DIR defaults to $FAULTLINE_PACK_DIR or .cache/pack (gitignored)
# Packages: @faultline/instrumentation (the preload), @faultline/signals (the reading side the CLI
# imports), @faultline/cli (bin `faultline`). Their dist/ folders are deleted first, so nothing from an
# older layout can slip into a tarball. Prints each tarball with its size, unpacked size and file
# count, and writes npm's own report (`npm pack --json`) to OUT_DIR/pack.json.
# Install the result: npm install OUT_DIR/faultline-*.tgz   Publish it: npm publish OUT_DIR/<tarball>
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-${FAULTLINE_PACK_DIR:-$REPO/.cache/pack}}"
PACKAGES=(instrumentation signals cli)
cd "$REPO"
# shellcheck source=/dev/null
[ -f .cache/env.sh ] && source .cache/env.sh
NODE="${FAULTLINE_NODE24:-node}"

for p in "${PACKAGES[@]}"; do rm -rf "$p/dist" "$p"/*.tsbuildinfo; done
"$NODE" node_modules/typescript/bin/tsc -b "${PACKAGES[@]}"

mkdir -p "$OUT"
rm -f "$OUT"/*.tgz "$OUT/pack.json"
ws=()
for p in "${PACKAGES[@]}"; do ws+=(--workspace "$p"); done
npm pack "${ws[@]}" --pack-destination "$OUT" --json --loglevel=error >"$OUT/pack.json"

"$NODE" -e '
const [file, out] = process.argv.slice(1);
const kb = (n) => (n / 1024).toFixed(1) + " kB";
for (const p of JSON.parse(require("node:fs").readFileSync(file, "utf8"))) {
  console.log(`${out}/${p.filename}  ${kb(p.size)} packed, ${kb(p.unpackedSize)} unpacked, ${p.entryCount} files`);
}' "$OUT/pack.json" "$OUT"
