using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generator must do no work for compilations that did not change a network, and must keep no Roslyn objects
/// in its pipeline (they defeat caching and keep old compilations alive).
/// </summary>
public sealed class CachingTests
{
    private const string Source = """
        using NetGen;

        namespace Demo;

        [Network(3, Loss = Loss.CrossEntropy)]
        [Dense(4, Activation.Sigmoid)]
        [Dense(2, Activation.Softmax)]
        public partial class SeedNet { }

        [Network(2)] [Dense(1)] public class NotPartial { }

        [Dense(1)] public partial class Orphan { }

        [OnnxNetwork("models/relu_sigmoid.onnx")] public static partial class Imported { }

        [Network(4)] [Dense(8, Activation.ReLU)] [Dense(3, Activation.Sigmoid)]
        [WeightsFile("models/relu_sigmoid.onnx", Frozen = false)]
        public partial class Tuned { }

        [WeightsFile("models/other.ngw")] public partial class OrphanWeights { }

        [Network(6, Loss = Loss.CrossEntropy, MaxSteps = 40)] [Gru(8)] [Lstm(4)] [Dense(3, Activation.Softmax)]
        public partial class Gesture { }

        [Rnn(3)] public partial class OrphanRnn { }
        """;

    /// <summary>The model file the declarations above name, as NetGen's build step passes it to the compiler.</summary>
    private static readonly AdditionalText[] ModelFiles =
    [
        InMemoryAdditionalText.Model("/project/models/relu_sigmoid.onnx", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "onnx", "relu_sigmoid.onnx"))),
    ];

    private static readonly string[] TrackedSteps = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (string)field.GetValue(null)!)
        .ToArray();

    [Fact]
    public void RerunOnClonedCompilationIsFullyCached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Source);

        GeneratorRunResult rerun = RunTwice(compilation, compilation.Clone());

        AssertAllStepsCached(rerun);
    }

    [Fact]
    public void UnrelatedEditIsFullyCached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Source);
        CSharpCompilation edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Demo; public static class Helpers { public static int Twice(int x) => 2 * x; }", GeneratorHarness.ParseOptions, "Helpers.cs"));

        GeneratorRunResult rerun = RunTwice(compilation, edited);

        AssertAllStepsCached(rerun);
    }

    [Fact]
    public void FiftyNetworksInFiftyFilesRegenerateNothingOnAnUnrelatedEditAndOneOnAnEditToOne()
    {
        // The IDE case of issue 5 (its timings: `--ide-costs` of the benchmark program, docs/platforms.md).
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Declaration(0), path: "Net0.cs")
            .AddSyntaxTrees(Enumerable.Range(1, 49).Select(i => CSharpSyntaxTree.ParseText(Declaration(i), GeneratorHarness.ParseOptions, $"Net{i}.cs")));
        CSharpCompilation unrelated = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Ide; public static class Helpers { public static int Twice(int x) => 2 * x; }", GeneratorHarness.ParseOptions, "Helpers.cs"));
        SyntaxTree seventh = compilation.SyntaxTrees.Single(tree => tree.FilePath == "Net7.cs");
        CSharpCompilation oneEdited = compilation.ReplaceSyntaxTree(
            seventh, seventh.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Declaration(7).Replace("[Dense(2)]", "[Dense(3)]", StringComparison.Ordinal))));

        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        Assert.Equal(50, driver.GetRunResult().GeneratedTrees.Length);
        AssertAllStepsCached(driver.RunGenerators(unrelated).GetRunResult().Results.Single(), everyStep: false);

        GeneratorRunResult afterEdit = driver.RunGenerators(oneEdited).GetRunResult().Results.Single();
        IncrementalStepRunReason[] reasons = afterEdit.TrackedSteps[TrackingNames.NetworkPlans].SelectMany(step => step.Outputs).Select(output => output.Reason).ToArray();
        Assert.Equal(1, reasons.Count(reason => reason == IncrementalStepRunReason.Modified));
        Assert.Equal(49, reasons.Count(reason => reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));

        static string Declaration(int i) => $"using NetGen;\nnamespace Ide;\n[Network({2 + (i % 7)})] [Dense({3 + (i % 5)}, Activation.Tanh)] [Dense(2)] public partial class Net{i} {{ }}\n";
    }

    [Fact]
    public void EditingTheNetworkRegeneratesIt()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Source);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Source.Replace("[Dense(4, Activation.Sigmoid)]", "[Dense(5, Activation.Sigmoid)]", StringComparison.Ordinal))));

        GeneratorRunResult rerun = RunTwice(compilation, edited);

        Assert.Contains(rerun.TrackedSteps[TrackingNames.NetworkPlans].SelectMany(step => step.Outputs), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("public const int ParameterCount = 32;", rerun.GeneratedSources.Single(s => s.HintName == "Demo.SeedNet.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void StepOutputsHoldNoRoslynObjects()
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver(additionalTexts: ModelFiles).RunGenerators(GeneratorHarness.CreateCompilation(Source));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        Assert.Equal(TrackedSteps.OrderBy(s => s), result.TrackedSteps.Keys.Where(TrackedSteps.Contains).OrderBy(s => s));
        foreach (string step in TrackedSteps)
        {
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object value, _) in run.Outputs)
                {
                    AssertNoRoslynObjects(value, step, []);
                }
            }
        }
    }

    [Fact]
    public void EditingTheModelFileRegeneratesOnlyTheNetworksFromIt()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(additionalTexts: ModelFiles).RunGenerators(compilation);
        Assert.Equal(4, driver.GetRunResult().GeneratedTrees.Length); // SeedNet, Imported, Tuned, Gesture

        AdditionalText edited = InMemoryAdditionalText.Model("/project/models/relu_sigmoid.onnx", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "onnx", "leaky_slope_02.onnx")));
        GeneratorRunResult rerun = driver.ReplaceAdditionalText(ModelFiles[0], edited).RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.All(rerun.TrackedSteps[TrackingNames.NetworkSpecs].SelectMany(step => step.Outputs), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        Assert.All(rerun.TrackedSteps[TrackingNames.ResolvedNetworks].SelectMany(step => step.Outputs), output => Assert.Equal(IncrementalStepRunReason.Modified, output.Reason));
        Assert.Equal(["Gesture", "SeedNet"], rerun.GeneratedSources.Select(s => s.HintName.Replace("Demo.", "", StringComparison.Ordinal).Replace(".g.cs", "", StringComparison.Ordinal)).Order());
        Assert.Equal(2, rerun.Diagnostics.Count(d => d.Id == "NG0019")); // LeakyRelu with slope 0.2 is not NetGen's LeakyReLU
    }

    private static GeneratorRunResult RunTwice(Compilation first, Compilation second)
    {
        GeneratorDriver driver = GeneratorHarness.CreateDriver(additionalTexts: ModelFiles).RunGenerators(first);
        return driver.RunGenerators(second).GetRunResult().Results.Single();
    }

    /// <param name="rerun">The second run.</param>
    /// <param name="everyStep">Whether the source exercises every step (<see cref="Source"/> does; it names a model file).</param>
    private static void AssertAllStepsCached(GeneratorRunResult rerun, bool everyStep = true)
    {
        if (everyStep)
        {
            Assert.All(TrackedSteps, step => Assert.True(rerun.TrackedSteps.ContainsKey(step), $"Step '{step}' did not run."));
        }

        foreach (string step in TrackedSteps.Where(rerun.TrackedSteps.ContainsKey))
        {
            foreach (IncrementalGeneratorRunStep run in rerun.TrackedSteps[step])
            {
                Assert.All(run.Outputs, output => Assert.True(
                    output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step '{step}' produced a {output.Reason} output on a rerun that changed no network."));
            }
        }
    }

    /// <summary>Walks an output's object graph. A <see cref="SyntaxTree"/> is allowed: diagnostics keep one to rebuild their location.</summary>
    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> visited)
    {
        if (value is null || value is string || value is SyntaxTree || value is DiagnosticDescriptor || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or Location, $"{path} holds a {value.GetType().Name}.");
        if (!value.GetType().IsValueType && !visited.Add(value))
        {
            return;
        }

        if (value is IEnumerable sequence)
        {
            int index = 0;
            foreach (object? item in sequence)
            {
                AssertNoRoslynObjects(item, $"{path}[{index++}]", visited);
            }

            return;
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoRoslynObjects(field.GetValue(value), $"{path}.{field.Name}", visited);
        }
    }
}
