using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NetGen.Tests;

/// <summary>
/// Checks NetGen against PyTorch: for the networks of <c>ReferenceNetworks.cs</c>, with the weights of
/// <c>TestData/reference/reference.json</c> (written by <c>make_reference.py</c> with PyTorch, float32), every
/// output of <c>Forward</c>, every loss returned by <c>Backward</c> and every per-sample gradient must equal PyTorch's
/// within <see cref="AbsoluteTolerance"/> + <see cref="RelativeTolerance"/> · |PyTorch's value|.
/// </summary>
public sealed class ReferenceValueTests
{
    /// <summary>
    /// Absolute part of the tolerance, ~17 float32 ulps at 1. Values are O(1); NetGen and PyTorch sum up to 41 float32
    /// terms in different orders (SIMD kernels vs BLAS) and use different exp/tanh implementations, which measured at
    /// most ~1e-7 apart on x64 (under 10% of this tolerance), so it leaves room for other CPUs' vector widths and
    /// math libraries while any real mistake (a missing term, a wrong derivative or slope, a wrong layout, a
    /// mis-scaled loss) lands orders of magnitude above it. Tighter than the usual 1e-5 on purpose: the contract
    /// promises PyTorch's numbers, and a loose bound could hide small systematic errors such as a wrong constant.
    /// </summary>
    private const float AbsoluteTolerance = 2e-6f;

    /// <summary>Relative part of the tolerance (~170 ulps), for the few values well above 1.</summary>
    private const float RelativeTolerance = 2e-5f;

    /// <summary>The generator's unroll limit (<c>NetworkPlanner.MaxUnrolledLayerMultiplyAdds</c>): larger layers become loops.</summary>
    private const int MaxUnrolledLayerMultiplyAdds = 128;

    /// <summary>Every reference network, by the class name the JSON file uses, bound to its generic check.</summary>
    private static readonly Dictionary<string, Action<INetworkCheck, ReferenceNetwork>> Networks = new()
    {
        [nameof(RefPerceptronStepMse)] = (check, reference) => check.Run<RefPerceptronStepMse>(reference),
        [nameof(RefLinearIdentityMse)] = (check, reference) => check.Run<RefLinearIdentityMse>(reference),
        [nameof(RefSigmoidSoftmaxCrossEntropy)] = (check, reference) => check.Run<RefSigmoidSoftmaxCrossEntropy>(reference),
        [nameof(RefReluLeakyMse)] = (check, reference) => check.Run<RefReluLeakyMse>(reference),
        [nameof(RefLinearBottleneckSigmoidMse)] = (check, reference) => check.Run<RefLinearBottleneckSigmoidMse>(reference),
        [nameof(RefTanhSigmoidBce)] = (check, reference) => check.Run<RefTanhSigmoidBce>(reference),
        [nameof(RefLeakyStepSoftmaxMse)] = (check, reference) => check.Run<RefLeakyStepSoftmaxMse>(reference),
        [nameof(RefWideReluTanhSoftmaxCrossEntropy)] = (check, reference) => check.Run<RefWideReluTanhSoftmaxCrossEntropy>(reference),
        [nameof(RefMixedStepLeakySigmoidBce)] = (check, reference) => check.Run<RefMixedStepLeakySigmoidBce>(reference),
        [nameof(RefWideStepSoftmaxMse)] = (check, reference) => check.Run<RefWideStepSoftmaxMse>(reference),
        [nameof(RefWideSigmoidIdentityReluMse)] = (check, reference) => check.Run<RefWideSigmoidIdentityReluMse>(reference),
        [nameof(RefWideTanhLeakyTanhMse)] = (check, reference) => check.Run<RefWideTanhLeakyTanhMse>(reference),
        [nameof(RefLargeLogitsSoftmaxCrossEntropy)] = (check, reference) => check.Run<RefLargeLogitsSoftmaxCrossEntropy>(reference),
        [nameof(RefLargeLogitsTanhSigmoidMse)] = (check, reference) => check.Run<RefLargeLogitsTanhSigmoidMse>(reference),
    };

    private static readonly Lazy<ReferenceFile> Reference = new(Load);

    private interface INetworkCheck
    {
        void Run<TNet>(ReferenceNetwork reference)
            where TNet : INetwork, new();
    }

    public static TheoryData<string> NetworkNames => new(Networks.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void Reference_file_holds_exactly_the_networks_declared_here()
    {
        string[] inFile = Reference.Value.Networks.Select(n => n.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Networks.Keys.Order(StringComparer.Ordinal), inFile);
    }

    [Fact]
    public void Reference_networks_cover_every_activation_loss_depth_and_code_shape()
    {
        ReferenceNetwork[] networks = Reference.Value.Networks;
        Assert.Equal(Enum.GetValues<Activation>().Order(), networks.SelectMany(n => n.Layers).Select(l => l.Activation).Distinct().Order());
        Assert.Equal(Enum.GetValues<Loss>().Order(), networks.Select(n => n.Loss).Distinct().Order());
        Assert.Equal([1, 2, 3], networks.Select(n => n.Layers.Length).Distinct().Order());
        Assert.Contains(networks, n => n.Loss == Loss.MeanSquaredError && n.Layers[^1].Activation == Activation.Softmax);
        Assert.Contains(networks, n => n.Loss == Loss.CrossEntropy && n.Layers[^1].Activation == Activation.Softmax);
        Assert.Contains(networks, n => n.Layers[0].Activation == Activation.Step && n.Layers.Length == 1 && n.Layers[0].Units == 1);

        // Every activation runs forward in an unrolled layer and in a loop-shaped one; every activation a hidden layer
        // may have (all but Softmax) is differentiated by the backward pass of an unrolled next layer and of a
        // loop-shaped one; and every activation is an MSE output, whose derivative the loss gradient goes through.
        var forward = new HashSet<(Activation, bool Loop)>();
        var hidden = new HashSet<(Activation, bool NextIsLoop)>();
        foreach (ReferenceNetwork network in networks)
        {
            int inputs = network.Inputs;
            for (int i = 0; i < network.Layers.Length; i++)
            {
                ReferenceLayer layer = network.Layers[i];
                forward.Add((layer.Activation, IsLoopShaped(inputs, layer)));
                if (i + 1 < network.Layers.Length)
                {
                    hidden.Add((layer.Activation, IsLoopShaped(layer.Units, network.Layers[i + 1])));
                }

                inputs = layer.Units;
            }
        }

        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            foreach (bool loop in new[] { false, true })
            {
                string shape = loop ? "loop-shaped" : "unrolled";
                Assert.True(forward.Contains((activation, loop)), $"no {shape} {activation} layer");
                Assert.True(activation == Activation.Softmax || hidden.Contains((activation, loop)), $"no hidden {activation} layer followed by a {shape} one");
            }

            Assert.True(networks.Any(n => n.Loss == Loss.MeanSquaredError && n.Layers[^1].Activation == activation), $"no {activation} output trained with MSE");
        }

        foreach (ReferenceNetwork network in networks)
        {
            Assert.True(network.Samples.Length >= 4, $"{network.Name} has {network.Samples.Length} samples");
            Assert.All(network.Layers, layer => Assert.True(network.Parameters.Skip(BiasOffset(network, layer)).Take(layer.Units).All(b => b != 0f), $"{network.Name}: a bias is zero"));
        }
    }

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Declaration_matches_the_reference_architecture_and_parameter_count(string network) => Check(network, new DeclarationCheck());

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Forward_outputs_match_PyTorch(string network) => Check(network, new ForwardCheck());

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Backward_loss_matches_PyTorch(string network) => Check(network, new LossCheck());

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Backward_per_sample_gradients_match_PyTorch(string network) => Check(network, new GradientCheck());

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Backward_adds_up_the_gradients_of_successive_samples(string network) => Check(network, new AccumulationCheck());

    private static void Check(string name, INetworkCheck check)
    {
        ReferenceNetwork reference = Reference.Value.Networks.Single(n => n.Name == name);
        Networks[name](check, reference);
    }

    /// <summary>A network of type <typeparamref name="TNet"/> holding the reference weights.</summary>
    private static TNet Create<TNet>(ReferenceNetwork reference)
        where TNet : INetwork, new()
    {
        var net = new TNet();
        Assert.Equal(reference.ParameterCount, reference.Parameters.Length);
        Assert.Equal(reference.ParameterCount, net.Parameters.Length);
        Assert.Equal(reference.ParameterCount, net.Gradients.Length);
        reference.Parameters.CopyTo(net.Parameters);
        return net;
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        int mismatches = 0;
        int first = -1;
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double excess = Math.Abs((double)actual[i] - expected[i]) / Tolerance(expected[i]);
            if (!(excess <= 1))
            {
                mismatches++;
                first = first < 0 ? i : first;
            }

            worst = Math.Max(worst, excess);
        }

        Assert.True(
            mismatches == 0,
            $"{what}: {mismatches} of {expected.Length} values differ from PyTorch beyond tolerance; first at [{first}]: "
            + $"expected {(first < 0 ? 0 : expected[first]):R}, got {(first < 0 ? 0 : actual[first]):R} (worst error {worst:F1}x the tolerance)");
    }

    private static void AssertClose(float expected, float actual, string what) => AssertClose([expected], [actual], what);

    private static double Tolerance(double expected) => AbsoluteTolerance + (RelativeTolerance * Math.Abs(expected));

    private static bool IsLoopShaped(int inputs, ReferenceLayer layer) => inputs * layer.Units > MaxUnrolledLayerMultiplyAdds;

    private static int BiasOffset(ReferenceNetwork network, ReferenceLayer target)
    {
        int offset = 0;
        int inputs = network.Inputs;
        foreach (ReferenceLayer layer in network.Layers)
        {
            offset += inputs * layer.Units;
            if (ReferenceEquals(layer, target))
            {
                return offset;
            }

            offset += layer.Units;
            inputs = layer.Units;
        }

        throw new ArgumentException("The layer is not in the network.", nameof(target));
    }

    private static ReferenceFile Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "reference", "reference.json");
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        };
        using FileStream stream = File.OpenRead(path);
        ReferenceFile file = JsonSerializer.Deserialize<ReferenceFile>(stream, options)
            ?? throw new InvalidDataException($"{path} is empty.");
        Assert.Equal("netgen-reference-values/1", file.Format);
        return file;
    }

    /// <summary>The C# declaration says what the JSON file says: inputs, layers, loss and the resulting sizes.</summary>
    private sealed class DeclarationCheck : INetworkCheck
    {
        public void Run<TNet>(ReferenceNetwork reference)
            where TNet : INetwork, new()
        {
            NetworkAttribute network = typeof(TNet).GetCustomAttribute<NetworkAttribute>()!;
            ReferenceLayer[] declared = typeof(TNet).GetCustomAttributes<DenseAttribute>()
                .Select(d => new ReferenceLayer(d.Units, d.Activation))
                .ToArray();
            Assert.Equal(reference.Inputs, network.Inputs);
            Assert.Equal(reference.Loss, network.Loss);
            Assert.Equal(reference.Layers, declared);
            Assert.Equal(reference.Inputs, TNet.InputCount);
            Assert.Equal(reference.Layers[^1].Units, TNet.OutputCount);
            Assert.Equal(reference.ParameterCount, TNet.ParameterCount);
            Assert.Equal(reference.ParameterCount, Create<TNet>(reference).Parameters.Length);
        }
    }

    private sealed class ForwardCheck : INetworkCheck
    {
        public void Run<TNet>(ReferenceNetwork reference)
            where TNet : INetwork, new()
        {
            TNet net = Create<TNet>(reference);
            var output = new float[TNet.OutputCount];
            for (int s = 0; s < reference.Samples.Length; s++)
            {
                ReferenceSample sample = reference.Samples[s];
                Array.Fill(output, float.NaN);
                net.Forward(sample.Input, output);
                AssertClose(sample.Output, output, $"{reference.Name} sample {s} output");
            }
        }
    }

    private sealed class LossCheck : INetworkCheck
    {
        public void Run<TNet>(ReferenceNetwork reference)
            where TNet : INetwork, new()
        {
            TNet net = Create<TNet>(reference);
            for (int s = 0; s < reference.Samples.Length; s++)
            {
                ReferenceSample sample = reference.Samples[s];
                net.ZeroGradients();
                AssertClose(sample.Loss, net.Backward(sample.Input, sample.Target), $"{reference.Name} sample {s} loss");
            }
        }
    }

    private sealed class GradientCheck : INetworkCheck
    {
        public void Run<TNet>(ReferenceNetwork reference)
            where TNet : INetwork, new()
        {
            TNet net = Create<TNet>(reference);
            for (int s = 0; s < reference.Samples.Length; s++)
            {
                ReferenceSample sample = reference.Samples[s];
                net.Gradients.Fill(float.NaN); // ZeroGradients must clear everything Backward then adds to
                net.ZeroGradients();
                net.Backward(sample.Input, sample.Target);
                AssertClose(sample.Gradients, net.Gradients, $"{reference.Name} sample {s} gradients");
                AssertClose(reference.Parameters, net.Parameters, $"{reference.Name} parameters after Backward");
            }
        }
    }

    /// <summary>Without <c>ZeroGradients</c> in between, <c>Backward</c> leaves the sum of the samples' PyTorch gradients.</summary>
    private sealed class AccumulationCheck : INetworkCheck
    {
        public void Run<TNet>(ReferenceNetwork reference)
            where TNet : INetwork, new()
        {
            TNet net = Create<TNet>(reference);
            var sum = new double[TNet.ParameterCount];
            var magnitude = new double[TNet.ParameterCount];
            net.ZeroGradients();
            foreach (ReferenceSample sample in reference.Samples)
            {
                net.Backward(sample.Input, sample.Target);
                for (int i = 0; i < sum.Length; i++)
                {
                    sum[i] += sample.Gradients[i];
                    magnitude[i] += Math.Abs(sample.Gradients[i]);
                }
            }

            ReadOnlySpan<float> gradients = net.Gradients;
            for (int i = 0; i < sum.Length; i++)
            {
                // Each term may carry the per-sample tolerance, so the sum may carry their sum.
                double tolerance = (reference.Samples.Length * AbsoluteTolerance) + (RelativeTolerance * magnitude[i]);
                Assert.True(
                    Math.Abs(gradients[i] - sum[i]) <= tolerance,
                    $"{reference.Name} accumulated gradient [{i}]: expected {sum[i]:R}, got {gradients[i]:R}");
            }
        }
    }

    private sealed record ReferenceFile(string Format, string Torch, int Seed, ReferenceNetwork[] Networks);

    private sealed record ReferenceNetwork(string Name, int Inputs, ReferenceLayer[] Layers, Loss Loss, int ParameterCount, float[] Parameters, ReferenceSample[] Samples);

    private sealed record ReferenceLayer(int Units, Activation Activation);

    private sealed record ReferenceSample(float[] Input, float[] Target, float[] Output, float Loss, float[] Gradients);
}
