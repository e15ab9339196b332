#!/usr/bin/env bash
# Runs the API server on the embedded SQLite store (no other service needed).
# Data, certificates and the admin kubeconfig go to ./data unless --data-dir says otherwise.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run --project "$root/src/K8sHost.Server" -c Release -- "$@"
