using System.Collections.Generic;
using System.Linq;

namespace NetGen.Tests;

/// <summary>
/// Backward's gradients against central finite differences of the loss, for every activation in hidden and output
/// positions, every loss, one to five layers, and every code shape the planner produces (see GradientCheckNetworks.cs);
/// Step, which finite differences cannot check, against the perceptron rule and the straight-through derivative.
/// </summary>
public sealed class GradientCheckTests
{
    // Tolerances of the finite-difference comparison: |Backward - fd| <= rel·|fd| + scale·max|fd in layer| + noise.
    // Over all 36 networks the largest error used 15% of its tolerance; a wrong formula is off by O(1) of the gradient.

    /// <summary>Error relative to the gradient itself: the truncation error, ε²/6 times a third derivative, is ~1e-4 of it here.</summary>
    private const double RelativeTolerance = 1e-2;

    /// <summary>
    /// Error relative to the largest gradient of the same layer, for coordinates whose own gradient is small: their
    /// finite differences carry the layer's rounding noise (at most 1.2e-3 of the scale was observed outside layers so
    /// small that <see cref="NoiseTolerance"/> governs).
    /// </summary>
    private const double LayerScaleTolerance = 2e-3;

    /// <summary>
    /// The float32 noise floor: a loss L computed in float carries rounding of about 1e-7·L..1e-6·L, which the central
    /// difference divides by 2ε = 0.02 (absolute errors up to 3.5e-5 were observed where it governs).
    /// </summary>
    private const double NoiseTolerance = 5e-5;

    /// <summary>At most this fraction of coordinates may be skipped because their perturbation crosses a ReLU kink.</summary>
    private const double MaxSkippedFraction = 0.15;

    public static TheoryData<Type> Differentiable => new(GradientCheckNetworks.Differentiable);

    public static TheoryData<Type> WithStep => new(GradientCheckNetworks.WithStep);

    public static TheoryData<Type> All => new(GradientCheckNetworks.All);

    [Theory]
    [MemberData(nameof(Differentiable))]
    public void Backward_matches_central_finite_differences(Type network)
        => GenericTest.Run(typeof(GradientCheckTests), nameof(MatchesFiniteDifferences), network);

    [Theory]
    [MemberData(nameof(All))]
    public void Backward_returns_the_loss_of_Forwards_output_and_keeps_the_parameters(Type network)
        => GenericTest.Run(typeof(GradientCheckTests), nameof(ReturnsLossOfForward), network);

    [Theory]
    [MemberData(nameof(All))]
    public void Backward_adds_to_the_gradients(Type network)
        => GenericTest.Run(typeof(GradientCheckTests), nameof(AddsToGradients), network);

    [Theory]
    [MemberData(nameof(WithStep))]
    public void Step_layers_pass_the_gradient_straight_through(Type network)
        => GenericTest.Run(typeof(GradientCheckTests), nameof(StepIsStraightThrough), network);

    [Fact]
    public void A_single_Step_neuron_with_MSE_follows_the_perceptron_rule()
    {
        var net = new S3_1Step_Mse();
        float[] w = [0.5f, -0.25f, 0.75f];
        const float B = 0.125f;
        w.CopyTo(net.Parameters);
        net.Parameters[3] = B;
        float[] x = [1f, 2f, -0.5f]; // z = 0.5 - 0.5 - 0.375 + 0.125 = -0.25, so y = 0

        // Wrong answer (y = 0, t = 1): the weights move by 2 (y - t) / n · x = -2x, the bias by -2.
        float loss = net.Backward(x, [1f]);
        Assert.Equal(1f, loss);
        Assert.Equal([-2f, -4f, 1f, -2f], net.Gradients.ToArray());

        // Right answer: no update at all.
        net.ZeroGradients();
        Assert.Equal(0f, net.Backward(x, [0f]));
        Assert.Equal(new float[4], net.Gradients.ToArray());

        // Firing (y = 1) when it should not (t = 0): +2x and +2.
        net.ZeroGradients();
        float[] firing = [2f, 0f, 0f]; // z = 1.125
        Assert.Equal(1f, net.Backward(firing, [0f]));
        Assert.Equal([4f, 0f, 0f, 2f], net.Gradients.ToArray());
    }

    [Fact]
    public void Three_Step_neurons_with_MSE_scale_the_perceptron_rule_by_one_over_n()
    {
        var net = new S5_3Step_Mse();
        net.Parameters.Clear();
        net.Parameters[15] = 1f;  // b0: unit 0 fires
        net.Parameters[16] = -1f; // b1: unit 1 does not
        net.Parameters[17] = 1f;  // b2: unit 2 fires
        float[] x = [1f, -2f, 3f, 0.5f, 0f];
        float[] t = [0f, 1f, 1f]; // y = [1, 0, 1]: errors +1, -1, 0

        float loss = net.Backward(x, t);

        Assert.Equal(2f / 3f, loss, 6);
        float[] expected = new float[18];
        for (int i = 0; i < 5; i++)
        {
            expected[i] = 2f / 3f * x[i];
            expected[5 + i] = -2f / 3f * x[i];
        }

        expected[15] = 2f / 3f;
        expected[16] = -2f / 3f;
        Check.Close(expected, net.Gradients.ToArray(), 1e-6);
    }

    private static void MatchesFiniteDifferences<TNet>()
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
                    Check.Close(c.FiniteDifference, c.Backward, tolerance, () => $"sample {sample}, gradient of parameter {c.Index} ({Describe(layer, c.Index)}) against its finite difference");
                }
            }
        }
    }

    private static void ReturnsLossOfForward<TNet>()
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

            Check.Close(expected, loss, (1e-5 * Math.Abs(expected)) + 1e-6, () => $"sample {sample}: Backward's loss against the loss of Forward's output");
            Assert.Equal(parameters, net.Parameters.ToArray());
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
        Assert.Contains(once, g => g != 0f);

        // Two calls: twice the gradient, and the same loss both times.
        Assert.Equal(first, net.Backward(input, target));
        Check.Close(once.Select(g => 2 * g).ToArray(), net.Gradients.ToArray(), 1e-6);

        // Whatever was there before is kept and added to.
        float[] before = RandomSamples.Uniform(random, network.ParameterCount, -1, 1);
        before.CopyTo(net.Gradients);
        net.Backward(input, target);
        Check.Close(before.Zip(once, (b, g) => b + g).ToArray(), net.Gradients.ToArray(), 1e-6);
    }

    /// <summary>
    /// For the Step networks (Step layers, possibly followed by an Identity layer, MSE): the gradient that treats
    /// Step's derivative as 1, computed here in double: delta = 2 (y - t) / n at the output, passed back unchanged
    /// through every activation, gW = delta xᵀ, gb = delta.
    /// </summary>
    private static void StepIsStraightThrough<TNet>()
        where TNet : class, INetwork, new()
    {
        var network = DeclaredNetwork.Of<TNet>();
        Assert.Equal(Loss.MeanSquaredError, network.Loss);
        Assert.All(network.Layers, layer => Assert.True(layer.Activation is Activation.Step or Activation.Identity));
        Assert.Contains(network.Layers, layer => layer.Activation == Activation.Step);

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
                continue; // too close to a threshold for float32 and double to agree on the side
            }

            float[] target = RandomSamples.Target(random, network, 0);
            double[] expected = StraightThroughGradient(network, parameters, input, z, y, target);
            net.ZeroGradients();
            float loss = net.Backward(input, target);

            Assert.Equal(DoubleMath.Loss(network.Loss, y.Select(v => (float)v).ToArray(), target), loss, 5);
            double scale = expected.Max(Math.Abs);
            Assert.True(scale > 0);
            float[] actual = net.Gradients.ToArray();
            for (int k = 0; k < expected.Length; k++)
            {
                int index = k;
                Check.Close(expected[k], actual[k], 1e-5 * scale, () => $"parameter {index} ({Describe(network.LayerOf(index), index)}): Backward against the straight-through gradient");
            }

            checkedSamples++;
        }

        Assert.Equal(4, checkedSamples);
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

            delta = previous; // Identity and Step (straight-through) both have derivative 1
        }

        return gradient;
    }

    private static string Describe(DeclaredLayer layer, int index)
        => index < layer.BiasOffset
            ? $"layer {layer.Number} W[{(index - layer.WeightOffset) / layer.Inputs}, {(index - layer.WeightOffset) % layer.Inputs}]"
            : $"layer {layer.Number} b[{index - layer.BiasOffset}]";
}
