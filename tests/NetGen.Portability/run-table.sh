#!/usr/bin/env bash
# The portability table of docs/benchmarks.md: publishes tests/NetGen.Portability as Native AOT executables for several
# instruction sets, runs the paired timer (NetGen against the naive loops) in every configuration one after the other,
# and prints the combined tables. About 15 s of timing per configuration and repeat, plus one publish per AOT
# configuration (about 40 s each).
#
#   tests/NetGen.Portability/run-table.sh [DIR]     # DIR keeps the native builds, logs and results.tsv (default: a new temporary one)
#   ROUNDS=51 REPEAT=3 CONFIGS="jit-default aot-default" tests/NetGen.Portability/run-table.sh   # the configurations in turn, 3 times
set -euo pipefail
cd "$(dirname "$0")/../.."

dir=${1:-$(mktemp -d)}
mkdir -p "$dir"
rounds=${ROUNDS:-101}
repeat=${REPEAT:-1}
configs=${CONFIGS:-"jit-default jit-avx512-off jit-avx2-off aot-default aot-x86-64-v2 aot-x86-64-v3 aot-x86-64-v4 aot-native"}
tsv="$dir/results.tsv"
: > "$tsv"

dotnet build tests/NetGen.Portability -c Release > "$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log"; exit 1; }
dll=tests/NetGen.Portability/bin/Release/net10.0/NetGen.Portability.dll

# publish NAME [MSBUILD PROPERTIES...]: one native executable per instruction set, once per run of this script.
declare -A published
publish() {
  local name=$1
  shift
  [ -n "${published[$name]:-}" ] && return 0
  published[$name]=1
  dotnet publish tests/NetGen.Portability -c Release --use-current-runtime -o "$dir/$name" "$@" > "$dir/publish-$name.log" 2>&1 \
    || { tail -n 30 "$dir/publish-$name.log"; exit 1; }
}

# run LABEL COMMAND...: one configuration, appending its rows to the TSV.
run() {
  local label=$1
  shift
  echo "== $label: $*" | tee -a "$dir/runs.log"
  "$@" --rounds "$rounds" --label "$label" --tsv "$tsv" | tee -a "$dir/runs.log" | grep -E '^(Platform|Portability):'
}

for _ in $(seq "$repeat"); do for config in $configs; do
  case $config in
    jit-default)    run "JIT default" dotnet "$dll" ;;
    jit-avx512-off) run "JIT AVX512=0" env DOTNET_EnableAVX512=0 dotnet "$dll" ;;
    jit-avx2-off)   run "JIT AVX2=0" env DOTNET_EnableAVX2=0 dotnet "$dll" ;;
    aot-default)    publish aot-default && run "AOT default" "$dir/aot-default/NetGen.Portability" ;;
    aot-native)     publish aot-native -p:IlcInstructionSet=native && run "AOT native" "$dir/aot-native/NetGen.Portability" ;;
    aot-*)          set=${config#aot-}; publish "$config" "-p:IlcInstructionSet=$set" && run "AOT $set" "$dir/$config/NetGen.Portability" ;;
    *)              echo "unknown configuration $config" >&2; exit 2 ;;
  esac
done; done

# One table per operation: a row per network, a column per configuration, each cell NetGen and naive (median time per
# call) and the median of the paired NetGen / naive ratios; then the same from each side's fastest tenth of batches.
# With REPEAT > 1 each figure is the median over the repeats.
for op in Forward Train; do
  for kind in median fastest; do
    echo
    echo "$op, $kind:"
    awk -F'\t' -v op="$op" -v kind="$kind" '
      function t(ns) { return ns >= 1000 ? sprintf("%.2f µs", ns / 1000) : sprintf("%.1f ns", ns) }
      function median(key,    n, i, j, v, tmp) {
        n = count[key]; for (i = 1; i <= n; i++) v[i] = vals[key, i]
        for (i = 2; i <= n; i++) { tmp = v[i]; for (j = i - 1; j >= 1 && v[j] > tmp; j--) v[j + 1] = v[j]; v[j + 1] = tmp }
        return v[int((n + 1) / 2)]
      }
      function add(key, value) { vals[key, ++count[key]] = value }
      $4 == op {
        if (!($1 in seen)) { seen[$1] = 1; labels[++n] = $1 }
        if (!($3 in row)) { row[$3] = 1; nets[++m] = $3 }
        k = $3 SUBSEP $1
        if (kind == "median") { add(k SUBSEP "g", $5); add(k SUBSEP "n", $6); add(k SUBSEP "r", $7) }
        else { add(k SUBSEP "g", $10); add(k SUBSEP "n", $11); add(k SUBSEP "r", $10 / $11) }
        add(k SUBSEP "b", $12)
      }
      END {
        printf "| network |"; for (i = 1; i <= n; i++) printf " %s |", labels[i]; print ""
        printf "|---|"; for (i = 1; i <= n; i++) printf "---:|"; print ""
        for (j = 1; j <= m; j++) {
          printf "| %s |", nets[j]
          for (i = 1; i <= n; i++) {
            k = nets[j] SUBSEP labels[i]
            if (!((k SUBSEP "g") in count)) { printf " |"; continue }
            printf " %s / %s (%.2f)%s |", t(median(k SUBSEP "g")), t(median(k SUBSEP "n")), median(k SUBSEP "r"), (median(k SUBSEP "b") > 0 ? ", allocates" : "")
          }
          print ""
        }
      }' "$tsv"
  done
done

echo
echo "Results: $tsv"
