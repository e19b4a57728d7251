using System.Linq;
using NetGen.Generator.Emitting;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>Whole generator runs and emitter-only output, compared with reviewed snapshots.</summary>
public sealed class SnapshotTests
{
    [Fact]
    public void SeedNetworkFromTheDesignIsFullyUnrolled()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            namespace Demo.Models;

            [Network(3, Loss = Loss.CrossEntropy)]
            [Dense(4, Activation.Sigmoid)]
            [Dense(2, Activation.Softmax)]
            public partial class SeedNet { }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Snapshot.Verify(run.GeneratedText("Demo.Models.SeedNet.g.cs"), "SeedNet");
    }

    [Fact]
    public void DigitsSizedNetworkMixesLoopAndUnrolledLayers()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            namespace Demo;

            [Network(64, Loss = Loss.CrossEntropy)]
            [Dense(32, Activation.ReLU)]
            [Dense(10, Activation.Softmax)]
            public partial class DigitsNet { }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Snapshot.Verify(run.GeneratedText("Demo.DigitsNet.g.cs"), "DigitsNet");
    }

    [Fact]
    public void NestedNetworkInGlobalNamespaceRepeatsItsContainingTypes()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            public static partial class Game
            {
                public partial record struct Agent
                {
                    [Network(2)]
                    [Dense(1, Activation.Step)]
                    internal partial class Perceptron { }
                }
            }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Snapshot.Verify(run.GeneratedText("Game.Agent.Perceptron.g.cs"), "NestedPerceptron");
    }

    [Fact]
    public void EmitterWritesEveryHiddenActivationAndMeanSquaredErrorHead()
    {
        // Built by hand, without the parser: the emitter's contract is the plan alone.
        var network = new NetworkSpec(
            new TypeSpec("Hand.Made", "EveryActivation", "class", EquatableArray<string>.Empty),
            Inputs: 2,
            LossKind.MeanSquaredError,
            new[]
            {
                new LayerSpec(2, 3, ActivationKind.Identity),
                new LayerSpec(3, 3, ActivationKind.Step),
                new LayerSpec(3, 3, ActivationKind.Sigmoid),
                new LayerSpec(3, 2, ActivationKind.Tanh),
                new LayerSpec(2, 2, ActivationKind.ReLU),
                new LayerSpec(2, 2, ActivationKind.LeakyReLU),
                new LayerSpec(2, 2, ActivationKind.Softmax),
            }.ToEquatableArray());

        NetworkPlan plan = NetworkPlanner.Plan(network);

        Assert.All(plan.Layers, layer => Assert.Equal(LayerShape.Unrolled, layer.Shape));
        Assert.Equal(network.ParameterCount, plan.ParameterCount);
        Snapshot.Verify(NetworkEmitter.Emit(plan), "EveryActivation");
    }

    [Fact]
    public void PlannerUnrollsSmallLayersAndLoopsOverLargeOnes()
    {
        var network = new NetworkSpec(
            new TypeSpec("", "Planned", "class", EquatableArray<string>.Empty),
            Inputs: 16,
            LossKind.MeanSquaredError,
            new[]
            {
                new LayerSpec(16, 8, ActivationKind.Tanh),     // 128 MACs: the largest unrolled layer
                new LayerSpec(8, 17, ActivationKind.Tanh),     // 136 MACs: loop
                new LayerSpec(17, 4, ActivationKind.Tanh),     // 68 MACs: unrolled
                new LayerSpec(4, 4, ActivationKind.Identity),  // 16 MACs: unrolled, its input kept in locals
            }.ToEquatableArray());

        NetworkPlan plan = NetworkPlanner.Plan(network);

        Assert.Equal(
            [LayerShape.Unrolled, LayerShape.Loop, LayerShape.Unrolled, LayerShape.Unrolled],
            plan.Layers.Select(l => l.Shape).ToArray());
        Assert.Equal([false, false, true, false], plan.Layers.Select(l => l.KeepOutputInLocals).ToArray());
        Assert.Equal([0, 136, 289, 361], plan.Layers.Select(l => l.WeightOffset).ToArray());
        Assert.Equal(381, plan.ParameterCount);
    }
}
