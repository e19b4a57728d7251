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
    public void PlannerPicksEachShapeWithinTheMethodBudget()
    {
        var network = new NetworkSpec(
            new TypeSpec("", "Planned", "class", EquatableArray<string>.Empty),
            Inputs: 2,
            LossKind.MeanSquaredError,
            new[]
            {
                new LayerSpec(2, 4, ActivationKind.Tanh),      // scalar: 8 MACs, budget 768 - 24 = 744
                new LayerSpec(4, 32, ActivationKind.Tanh),     // scalar: 128 MACs (the most), 4 inputs (under a vector); 744 - 384 = 360
                new LayerSpec(32, 16, ActivationKind.Tanh),    // SIMD: 16 rows x 4 vectors; 360 - 64 = 296
                new LayerSpec(16, 300, ActivationKind.Tanh),   // loop: 300 x 2 = 600 vector statements exceed the 296 left
                new LayerSpec(300, 3, ActivationKind.Tanh),    // SIMD: 3 x 37 vectors + 3 x 4 tail terms = 123; 173 left
                new LayerSpec(3, 2, ActivationKind.Identity),  // scalar: 6 MACs
            }.ToEquatableArray());

        NetworkPlan plan = NetworkPlanner.Plan(network);

        Assert.Equal(
            [LayerShape.Unrolled, LayerShape.Unrolled, LayerShape.UnrolledSimd, LayerShape.Loop, LayerShape.UnrolledSimd, LayerShape.Unrolled],
            plan.Layers.Select(l => l.Shape).ToArray());
        Assert.Equal([true, false, false, false, false, false], plan.Layers.Select(l => l.KeepOutputInLocals).ToArray());
        Assert.Equal([false, true, false, false, false, false], plan.Layers.Select(l => l.ActivateAsVector).ToArray()); // 32 scalar Tanh units
        Assert.Equal([0, 12, 172, 700, 5800, 6703], plan.Layers.Select(l => l.WeightOffset).ToArray());
        Assert.Equal(6711, plan.ParameterCount);
    }

    [Fact]
    public void OddSizedSimdLayerAddsItsTailAsScalarTerms()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            [Network(17)]
            [Dense(5, Activation.Sigmoid)]
            public partial class OddSimd { }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Snapshot.Verify(run.GeneratedText("OddSimd.g.cs"), "OddSimd");
    }
}
