using System.IO;
using System.Linq;
using System.Text;
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
    public void ConsumerBelowCSharp11GetsOneNG0013PerNetworkAndNoOtherError()
    {
        // C# 10 cannot implement the static abstract members of .NET 8's INetwork (C# 11 gets the portable code).
        string project = feed.CreateConsumer("OldLanguage", "<LangVersion>10</LangVersion>");

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
            Assert.Contains("it has C# 10.0, and the NetGen runtime it references (for .NET 8 or later) declares INetwork's sizes as static abstract members, which need C# 11 or later", e.Groups["message"].Value, StringComparison.Ordinal);
        });
        Assert.Equal(["7,2", "11,2"], errors.Select(e => e.Groups["line"].Value + "," + e.Groups["column"].Value).ToArray()); // the [Network] attributes
    }

    [Fact]
    public void NetStandard20ConsumerIsRefusedAtRestoreWithNU1202()
    {
        // The package has lib/net8.0, lib/net9.0 and lib/netstandard2.1: netstandard2.0 and .NET Framework projects
        // cannot restore it (generator tests cover a .NET Standard compilation that loads the generator).
        string project = feed.CreateConsumer("NetStandard", "<OutputType>Library</OutputType>", frameworks: "netstandard2.0");

        CommandResult build = feed.Build(project);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains($"error NU1202: Package NetGen {feed.Version} is not compatible with netstandard2.0", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void NetStandard21ConsumerRestoresTheNetStandardRuntimeAndTheBuildStepAndBuildsWithIt()
    {
        // A C# 9 netstandard2.1 library (Unity's kind): it gets lib/netstandard2.1, whose INetwork has instance members,
        // and the build step of build/netstandard2.1; its declared networks get the portable code (a frozen one from a
        // weight file through the build step), and its hand-written INetwork compiles too. Mono runs that code: .ci/mono.sh.
        string project = feed.CreateConsumer(
            "NetStandard21",
            "<OutputType>Library</OutputType><LangVersion>9</LangVersion><EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>",
            frameworks: "netstandard2.1",
            extraContent: """<ItemGroup><AdditionalFiles Include="iris.ngw" /></ItemGroup>""");
        File.Copy(Path.Combine(feed.RepositoryRoot, "samples", "Classify", "iris.ngw"), Path.Combine(project, "iris.ngw"));

        CommandResult build = feed.Build(project);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains(" 0 Warning(s)", build.Output, StringComparison.Ordinal);

        using JsonDocument assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "obj", "project.assets.json")));
        JsonElement netgen = assets.RootElement.GetProperty("targets").GetProperty("netstandard2.1").GetProperty($"NetGen/{feed.Version}");
        Assert.Equal(["lib/netstandard2.1/NetGen.dll"], netgen.GetProperty("compile").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(["build/netstandard2.1/NetGen.targets"], netgen.GetProperty("build").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.True(File.Exists(Path.Combine(project, "bin", "Release", "netstandard2.1", "NetStandard21.dll")));
        string[] generated = Directory.GetFiles(Path.Combine(project, "obj", "Release", "netstandard2.1", "generated"), "*.g.cs", SearchOption.AllDirectories);
        Assert.Equal(["Game.FrozenIris.g.cs", "Game.Gesture.g.cs", "Game.XorNet.g.cs"], generated.Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal).ToArray());
        Assert.All(generated, file => Assert.Contains("//   portable code,", File.ReadAllText(file), StringComparison.Ordinal));
    }

    [Fact]
    public void ConsumersModelFilesReachTheCompilerAsBase64TextFilesAndAFrozenNetworkFromOneRunsAsPyTorchDid()
    {
        // After CoreCompile, the consumer writes down the AdditionalFiles the compiler got (full path | NetGenSource).
        string project = feed.CreateConsumer("Models", extraContent: """
            <ItemGroup>
              <AdditionalFiles Include="net.onnx" />
              <AdditionalFiles Include="model.onnx" />
              <AdditionalFiles Include="missing.ngw" />
              <AdditionalFiles Include="notes.txt" />
            </ItemGroup>
            <Target Name="WriteCompilersAdditionalFiles" AfterTargets="CoreCompile">
              <WriteLinesToFile File="$(MSBuildProjectDirectory)/additional-files.txt" Lines="@(AdditionalFiles->'%(FullPath)|%(NetGenSource)')" Overwrite="true" />
            </Target>
            """);
        // Bytes that no text decoding keeps: NUL, 0x89 and 0x1A, CR LF and a lone CR, invalid UTF-8 (a stray
        // continuation byte, an encoded surrogate, 0xFF 0xFE), then every byte value, so the base64 spans several lines.
        byte[] model = [0x89, (byte)'O', (byte)'N', (byte)'N', (byte)'X', 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x0D, 0xC3, 0x28, 0x80, 0xED, 0xA0, 0x80, 0xFF, 0xFE,
            .. Enumerable.Range(0, 256).Select(b => (byte)b)];
        string modelPath = Path.Combine(project, "model.onnx");
        string missingPath = Path.Combine(project, "missing.ngw");
        string notesPath = Path.Combine(project, "notes.txt");
        File.WriteAllBytes(modelPath, model);
        File.WriteAllText(notesPath, "Not a model.\n");

        // net.onnx: a PyTorch export (tools/pytorch/export_mlp.py) with PyTorch's outputs for a few inputs.
        string exports = Path.Combine(feed.RepositoryRoot, "tests", "NetGen.Generator.Tests", "TestData", "onnx");
        string netPath = Path.Combine(project, "net.onnx");
        File.Copy(Path.Combine(exports, "relu_sigmoid.onnx"), netPath);
        using JsonDocument recorded = JsonDocument.Parse(File.ReadAllText(Path.Combine(exports, "relu_sigmoid.json")));
        float[] input = recorded.RootElement.GetProperty("inputs")[0].EnumerateArray().Select(v => v.GetSingle()).ToArray();
        float[] expected = recorded.RootElement.GetProperty("outputs")[0].EnumerateArray().Select(v => v.GetSingle()).ToArray();
        File.WriteAllText(Path.Combine(project, "input.txt"), string.Join(" ", input.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));

        CommandResult build = feed.Build(project);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains(" 0 Warning(s)", build.Output, StringComparison.Ordinal);

        string encodedDirectory = Path.Combine(project, "obj", "Release", PackageFeed.ConsumerFramework, "netgen");
        string[] encoded = Directory.GetFiles(encodedDirectory).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        Assert.Equal(3, encoded.Length);
        Assert.Matches(@"^missing\.ngw\.[0-9a-f]{8}\.netgen$", Path.GetFileName(encoded[0]));
        Assert.Matches(@"^model\.onnx\.[0-9a-f]{8}\.netgen$", Path.GetFileName(encoded[1]));
        Assert.Matches(@"^net\.onnx\.[0-9a-f]{8}\.netgen$", Path.GetFileName(encoded[2]));

        // UTF-8 without a byte order mark, \n line endings, base64 in lines of 76 characters and a shorter last one.
        byte[] modelFile = File.ReadAllBytes(encoded[1]);
        Assert.NotEqual(0xEF, modelFile[0]);
        Assert.DoesNotContain((byte)'\r', modelFile);
        string[] lines = Encoding.UTF8.GetString(modelFile).Split('\n');
        Assert.Equal(["netgen-model-file 1", "path: " + modelPath, "bytes: " + model.Length, ""], lines[..4]);
        Assert.Equal("", lines[^1]);
        string[] body = lines[4..^1];
        Assert.True(body.Length > 1, "several lines of base64");
        Assert.All(body[..^1], line => Assert.Equal(76, line.Length));
        Assert.InRange(body[^1].Length, 1, 76);
        Assert.Equal(model, Convert.FromBase64String(string.Concat(body)));

        Assert.Equal(
            ["netgen-model-file 1", "path: " + missingPath, "error: the file does not exist", ""],
            File.ReadAllText(encoded[0]).Split('\n'));

        // The compiler got the encoded files, each naming its original, and notes.txt itself.
        Assert.Equal(
            new[] { $"{encoded[0]}|{missingPath}", $"{encoded[1]}|{modelPath}", $"{encoded[2]}|{netPath}", $"{notesPath}|" }.OrderBy(l => l, StringComparer.Ordinal),
            File.ReadAllLines(Path.Combine(project, "additional-files.txt")).OrderBy(l => l, StringComparer.Ordinal));

        // The generator read net.onnx through the build step and compiled its weights in: PyTorch's outputs.
        CommandResult run = feed.RunConsumer(project);
        Assert.True(run.ExitCode == 0, run.ToString());
        string[] printed = Lines(run.Output);
        Assert.Equal("4-8(ReLU)-3(Sigmoid), MeanSquaredError", printed[0]);
        float[] actual = printed[1].Split(' ').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), pair => Assert.True(Math.Abs(pair.First - pair.Second) <= 1e-5f, $"{pair.Second} vs PyTorch's {pair.First}"));
    }

    [Fact]
    public void ConsumerOfNetGenAndNetGenOnnxExportsADenseAndASequenceNetworkThatOnnxRuntimeRunsAsForwardDoes()
    {
        // ONNX Runtime as the repository's tests use it (Directory.Packages.props), from the machine's packages; only this
        // machine's native library in the output (the package carries ~250 MB for every platform).
        string onnxRuntime = PackageVersion("Microsoft.ML.OnnxRuntime");
        string project = feed.CreateConsumer(
            "Onnx",
            "<RuntimeIdentifier>$(NETCoreSdkRuntimeIdentifier)</RuntimeIdentifier><SelfContained>false</SelfContained>",
            extraContent: $"""
                <ItemGroup>
                  <PackageReference Include="NetGen.Onnx" Version="[{feed.Version}]" />
                  <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="{onnxRuntime}" />
                </ItemGroup>
                """);

        CommandResult build = feed.Build(project);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains(" 0 Warning(s)", build.Output, StringComparison.Ordinal);

        // NetGen.Onnx came from the folder feed, with the library of its nearest framework, and depends on NetGen.
        using (JsonDocument assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "obj", "project.assets.json"))))
        {
            JsonElement onnx = assets.RootElement.GetProperty("targets").EnumerateObject()
                .Single(t => t.Name.StartsWith(PackageFeed.ConsumerFramework, StringComparison.Ordinal) && t.Name.Contains('/', StringComparison.Ordinal))
                .Value.GetProperty($"NetGen.Onnx/{feed.Version}");
            Assert.Equal(["lib/net9.0/NetGen.Onnx.dll"], onnx.GetProperty("compile").EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal(feed.Version, onnx.GetProperty("dependencies").GetProperty("NetGen").GetString());
        }

        Assert.True(File.Exists(Path.Combine(feed.PackagesDirectory, "netgen.onnx", feed.Version, "lib", "net9.0", "NetGen.Onnx.dll")));

        CommandResult run = feed.RunConsumer(project);
        Assert.True(run.ExitCode == 0, run.ToString());
        string[] printed = Lines(run.Output);
        Assert.True(printed.Length == 4, run.ToString());
        foreach ((string file, string architecture, string shape, int values, string[] lines) in new[]
        {
            ("seednet.onnx", "3-4(Sigmoid)-2(Softmax), CrossEntropy", "5x2", 10, printed[..2]),
            ("gesture.onnx", "2-Gru(5)-1(Sigmoid), BinaryCrossEntropy", "4x1", 4, printed[2..]),
        })
        {
            long bytes = new FileInfo(Path.Combine(project, file)).Length;
            Assert.InRange(bytes, 100, 100_000);
            Assert.Equal($"{file}: {bytes} bytes, same as ToBytes: True, producer NetGen, doc \"{architecture}\"", lines[0]);
            Assert.Equal($"{file}: ONNX Runtime output {shape}, {values} values, within 1e-5 of Forward: True", lines[1]);
        }
    }

    /// <summary>A package's version in the repository's <c>Directory.Packages.props</c>.</summary>
    private string PackageVersion(string id)
        => System.Xml.Linq.XDocument.Load(Path.Combine(feed.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion").Single(e => (string?)e.Attribute("Include") == id).Attribute("Version")!.Value;

    private static string[] Lines(string output)
        => output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
}
