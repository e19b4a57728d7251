using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using NetGen.Generator.Emitting;
using NetGen.Generator.Planning;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>
/// The behaviour tests check gradients, allocations and argument handling on the networks of
/// tests/NetGen.Tests/GradientCheckNetworks.cs. Planned here with the real generator, those networks must reach every
/// code shape and every pair of neighbouring shapes, so that no shape goes untested when the planner's thresholds move.
/// </summary>
public sealed class ShapeCoverageTests
{
    [Fact]
    public void GradientCheckedNetworksCoverEveryShapeAndEveryNeighbourPair()
    {
        GeneratorRun run = GeneratorHarness.Run("using System;\n" + File.ReadAllText(GradientCheckNetworksPath()));
        Assert.NotEmpty(run.GeneratedSources);

        var shapes = new HashSet<string>();
        var pairs = new HashSet<string>();
        foreach (var source in run.GeneratedSources)
        {
            string[] layers = source.SourceText.ToString().Split('\n')
                .TakeWhile(line => line.StartsWith("//", StringComparison.Ordinal))
                .Where(line => line.Contains(" -> ", StringComparison.Ordinal))
                .Select(line => line[(line.LastIndexOf("  ", StringComparison.Ordinal) + 2)..].Trim())
                .ToArray();
            shapes.UnionWith(layers);
            pairs.UnionWith(layers.Zip(layers.Skip(1), (first, second) => first + " | " + second));
        }

        string[] all = [.. Enum.GetValues<LayerShape>().Select(shape => DenseEmitter.Describe(shape))];
        Assert.Equal(all.Order(), shapes.Order());
        foreach (string first in all)
        {
            foreach (string second in all)
            {
                Assert.True(pairs.Contains(first + " | " + second), $"No gradient-checked network has a '{first}' layer followed by a '{second}' one; present: {string.Join("; ", pairs.Order())}");
            }
        }
    }

    [Fact]
    public void GradientCheckedNetworksHaveSimdLayersWithAndWithoutVector512Code()
    {
        GeneratorRun run = GeneratorHarness.Run("using System;\n" + File.ReadAllText(GradientCheckNetworksPath()));
        string[] widthLines = run.GeneratedSources
            .SelectMany(source => source.SourceText.ToString().Split('\n'))
            .Where(line => line.StartsWith("//     layer ", StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 2)..].Trim())
            .ToArray();

        // Every width's code runs in CI: Vector512 on the AVX-512 machine, Vector256 with DOTNET_EnableAVX512=0,
        // Vector128 with DOTNET_EnableAVX2=0 and on Arm64, the kernels with DOTNET_EnableHWIntrinsic=0.
        Assert.Contains("Vector512, Vector256, Vector128", widthLines);
        Assert.Contains("Vector256, Vector128", widthLines);
        Assert.All(widthLines, line => Assert.EndsWith("Vector256, Vector128", line, StringComparison.Ordinal));
    }

    [Fact]
    public void SequenceNetworksCoverEveryShapeOfBothRecurrentProducts()
    {
        GeneratorRun run = GeneratorHarness.Run("using System;\n" + File.ReadAllText(Path.Combine(Path.GetDirectoryName(GradientCheckNetworksPath())!, "Recurrent", "SequenceNetworks.cs")));
        Assert.Empty(run.GeneratorDiagnostics);
        var inputShapes = new HashSet<string>();
        var recurrentShapes = new HashSet<string>();
        foreach (var source in run.GeneratedSources)
        {
            foreach (string line in source.SourceText.ToString().Split('\n').TakeWhile(line => line.StartsWith("//", StringComparison.Ordinal)))
            {
                int input = line.IndexOf("input product ", StringComparison.Ordinal);
                int recurrent = line.IndexOf(", recurrent product ", StringComparison.Ordinal);
                if (input > 0 && recurrent > input)
                {
                    inputShapes.Add(line[(input + "input product ".Length)..recurrent]);
                    recurrentShapes.Add(line[(recurrent + ", recurrent product ".Length)..].Trim());
                }
            }
        }

        string[] all = [.. Enum.GetValues<LayerShape>().Select(shape => DenseEmitter.Describe(shape))];
        Assert.Equal(all.Append(DenseEmitter.ByColumns).Order(), inputShapes.Order());
        Assert.Equal(all.Order(), recurrentShapes.Order());
    }

    private static string GradientCheckNetworksPath([CallerFilePath] string self = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(self)!, "..", "NetGen.Tests", "GradientCheckNetworks.cs"));
}
