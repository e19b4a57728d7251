#!/usr/bin/env bash
# Lays out NetGen as a Unity Package Manager (UPM) package for Unity 6 (docs/unity.md):
#
#   tools/unity/make-package.sh OUTPUT_DIR [--tgz]
#
# writes OUTPUT_DIR/com.netgen.netgen/ (replacing a previous one), a package that Unity's Package Manager installs with
# "Install package from disk" (its package.json) or that can be copied into a project's Packages/ folder; with --tgz
# also OUTPUT_DIR/com.netgen.netgen-<version>.tgz, the same files under a top-level package/ folder (npm's tarball
# layout), for "Install package from tarball". The package:
#
#   package.json                                 name, version (NetGenVersion), Unity 6000.0, licence, addresses
#   README.md                                    docs/unity-package-readme.md with the project's address filled in
#   Documentation~/diagnostics.md                every NG diagnostic, for reading offline (Unity ignores folders ending in ~)
#   Editor/NetGen.Unity.Editor.asmdef, NetGenModelFiles.cs  writes model files' text form for the generator (Editor only)
#   Runtime/NetGen.Unity.asmdef, NetGenUnity.cs  the assembly definition that scopes the generator (below)
#   Runtime/NetGen.dll, NetGen.xml               the runtime library and its API documentation (netstandard2.1 build)
#   Runtime/NetGen.Onnx.dll, NetGen.Onnx.xml     ONNX export (netstandard2.1 build)
#   Runtime/Analyzers/NetGen.Generator.dll       the source generator (netstandard2.0, Microsoft.CodeAnalysis 4.3)
#
# and a .meta file for every file and folder (not under Documentation~), each with a GUID derived from the package's
# name and the file's path in the package (MD5), so running the script again writes the same bytes.
#
# What the Unity manual (Unity 6.0, 6000.0) asks for, and where:
# - "Create and use a source generator" and "Install and use an existing analyzer or source generator": a generator
#   must be built against Microsoft.CodeAnalysis.CSharp 4.3; in the Plugin Inspector disable Any Platform, disable
#   Editor and Standalone under Include Platforms, and give the DLL the asset label RoslynAnalyzer. In the .meta file
#   that is `labels: - RoslynAnalyzer` and a PluginImporter whose every platform entry has `enabled: 0` (and, under
#   the Any entry, `Exclude <platform>: 1`), the shape Unity itself writes for such a DLL.
# - "Analyzer scope and diagnostics": an analyzer in a folder that contains an assembly definition (or in a subfolder
#   of one) applies only to the assembly built from that definition and to every assembly that references it. So the
#   generator sits in Runtime/Analyzers/, under Runtime/NetGen.Unity.asmdef; that definition is auto-referenced
#   (Assembly-CSharp and the other predefined assemblies reference it) and has one source file so that Unity builds an
#   assembly for it. The generator thus runs for the project's Assembly-CSharp and for every assembly definition
#   that lists NetGen.Unity among its references, and not for unrelated assemblies.
# - "Plugin Inspector": a plug-in with Any Platform selected applies to every platform, the Editor included. The
#   runtime DLLs' .meta files say so, with isExplicitlyReferenced 0 (Auto Reference: every assembly references them).
#
# Environment (the defaults build what the package needs):
#   NETGEN_UNITY_FRAMEWORK      the framework of the runtime builds to take: netstandard2.1 (default)
#   NETGEN_UNITY_CONFIGURATION  the build configuration: Release (default)
#   NETGEN_UNITY_NO_BUILD=1     take the existing outputs of src/NetGen, src/NetGen.Onnx and generator/NetGen.Generator
#                               (bin/<configuration>/<framework>/) instead of building them first
#
# The version, description, licence and addresses come from the build (Directory.Build.props: NetGenVersion,
# RepositoryUrl, NetGenDocumentationUrl, Authors; src/NetGen/NetGen.csproj: Description, PackageLicenseExpression),
# read with `dotnet msbuild -getProperty`. Needs bash, the .NET SDK, md5sum, and for --tgz GNU tar and gzip.
set -euo pipefail

usage() { echo "usage: $0 OUTPUT_DIR [--tgz]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
output=$1
tgz=0
if [ $# -eq 2 ]; then
  [ "$2" = "--tgz" ] || usage
  tgz=1
fi

cd "$(dirname "$0")/../.."
root=$(pwd)
mkdir -p "$output"
output=$(cd "$output" && pwd)

name=com.netgen.netgen
framework=${NETGEN_UNITY_FRAMEWORK:-netstandard2.1}
configuration=${NETGEN_UNITY_CONFIGURATION:-Release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Builds (unless NETGEN_UNITY_NO_BUILD=1), one after another: the runtime library and the ONNX exporter for the
# runtime framework, and the generator (netstandard2.0, its only framework).
build() {
  if ! dotnet build "$@" -c "$configuration" -nologo > "$work/build.log" 2>&1; then
    tail -n 40 "$work/build.log" >&2
    echo "make-package: dotnet build $* failed" >&2
    exit 1
  fi
}
if [ "${NETGEN_UNITY_NO_BUILD:-0}" != "1" ]; then
  build src/NetGen/NetGen.csproj -f "$framework"
  build src/NetGen.Onnx/NetGen.Onnx.csproj -f "$framework"
  build generator/NetGen.Generator/NetGen.Generator.csproj
fi

runtime="src/NetGen/bin/$configuration/$framework"
onnx="src/NetGen.Onnx/bin/$configuration/$framework"
generator="generator/NetGen.Generator/bin/$configuration/netstandard2.0"
for file in "$runtime/NetGen.dll" "$runtime/NetGen.xml" "$onnx/NetGen.Onnx.dll" "$onnx/NetGen.Onnx.xml" "$generator/NetGen.Generator.dll"; do
  [ -f "$file" ] || { echo "make-package: $file is missing (build it, or run without NETGEN_UNITY_NO_BUILD)" >&2; exit 1; }
done

# The properties, as MSBuild evaluates them; -getProperty prints them as a JSON object, one property a line, so each
# value is taken as the JSON string it already is (json NAME) or decoded (raw NAME; these values hold no escapes).
dotnet msbuild src/NetGen/NetGen.csproj -nologo -getProperty:NetGenVersion -getProperty:RepositoryUrl \
  -getProperty:NetGenDocumentationUrl -getProperty:Authors -getProperty:Description \
  -getProperty:PackageLicenseExpression > "$work/properties.json"
json() {
  local value
  value=$(sed -n "s/^ *\"$1\": \(\".*\"\),\{0,1\}\$/\1/p" "$work/properties.json")
  [ -n "$value" ] && [ "$value" != '""' ] || { echo "make-package: the build has no $1" >&2; exit 1; }
  printf '%s' "$value"
}
raw() {
  local value
  value=$(json "$1")
  value=${value#\"}
  value=${value%\"}
  case $value in *\\*) echo "make-package: $1 has an escaped character" >&2; exit 1 ;; esac
  printf '%s' "$value"
}
version=$(raw NetGenVersion)
repository=$(raw RepositoryUrl)
documentation=$(raw NetGenDocumentationUrl)

package="$output/$name"
rm -rf "$package"
mkdir -p "$package/Runtime/Analyzers" "$package/Editor" "$package/Documentation~"

# package.json (Unity manual, "Package manifest reference"): name in reverse-domain notation, lower case; version; the
# oldest Unity it works with; the rest is what the Package Manager window shows.
cat > "$package/package.json" <<EOF
{
  "name": "$name",
  "version": "$version",
  "displayName": "NetGen",
  "description": $(json Description),
  "unity": "6000.0",
  "license": "$(raw PackageLicenseExpression)",
  "documentationUrl": "$documentation/unity.md",
  "author": {
    "name": $(json Authors),
    "url": "$repository"
  },
  "repository": {
    "type": "git",
    "url": "$repository"
  },
  "keywords": [
    "neural-network",
    "source-generator",
    "machine-learning"
  ]
}
EOF

# README.md: the template with the project's address filled in, as the NuGet packages' READMEs are (Directory.Build.targets).
escape() { printf '%s' "$1" | sed 's/[\\&|]/\\&/g'; }
sed -e "s|{{RepositoryUrl}}|$(escape "$repository")|g" -e "s|{{DocumentationUrl}}|$(escape "$documentation")|g" \
  docs/unity-package-readme.md > "$package/README.md"
if grep -q '{{' "$package/README.md"; then
  echo "make-package: docs/unity-package-readme.md has a placeholder other than {{RepositoryUrl}} and {{DocumentationUrl}}" >&2
  exit 1
fi
cp docs/diagnostics.md "$package/Documentation~/diagnostics.md"

# The assembly definition that scopes the generator (see the top), and its one source file.
cat > "$package/Runtime/NetGen.Unity.asmdef" <<'EOF'
{
    "name": "NetGen.Unity",
    "rootNamespace": "NetGen.Unity",
    "references": [],
    "includePlatforms": [],
    "excludePlatforms": [],
    "allowUnsafeCode": false,
    "overrideReferences": false,
    "precompiledReferences": [],
    "autoReferenced": true,
    "defineConstraints": [],
    "versionDefines": [],
    "noEngineReferences": true
}
EOF
cat > "$package/Runtime/NetGenUnity.cs" <<'EOF'
// NetGen's Unity package. This file gives the assembly definition NetGen.Unity (NetGen.Unity.asmdef) a source file, so
// that Unity builds an assembly for it: the source generator in Analyzers/ applies to that assembly and to every
// assembly that references it (Unity manual, "Analyzer scope and diagnostics"), which are Assembly-CSharp (NetGen.Unity
// is auto-referenced) and the assembly definitions that list NetGen.Unity among their references. The networks' types
// (NetworkAttribute, INetwork, Trainer...) are in NetGen.dll, next to this file.
namespace NetGen.Unity
{
    internal static class PackageAssembly
    {
    }
}
EOF

# The editor script that writes model files' text form for the generator ([WeightsFile], [OnnxNetwork]; Unity has no
# MSBuild build step), in an Editor-only assembly definition.
cp src/NetGen.Unity/Editor/NetGenModelFiles.cs "$package/Editor/"
cat > "$package/Editor/NetGen.Unity.Editor.asmdef" <<'EOF'
{
    "name": "NetGen.Unity.Editor",
    "rootNamespace": "NetGen.Unity.Editor",
    "references": [],
    "includePlatforms": [
        "Editor"
    ],
    "excludePlatforms": [],
    "allowUnsafeCode": false,
    "overrideReferences": false,
    "precompiledReferences": [],
    "autoReferenced": false,
    "defineConstraints": [],
    "versionDefines": [],
    "noEngineReferences": false
}
EOF

cp "$runtime/NetGen.dll" "$runtime/NetGen.xml" "$onnx/NetGen.Onnx.dll" "$onnx/NetGen.Onnx.xml" "$package/Runtime/"
cp "$generator/NetGen.Generator.dll" "$package/Runtime/Analyzers/"

# guid PATH: the GUID of the asset at PATH (relative to the package): 32 lower-case hex digits, the MD5 of the package's
# name and the path, so the same file gets the same GUID on every run and in every copy of the package.
guid() { printf '%s/%s' "$name" "$1" | md5sum | cut -c1-32; }

# importer_tail: the lines every importer block ends with.
importer_tail() { printf '  userData: \n  assetBundleName: \n  assetBundleVariant: \n'; }

folder_meta() {
  printf 'fileFormatVersion: 2\nguid: %s\nfolderAsset: yes\nDefaultImporter:\n  externalObjects: {}\n' "$(guid "$1")"
  importer_tail
}

# importer_meta PATH IMPORTER: a file with one of Unity's importers that need no settings.
importer_meta() {
  printf 'fileFormatVersion: 2\nguid: %s\n%s:\n  externalObjects: {}\n' "$(guid "$1")" "$2"
  importer_tail
}

script_meta() {
  printf 'fileFormatVersion: 2\nguid: %s\nMonoImporter:\n  externalObjects: {}\n  serializedVersion: 2\n' "$(guid "$1")"
  printf '  defaultReferences: []\n  executionOrder: 0\n  icon: {instanceID: 0}\n'
  importer_tail
}

# plugin_importer_head: the PluginImporter lines both plug-in .meta files start with, up to their platform data.
plugin_importer_head() {
  cat <<'EOF'
PluginImporter:
  externalObjects: {}
  serializedVersion: 2
  iconMap: {}
  executionOrder: {}
  defineConstraints: []
  isPreloaded: 0
  isOverridable: 0
  isExplicitlyReferenced: 0
  validateReferences: 1
  platformData:
EOF
}

# A managed plug-in for every platform, the Editor included (Any Platform on), referenced by every assembly.
runtime_plugin_meta() {
  printf 'fileFormatVersion: 2\nguid: %s\n' "$(guid "$1")"
  plugin_importer_head
  cat <<'EOF'
  - first:
      : Any
    second:
      enabled: 0
      settings:
        Exclude Editor: 0
        Exclude Linux64: 0
        Exclude OSXUniversal: 0
        Exclude Win: 0
        Exclude Win64: 0
  - first:
      Any: 
    second:
      enabled: 1
      settings: {}
  - first:
      Editor: Editor
    second:
      enabled: 0
      settings:
        DefaultValueInitialized: true
EOF
  importer_tail
}

# The source generator: the label RoslynAnalyzer and every platform off ("Create and use a source generator").
analyzer_plugin_meta() {
  printf 'fileFormatVersion: 2\nguid: %s\nlabels:\n- RoslynAnalyzer\n' "$(guid "$1")"
  plugin_importer_head
  cat <<'EOF'
  - first:
      : Any
    second:
      enabled: 0
      settings:
        Exclude Editor: 1
        Exclude Linux64: 1
        Exclude OSXUniversal: 1
        Exclude Win: 1
        Exclude Win64: 1
  - first:
      Any: 
    second:
      enabled: 0
      settings: {}
  - first:
      Editor: Editor
    second:
      enabled: 0
      settings:
        CPU: AnyCPU
        DefaultValueInitialized: true
        OS: AnyOS
  - first:
      Standalone: Linux64
    second:
      enabled: 0
      settings:
        CPU: None
  - first:
      Standalone: OSXUniversal
    second:
      enabled: 0
      settings:
        CPU: None
  - first:
      Standalone: Win
    second:
      enabled: 0
      settings:
        CPU: None
  - first:
      Standalone: Win64
    second:
      enabled: 0
      settings:
        CPU: None
EOF
  importer_tail
}

# meta PATH WRITER [ARGUMENTS...]: PATH's .meta file, written by WRITER PATH ARGUMENTS...
meta() { local path=$1 writer=$2; shift 2; "$writer" "$path" "$@" > "$package/$path.meta"; }
meta package.json importer_meta PackageManifestImporter
meta README.md importer_meta TextScriptImporter
meta Editor folder_meta
meta Editor/NetGen.Unity.Editor.asmdef importer_meta AssemblyDefinitionImporter
meta Editor/NetGenModelFiles.cs script_meta
meta Runtime folder_meta
meta Runtime/NetGen.Unity.asmdef importer_meta AssemblyDefinitionImporter
meta Runtime/NetGenUnity.cs script_meta
meta Runtime/NetGen.dll runtime_plugin_meta
meta Runtime/NetGen.xml importer_meta TextScriptImporter
meta Runtime/NetGen.Onnx.dll runtime_plugin_meta
meta Runtime/NetGen.Onnx.xml importer_meta TextScriptImporter
meta Runtime/Analyzers folder_meta
meta Runtime/Analyzers/NetGen.Generator.dll analyzer_plugin_meta

# Every file and folder outside Documentation~ has its .meta, and nothing else is in the package.
missing=$(cd "$package" && find . -mindepth 1 -path './Documentation~' -prune -o ! -name '*.meta' -print | while read -r path; do
  [ -f "$path.meta" ] || echo "$path"
done)
[ -z "$missing" ] || { echo "make-package: no .meta for: $missing" >&2; exit 1; }

chmod -R u+rwX,go+rX,go-w "$package"
echo "make-package: $package ($name $version, runtime $framework, $configuration)"

if [ "$tgz" = "1" ]; then
  tarball="$output/$name-$version.tgz"
  # Reproducible: entries sorted by name, one timestamp, no owner names, gzip without name and time.
  tar -C "$output" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=ustar \
    --transform "s|^$name|package|" -cf - "$name" | gzip -9n > "$tarball"
  echo "make-package: $tarball"
fi
