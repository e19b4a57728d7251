#!/usr/bin/env bash
# The portability table's paired timer (tests/NetGen.Portability, docs/benchmarks.md) in quick mode (5 short rounds per
# pair, no timing claims), per instruction-set class on the JIT and as a Native AOT executable:
#   x86-64-v2 (SSE4.2, no FMA): the JIT with DOTNET_EnableAVX2=0, and default Native AOT;
#   x86-64-v3 (AVX2 and FMA):   the JIT with DOTNET_EnableAVX512=0, and IlcInstructionSet=x86-64-v3 (where the CPU has them);
# and the JIT's own default. Each run checks the naive loops against NetGen on the suite's samples and exits 1 if they
# disagree or if NetGen allocated in any of the 10 pairs (Forward and training step of the five benchmark networks), and
# prints a hash of the bits of its outputs, losses and gradients (its "Bits:" line). Within a class the JIT and the native
# executable must print the same hash: NetGen's reproducibility policy (docs/platforms.md), here on unrolled Vector128,
# Vector256 and kernel code, which samples/Classify's check in .ci/run (a 4-8-3 scalar network) does not reach. About a
# minute, most of it the two publishes. Ends with "Portability: OK ..." or exits 1.
set -uo pipefail
cd "$(dirname "$0")/.."

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
dll=tests/NetGen.Portability/bin/Release/net10.0/NetGen.Portability.dll
declare -A bits

# quick NAME COMMAND...: one quick run; keeps its result hash in bits[NAME].
quick() {
  local name=$1
  shift
  if ! "$@" --quick > "$dir/$name.log" 2>&1; then
    cat "$dir/$name.log"
    echo "Portability: the $name run failed"
    exit 1
  fi
  bits[$name]=$(sed -n 's/^Bits: .*all=\([0-9a-f]*\)$/\1/p' "$dir/$name.log")
  echo "Portability: $name: $(grep -m 1 '^Platform:' "$dir/$name.log" | sed 's/^Platform: [^;]*; //; s/;.*//'); bits ${bits[$name]}; $(grep '^Portability:' "$dir/$name.log" | sed 's/^Portability: //; s/quick run, times not meaningful; //')"
}

# publish NAME [MSBUILD PROPERTIES...]: a native executable in $dir/NAME.
publish() {
  local name=$1
  shift
  dotnet publish tests/NetGen.Portability -c Release --use-current-runtime -o "$dir/$name" "$@" > "$dir/publish-$name.log" 2>&1 \
    || { tail -n 30 "$dir/publish-$name.log"; echo "Portability: the Native AOT publish ($name) failed"; exit 1; }
}

# same_bits CLASS JIT_RUN NATIVE_RUN: the two runs of one class printed the same hash.
same_bits() {
  if [ -z "${bits[$2]}" ] || [ "${bits[$2]}" != "${bits[$3]}" ]; then
    echo "Portability: class $1: $2 and $3 computed different bits (${bits[$2]:-none} and ${bits[$3]:-none})"
    exit 1
  fi
  echo "Portability: class $1: $2 and $3 computed the same bits"
}

dotnet build tests/NetGen.Portability -c Release > "$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log"; exit 1; }
quick jit-default dotnet "$dll"
quick jit-x86-64-v2 env DOTNET_EnableAVX2=0 dotnet "$dll"
publish aot-x86-64-v2
quick aot-x86-64-v2 "$dir/aot-x86-64-v2/NetGen.Portability"
same_bits x86-64-v2 jit-x86-64-v2 aot-x86-64-v2
classes="x86-64-v2"
if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then
  quick jit-x86-64-v3 env DOTNET_EnableAVX512=0 dotnet "$dll"
  publish aot-x86-64-v3 -p:IlcInstructionSet=x86-64-v3
  quick aot-x86-64-v3 "$dir/aot-x86-64-v3/NetGen.Portability"
  same_bits x86-64-v3 jit-x86-64-v3 aot-x86-64-v3
  classes="$classes and x86-64-v3"
else
  echo "Portability: x86-64-v3 not checked: this CPU lacks AVX2 or FMA"
fi
echo "Portability: OK (naive loops agree with NetGen and NetGen allocated nothing in every run; JIT and Native AOT computed the same bits in class $classes)"
