using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests;

/// <summary>
/// The project's address is defined once, as <c>RepositoryUrl</c> in <c>Directory.Build.props</c>; the diagnostics'
/// help links (and the packages' metadata and READMEs, see NetGen.Package.Tests) derive from it.
/// </summary>
public sealed class ProjectUrlTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void EveryHelpLinkIsTheDiagnosticsDocumentUnderTheOneProjectAddressAndItsAnchorExists()
    {
        string repository = BuildProperty("RepositoryUrl");
        string documentation = BuildProperty("NetGenDocumentationUrl");
        Assert.StartsWith("https://", repository, StringComparison.Ordinal);
        Assert.StartsWith("$(RepositoryUrl)/", documentation, StringComparison.Ordinal);
        documentation = documentation.Replace("$(RepositoryUrl)", repository, StringComparison.Ordinal);
        Assert.Equal(ProjectUrls.Repository, repository);
        Assert.Equal(ProjectUrls.Documentation, documentation);

        // GitHub's anchors of the document's headings: lower case, spaces to '-', punctuation dropped.
        string[] anchors = File.ReadAllLines(Path.Combine(Root, "docs", "diagnostics.md"))
            .Where(line => line.StartsWith('#'))
            .Select(line => Regex.Replace(line.TrimStart('#').Trim().ToLowerInvariant(), @"[^a-z0-9 _-]", string.Empty).Replace(' ', '-'))
            .ToArray();
        DiagnosticDescriptor[] descriptors = Descriptors();
        Assert.NotEmpty(descriptors);
        Assert.All(descriptors, descriptor =>
        {
            Assert.Equal($"{documentation}/diagnostics.md#{descriptor.Id.ToLowerInvariant()}", descriptor.HelpLinkUri);
            Assert.Contains(descriptor.HelpLinkUri[(descriptor.HelpLinkUri.IndexOf('#', StringComparison.Ordinal) + 1)..], anchors);
        });
    }

    [Fact]
    public void NoFileButDirectoryBuildPropsSpellsOutTheProjectAddress()
    {
        string repository = BuildProperty("RepositoryUrl");
        string[] spelledOut = Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "TestResults" or "BenchmarkDotNet.Artifacts"))
            .Where(path => Path.GetExtension(path) is ".cs" or ".md" or ".props" or ".targets" or ".csproj" or ".json" or ".py" or ".sh" or ".txt" or ".html" or ".razor" or "")
            .Where(path => File.ReadAllText(path).Contains(repository, StringComparison.OrdinalIgnoreCase))
            .Select(path => Path.GetRelativePath(Root, path).Replace('\\', '/'))
            .ToArray();

        Assert.Equal(["Directory.Build.props"], spelledOut);
    }

    private static DiagnosticDescriptor[] Descriptors()
        => typeof(NetworkGenerator).Assembly.GetType("NetGen.Generator.Diagnostics.DiagnosticDescriptors")!
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(field => field.GetValue(null)).OfType<DiagnosticDescriptor>().ToArray();

    private static string BuildProperty(string name)
        => XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants(name).Single().Value;

    private static string FindRoot()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "NetGen.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("NetGen.sln not found above the test's directory.");
        }

        return root;
    }
}
