using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace NetGen.Package.Tests.Infrastructure;

/// <summary>The project's address as <c>Directory.Build.props</c> defines it once, and the check of a README's links against it.</summary>
internal static class ProjectAddress
{
    /// <summary>The value of the property <paramref name="name"/> in the repository's <c>Directory.Build.props</c>.</summary>
    public static string BuildProperty(string repositoryRoot, string name)
        => XDocument.Load(Path.Combine(repositoryRoot, "Directory.Build.props")).Descendants(name).Single().Value;

    /// <summary><c>RepositoryUrl</c> of <c>Directory.Build.props</c>: the project's address, defined there once.</summary>
    public static string RepositoryUrl(string repositoryRoot) => BuildProperty(repositoryRoot, "RepositoryUrl");

    /// <summary>
    /// Every link of <paramref name="readme"/> goes to the project's address, or to a document under it that exists in the
    /// repository (on the default branch).
    /// </summary>
    public static void AssertLinksStayInTheProject(string readme, string repositoryRoot)
    {
        string repositoryUrl = RepositoryUrl(repositoryRoot);
        string[] links = Regex.Matches(readme, @"\]\((?<target>[^)]+)\)").Select(m => m.Groups["target"].Value).ToArray();
        Assert.NotEmpty(links);
        Assert.All(links, link =>
        {
            Assert.StartsWith(repositoryUrl, link, StringComparison.Ordinal);
            string path = link[repositoryUrl.Length..];
            if (path.Length > 0)
            {
                Assert.StartsWith("/blob/main/", path, StringComparison.Ordinal);
                Assert.True(File.Exists(Path.Combine(repositoryRoot, path["/blob/main/".Length..].Split('#')[0])), link);
            }
        });
    }
}
