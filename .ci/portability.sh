#!/usr/bin/env bash
# Smoke test of the portability table's paired timer (tests/NetGen.Portability, docs/benchmarks.md): a quick run (5 short
# rounds per pair, no timing claims) on the JIT and as a default Native AOT executable (x86-64-v2 class on x64). Each run
# first checks the naive loops against NetGen on the suite's samples and exits 1 if they disagree or if NetGen allocated
# in any of the 10 pairs (Forward and training step of the five benchmark networks). About 30 s, most of it the publish.
# Ends with "Portability: OK ..." or exits 1.
set -uo pipefail
cd "$(dirname "$0")/.."

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
summary=()

# quick NAME COMMAND...: one quick run, its summary line kept.
quick() {
  local name=$1
  shift
  if "$@" --quick > "$dir/$name.log" 2>&1; then
    summary+=("$name: $(grep -m 1 '^Platform:' "$dir/$name.log" | sed 's/^Platform: //; s/;.*//'), $(grep '^Portability:' "$dir/$name.log" | sed 's/^Portability: //')")
  else
    cat "$dir/$name.log"
    echo "Portability: the $name run failed"
    exit 1
  fi
}

dotnet build tests/NetGen.Portability -c Release > "$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log"; exit 1; }
quick JIT dotnet tests/NetGen.Portability/bin/Release/net10.0/NetGen.Portability.dll
dotnet publish tests/NetGen.Portability -c Release --use-current-runtime -o "$dir/aot" > "$dir/publish.log" 2>&1 \
  || { tail -n 30 "$dir/publish.log"; echo "Portability: the Native AOT publish failed"; exit 1; }
quick AOT "$dir/aot/NetGen.Portability"

for line in "${summary[@]}"; do
  echo "Portability: $line"
done
echo "Portability: OK (naive loops agree with NetGen, NetGen allocated nothing, on the JIT and under default Native AOT)"
