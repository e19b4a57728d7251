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
    public void MnistSizedNetworkMixesLoopAndUnrolledSimdLayers()
    {
        // 784 inputs are too wide to hold in registers: the first layer calls the kernels; the second is vector code.
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            namespace Demo;

            [Network(784, Loss = Loss.CrossEntropy)]
            [Dense(128, Activation.ReLU)]
            [Dense(10, Activation.Softmax)]
            public partial class MnistNet { }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Snapshot.Verify(run.GeneratedText("Demo.MnistNet.g.cs"), "MnistNet");
    }

    [Fact]
    public void GestureGruNetworkFromTheDesignStepsThroughTheSequence()
    {
        // Design §1b: 6 features a step, GRU(32), a softmax head on the last hidden state. The input product (6 -> 96)
        // calls the kernels, the recurrent product (32 -> 96) is vector code in three widths.
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            namespace Demo;

            [Network(6, Loss = Loss.CrossEntropy)]
            [Gru(32)]
            [Dense(4, Activation.Softmax)]
            public partial class Gesture { }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Snapshot.Verify(run.GeneratedText("Demo.Gesture.g.cs"), "Gesture");
    }

    [Fact]
    public void StackedLstmAndRnnNetworkKeepsCellStatesAndPassesDeltasDown()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            namespace Demo;

            [Network(3, MaxSteps = 50)]
            [Lstm(4)]
            [Rnn(2, Activation.ReLU)]
            [Dense(1)]
            public partial class Stacked { }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        Snapshot.Verify(run.GeneratedText("Demo.Stacked.g.cs"), "StackedLstmRnn");
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
            Loss.MeanSquaredError,
            new[]
            {
                new LayerSpec(2, 3, Activation.Identity),
                new LayerSpec(3, 3, Activation.Step),
                new LayerSpec(3, 3, Activation.Sigmoid),
                new LayerSpec(3, 2, Activation.Tanh),
                new LayerSpec(2, 2, Activation.ReLU),
                new LayerSpec(2, 2, Activation.LeakyReLU),
                new LayerSpec(2, 2, Activation.Softmax),
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
            Loss.MeanSquaredError,
            new[]
            {
                new LayerSpec(2, 4, Activation.Tanh),      // scalar: 8 MACs, budget 768 - 3 x 8 = 744
                new LayerSpec(4, 32, Activation.Tanh),     // scalar: 128 MACs (the most), 4 inputs (under a vector); 744 - 384 = 360
                new LayerSpec(32, 16, Activation.Tanh),    // SIMD: one pass of 4 rows x 4 vectors; 360 - 16 = 344
                new LayerSpec(16, 120, Activation.Tanh),   // SIMD: 4 rows x 2 vectors, looped 30 times; 344 - 8 = 336
                new LayerSpec(120, 7, Activation.Tanh),    // SIMD: 15 vectors x (4 rows + 3 left over); 336 - 105 = 231
                new LayerSpec(7, 16, Activation.Tanh),     // loop: 112 MACs would be 336 scalar statements, over the 231 left
                new LayerSpec(16, 300, Activation.Tanh),   // SIMD: 4 rows x 2 vectors; 231 - 8 = 223
                new LayerSpec(300, 3, Activation.Tanh),    // loop: 37 input vectors, over the 16 held in registers
                new LayerSpec(3, 2, Activation.Identity),  // scalar: 6 MACs
            }.ToEquatableArray());

        NetworkPlan plan = NetworkPlanner.Plan(network);

        Assert.Equal(
            [
                LayerShape.Unrolled, LayerShape.Unrolled, LayerShape.UnrolledSimd, LayerShape.UnrolledSimd, LayerShape.UnrolledSimd,
                LayerShape.Loop, LayerShape.UnrolledSimd, LayerShape.Loop, LayerShape.Unrolled,
            ],
            plan.Layers.Select(l => l.Shape).ToArray());
        Assert.Equal([true, false, false, false, false, false, false, false, false], plan.Layers.Select(l => l.KeepOutputInLocals).ToArray());
        Assert.True(NetworkPlanner.ActivatesInVectorGroups(Activation.Tanh, 32));
        Assert.Equal([0, 12, 172, 700, 2740, 3587, 3715, 8815, 9718], plan.Layers.Select(l => l.WeightOffset).ToArray());
        Assert.Equal(9726, plan.ParameterCount);
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
