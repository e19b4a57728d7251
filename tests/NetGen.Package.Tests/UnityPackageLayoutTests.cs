using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using NetGen.Package.Tests.Infrastructure;

namespace NetGen.Package.Tests;

/// <summary>
/// What <c>tools/unity/make-package.sh</c> lays out: NetGen as a Unity Package Manager package for Unity 6
/// (docs/unity.md). Nothing here runs Unity; the checks are those of the layout the Unity manual describes.
/// </summary>
public sealed class UnityPackageLayoutTests(UnityPackage unity) : IClassFixture<UnityPackage>
{
    /// <summary>The package's name, in Unity's reverse-domain notation.</summary>
    private const string PackageName = "com.netgen.netgen";

    [Fact]
    public void PackageHoldsTheManifestDocumentsAssemblyDefinitionLibrariesAndGeneratorEachWithItsMetaFile()
    {
        Assert.Equal(
            [
                "Documentation~/diagnostics.md",
                "Editor.meta",
                "Editor/NetGen.Unity.Editor.asmdef",
                "Editor/NetGen.Unity.Editor.asmdef.meta",
                "Editor/NetGenModelFiles.cs",
                "Editor/NetGenModelFiles.cs.meta",
                "README.md",
                "README.md.meta",
                "Runtime.meta",
                "Runtime/Analyzers.meta",
                "Runtime/Analyzers/NetGen.Generator.dll",
                "Runtime/Analyzers/NetGen.Generator.dll.meta",
                "Runtime/NetGen.Onnx.dll",
                "Runtime/NetGen.Onnx.dll.meta",
                "Runtime/NetGen.Onnx.xml",
                "Runtime/NetGen.Onnx.xml.meta",
                "Runtime/NetGen.Unity.asmdef",
                "Runtime/NetGen.Unity.asmdef.meta",
                "Runtime/NetGen.dll",
                "Runtime/NetGen.dll.meta",
                "Runtime/NetGen.xml",
                "Runtime/NetGen.xml.meta",
                "Runtime/NetGenUnity.cs",
                "Runtime/NetGenUnity.cs.meta",
                "package.json",
                "package.json.meta",
            ],
            Files(unity.PackageRoot));
    }

    [Fact]
    public void ManifestHasTheNameVersionUnityVersionLicenceAndTheProjectsAddresses()
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(unity.PackageRoot, "package.json")));
        JsonElement json = manifest.RootElement;
        string String(JsonElement element, string name) => element.GetProperty(name).GetString() ?? "";

        // Unity's naming convention: reverse-domain notation, lower-case letters, digits, '-', '_' and '.', at most 50 characters.
        string name = String(json, "name");
        Assert.Equal(PackageName, name);
        Assert.Matches(@"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*){2,}$", name);
        Assert.True(name.Length <= 50, name);

        Assert.Equal(unity.Version, String(json, "version"));
        Assert.Equal("6000.0", String(json, "unity"));
        Assert.Equal("NetGen", String(json, "displayName"));
        Assert.False(string.IsNullOrWhiteSpace(String(json, "description")));
        Assert.Equal("MIT", String(json, "license"));

        // The addresses derive from RepositoryUrl (Directory.Build.props); the documentation page exists.
        Assert.Equal($"{DocumentationUrl}/unity.md", String(json, "documentationUrl"));
        Assert.True(File.Exists(Path.Combine(unity.RepositoryRoot, "docs", "unity.md")));
        Assert.False(string.IsNullOrWhiteSpace(String(json.GetProperty("author"), "name")));
        Assert.Equal(RepositoryUrl, String(json.GetProperty("author"), "url"));
        Assert.Equal("git", String(json.GetProperty("repository"), "type"));
        Assert.Equal(RepositoryUrl, String(json.GetProperty("repository"), "url"));
    }

    [Fact]
    public void EveryFileAndFolderHasAMetaFileWithAGuidOfItsOwn()
    {
        // Unity imports every file and folder except hidden ones and those under a folder whose name ends in '~'.
        string[] assets = Directory.EnumerateFileSystemEntries(unity.PackageRoot, "*", SearchOption.AllDirectories)
            .Select(path => Relative(unity.PackageRoot, path))
            .Where(path => !path.Split('/').Any(part => part.EndsWith('~') || part.StartsWith('.')))
            .ToArray();
        string[] metas = assets.Where(path => path.EndsWith(".meta", StringComparison.Ordinal)).ToArray();
        string[] imported = assets.Where(path => !path.EndsWith(".meta", StringComparison.Ordinal)).ToArray();

        Assert.Equal(imported.Select(path => path + ".meta").Order(StringComparer.Ordinal), metas.Order(StringComparer.Ordinal));
        var guids = new HashSet<string>(StringComparer.Ordinal);
        Assert.All(imported, path =>
        {
            string meta = File.ReadAllText(Path.Combine(unity.PackageRoot, path + ".meta"));
            Assert.StartsWith("fileFormatVersion: 2\nguid: ", meta, StringComparison.Ordinal);
            string guid = Regex.Match(meta, @"^guid: (?<guid>.*)$", RegexOptions.Multiline).Groups["guid"].Value;
            Assert.Matches("^[0-9a-f]{32}$", guid);
            Assert.True(guids.Add(guid), $"{path}: GUID {guid} is used twice");
            Assert.Equal(Directory.Exists(Path.Combine(unity.PackageRoot, path)), meta.Contains("\nfolderAsset: yes\n", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void GeneratorIsLabelledRoslynAnalyzerAndOffOnEveryPlatform()
    {
        string meta = Meta("Runtime/Analyzers/NetGen.Generator.dll");

        // Unity manual, "Create and use a source generator": no platform, and the asset label RoslynAnalyzer.
        Assert.Equal(["RoslynAnalyzer"], Labels(meta));
        Assert.Contains("\nPluginImporter:\n", meta, StringComparison.Ordinal);
        (string Platform, int Enabled)[] platforms = Platforms(meta);
        Assert.Contains(platforms, p => p.Platform == "Any:");
        Assert.Contains(platforms, p => p.Platform == "Editor: Editor");
        Assert.Contains(platforms, p => p.Platform.StartsWith("Standalone: ", StringComparison.Ordinal));
        Assert.All(platforms, p => Assert.Equal(0, p.Enabled));
        int[] exclusions = Exclusions(meta);
        Assert.NotEmpty(exclusions);
        Assert.All(exclusions, exclude => Assert.Equal(1, exclude));
    }

    [Theory]
    [InlineData("Runtime/NetGen.dll")]
    [InlineData("Runtime/NetGen.Onnx.dll")]
    public void RuntimeLibraryIsOnForEveryPlatformAndReferencedByEveryAssembly(string path)
    {
        string meta = Meta(path);

        Assert.Empty(Labels(meta));
        Assert.Contains("\nPluginImporter:\n", meta, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(Platforms(meta), p => p.Platform == "Any:").Enabled);
        Assert.All(Exclusions(meta), exclude => Assert.Equal(0, exclude));
        Assert.Contains("\n  isExplicitlyReferenced: 0\n", meta, StringComparison.Ordinal);
    }

    [Fact]
    public void AssemblyDefinitionIsAutoReferencedHasASourceFileAndHoldsTheGeneratorsFolder()
    {
        string runtime = Path.Combine(unity.PackageRoot, "Runtime");
        using JsonDocument definition = JsonDocument.Parse(File.ReadAllText(Path.Combine(runtime, "NetGen.Unity.asmdef")));

        Assert.Equal("NetGen.Unity", definition.RootElement.GetProperty("name").GetString());
        Assert.True(definition.RootElement.GetProperty("autoReferenced").GetBoolean());
        Assert.Empty(definition.RootElement.GetProperty("includePlatforms").EnumerateArray());
        Assert.Empty(definition.RootElement.GetProperty("excludePlatforms").EnumerateArray());

        // Unity manual, "Analyzer scope and diagnostics": an analyzer in (a subfolder of) a folder with an assembly
        // definition applies to that definition's assembly and to every assembly that references it. That assembly is
        // built only from source files: it needs one.
        Assert.Single(Directory.GetFiles(runtime, "*.asmdef", SearchOption.AllDirectories));
        Assert.Single(Directory.GetFiles(runtime, "*.cs", SearchOption.TopDirectoryOnly));
        Assert.True(File.Exists(Path.Combine(runtime, "Analyzers", "NetGen.Generator.dll")));
        Assert.Empty(Directory.GetFiles(unity.PackageRoot, "*.asmdef", SearchOption.TopDirectoryOnly));

        // The editor script's assembly: Editor only, so players never include it.
        using JsonDocument editor = JsonDocument.Parse(File.ReadAllText(Path.Combine(unity.PackageRoot, "Editor", "NetGen.Unity.Editor.asmdef")));
        Assert.Equal("NetGen.Unity.Editor", editor.RootElement.GetProperty("name").GetString());
        Assert.Equal(["Editor"], editor.RootElement.GetProperty("includePlatforms").EnumerateArray().Select(p => p.GetString()!).ToArray());
    }

    [Theory]
    [InlineData("NetGen.dll", new[] { "netstandard" })]
    [InlineData("NetGen.Onnx.dll", new[] { "NetGen", "netstandard" })]
    public void RuntimeLibraryIsNetStandard21AndUsesNothingUnitysProfileLacks(string file, string[] references)
    {
        using var stream = File.OpenRead(Path.Combine(unity.PackageRoot, "Runtime", file));
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();

        Assert.Equal(".NETStandard,Version=v2.1", TargetFramework(reader));

        // The package brings no other assembly, so the library may reference nothing but .NET Standard (and NetGen).
        Assert.Equal(references, reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).Order(StringComparer.Ordinal));

        // Design §7: Unity's profiles have no System.Runtime.Intrinsics, no Unsafe, no RuntimeHelpers.CreateSpan.
        string[] types = reader.TypeReferences.Select(h => FullName(reader, h)).ToArray();
        Assert.Contains("System.Span`1", types);
        Assert.DoesNotContain(types, type => type.StartsWith("System.Runtime.Intrinsics", StringComparison.Ordinal));
        Assert.DoesNotContain("System.Runtime.CompilerServices.Unsafe", types);
        Assert.DoesNotContain("System.Runtime.CompilerServices.InlineArrayAttribute", types);
        string[] members = reader.MemberReferences
            .Select(h => reader.GetMemberReference(h))
            .Where(m => m.Parent.Kind == HandleKind.TypeReference)
            .Select(m => FullName(reader, (TypeReferenceHandle)m.Parent) + "::" + reader.GetString(m.Name))
            .ToArray();
        Assert.DoesNotContain("System.Runtime.CompilerServices.RuntimeHelpers::CreateSpan", members);
    }

    [Fact]
    public void GeneratorIsNetStandard20AndBuiltAgainstRoslyn43()
    {
        using var stream = File.OpenRead(Path.Combine(unity.PackageRoot, "Runtime", "Analyzers", "NetGen.Generator.dll"));
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();

        Assert.Equal(".NETStandard,Version=v2.0", TargetFramework(reader));

        // Unity 6 loads generators built against Microsoft.CodeAnalysis 4.3 (manual, "Create and use a source generator").
        AssemblyReference[] roslyn = reader.AssemblyReferences.Select(reader.GetAssemblyReference)
            .Where(r => reader.GetString(r.Name).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            .ToArray();
        Assert.Contains(roslyn, r => reader.GetString(r.Name) == "Microsoft.CodeAnalysis" && r.Version.Major == 4 && r.Version.Minor == 3);
        Assert.Contains(roslyn, r => reader.GetString(r.Name) == "Microsoft.CodeAnalysis.CSharp");
        Assert.All(roslyn, r => Assert.True(r.Version <= new Version(4, 3, int.MaxValue, int.MaxValue), $"{reader.GetString(r.Name)} {r.Version}"));
    }

    [Fact]
    public void LibrariesAndGeneratorAreTheBuildsAndTheDocumentsTheRepositorys()
    {
        string Built(string project, string framework, string file)
            => Path.Combine(unity.RepositoryRoot, project, "bin", unity.Configuration, framework, file);

        Assert.Equal(File.ReadAllBytes(Built("src/NetGen", unity.Framework, "NetGen.dll")), Bytes("Runtime/NetGen.dll"));
        Assert.Equal(File.ReadAllBytes(Built("src/NetGen", unity.Framework, "NetGen.xml")), Bytes("Runtime/NetGen.xml"));
        Assert.Equal(File.ReadAllBytes(Built("src/NetGen.Onnx", unity.Framework, "NetGen.Onnx.dll")), Bytes("Runtime/NetGen.Onnx.dll"));
        Assert.Equal(File.ReadAllBytes(Built("src/NetGen.Onnx", unity.Framework, "NetGen.Onnx.xml")), Bytes("Runtime/NetGen.Onnx.xml"));
        Assert.Equal(File.ReadAllBytes(Built("generator/NetGen.Generator", "netstandard2.0", "NetGen.Generator.dll")), Bytes("Runtime/Analyzers/NetGen.Generator.dll"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(unity.RepositoryRoot, "docs", "diagnostics.md")), Bytes("Documentation~/diagnostics.md"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(unity.RepositoryRoot, "src", "NetGen.Unity", "Editor", "NetGenModelFiles.cs")), Bytes("Editor/NetGenModelFiles.cs"));
    }

    [Fact]
    public void ReadmeIsTheRepositorysTemplateWithTheProjectAddressFilledIn()
    {
        string readme = File.ReadAllText(Path.Combine(unity.PackageRoot, "README.md"));
        string source = File.ReadAllText(Path.Combine(unity.RepositoryRoot, "docs", "unity-package-readme.md"));

        Assert.Contains("{{DocumentationUrl}}", source, StringComparison.Ordinal);
        Assert.Equal(
            source.Replace("{{RepositoryUrl}}", RepositoryUrl, StringComparison.Ordinal).Replace("{{DocumentationUrl}}", DocumentationUrl, StringComparison.Ordinal),
            readme);
        ProjectAddress.AssertLinksStayInTheProject(readme, unity.RepositoryRoot);
    }

    [Fact]
    public void SecondRunWritesTheSameBytes()
    {
        string[] files = Files(unity.PackageRoot);
        Assert.Equal(files, Files(unity.SecondPackageRoot));
        Assert.All(files, file => Assert.Equal(
            File.ReadAllBytes(Path.Combine(unity.PackageRoot, file)),
            File.ReadAllBytes(Path.Combine(unity.SecondPackageRoot, file))));
        Assert.Equal(File.ReadAllBytes(unity.Tarball), File.ReadAllBytes(unity.SecondTarball));
    }

    [Fact]
    public void TarballHoldsThePackageUnderAPackageFolder()
    {
        Assert.Equal($"{PackageName}-{unity.Version}.tgz", Path.GetFileName(unity.Tarball));
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var gzip = new GZipStream(File.OpenRead(unity.Tarball), CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                Assert.StartsWith("package/", entry.Name, StringComparison.Ordinal);
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                {
                    using var bytes = new MemoryStream();
                    entry.DataStream?.CopyTo(bytes);
                    entries.Add(entry.Name["package/".Length..], bytes.ToArray());
                }
            }
        }

        string[] files = Files(unity.PackageRoot);
        Assert.Equal(files, entries.Keys.Order(StringComparer.Ordinal));
        Assert.All(files, file => Assert.Equal(File.ReadAllBytes(Path.Combine(unity.PackageRoot, file)), entries[file]));
    }

    /// <summary><c>RepositoryUrl</c> of <c>Directory.Build.props</c>: the project's address, defined there once.</summary>
    private string RepositoryUrl => ProjectAddress.RepositoryUrl(unity.RepositoryRoot);

    /// <summary><c>NetGenDocumentationUrl</c> of <c>Directory.Build.props</c>, derived from <see cref="RepositoryUrl"/> there.</summary>
    private string DocumentationUrl => BuildProperty("NetGenDocumentationUrl").Replace("$(RepositoryUrl)", RepositoryUrl, StringComparison.Ordinal);

    private string BuildProperty(string name) => ProjectAddress.BuildProperty(unity.RepositoryRoot, name);

    private string Meta(string path) => File.ReadAllText(Path.Combine(unity.PackageRoot, path + ".meta"));

    private byte[] Bytes(string path) => File.ReadAllBytes(Path.Combine(unity.PackageRoot, path));

    /// <summary>Every file under <paramref name="root"/>, relative, with '/', in ordinal order.</summary>
    private static string[] Files(string root)
        => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(path => Relative(root, path)).Order(StringComparer.Ordinal).ToArray();

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    /// <summary>The asset labels of a .meta file: the items of its top-level <c>labels:</c> list.</summary>
    private static string[] Labels(string meta)
    {
        Match labels = Regex.Match(meta, @"^labels:\n(?<items>(- .*\n)*)", RegexOptions.Multiline);
        return labels.Success ? labels.Groups["items"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(item => item[2..]).ToArray() : [];
    }

    /// <summary>The <c>platformData</c> entries of a PluginImporter: each platform key (<c>Any:</c>, <c>Editor: Editor</c>...) and its <c>enabled</c>.</summary>
    private static (string Platform, int Enabled)[] Platforms(string meta)
        => Regex.Matches(meta, @"^  - first:\n {6}(?<platform>.*)\n {4}second:\n {6}enabled: (?<enabled>\d)$", RegexOptions.Multiline)
            .Select(m => (m.Groups["platform"].Value.TrimEnd(), int.Parse(m.Groups["enabled"].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();

    /// <summary>The values of the <c>Exclude &lt;platform&gt;</c> settings of a PluginImporter.</summary>
    private static int[] Exclusions(string meta)
        => Regex.Matches(meta, @"^ +Exclude [^:]+: (?<value>\d)$", RegexOptions.Multiline)
            .Select(m => int.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();

    /// <summary>The value of the assembly's <c>TargetFrameworkAttribute</c>, e.g. <c>.NETStandard,Version=v2.1</c>.</summary>
    private static string TargetFramework(MetadataReader reader)
    {
        foreach (CustomAttributeHandle handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            CustomAttribute attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind == HandleKind.MemberReference
                && reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent is { Kind: HandleKind.TypeReference } parent
                && FullName(reader, (TypeReferenceHandle)parent) == "System.Runtime.Versioning.TargetFrameworkAttribute")
            {
                BlobReader value = reader.GetBlobReader(attribute.Value);
                Assert.Equal(1, value.ReadUInt16()); // the custom attribute blob's prolog
                return value.ReadSerializedString() ?? "";
            }
        }

        return "";
    }

    /// <summary>A referenced type's full name: namespace and name, nested types after a '+'.</summary>
    private static string FullName(MetadataReader reader, TypeReferenceHandle handle)
    {
        TypeReference type = reader.GetTypeReference(handle);
        string name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return FullName(reader, (TypeReferenceHandle)type.ResolutionScope) + "+" + name;
        }

        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}

/// <summary>
/// Runs <c>tools/unity/make-package.sh</c> twice (with <c>--tgz</c>) into two folders of a fresh temporary directory,
/// with <c>NETGEN_UNITY_NO_BUILD=1</c> and this test assembly's configuration: the script then takes the builds of
/// <c>src/NetGen</c> and <c>src/NetGen.Onnx</c> for <see cref="Framework"/> and of the generator that this project's
/// <c>BuildPackageContents</c> target made before it (every framework of both libraries), and builds nothing itself.
/// </summary>
/// <remarks>
/// <see cref="Framework"/> is the script's default, <c>netstandard2.1</c>, unless the environment sets
/// <c>NETGEN_UNITY_FRAMEWORK</c> (a manual run against another build; the tests that require .NET Standard 2.1 then fail).
/// Set <c>NETGEN_KEEP_PACKAGE_TESTS=1</c> to keep the temporary directory.
/// </remarks>
public sealed class UnityPackage : IDisposable
{
    public UnityPackage()
    {
        Assembly assembly = typeof(UnityPackage).Assembly;
        string Metadata(string key) => assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
            ?? throw new InvalidOperationException($"Assembly metadata {key} is empty.");
        RepositoryRoot = Metadata("NetGenRepositoryRoot");
        Version = Metadata("NetGenVersion");
        Configuration = Metadata("NetGenConfiguration");
        Framework = Environment.GetEnvironmentVariable("NETGEN_UNITY_FRAMEWORK") is { Length: > 0 } framework ? framework : "netstandard2.1";

        Root = Path.Combine(Path.GetTempPath(), "netgen-unity-package-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        string first = Path.Combine(Root, "first");
        string second = Path.Combine(Root, "second");
        Result = Run(first);
        Run(second);
        PackageRoot = Path.Combine(first, "com.netgen.netgen");
        SecondPackageRoot = Path.Combine(second, "com.netgen.netgen");
        Tarball = Path.Combine(first, $"com.netgen.netgen-{Version}.tgz");
        SecondTarball = Path.Combine(second, $"com.netgen.netgen-{Version}.tgz");
    }

    /// <summary>The repository this test assembly was built from.</summary>
    public string RepositoryRoot { get; }

    /// <summary><c>NetGenVersion</c> of <c>Directory.Build.props</c>.</summary>
    public string Version { get; }

    /// <summary>The configuration this test assembly, and so the packaged builds, were built in.</summary>
    public string Configuration { get; }

    /// <summary>The framework of the runtime builds the script packaged.</summary>
    public string Framework { get; }

    /// <summary>The temporary directory holding both runs' output.</summary>
    public string Root { get; }

    /// <summary>The first run's package folder.</summary>
    public string PackageRoot { get; }

    /// <summary>The second run's package folder.</summary>
    public string SecondPackageRoot { get; }

    /// <summary>The first run's tarball.</summary>
    public string Tarball { get; }

    /// <summary>The second run's tarball.</summary>
    public string SecondTarball { get; }

    /// <summary>What the first run printed.</summary>
    public CommandResult Result { get; }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("NETGEN_KEEP_PACKAGE_TESTS") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private CommandResult Run(string output)
    {
        CommandResult result = DotNet.RunProgram(
            "bash",
            "bash",
            RepositoryRoot,
            [Path.Combine(RepositoryRoot, "tools", "unity", "make-package.sh"), output, "--tgz"],
            new Dictionary<string, string?>
            {
                ["NETGEN_UNITY_NO_BUILD"] = "1",
                ["NETGEN_UNITY_CONFIGURATION"] = Configuration,
                ["NETGEN_UNITY_FRAMEWORK"] = Framework,
            },
            TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.ToString());
        }

        return result;
    }
}
