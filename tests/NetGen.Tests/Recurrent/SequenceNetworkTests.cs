using System.Linq;
using System.Threading.Tasks;

namespace NetGen.Tests.Recurrent;

/// <summary>
/// The generated sequence networks of SequenceNetworks.cs (every recurrent kind, stacked kinds, every loss, sizes 1 to
/// 64, every product shape) against a double-precision implementation of PyTorch's definitions: Forward's outputs,
/// Backward's loss and its gradients against finite differences of the double-precision loss, for sequences of 1 to
/// 50 steps; Step against Forward on every prefix; and the contract's other promises.
/// </summary>
public sealed class SequenceNetworkTests
{
    /// <summary>The sequence lengths checked: one step, two, and longer ones up to 50.</summary>
    private static readonly int[] StepCounts = [1, 2, 7, 23, 50];

    public static TheoryData<Type> All => new(SequenceNetworks.All);

    [Theory]
    [MemberData(nameof(All))]
    public void Forward_matches_the_double_precision_definition(Type network)
        => GenericTest.Run(typeof(SequenceNetworkTests), nameof(ForwardMatchesDefinition), network);

    [Theory]
    [MemberData(nameof(All))]
    public void Backward_matches_finite_differences_and_returns_the_loss(Type network)
        => GenericTest.Run(typeof(SequenceNetworkTests), nameof(BackwardMatchesFiniteDifferences), network);

    [Theory]
    [MemberData(nameof(All))]
    public void Step_gives_Forward_on_every_prefix_to_the_bit(Type network)
        => GenericTest.Run(typeof(SequenceNetworkTests), nameof(StepMatchesForwardOnPrefixes), network);

    [Theory]
    [MemberData(nameof(All))]
    public void Backward_adds_to_the_gradients_and_keeps_the_parameters(Type network)
        => GenericTest.Run(typeof(SequenceNetworkTests), nameof(BackwardAdds), network);

    [Theory]
    [MemberData(nameof(All))]
    public void Seeded_initialisation_is_PyTorchs_uniform_bound_and_reproducible(Type network)
        => GenericTest.Run(typeof(SequenceNetworkTests), nameof(SeededInitialisation), network);

    [Fact]
    public void Forward_Backward_and_Step_allocate_nothing_after_warm_up()
    {
        var net = new Q8_Gru17_Lstm16_RnnTanh3_3Softmax_Ce(3);
        var random = new Random(3);
        float[] sequence = RandomSamples.Input(random, 40 * Q8_Gru17_Lstm16_RnnTanh3_3Softmax_Ce.InputCount);
        float[] target = [0f, 1f, 0f];
        float[] output = new float[3];
        var state = default(Q8_Gru17_Lstm16_RnnTanh3_3Softmax_Ce.State);
        net.Backward(sequence, target); // allocates the workspace for 40 steps, once
        net.Forward(sequence, output);
        net.Step(ref state, sequence.AsSpan(0, 8), output);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            net.Forward(sequence, output);
            net.Backward(sequence, target);
            net.Backward(sequence.AsSpan(0, 10 * 8), target); // shorter sequences reuse the workspace
            net.Step(ref state, sequence.AsSpan(8 * (i % 40), 8), output);
            net.Predict(sequence);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Forward_is_safe_to_call_concurrently()
    {
        var net = new Q6_Gru32_4Softmax_Ce(5);
        var random = new Random(8);
        float[][] sequences = Enumerable.Range(0, 16).Select(i => RandomSamples.Input(random, (5 + i) * 6)).ToArray();
        float[][] expected = sequences.Select(s =>
        {
            float[] y = new float[4];
            net.Forward(s, y);
            return y;
        }).ToArray();

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            float[] y = new float[4];
            for (int round = 0; round < 200; round++)
            {
                int k = (worker + round) % sequences.Length;
                net.Forward(sequences[k], y);
                Assert.Equal(expected[k], y);
            }
        });
    }

    [Fact]
    public void Wrong_lengths_are_argument_exceptions_naming_the_parameter_and_lengths()
    {
        var net = new Q8_Gru17_Lstm16_RnnTanh3_3Softmax_Ce();
        float[] output = new float[3];
        var state = default(Q8_Gru17_Lstm16_RnnTanh3_3Softmax_Ce.State);

        ArgumentException notMultiple = Assert.Throws<ArgumentException>(() => net.Forward(new float[13], output));
        Assert.Equal("sequence", notMultiple.ParamName);
        Assert.Contains("its length 13 is not a multiple of 8", notMultiple.Message);

        ArgumentException empty = Assert.Throws<ArgumentException>(() => net.Backward([], [1f, 0f, 0f]));
        Assert.Equal("sequence", empty.ParamName);
        Assert.Contains("it is empty", empty.Message);

        ArgumentException tooLong = Assert.Throws<ArgumentException>(() => net.Backward(new float[61 * 8], [1f, 0f, 0f]));
        Assert.Equal("sequence", tooLong.ParamName);
        Assert.Contains("it has 61 steps (488 values), more than the network's MaxSteps of 60", tooLong.Message);
        net.Backward(new float[60 * 8], [1f, 0f, 0f]); // exactly MaxSteps is fine
        net.Forward(new float[61 * 8], output); // Forward has no limit

        ArgumentException target = Assert.Throws<ArgumentException>(() => net.Backward(new float[16], [1f, 0f]));
        Assert.Equal("target", target.ParamName);
        Assert.Contains("length 3 but has length 2", target.Message);

        Assert.Equal("output", Assert.Throws<ArgumentException>(() => net.Forward(new float[8], new float[4])).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => net.Step(ref state, new float[7], output)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => net.Step(ref state, new float[8], new float[2])).ParamName);
        Assert.Equal("sequence", Assert.Throws<ArgumentException>(() => net.Predict(new float[9])).ParamName);
    }

    [Fact]
    public void Parameters_follow_PyTorchs_state_dict_order()
    {
        DeclaredSequenceNetwork network = DeclaredSequenceNetwork.Of<Q3_Lstm7_Gru4_2Sigmoid_Bce>();
        string[] names = network.Layers.SelectMany((layer, l) => layer.Blocks.Select(block => $"{l}.{block.Name}[{block.Count}]")).ToArray();
        Assert.Equal(
            ["0.weight_ih[84]", "0.weight_hh[196]", "0.bias_ih[28]", "0.bias_hh[28]", "1.weight_ih[84]", "1.weight_hh[48]", "1.bias_ih[12]", "1.bias_hh[12]", "2.weight[8]", "2.bias[2]"],
            names);
        Assert.Equal(84 + 196 + 28 + 28 + 84 + 48 + 12 + 12 + 8 + 2, Q3_Lstm7_Gru4_2Sigmoid_Bce.ParameterCount);
        Assert.Equal("3-Lstm(7)-Gru(4)-2(Sigmoid), BinaryCrossEntropy", Q3_Lstm7_Gru4_2Sigmoid_Bce.Architecture);
        Assert.Equal("5-Rnn(6,ReLU)-Lstm(9)-8(ReLU)-2(Identity), MeanSquaredError", Q5_RnnReLU6_Lstm9_8ReLU_2Identity_Mse.Architecture);
        Assert.Equal(7 + 7 + 4, Q3_Lstm7_Gru4_2Sigmoid_Bce.StateLength);
    }

    private static void ForwardMatchesDefinition<TNet>()
        where TNet : class, INetwork, new()
    {
        DeclaredSequenceNetwork network = DeclaredSequenceNetwork.Of<TNet>();
        var random = new Random(11);
        TNet net = GenericTest.Create<TNet>(3);
        Randomize(network, net.Parameters, random);
        double[] p = net.Parameters.ToArray().Select(v => (double)v).ToArray();
        float[] output = new float[TNet.OutputCount];
        foreach (int steps in StepCounts)
        {
            float[] sequence = RandomSamples.Input(random, steps * network.Features);
            net.Forward(sequence, output);
            double[] expected = network.Forward(p, sequence);
            for (int k = 0; k < output.Length; k++)
            {
                int index = k;
                Check.Close(expected[k], output[k], 2e-5 + (2e-5 * Math.Abs(expected[k])), () => $"{steps} steps, output {index}");
            }

            Assert.Equal(output, Predicted(net, sequence));
        }
    }

    private static void BackwardMatchesFiniteDifferences<TNet>()
        where TNet : class, INetwork, new()
    {
        DeclaredSequenceNetwork network = DeclaredSequenceNetwork.Of<TNet>();
        var random = new Random(21);
        TNet net = GenericTest.Create<TNet>(4);
        Randomize(network, net.Parameters, random);
        float[] parameters = net.Parameters.ToArray();
        double[] p = parameters.Select(v => (double)v).ToArray();
        int[] coordinates = Coordinates(network, random);
        foreach (int steps in StepCounts)
        {
            float[] sequence = RandomSamples.Input(random, steps * network.Features);
            float[] target = Target(network, random, steps);
            net.ZeroGradients();
            float loss = net.Backward(sequence, target);
            double expectedLoss = network.LossOf(p, sequence, target);
            Check.Close(expectedLoss, loss, 1e-5 + (1e-5 * Math.Abs(expectedLoss)), () => $"{steps} steps: Backward's loss");

            float[] gradients = net.Gradients.ToArray();
            double[] differences = coordinates.Select(c => network.FiniteDifference(parameters, c, sequence, target)).ToArray();
            double scale = differences.Max(Math.Abs);
            Assert.True(scale > 0, $"{steps} steps: every checked gradient is zero");
            for (int k = 0; k < coordinates.Length; k++)
            {
                int index = coordinates[k];
                Check.Close(differences[k], gradients[index], (1e-3 * Math.Abs(differences[k])) + (2e-5 * scale) + 1e-7, () => $"{steps} steps: gradient of parameter {index} ({Describe(network, index)})");
            }
        }
    }

    private static void StepMatchesForwardOnPrefixes<TNet>()
        where TNet : class, INetwork, new()
    {
        DeclaredSequenceNetwork network = DeclaredSequenceNetwork.Of<TNet>();
        var random = new Random(31);
        TNet net = GenericTest.Create<TNet>(5);
        Randomize(network, net.Parameters, random);
        float[] sequence = RandomSamples.Input(random, 30 * network.Features);
        float[][] streamed = Streaming.Run(net, sequence);
        float[] output = new float[TNet.OutputCount];
        for (int t = 1; t <= 30; t++)
        {
            net.Forward(sequence.AsSpan(0, t * network.Features), output);
            Assert.Equal(output, streamed[t - 1]);
        }
    }

    private static void BackwardAdds<TNet>()
        where TNet : class, INetwork, new()
    {
        DeclaredSequenceNetwork network = DeclaredSequenceNetwork.Of<TNet>();
        var random = new Random(41);
        TNet net = GenericTest.Create<TNet>(6);
        Randomize(network, net.Parameters, random);
        float[] parameters = net.Parameters.ToArray();
        float[] sequence = RandomSamples.Input(random, 9 * network.Features);
        float[] target = Target(network, random, 1);

        net.ZeroGradients();
        float first = net.Backward(sequence, target);
        float[] once = net.Gradients.ToArray();
        Assert.Contains(once, g => g != 0f);
        Assert.Equal(first, net.Backward(sequence, target));
        Check.Close(once.Select(g => 2 * g).ToArray(), net.Gradients.ToArray(), 1e-6);
        Assert.Equal(parameters, net.Parameters.ToArray());

        // A longer sequence in between (the workspace grows) and a shorter one after: still the same gradient.
        net.Backward(RandomSamples.Input(random, 40 * network.Features), target);
        net.ZeroGradients();
        Assert.Equal(first, net.Backward(sequence, target));
        Assert.Equal(once, net.Gradients.ToArray());
    }

    private static void SeededInitialisation<TNet>()
        where TNet : class, INetwork, new()
    {
        DeclaredSequenceNetwork network = DeclaredSequenceNetwork.Of<TNet>();
        float[] first = GenericTest.Create<TNet>(9).Parameters.ToArray();
        Assert.Equal(first, GenericTest.Create<TNet>(9).Parameters.ToArray());
        Assert.NotEqual(first, GenericTest.Create<TNet>(10).Parameters.ToArray());
        Assert.Equal(new TNet().Parameters.ToArray(), GenericTest.Create<TNet>(42).Parameters.ToArray());
        foreach (SequenceLayer layer in network.Layers.Where(layer => layer.IsRecurrent))
        {
            float bound = 1f / MathF.Sqrt(layer.Units);
            foreach ((string name, int start, int count) in layer.Blocks)
            {
                float[] block = first[start..(start + count)];
                Assert.All(block, v => Assert.InRange(v, -bound, bound));
                Assert.True(count < 16 || block.Max() - block.Min() > bound, $"{name} of layer {layer} is not spread over ±1/√units");
            }
        }
    }

    /// <summary>The weights from the seed, and every bias random too (dense biases start at zero), so bias paths are exercised.</summary>
    private static void Randomize(DeclaredSequenceNetwork network, Span<float> parameters, Random random)
    {
        foreach (SequenceLayer layer in network.Layers)
        {
            foreach ((string name, int start, int count) in layer.Blocks.Where(block => block.Name.StartsWith("bias", StringComparison.Ordinal)))
            {
                RandomSamples.Uniform(random, count, -0.3, 0.3).CopyTo(parameters.Slice(start, count));
            }
        }
    }

    /// <summary>Up to 40 coordinates of every block (all of a small one).</summary>
    private static int[] Coordinates(DeclaredSequenceNetwork network, Random random)
        => network.Layers
            .SelectMany(layer => layer.Blocks)
            .SelectMany(block => block.Count <= 40 ? Enumerable.Range(block.Start, block.Count) : Enumerable.Range(0, 40).Select(_ => block.Start + random.Next(block.Count)).Distinct())
            .ToArray();

    private static float[] Target(DeclaredSequenceNetwork network, Random random, int sample)
    {
        int n = network.Output.Units;
        return network.Loss switch
        {
            Loss.CrossEntropy => sample % 2 == 0 ? OneHot(n, random.Next(n)) : RandomSamples.Uniform(random, n, 0.05, 1).Select(v => v / n).ToArray(),
            Loss.BinaryCrossEntropy => RandomSamples.Uniform(random, n, 0, 1),
            _ => RandomSamples.Uniform(random, n, network.Output.Activation == Activation.Tanh ? -0.9 : -1.5, network.Output.Activation == Activation.Tanh ? 0.9 : 1.5),
        };
    }

    private static float[] OneHot(int n, int k)
    {
        float[] values = new float[n];
        values[k] = 1f;
        return values;
    }

    private static float[] Predicted<TNet>(TNet net, float[] sequence)
        where TNet : INetwork
    {
        float[] y = new float[TNet.OutputCount];
        net.Forward(sequence, y);
        return y;
    }

    private static string Describe(DeclaredSequenceNetwork network, int index)
    {
        SequenceLayer layer = network.LayerOf(index);
        (string name, int start, _) = layer.Blocks.First(block => index < block.Start + block.Count);
        return $"layer {network.Layers.ToList().IndexOf(layer) + 1} {name}[{index - start}]";
    }
}
