#!/usr/bin/env bash
# Runs every test project of the solution and ends with one line "N passed, M failed".
# Installs what the tests need first (kubectl, helm, etcd: idempotent). Test fixtures start and stop their own
# services (the server process, etcd members, the FlareDB protocol test server) on free 127.0.0.1 ports.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PATH="$root/.tools/bin:$PATH"

bash scripts/install-tools.sh || { echo "tool installation failed"; echo "0 passed, 1 failed"; exit 1; }

config=Release
if ! dotnet build K8sHost.Rest.sln -c "$config" -nologo -v q -clp:ErrorsOnly; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

results="$root/TestResults"
rm -rf "$results"; mkdir -p "$results"
projects=(tests/K8sHost.UnitTests tests/K8sHost.Storage.Tests tests/K8sHost.Api.Tests tests/K8sHost.E2E.Tests tests/K8sHost.Testing.Tests samples/ConfigMapMirror.Tests)
status=0
for p in "${projects[@]}"; do
  name="$(basename "$p")"
  echo "== $name"
  # Each project gets a hang guard so one stuck test cannot eat the CI budget.
  if ! timeout 900 dotnet test "$p" -c "$config" --no-build -nologo -v q \
      --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
      -- RunConfiguration.TestSessionTimeout=840000; then
    status=1
  fi
done

passed=0; failed=0
for trx in "$results"/*.trx; do
  [[ -f $trx ]] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# A project that crashed before writing results counts as a failure.
for p in "${projects[@]}"; do
  [[ -f "$results/$(basename "$p").trx" ]] || { echo "no results from $(basename "$p")"; failed=$((failed + 1)); }
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 && $status -eq 0 ]]
