using System.Collections.Generic;
using System.Linq;
using NetGen.Initialization;
using NetGen.Tests;

namespace NetGen.Conformance;

/// <summary>
/// The behaviour tests' checks of tests/NetGen.Tests (GradientCheckTests, NetworkBehaviourTests), with their
/// tolerances, for one network type each: Backward against central finite differences, Backward's loss against
/// Forward's output, accumulation, the straight-through Step gradient, Forward against a double-precision model of
/// the declaration, and reproducible seeded initialisation.
/// </summary>
internal static class NetworkChecks
{
    // GradientCheckTests' tolerances: |Backward - fd| <= rel·|fd| + scale·max|fd in layer| + noise (see there for why).
    private const double RelativeTolerance = 1e-2;
    private const double LayerScaleTolerance = 2e-3;
    private const double NoiseTolerance = 5e-5;
    private const double MaxSkippedFraction = 0.15;

    private static void FiniteDifferenceGradients<TNet>()
        where TNet : class, INetwork, new()
    {
        var network = DeclaredNetwork.Of<TNet>();
        var random = new Random(1234);
        var net = new TNet();
        RandomSamples.RandomizeBiases(network, net.Parameters, random, 0.3);
        for (int sample = 0; sample < 2; sample++)
        {
            float[] input = RandomSamples.Input(random, network.Inputs);
            float[] target = RandomSamples.Target(random, network, sample);
            int[] coordinates = FiniteDifferences.Coordinates(network, random);
            List<GradientComparison> comparisons = FiniteDifferences.Compare(net, network, input, target, coordinates, out int skipped);

            Assert.True(skipped <= MaxSkippedFraction * coordinates.Length, $"sample {sample}: {skipped} of {coordinates.Length} coordinates cross a kink");
            foreach (DeclaredLayer layer in network.Layers)
            {
                GradientComparison[] inLayer = comparisons.Where(c => network.LayerOf(c.Index) == layer).ToArray();
                Assert.True(inLayer.Length > 0, $"layer {layer.Number} has no checked coordinate");
                double scale = inLayer.Max(c => Math.Abs(c.FiniteDifference));
                foreach (GradientComparison c in inLayer)
                {
                    double tolerance = (RelativeTolerance * Math.Abs(c.FiniteDifference)) + (LayerScaleTolerance * scale) + NoiseTolerance;
                    Assert.Close(c.FiniteDifference, c.Backward, tolerance, () => $"sample {sample}, gradient of parameter {c.Index} ({Describe(layer, c.Index)}) against its finite difference");
                }
            }
        }
    }

    private static void LossOfForward<TNet>()
        where TNet : class, INetwork, new()
    {
        var network = DeclaredNetwork.Of<TNet>();
        var random = new Random(99);
        var net = new TNet();
        RandomSamples.RandomizeBiases(network, net.Parameters, random, 0.3);
        float[] parameters = net.Parameters.ToArray();
        float[] output = new float[network.Output.Units];
        for (int sample = 0; sample < 3; sample++)
        {
            float[] input = RandomSamples.Input(random, network.Inputs);
            float[] target = RandomSamples.Target(random, network, sample);
            net.Forward(input, output);
            double expected = DoubleMath.Loss(network.Loss, output, target);

            float loss = net.Backward(input, target);

            Assert.Close(expected, loss, (1e-5 * Math.Abs(expected)) + 1e-6, () => $"sample {sample}: Backward's loss against the loss of Forward's output");
            Assert.SameBits(parameters, net.Parameters, "parameters after Backward");
        }
    }

    private static void AddsToGradients<TNet>()
        where TNet : class, INetwork, new()
    {
        var network = DeclaredNetwork.Of<TNet>();
        var random = new Random(7);
        var net = new TNet();
        RandomSamples.RandomizeBiases(network, net.Parameters, random, 0.3);
        float[] input = RandomSamples.Input(random, network.Inputs);
        float[] target = RandomSamples.Target(random, network, 1);

        net.ZeroGradients();
        float first = net.Backward(input, target);
        float[] once = net.Gradients.ToArray();
        Assert.True(once.Any(g => g != 0f), "Backward left every gradient at zero");

        Assert.Equal(first, net.Backward(input, target), "the loss of a second identical Backward");
        Close(once.Select(g => 2 * g).ToArray(), net.Gradients, 1e-6, "gradients after two identical Backward calls");

        float[] before = RandomSamples.Uniform(random, network.ParameterCount, -1, 1);
        before.CopyTo(net.Gradients);
        net.Backward(input, target);
        Close(before.Zip(once, (b, g) => b + g).ToArray(), net.Gradients, 1e-6, "gradients added to random earlier ones");
    }

    /// <summary>NetworkBehaviourTests.ForwardMatchesDeclaration: Forward against the double-precision model, 1e-5 · max(1, |y|).</summary>
    private static void ForwardMatchesDeclaration<TNet>()
        where TNet : class, INetwork, new()
    {
        var network = DeclaredNetwork.Of<TNet>();
        var random = new Random(21);
        var net = new TNet();
        RandomSamples.RandomizeBiases(network, net.Parameters, random, 0.3);
        float[] parameters = net.Parameters.ToArray();
        float[] output = new float[TNet.OutputCount];
        int checkedSamples = 0;
        for (int attempt = 0; checkedSamples < 5 && attempt < 100; attempt++)
        {
            float[] input = RandomSamples.Input(random, network.Inputs);
            double[][] z = new double[network.Layers.Count][];
            double[] expected = network.Forward(parameters, input, z);
            if (z.Zip(network.Layers).Any(pair => pair.Second.Activation == Activation.Step && pair.First.Any(v => Math.Abs(v) < 1e-3)))
            {
                continue; // a Step unit too close to its threshold for float32 and double to agree
            }

            Array.Fill(output, float.NaN);
            net.Forward(input, output);
            for (int j = 0; j < output.Length; j++)
            {
                int index = j;
                Assert.Close(expected[j], output[j], 1e-5 * Math.Max(1, Math.Abs(expected[j])), () => $"sample {checkedSamples}, output {index}");
            }

            checkedSamples++;
        }

        Assert.Equal(5, checkedSamples, "samples away from Step thresholds");
    }

    /// <summary>GradientCheckTests.StepIsStraightThrough: Step's derivative taken as 1, computed in double.</summary>
    private static void StepIsStraightThrough<TNet>()
        where TNet : class, INetwork, new()
    {
        var network = DeclaredNetwork.Of<TNet>();
        Assert.Equal(Loss.MeanSquaredError, network.Loss, "loss");
        Assert.True(network.Layers.All(layer => layer.Activation is Activation.Step or Activation.Identity), "only Step and Identity layers");
        Assert.True(network.Layers.Any(layer => layer.Activation == Activation.Step), "a Step layer");

        var random = new Random(5);
        var net = new TNet();
        RandomSamples.RandomizeBiases(network, net.Parameters, random, 0.3);
        float[] parameters = net.Parameters.ToArray();
        int checkedSamples = 0;
        for (int attempt = 0; checkedSamples < 4 && attempt < 100; attempt++)
        {
            float[] input = RandomSamples.Input(random, network.Inputs);
            double[][] z = new double[network.Layers.Count][];
            double[] y = network.Forward(parameters, input, z);
            if (z.Any(layer => layer.Any(v => Math.Abs(v) < 1e-3)))
            {
                continue;
            }

            float[] target = RandomSamples.Target(random, network, 0);
            double[] expected = StraightThroughGradient(network, parameters, input, z, y, target);
            net.ZeroGradients();
            float loss = net.Backward(input, target);

            double expectedLoss = DoubleMath.Loss(network.Loss, y.Select(v => (float)v).ToArray(), target);
            Assert.Close(expectedLoss, loss, 5e-6, () => "loss");
            double scale = expected.Max(Math.Abs);
            Assert.True(scale > 0, "the straight-through gradient is zero");
            float[] actual = net.Gradients.ToArray();
            for (int k = 0; k < expected.Length; k++)
            {
                int index = k;
                Assert.Close(expected[k], actual[k], 1e-5 * scale, () => $"parameter {index} ({Describe(network.LayerOf(index), index)}): Backward against the straight-through gradient");
            }

            checkedSamples++;
        }

        Assert.Equal(4, checkedSamples, "samples away from Step thresholds");
    }

    /// <summary>The same seed gives the same weights, the default constructor uses seed 42, other seeds differ.</summary>
    private static void ReproducibleFromSeed<TNet>()
        where TNet : class, INetwork, new()
    {
        float[] seven = Create<TNet>(7).Parameters.ToArray();
        Assert.SameBits(seven, Create<TNet>(7).Parameters, "seed 7 twice");
        Assert.True(!seven.AsSpan().SequenceEqual(Create<TNet>(8).Parameters), "seeds 7 and 8 give the same weights");
        Assert.SameBits(Create<TNet>(NetGenRandom.DefaultSeed).Parameters, new TNet().Parameters, "seed 42 and the default constructor");
    }

    private static TNet Create<TNet>(int seed)
        where TNet : INetwork
        => (TNet)Activator.CreateInstance(typeof(TNet), seed)!;

    private static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        for (int k = 0; k < expected.Length; k++)
        {
            int index = k;
            Assert.Close(expected[k], actual[k], relative * Math.Max(1, Math.Abs(expected[k])), () => $"{what}, index {index}");
        }
    }

    private static double[] StraightThroughGradient(DeclaredNetwork network, float[] parameters, float[] input, double[][] z, double[] y, float[] target)
    {
        double[] gradient = new double[network.ParameterCount];
        double[] delta = y.Select((v, i) => 2 * (v - target[i]) / y.Length).ToArray();
        for (int l = network.Layers.Count - 1; l >= 0; l--)
        {
            DeclaredLayer layer = network.Layers[l];
            double[] x = l == 0
                ? input.Select(v => (double)v).ToArray()
                : DoubleMath.Activate(network.Layers[l - 1].Activation, z[l - 1]);
            double[] previous = new double[layer.Inputs];
            for (int j = 0; j < layer.Units; j++)
            {
                gradient[layer.BiasOffset + j] = delta[j];
                for (int i = 0; i < layer.Inputs; i++)
                {
                    gradient[layer.WeightOffset + (j * layer.Inputs) + i] = delta[j] * x[i];
                    previous[i] += parameters[layer.WeightOffset + (j * layer.Inputs) + i] * delta[j];
                }
            }

            delta = previous;
        }

        return gradient;
    }

    private static string Describe(DeclaredLayer layer, int index)
        => index < layer.BiasOffset
            ? $"layer {layer.Number} W[{(index - layer.WeightOffset) / layer.Inputs}, {(index - layer.WeightOffset) % layer.Inputs}]"
            : $"layer {layer.Number} b[{index - layer.BiasOffset}]";
}
