#!/usr/bin/env bash
# Installs the e2e workbench (code-server 4.100.3 = VS Code 1.100.3, the last release for Node 20) and
# playwright-core into <repo>/.vscode-test/cs from the committed lock, offline-safe.
# Usage: test/e2e/harness/install.sh [--force]
# Needs Debian packages: chromium ripgrep libkrb5-dev (plus node 20 headers in /usr/include/node,
# which nodesource's nodejs package ships). Skips all work when the stamp matches the lock and Node.
#
# Why not a plain `npm install`: code-server's postinstall refuses to run as root and @vscode/ripgrep's
# downloads from GitHub; so scripts are skipped and the postinstall steps are run here, with Debian's rg.
set -euo pipefail

HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HARNESS_DIR/../../.." && pwd)
DIR=${E2E_CODE_SERVER_DIR:-$REPO_ROOT/.vscode-test/cs}
STAMP=$DIR/.installed-stamp

for tool in node npm rg; do
  command -v "$tool" >/dev/null || { echo "install.sh: '$tool' not found (apt-get install ripgrep / nodejs)" >&2; exit 1; }
done
[ -x /usr/bin/chromium ] || { echo "install.sh: /usr/bin/chromium missing (apt-get install chromium)" >&2; exit 1; }

want_stamp="$(sha256sum "$HARNESS_DIR/package-lock.json" | cut -d' ' -f1) node-$(node --version) rg-$(readlink -f "$(command -v rg)")"
if [ "${1:-}" != --force ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_stamp" ] \
   && [ -f "$DIR/node_modules/code-server/out/node/entry.js" ]; then
  echo "install.sh: code-server already installed in $DIR"
  exit 0
fi

started=$(date +%s)
rm -f "$STAMP"
mkdir -p "$DIR"
cp "$HARNESS_DIR/package.json" "$HARNESS_DIR/package-lock.json" "$DIR/"
cd "$DIR"

# ~/.npmrc may say yes=false, and node-pty's build runs `npx node-gyp`.
export npm_config_yes=true
# Build native modules against the installed headers instead of downloading them from nodejs.org.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_version.h ]; then export npm_config_nodedir=/usr; fi
quiet=(--no-audit --no-fund --loglevel=error)

npm ci --ignore-scripts "${quiet[@]}"

cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts "${quiet[@]}"   # pinned by the shipped npm-shrinkwrap.json
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
npm rebuild "${quiet[@]}"                               # node-pty, spdlog, kerberos, native-watchdog...
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --unsafe-perm "${quiet[@]}")
cd "$DIR"
npm rebuild argon2 "${quiet[@]}"

echo "$want_stamp" > "$STAMP"
echo "install.sh: code-server installed in $DIR in $(( $(date +%s) - started )) s"
