using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using NetGen.Package.Tests.Infrastructure;

namespace NetGen.Package.Tests;

/// <summary>
/// Projects outside the repository that reference the NetGen package by version, as a user's would: they build with
/// the packed generator, run with the packed runtime, and see the generator's diagnostics.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class PackageConsumerTests(PackageFeed feed)
{
    [Fact]
    public void ConsumerOfNet8Net9AndNet10BuildsAndRunsTrainsXorAndRoundTripsAWeightFile()
    {
        // net8.0 compiles the generated code as C# 12, its default; only net10.0 runs (the machine's one runtime).
        string project = feed.CreateConsumer("Xor", frameworks: "net8.0;net9.0;net10.0");

        CommandResult build = feed.Build(project);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains(" 0 Warning(s)", build.Output, StringComparison.Ordinal);

        // NetGen came from the folder feed into the run's own packages folder, each framework with its library.
        Assert.True(File.Exists(Path.Combine(feed.PackagesDirectory, "netgen", feed.Version, "analyzers", "dotnet", "cs", "NetGen.Generator.dll")));
        using JsonDocument assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "obj", "project.assets.json")));
        JsonElement targets = assets.RootElement.GetProperty("targets");
        foreach ((string framework, string library) in new[] { ("net8.0", "lib/net8.0/NetGen.dll"), ("net9.0", "lib/net9.0/NetGen.dll"), ("net10.0", "lib/net9.0/NetGen.dll") })
        {
            JsonElement netgen = targets.GetProperty(framework).GetProperty($"NetGen/{feed.Version}");
            Assert.Equal([library], netgen.GetProperty("compile").EnumerateObject().Select(p => p.Name).ToArray());
            Assert.True(File.Exists(Path.Combine(project, "bin", "Release", framework, "Xor.dll")), framework);
        }

        CommandResult run = feed.RunConsumer(project);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            [
                "linear 2-1(Identity), MeanSquaredError: -0.75",
                "xor 2-4(Tanh)-1(Sigmoid), BinaryCrossEntropy, 17 parameters: 0 1 1 0",
                "weight file round trip, same outputs: True",
            ],
            Lines(run.Output));
    }

    [Fact]
    public void ConsumerBelowCSharp12GetsOneNG0013PerNetworkAndNoOtherError()
    {
        string project = feed.CreateConsumer("OldLanguage", "<LangVersion>11</LangVersion>");

        CommandResult build = feed.Build(project);

        Assert.NotEqual(0, build.ExitCode);
        Match[] errors = Regex.Matches(build.Output, @"^(?<file>[^\n]*?)\((?<line>\d+),(?<column>\d+)\): error (?<id>[A-Z]+\d+): (?<message>[^\n]*)$", RegexOptions.Multiline)
            .DistinctBy(m => m.Value.Trim(), StringComparer.Ordinal) // MSBuild repeats errors in its summary
            .OrderBy(m => int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        Assert.True(errors.Length == 2, build.ToString());
        Assert.All(errors, e =>
        {
            Assert.EndsWith("Program.cs", e.Groups["file"].Value, StringComparison.Ordinal);
            Assert.Equal("NG0013", e.Groups["id"].Value);
            Assert.Contains("but this compilation has C# 11.0; target net8.0 or later with LangVersion 12 or later", e.Groups["message"].Value, StringComparison.Ordinal);
        });
        Assert.Equal(["7,2", "11,2"], errors.Select(e => e.Groups["line"].Value + "," + e.Groups["column"].Value).ToArray()); // the [Network] attributes
    }

    [Fact]
    public void NetStandardConsumerIsRefusedAtRestoreWithNU1202()
    {
        // The package has only lib/net8.0 and lib/net9.0 (design §7): .NET Standard and .NET Framework projects, and
        // so Unity, cannot restore it (generator tests cover a .NET Standard compilation that loads the generator).
        string project = feed.CreateConsumer("NetStandard", "<OutputType>Library</OutputType>", frameworks: "netstandard2.0");

        CommandResult build = feed.Build(project);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains($"error NU1202: Package NetGen {feed.Version} is not compatible with netstandard2.0", build.Output, StringComparison.Ordinal);
    }

    private static string[] Lines(string output)
        => output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
}
