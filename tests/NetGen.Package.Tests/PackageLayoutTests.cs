using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using NetGen.Package.Tests.Infrastructure;

namespace NetGen.Package.Tests;

/// <summary>What <c>dotnet pack</c> of <c>src/NetGen</c> and <c>src/NetGen.Onnx</c> puts into the NetGen and NetGen.Onnx packages.</summary>
[Collection(PackageCollection.Name)]
public sealed class PackageLayoutTests(PackageFeed feed)
{
    [Fact]
    public void PackageHoldsTheRuntimeForEachFrameworkTheGeneratorAsAnAnalyzerAndTheBuildStep()
    {
        using ZipArchive package = ZipFile.OpenRead(feed.PackagePath);
        string[] files = package.Entries.Select(e => e.FullName).Where(IsContent).OrderBy(f => f, StringComparer.Ordinal).ToArray();

        // The build step under build/net8.0/ and build/netstandard2.1/, beside the libraries (a build/ file without a
        // framework folder would make every framework compatible, netstandard2.0 and .NET Framework included), and no
        // buildTransitive/ (only projects that reference NetGen run it). lib/netstandard2.1 is for C# 9 and Unity.
        Assert.Equal(
            [
                "NetGen.nuspec",
                "README.md",
                "analyzers/dotnet/cs/NetGen.Generator.dll",
                "build/net8.0/NetGen.Build.dll",
                "build/net8.0/NetGen.targets",
                "build/netstandard2.1/NetGen.Build.dll",
                "build/netstandard2.1/NetGen.targets",
                "docs/diagnostics.md",
                "lib/net8.0/NetGen.dll",
                "lib/net8.0/NetGen.xml",
                "lib/net9.0/NetGen.dll",
                "lib/net9.0/NetGen.xml",
                "lib/netstandard2.1/NetGen.dll",
                "lib/netstandard2.1/NetGen.xml",
            ],
            files);
    }

    [Theory]
    [InlineData("net8.0")]
    [InlineData("netstandard2.1")]
    public void PackagedBuildStepIsTheRepositorysTargetsFileAndTaskAssembly(string framework)
    {
        using ZipArchive package = ZipFile.OpenRead(feed.PackagePath);

        Assert.Equal(File.ReadAllBytes(Path.Combine(feed.RepositoryRoot, "src", "NetGen.Build", "NetGen.targets")), Bytes(package, $"build/{framework}/NetGen.targets"));
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(feed.RepositoryRoot, "src", "NetGen.Build", "bin", feed.Configuration, "netstandard2.0", "NetGen.Build.dll")),
            Bytes(package, $"build/{framework}/NetGen.Build.dll"));
    }

    [Fact]
    public void NuspecHasTheVersionLicenceReadmeProjectAddressAndNoDependencies()
    {
        using ZipArchive package = ZipFile.OpenRead(feed.PackagePath);
        XElement metadata = Nuspec(package, "NetGen.nuspec");
        AssertCommonMetadata(metadata, "NetGen");

        // The generator travels inside the package: neither it nor Roslyn may become a dependency of consumers.
        XElement dependencies = metadata.Elements().Single(e => e.Name.LocalName == "dependencies");
        Assert.Equal(["net8.0", "net9.0", ".NETStandard2.1"], dependencies.Elements().Select(g => g.Attribute("targetFramework")?.Value ?? "").ToArray());
        Assert.DoesNotContain(dependencies.Descendants(), e => e.Name.LocalName == "dependency");
    }

    [Fact]
    public void SymbolPackageHoldsThePdbOfEachFramework()
    {
        using ZipArchive symbols = ZipFile.OpenRead(feed.SymbolPackagePath);
        string[] files = symbols.Entries.Select(e => e.FullName).Where(IsContent).Where(f => f.EndsWith(".pdb", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal).ToArray();

        Assert.Equal(["lib/net8.0/NetGen.pdb", "lib/net9.0/NetGen.pdb", "lib/netstandard2.1/NetGen.pdb"], files);
    }

    [Theory]
    [InlineData("NetGen", "package-readme.md")]
    [InlineData("NetGen.Onnx", "onnx-package-readme.md")]
    public void PackageReadmeIsTheRepositorysTemplateWithTheProjectAddressFilledIn(string id, string template)
    {
        using ZipArchive package = ZipFile.OpenRead(id == "NetGen" ? feed.PackagePath : feed.OnnxPackagePath);
        using var reader = new StreamReader(package.GetEntry("README.md")!.Open());
        string readme = reader.ReadToEnd();
        string source = File.ReadAllText(Path.Combine(feed.RepositoryRoot, "docs", template));

        // The one definition of the address (Directory.Build.props) fills the placeholders; nothing else differs.
        Assert.Contains("{{RepositoryUrl}}", source, StringComparison.Ordinal);
        Assert.Contains("{{DocumentationUrl}}", source, StringComparison.Ordinal);
        string expected = source.TrimEnd()
            .Replace("{{RepositoryUrl}}", RepositoryUrl, StringComparison.Ordinal)
            .Replace("{{DocumentationUrl}}", DocumentationUrl, StringComparison.Ordinal);
        Assert.Equal(expected, readme.TrimEnd());

        ProjectAddress.AssertLinksStayInTheProject(readme, feed.RepositoryRoot);
    }

    [Fact]
    public void PackageCarriesTheRepositorysDiagnosticsDocumentForReadingOffline()
    {
        using ZipArchive package = ZipFile.OpenRead(feed.PackagePath);

        Assert.Equal(File.ReadAllBytes(Path.Combine(feed.RepositoryRoot, "docs", "diagnostics.md")), Bytes(package, "docs/diagnostics.md"));
    }

    [Fact]
    public void OnnxPackageHoldsItsLibraryAndApiDocumentationForEachFramework()
    {
        using ZipArchive package = ZipFile.OpenRead(feed.OnnxPackagePath);
        string[] files = package.Entries.Select(e => e.FullName).Where(IsContent).OrderBy(f => f, StringComparer.Ordinal).ToArray();

        Assert.Equal(
            [
                "NetGen.Onnx.nuspec",
                "README.md",
                "lib/net8.0/NetGen.Onnx.dll",
                "lib/net8.0/NetGen.Onnx.xml",
                "lib/net9.0/NetGen.Onnx.dll",
                "lib/net9.0/NetGen.Onnx.xml",
                "lib/netstandard2.1/NetGen.Onnx.dll",
                "lib/netstandard2.1/NetGen.Onnx.xml",
            ],
            files);
    }

    [Fact]
    public void OnnxNuspecHasTheVersionLicenceReadmeProjectAddressAndDependsOnNetGenOfTheSameVersion()
    {
        using ZipArchive package = ZipFile.OpenRead(feed.OnnxPackagePath);
        XElement metadata = Nuspec(package, "NetGen.Onnx.nuspec");
        AssertCommonMetadata(metadata, "NetGen.Onnx");

        // NetGen at least of this version, per framework: its runtime library. Its generator and build step are NetGen's
        // own to bring (NuGet's default exclude="Build,Analyzers"), so consumers reference NetGen too, as the README says.
        XElement dependencies = metadata.Elements().Single(e => e.Name.LocalName == "dependencies");
        Assert.Equal(["net8.0", "net9.0", ".NETStandard2.1"], dependencies.Elements().Select(g => g.Attribute("targetFramework")?.Value ?? "").ToArray());
        Assert.All(dependencies.Elements(), group =>
        {
            XElement dependency = Assert.Single(group.Elements());
            Assert.Equal("NetGen", dependency.Attribute("id")?.Value);
            Assert.Equal(feed.Version, dependency.Attribute("version")?.Value);
            Assert.Equal("Build,Analyzers", dependency.Attribute("exclude")?.Value);
        });
    }

    [Fact]
    public void OnnxSymbolPackageHoldsThePdbOfEachFramework()
    {
        using ZipArchive symbols = ZipFile.OpenRead(feed.OnnxSymbolPackagePath);
        string[] files = symbols.Entries.Select(e => e.FullName).Where(IsContent).Where(f => f.EndsWith(".pdb", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal).ToArray();

        Assert.Equal(["lib/net8.0/NetGen.Onnx.pdb", "lib/net9.0/NetGen.Onnx.pdb", "lib/netstandard2.1/NetGen.Onnx.pdb"], files);
    }

    /// <summary><c>RepositoryUrl</c> of <c>Directory.Build.props</c>: the project's address, defined there once.</summary>
    private string RepositoryUrl => ProjectAddress.RepositoryUrl(feed.RepositoryRoot);

    /// <summary><c>NetGenDocumentationUrl</c> of <c>Directory.Build.props</c>, derived from <see cref="RepositoryUrl"/> there.</summary>
    private string DocumentationUrl
    {
        get
        {
            string value = BuildProperty("NetGenDocumentationUrl");
            Assert.StartsWith("$(RepositoryUrl)/", value, StringComparison.Ordinal);
            return value.Replace("$(RepositoryUrl)", RepositoryUrl, StringComparison.Ordinal);
        }
    }

    private string BuildProperty(string name) => ProjectAddress.BuildProperty(feed.RepositoryRoot, name);

    /// <summary>What both packages' nuspecs have alike: id, version, licence, README, description, the project's address.</summary>
    private void AssertCommonMetadata(XElement metadata, string id)
    {
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal(id, Value("id"));
        Assert.Equal(feed.Version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("expression", metadata.Elements().Single(e => e.Name.LocalName == "license").Attribute("type")?.Value);
        Assert.Equal("README.md", Value("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        Assert.Equal(RepositoryUrl, Value("projectUrl"));
        XElement repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Equal(RepositoryUrl, repository.Attribute("url")?.Value);
    }

    /// <summary>Leaves out the OPC bookkeeping every package has.</summary>
    private static bool IsContent(string path)
        => !path.StartsWith("_rels/", StringComparison.Ordinal)
           && !path.StartsWith("package/", StringComparison.Ordinal)
           && path != "[Content_Types].xml";

    private static byte[] Bytes(ZipArchive package, string path)
    {
        using Stream stream = package.GetEntry(path)!.Open();
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>The nuspec's <c>metadata</c> element.</summary>
    private static XElement Nuspec(ZipArchive package, string name)
    {
        using Stream stream = package.GetEntry(name)!.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }
}
