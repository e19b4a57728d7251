#!/usr/bin/env bash
# ARM64 conformance: publishes tests/NetGen.Conformance self-contained for linux-arm64 and runs it under qemu-user
# (docs/arm64-conformance.md). Installs qemu-user-static and the arm64 C/C++ runtime libraries if they are missing.
# Ends with "ARM64: OK <summary>" and exit code 0, or with diagnostics, "ARM64: FAILED <reason>" and exit code 1.
# Results only: times under emulation say nothing about ARM64 hardware.
#
# ARM64_CPUS="max cortex-a53" runs the runner once per qemu CPU model (default: max, qemu's own default);
# ARM64_SCALAR=1 adds a run with DOTNET_EnableHWIntrinsic=0 (no AdvSimd: the portable scalar paths).
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

start=$SECONDS
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "ARM64: FAILED $*"
  exit 1
}

# ---- qemu-user and the arm64 sysroot (/usr/aarch64-linux-gnu) ----
packages=(qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross)
missing=()
command -v qemu-aarch64-static > /dev/null || missing+=(qemu-user-static)
for package in libc6-arm64-cross libstdc++6-arm64-cross; do
  dpkg-query -W -f='${Status}' "$package" 2> /dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "ARM64: installing ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo > /dev/null || fail "need root (or sudo) to install ${missing[*]}"
    sudo=(sudo)
  fi
  if ! { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${packages[@]}"; } > "$work/apt.log" 2>&1; then
    tail -n 30 "$work/apt.log"
    fail "apt-get could not install ${packages[*]}"
  fi
fi
sysroot=/usr/aarch64-linux-gnu
[ -e "$sysroot/lib/ld-linux-aarch64.so.1" ] || fail "no arm64 loader at $sysroot/lib/ld-linux-aarch64.so.1"
echo "ARM64: $(qemu-aarch64-static --version | head -n 1)"

# ---- publish (the RID is set inside the project: see its NetGenConformanceRid) ----
publish_start=$SECONDS
out="$work/publish"
if ! dotnet publish tests/NetGen.Conformance -c Release -p:NetGenConformanceRid=linux-arm64 -o "$out" > "$work/publish.log" 2>&1; then
  grep -E ': (error|warning) ' "$work/publish.log" | sort -u | head -n 20
  tail -n 30 "$work/publish.log"
  fail "dotnet publish -p:NetGenConformanceRid=linux-arm64 failed"
fi
file_type=$(od -An -tx1 -j18 -N2 "$out/NetGen.Conformance" | tr -d ' ')
[ "$file_type" = "b700" ] || fail "$out/NetGen.Conformance is not an arm64 ELF executable (e_machine $file_type)"
publish_time=$((SECONDS - publish_start))
echo "ARM64: published self-contained linux-arm64 in ${publish_time} s"

# ---- run under qemu ----
# W^X off: the runtime's double mapping of JIT code is not supported under qemu-user.
run() { # label, then env assignments and qemu options
  local label=$1 log="$work/run-$1.log" run_start=$SECONDS
  shift
  env DOTNET_EnableWriteXorExecute=0 "$@" > "$log" 2>&1
  local code=$? elapsed=$((SECONDS - run_start))
  local summary platform
  summary=$(tail -n 1 "$log")
  platform=$(grep -m 1 '^Platform: ' "$log")
  if [ "$code" -eq 0 ] && [[ "$summary" =~ ^([0-9]+)\ passed,\ 0\ failed$ ]] && [ "${BASH_REMATCH[1]}" -gt 0 ] \
    && [[ "$platform" == "Platform: Arm64,"* ]]; then
    echo "ARM64: [$label] $summary in ${elapsed} s (emulated)"
    echo "ARM64: [$label] $platform"
    results+=("$label: $summary")
    return 0
  fi
  grep -E '^(Platform: |FAIL |.*: [0-9]+ passed, [1-9][0-9]* failed)' "$log" | head -n 40
  if [[ "$summary" =~ ^[0-9]+\ passed,\ [0-9]+\ failed$ ]]; then
    grep -E '^(Total time|  note: )' "$log"
  else
    tail -n 40 "$log" # it did not get to the end: a crash, a timeout or a runtime error
  fi
  echo "ARM64: [$label] exit code $code after ${elapsed} s; last line: $summary"
  failures+=("$label")
  return 1
}

results=()
failures=()
for cpu in ${ARM64_CPUS:-max}; do
  run "cpu-$cpu" timeout 300 qemu-aarch64-static -cpu "$cpu" -L "$sysroot" "$out/NetGen.Conformance"
done
if [ "${ARM64_SCALAR:-0}" = 1 ]; then
  run "no-hw-intrinsics" DOTNET_EnableHWIntrinsic=0 timeout 300 qemu-aarch64-static -L "$sysroot" "$out/NetGen.Conformance"
fi

[ "${#failures[@]}" -eq 0 ] || fail "conformance run(s) failed: ${failures[*]} (took $((SECONDS - start)) s)"
summary=$(IFS=';'; echo "${results[*]}")
echo "ARM64: OK ${summary//;/; } under qemu-aarch64 (total $((SECONDS - start)) s)"
exit 0
