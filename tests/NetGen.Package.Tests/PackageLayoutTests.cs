using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;

namespace NetGen.Package.Tests;

/// <summary>What <c>dotnet pack</c> of <c>src/NetGen</c> puts into the NetGen package.</summary>
[Collection(PackageCollection.Name)]
public sealed class PackageLayoutTests(PackageFeed feed)
{
    [Fact]
    public void PackageHoldsTheRuntimeForEachFrameworkTheGeneratorAsAnAnalyzerAndTheBuildStep()
    {
        using ZipArchive package = ZipFile.OpenRead(feed.PackagePath);
        string[] files = package.Entries.Select(e => e.FullName).Where(IsContent).OrderBy(f => f, StringComparer.Ordinal).ToArray();

        // The build step under build/net8.0/ (a build/ file without a framework folder would make every framework
        // compatible, .NET Standard included), and no buildTransitive/ (only projects that reference NetGen run it).
        Assert.Equal(
            [
                "NetGen.nuspec",
                "README.md",
                "analyzers/dotnet/cs/NetGen.Generator.dll",
                "build/net8.0/NetGen.Build.dll",
                "build/net8.0/NetGen.targets",
                "lib/net8.0/NetGen.dll",
                "lib/net8.0/NetGen.xml",
                "lib/net9.0/NetGen.dll",
                "lib/net9.0/NetGen.xml",
            ],
            files);
    }

    [Fact]
    public void PackagedBuildStepIsTheRepositorysTargetsFileAndTaskAssembly()
    {
        using ZipArchive package = ZipFile.OpenRead(feed.PackagePath);

        Assert.Equal(File.ReadAllBytes(Path.Combine(feed.RepositoryRoot, "src", "NetGen.Build", "NetGen.targets")), Bytes(package, "build/net8.0/NetGen.targets"));
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(feed.RepositoryRoot, "src", "NetGen.Build", "bin", feed.Configuration, "netstandard2.0", "NetGen.Build.dll")),
            Bytes(package, "build/net8.0/NetGen.Build.dll"));
    }

    [Fact]
    public void NuspecHasTheVersionLicenceReadmeAndNoDependencies()
    {
        using ZipArchive package = ZipFile.OpenRead(feed.PackagePath);
        XElement metadata = Nuspec(package).Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal("NetGen", Value("id"));
        Assert.Equal(feed.Version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("expression", metadata.Elements().Single(e => e.Name.LocalName == "license").Attribute("type")?.Value);
        Assert.Equal("README.md", Value("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));

        // The generator travels inside the package: neither it nor Roslyn may become a dependency of consumers.
        XElement dependencies = metadata.Elements().Single(e => e.Name.LocalName == "dependencies");
        Assert.Equal(["net8.0", "net9.0"], dependencies.Elements().Select(g => g.Attribute("targetFramework")?.Value ?? "").ToArray());
        Assert.DoesNotContain(dependencies.Descendants(), e => e.Name.LocalName == "dependency");
    }

    [Fact]
    public void SymbolPackageHoldsThePdbOfEachFramework()
    {
        using ZipArchive symbols = ZipFile.OpenRead(feed.SymbolPackagePath);
        string[] files = symbols.Entries.Select(e => e.FullName).Where(IsContent).Where(f => f.EndsWith(".pdb", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal).ToArray();

        Assert.Equal(["lib/net8.0/NetGen.pdb", "lib/net9.0/NetGen.pdb"], files);
    }

    [Fact]
    public void PackageReadmeIsTheRepositorysPackageReadme()
    {
        using ZipArchive package = ZipFile.OpenRead(feed.PackagePath);
        using var reader = new StreamReader(package.GetEntry("README.md")!.Open());

        Assert.Equal(File.ReadAllText(Path.Combine(feed.RepositoryRoot, "docs", "package-readme.md")), reader.ReadToEnd());
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

    private static XElement Nuspec(ZipArchive package)
    {
        using Stream stream = package.GetEntry("NetGen.nuspec")!.Open();
        return XDocument.Load(stream).Root!;
    }
}
