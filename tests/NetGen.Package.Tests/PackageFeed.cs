using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security;
using System.Text;
using NetGen.Package.Tests.Infrastructure;

namespace NetGen.Package.Tests;

/// <summary>
/// Packs NetGen and NetGen.Onnx once for all package tests (<c>dotnet pack --no-build</c> of <c>src/NetGen</c> and
/// <c>src/NetGen.Onnx</c>, built before this project by its <c>BuildPackageContents</c> target) into a folder feed under
/// a fresh temporary directory outside the repository, and makes consumer projects there.
/// </summary>
/// <remarks>
/// <para>
/// Isolation. The temporary directory holds empty <c>Directory.Build.props</c>, <c>Directory.Build.targets</c> and
/// <c>Directory.Packages.props</c>, so no file of an enclosing directory leaks into the consumers, and a
/// <c>nuget.config</c> with package source mapping: <c>NetGen</c> and <c>NetGen.Onnx</c> come from the folder feed only; every other package
/// from the machine's global packages folder read as a folder feed, or else from the machine's own enabled package
/// sources (read with <c>dotnet nuget list source</c>, so no address is written here).
/// </para>
/// <para>
/// Package cache. The package keeps the repository's version (<c>NetGenVersion</c>) on every run, so a shared
/// global packages folder would serve a NetGen extracted by an earlier run. Consumers therefore restore into a
/// global packages folder of their own (<c>NUGET_PACKAGES</c> under the temporary directory), deleted with it; this
/// leaves the machine's cache alone and keeps concurrent runs from different clones apart. Whatever else they need
/// (the reference packs of <c>net8.0</c> and <c>net9.0</c>, which building <c>src/NetGen</c> already put into the
/// machine's cache) is copied from the machine's cache, so restore needs no network when the repository has been
/// built on the machine; <c>net10.0</c>'s reference pack ships with the SDK.
/// </para>
/// <para>Set <c>NETGEN_KEEP_PACKAGE_TESTS=1</c> to keep the temporary directory for inspection.</para>
/// </remarks>
public sealed class PackageFeed : IDisposable
{
    /// <summary>The folder feed's key in the consumers' <c>nuget.config</c>.</summary>
    public const string FeedName = "netgen-local";

    /// <summary>The framework consumers run on: the SDK's own (the machine has no other runtime).</summary>
    public const string ConsumerFramework = "net10.0";

    /// <summary>The packages packed into the feed, by id: what the consumers' <c>nuget.config</c> takes from it only.</summary>
    public static readonly IReadOnlyList<string> PackageIds = ["NetGen", "NetGen.Onnx"];

    public PackageFeed()
    {
        Assembly assembly = typeof(PackageFeed).Assembly;
        RepositoryRoot = Metadata(assembly, "NetGenRepositoryRoot");
        Version = Metadata(assembly, "NetGenVersion");
        Configuration = Metadata(assembly, "NetGenConfiguration");

        Root = Path.Combine(Path.GetTempPath(), "netgen-package-tests-" + Guid.NewGuid().ToString("N")[..12]);
        FeedDirectory = Path.Combine(Root, "feed");
        PackagesDirectory = Path.Combine(Root, "packages");
        Directory.CreateDirectory(FeedDirectory);
        Directory.CreateDirectory(PackagesDirectory);

        // Read before this directory has a nuget.config of its own: the machine's cache and sources, as any project sees them.
        List<(string Key, string Source)> machineSources = [("machine-cache", GlobalPackagesFolder(DotNet.RunChecked(Root, ["nuget", "locals", "global-packages", "--list"]).Output))];
        machineSources.AddRange(EnabledSources(DotNet.RunChecked(Root, ["nuget", "list", "source", "--format", "short"]).Output)
            .Select((source, i) => ($"machine-{i + 1}", source)));

        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "nuget.config"), NuGetConfig(FeedDirectory, machineSources));

        PackResult = DotNet.RunChecked(RepositoryRoot, [
            "pack", Path.Combine(RepositoryRoot, "src", "NetGen", "NetGen.csproj"),
            "-c", Configuration, "--no-build", "-o", FeedDirectory, "-nodeReuse:false"]);
        OnnxPackResult = DotNet.RunChecked(RepositoryRoot, [
            "pack", Path.Combine(RepositoryRoot, "src", "NetGen.Onnx", "NetGen.Onnx.csproj"),
            "-c", Configuration, "--no-build", "-o", FeedDirectory, "-nodeReuse:false"]);
        PackagePath = Path.Combine(FeedDirectory, $"NetGen.{Version}.nupkg");
        SymbolPackagePath = Path.Combine(FeedDirectory, $"NetGen.{Version}.snupkg");
        OnnxPackagePath = Path.Combine(FeedDirectory, $"NetGen.Onnx.{Version}.nupkg");
        OnnxSymbolPackagePath = Path.Combine(FeedDirectory, $"NetGen.Onnx.{Version}.snupkg");
    }

    /// <summary>The repository this test assembly was built from.</summary>
    public string RepositoryRoot { get; }

    /// <summary><c>NetGenVersion</c> of <c>Directory.Build.props</c>, the package's version.</summary>
    public string Version { get; }

    /// <summary>The configuration this test assembly (and so the packed library) was built in.</summary>
    public string Configuration { get; }

    /// <summary>The temporary directory holding the feed, the packages folder and the consumers.</summary>
    public string Root { get; }

    /// <summary>The folder feed that <c>dotnet pack</c> wrote to.</summary>
    public string FeedDirectory { get; }

    /// <summary>The consumers' global packages folder (<c>NUGET_PACKAGES</c>).</summary>
    public string PackagesDirectory { get; }

    /// <summary>The NetGen package.</summary>
    public string PackagePath { get; }

    /// <summary>NetGen's symbol package.</summary>
    public string SymbolPackagePath { get; }

    /// <summary>The NetGen.Onnx package.</summary>
    public string OnnxPackagePath { get; }

    /// <summary>NetGen.Onnx's symbol package.</summary>
    public string OnnxSymbolPackagePath { get; }

    /// <summary>What <c>dotnet pack</c> of NetGen printed.</summary>
    public CommandResult PackResult { get; }

    /// <summary>What <c>dotnet pack</c> of NetGen.Onnx printed.</summary>
    public CommandResult OnnxPackResult { get; }

    /// <summary>The environment of every consumer command: the per-run global packages folder.</summary>
    public IReadOnlyDictionary<string, string?> ConsumerEnvironment => new Dictionary<string, string?>
    {
        ["NUGET_PACKAGES"] = PackagesDirectory,
        ["NUGET_FALLBACK_PACKAGES"] = null,
    };

    /// <summary>
    /// Makes the consumer project <paramref name="name"/>: a copy of <c>Consumers/<paramref name="name"/></c>'s
    /// sources and a project file for <paramref name="frameworks"/> (default <see cref="ConsumerFramework"/>) that
    /// references the NetGen package by version, with <paramref name="extraProperties"/> in its property group and
    /// <paramref name="extraContent"/> (item groups, targets) after its package reference. Returns its directory.
    /// (It builds into <c>bin/Release/&lt;framework&gt;/</c>, also with a <c>RuntimeIdentifier</c> among the extra properties.)
    /// </summary>
    public string CreateConsumer(string name, string extraProperties = "", string frameworks = ConsumerFramework, string extraContent = "")
    {
        string directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        string sources = Path.Combine(AppContext.BaseDirectory, "Consumers", name);
        foreach (string file in Directory.EnumerateFiles(sources, "*.cs"))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFrameworks>{frameworks}</TargetFrameworks>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <AppendRuntimeIdentifierToOutputPath>false</AppendRuntimeIdentifierToOutputPath>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="NetGen" Version="[{Version}]" />
              </ItemGroup>
              {extraContent}
            </Project>
            """);
        return directory;
    }

    /// <summary><c>dotnet build -c Release</c> (with its restore) of the consumer in <paramref name="directory"/>, every framework.</summary>
    public CommandResult Build(string directory)
        => DotNet.Run(directory, ["build", "-c", "Release", "-nodeReuse:false"], ConsumerEnvironment);

    /// <summary>Runs the built consumer in <paramref name="directory"/>, with its directory as working directory.</summary>
    public CommandResult RunConsumer(string directory)
    {
        string name = Path.GetFileName(directory);
        return DotNet.Run(directory, [Path.Combine(directory, "bin", "Release", ConsumerFramework, name + ".dll")], ConsumerEnvironment, TimeSpan.FromMinutes(2));
    }

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
            // Best effort: a build server may still hold a file open.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Metadata(Assembly assembly, string key)
        => assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
           ?? throw new InvalidOperationException($"Assembly metadata {key} is empty.");

    /// <summary>The folder of <c>dotnet nuget locals global-packages --list</c>: <c>global-packages: &lt;folder&gt;</c>.</summary>
    private static string GlobalPackagesFolder(string output)
        => output.Split('\n').Select(line => line.Trim()).Single(line => line.StartsWith("global-packages:", StringComparison.Ordinal))["global-packages:".Length..].Trim();

    /// <summary>The enabled sources of <c>dotnet nuget list source --format short</c>: lines <c>E &lt;source&gt;</c>.</summary>
    private static List<string> EnabledSources(string output)
        => output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .ToList();

    private static string NuGetConfig(string feed, IReadOnlyList<(string Key, string Source)> machineSources)
    {
        var config = new StringBuilder();
        config.AppendLine("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        config.AppendLine("<configuration>");
        config.AppendLine("  <packageSources>");
        config.AppendLine("    <clear />");
        config.AppendLine($"    <add key=\"{FeedName}\" value=\"{SecurityElement.Escape(feed)}\" />");
        foreach ((string key, string source) in machineSources)
        {
            config.AppendLine($"    <add key=\"{key}\" value=\"{SecurityElement.Escape(source)}\" />");
        }

        config.AppendLine("  </packageSources>");
        config.AppendLine("  <packageSourceMapping>");
        config.AppendLine($"    <packageSource key=\"{FeedName}\">");
        foreach (string id in PackageIds)
        {
            config.AppendLine($"      <package pattern=\"{id}\" />");
        }

        config.AppendLine("    </packageSource>");
        foreach ((string key, _) in machineSources)
        {
            config.AppendLine($"    <packageSource key=\"{key}\">");
            config.AppendLine("      <package pattern=\"*\" />");
            config.AppendLine("    </packageSource>");
        }

        config.AppendLine("  </packageSourceMapping>");
        config.AppendLine("</configuration>");
        return config.ToString();
    }
}

/// <summary>The package tests share one packed feed and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFeed>
{
    public const string Name = "NetGen package";
}
