#!/usr/bin/env bash
# Measures what docs/platforms.md reports about Native AOT: the size of samples/Classify's native executable against
# programs built the same way (a hello world, a hello world that reads a file, and NetGen alone: a network's Predict,
# then the weight file loaded and standardised), and the time from process start to the first prediction printed.
# Usage: samples/Classify/measure-aot.sh [RUNS]   (RUNS: timed runs per program, default 50). Takes a few minutes.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The comparison programs live outside the repository, with empty Directory.Build/Packages files so that only the
# properties below apply; samples/Classify sets the same ones (plus the repository's Directory.Build.props).
for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do echo '<Project />' > "$work/$f"; done
make_program() { # name, NetGen references (0/1), then the program's source on stdin
  mkdir -p "$work/$1"
  cat > "$work/$1/Program.cs"
  local refs=""
  if [ "$2" = 1 ]; then
    refs="<ItemGroup>
    <ProjectReference Include=\"$repo/src/NetGen/NetGen.csproj\" />
    <ProjectReference Include=\"$repo/generator/NetGen.Generator/NetGen.Generator.csproj\" OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\" />
  </ItemGroup>"
  fi
  cat > "$work/$1/$1.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <PublishAot>true</PublishAot>
    <InvariantGlobalization>true</InvariantGlobalization>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <IlcTreatWarningsAsErrors>true</IlcTreatWarningsAsErrors>
  </PropertyGroup>
  $refs
</Project>
PROJECT
}

make_program hello 0 <<'CS'
System.Console.WriteLine("Hello, World!");
CS
make_program hello-file 0 <<CS
byte[] model = System.IO.File.ReadAllBytes("$repo/samples/Classify/iris.ngw");
System.Console.WriteLine(model.Length > 0 ? "Hello, World!" : "empty");
CS
network='[NetGen.Network(4, Loss = NetGen.Loss.CrossEntropy)]
[NetGen.Dense(8, NetGen.Activation.ReLU)]
[NetGen.Dense(3, NetGen.Activation.Softmax)]
public partial class IrisModel { }'
make_program netgen-predict 1 <<CS
var network = new IrisModel();
System.Console.WriteLine(network.Predict([5.1f, 3.5f, 1.4f, 0.2f]) >= 0 ? "Hello, World!" : "?");
$network
CS
make_program netgen-load 1 <<CS
var network = new IrisModel();
NetGen.Data.Standardizer? standardizer = NetGen.Serialization.WeightFile.LoadFile(network, "$repo/samples/Classify/iris.ngw");
System.Span<float> input = [5.1f, 3.5f, 1.4f, 0.2f];
standardizer?.Apply(input);
System.Console.WriteLine(network.Predict(input) >= 0 ? "Hello, World!" : "?");
$network
CS

echo "Publishing (dotnet publish -c Release --use-current-runtime) ..."
for p in hello hello-file netgen-predict netgen-load; do
  dotnet publish "$work/$p" -c Release --use-current-runtime -o "$work/out/$p" > "$work/$p.log" 2>&1 || { cat "$work/$p.log"; exit 1; }
done
dotnet publish "$repo/samples/Classify" -c Release --use-current-runtime -o "$work/out/classify" > "$work/classify.log" 2>&1 || { cat "$work/classify.log"; exit 1; }
dotnet build "$repo/samples/Classify" -c Release > "$work/classify-jit.log" 2>&1 || { cat "$work/classify-jit.log"; exit 1; }

hello_size=$(stat -c %s "$work/out/hello/hello")
echo
echo "| program | native executable (bytes) | more than hello world |"
echo "|---|---:|---:|"
for p in hello hello-file netgen-predict netgen-load classify; do
  size=$(stat -c %s "$work/out/$p/$p")
  echo "| $p | $size | $((size - hello_size)) |"
done

# Wall-clock time of whole runs (start, load, predict, print, exit), in milliseconds: median and minimum of $runs.
time_runs() { # label, command...
  local label=$1; shift
  "$@" > /dev/null # warm the file cache
  local times=()
  for ((i = 0; i < runs; i++)); do
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null
    end=$(date +%s%N)
    times+=($(((end - start) / 1000)))
  done
  local sorted
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  local median=${sorted[$((runs / 2))]}
  printf '| %s | %d.%d | %d.%d |\n' "$label" $((median / 1000)) $(((median % 1000) / 100)) $((sorted[0] / 1000)) $(((sorted[0] % 1000) / 100))
}
echo
echo "| run ($runs times) | median (ms) | fastest (ms) |"
echo "|---|---:|---:|"
time_runs "hello world, native" "$work/out/hello/hello"
time_runs "classify 5.1 3.5 1.4 0.2, native" "$work/out/classify/classify" 5.1 3.5 1.4 0.2
time_runs "classify 5.1 3.5 1.4 0.2, JIT (dotnet classify.dll)" dotnet "$repo/samples/Classify/bin/Release/net10.0/classify.dll" 5.1 3.5 1.4 0.2
