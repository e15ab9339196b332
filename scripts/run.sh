#!/usr/bin/env bash
# Runs the API server on the embedded SQLite store (no other service needed).
# Data, certificates and the admin kubeconfig go to ./data (relative to where you run this) unless --data-dir says
# otherwise. Builds first (NuGet restore included); `dotnet run` is avoided because it would move the working directory.
# `scripts/run.sh --help` lists every flag; the benchmark starts the server the same way, with no other settings.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$root/src/K8sHost.Server" -c Release -nologo -v q -clp:ErrorsOnly >&2
exec dotnet "$root/src/K8sHost.Server/bin/Release/net10.0/K8sHost.Server.dll" "$@"
