#!/usr/bin/env bash
# Mono (issue 14, docs/unity.md): builds tests/NetGen.MonoCheck twice from the same C# 9 source, for net8.0 (the modern
# code, run with dotnet) and for netstandard2.1 with LangVersion 9 (the portable code Unity 6 compiles, run with Mono
# 6.8 as Unity's Mono would run it). The .NET run records outputs, gradients, batches, recurrent steps, frozen models,
# file bytes and trained accuracies; the Mono run computes them again and compares, and both require that no call
# allocates after warm-up. Installs mono-runtime and mono-devel if they are missing. Ends with "Mono: OK <summary>"
# and exit code 0, or with diagnostics, "Mono: FAILED <reason>" and exit code 1.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "Mono: FAILED $*"
  exit 1
}

if ! command -v mono > /dev/null; then
  echo "Mono: installing mono-runtime mono-devel"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo > /dev/null || fail "need root (or sudo) to install mono-runtime and mono-devel"
    sudo=(sudo)
  fi
  if ! { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq mono-runtime mono-devel; } > "$work/apt.log" 2>&1; then
    tail -n 30 "$work/apt.log"
    fail "apt-get could not install mono-runtime and mono-devel"
  fi
fi
mono --version | head -n 1

project=tests/NetGen.MonoCheck

# docs/unity.md's two code blocks are the files the check compiles and plays (the lines after their marker).
for block in 1:XorNet 2:XorBehaviour; do
  page=$(awk -v want="${block%%:*}" '/^```csharp/ { n++; inside = 1; next } /^```/ { inside = 0 } inside && n == want' docs/unity.md)
  file=$(sed -n '/^\/\/ docs\/unity.md, verbatim from here:$/,$p' "$project/Unity/${block#*:}.cs" | tail -n +2)
  [ "$page" = "$file" ] || fail "docs/unity.md's code block ${block%%:*} differs from $project/Unity/${block#*:}.cs"
done
dotnet build "$project" -c Release > "$work/build.log" 2>&1 || { grep -E 'error|warning' "$work/build.log" | sort -u | head -n 30; fail "the build failed"; }
output="$project/bin/Release"

# The portable build really is what Unity compiles: C# 9 against .NET Standard 2.1, with the portable code's header.
grep -q '<LangVersion>9</LangVersion>' "$project/NetGen.MonoCheck.csproj" || fail "the netstandard2.1 build is not C# 9"
[ -f "$output/netstandard2.1/NetGen.dll" ] || fail "no netstandard2.1 build of NetGen next to the portable check"

grep -q '//   portable code,' "$project"/obj/Release/netstandard2.1/generated/NetGen.Generator/*/*.g.cs || fail "the netstandard2.1 build did not get the portable code"
! grep -q '//   portable code,' "$project"/obj/Release/net8.0/generated/NetGen.Generator/*/*.g.cs || fail "the net8.0 build got the portable code"

# Debian's Mono 6.8 class libraries were compiled by mcs, which declares ReadOnlySpan<T>'s indexer and
# GetPinnableReference without the modreq(InAttribute) of the reference assemblies Roslyn compiles against: every
# Roslyn-built netstandard2.1 assembly that indexes a ReadOnlySpan<T> stops there with MissingMethodException (Mono
# builds compiled with Roslyn, as Unity's, do not have this). tools/mono-check/patch-readonlyspan-indexer.py drops the
# modreq from those member references in a copy of the built assemblies; nothing else changes.
mkdir -p "$work/mono"
cp -r "$output"/netstandard2.1/. "$work/mono/"
for assembly in NetGen.dll NetGen.Onnx.dll NetGen.MonoCheck.dll; do
  python3 tools/mono-check/patch-readonlyspan-indexer.py "$work/mono/$assembly" "$work/mono/$assembly" || fail "could not patch $assembly for Debian's Mono"
done

dotnet "$output/net8.0/NetGen.MonoCheck.dll" record "$work/values.txt" || fail "the .NET run failed"

# The portable code on .NET too: C# 11 has no InlineArray, so a net8.0 build with LangVersion 11 gets the portable
# code (with .NET 8's static abstract INetwork members and kernels); it must compute what the modern code does.
NETGEN_CHECK_LANGVERSION=11 dotnet build "$project" -c Release -f net8.0 > "$work/build11.log" 2>&1 \
  || { grep -E 'error|warning' "$work/build11.log" | sort -u | head -n 30; fail "the C# 11 build failed"; }
grep -q '//   portable code,' "$project"/obj/Release/csharp11/net8.0/generated/NetGen.Generator/*/*.g.cs || fail "the C# 11 build did not get the portable code"
csharp11="$project/bin/Release/csharp11/net8.0/NetGen.MonoCheck.dll"
if dotnet "$csharp11" check "$work/values.txt" > "$work/csharp11.log" 2>&1; then
  echo "C# 11 on .NET: $(tail -n 1 "$work/csharp11.log")"
else
  cat "$work/csharp11.log"
  fail "the portable code of the C# 11 build differs from the modern code (above)"
fi
mono "$work/mono/NetGen.MonoCheck.dll" check "$work/values.txt" || fail "the Mono run differs from the .NET run (above)"
if [ "${MONO_TIME:-0}" = 1 ]; then
  mono "$work/mono/NetGen.MonoCheck.dll" time
fi
