using System.Linq;
using System.Threading;
using NetGen.Initialization;

namespace NetGen.Tests;

/// <summary>The generated members apart from gradients: sizes, initialisation, Forward, Predict, ZeroGradients, INetwork.</summary>
public sealed class NetworkBehaviourTests
{
    public static TheoryData<Type> All => new(GradientCheckNetworks.All);

    public static TheoryData<Type> Shapes => new(
        typeof(N5_7Tanh_6Sigmoid_4Softmax_Ce),                           // unrolled, locals
        typeof(N8_16Tanh_8Sigmoid_16LeakyReLU_8Tanh_16Identity_Mse),     // unrolled scalar, then unrolled SIMD
        typeof(N150_1LeakyReLU_100Tanh_3Sigmoid_Bce),                    // loop, unrolled scalar, unrolled SIMD
        typeof(N300_257LeakyReLU_10Softmax_Ce));                         // loops

    [Fact]
    public void Constants_count_inputs_outputs_and_every_weight_and_bias()
    {
        Assert.Equal(2, N2_4Sigmoid_1Sigmoid_Bce.InputCount);
        Assert.Equal(1, N2_4Sigmoid_1Sigmoid_Bce.OutputCount);
        Assert.Equal((2 * 4) + 4 + (4 * 1) + 1, N2_4Sigmoid_1Sigmoid_Bce.ParameterCount);

        Assert.Equal(300, N300_257LeakyReLU_10Softmax_Ce.InputCount);
        Assert.Equal(10, N300_257LeakyReLU_10Softmax_Ce.OutputCount);
        Assert.Equal(79_937, N300_257LeakyReLU_10Softmax_Ce.ParameterCount);

        Assert.Equal(8, N8_16Tanh_8Sigmoid_16LeakyReLU_8Tanh_16Identity_Mse.InputCount);
        Assert.Equal(16, N8_16Tanh_8Sigmoid_16LeakyReLU_8Tanh_16Identity_Mse.OutputCount);
        Assert.Equal(144 + 136 + 144 + 136 + 144, N8_16Tanh_8Sigmoid_16LeakyReLU_8Tanh_16Identity_Mse.ParameterCount);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Parameters_and_Gradients_are_separate_blocks_of_ParameterCount_floats(Type network)
        => GenericTest.Run(typeof(NetworkBehaviourTests), nameof(SeparateBlocks), network);

    [Theory]
    [MemberData(nameof(All))]
    public void Initialisation_is_reproducible_from_the_seed(Type network)
        => GenericTest.Run(typeof(NetworkBehaviourTests), nameof(ReproducibleFromSeed), network);

    [Theory]
    [MemberData(nameof(All))]
    public void Weights_are_Glorot_or_He_uniform_drawn_layer_by_layer_and_biases_start_at_zero(Type network)
        => GenericTest.Run(typeof(NetworkBehaviourTests), nameof(GlorotOrHeUniform), network);

    [Theory]
    [MemberData(nameof(All))]
    public void Forward_computes_the_declared_layers_in_PyTorch_layout(Type network)
        => GenericTest.Run(typeof(NetworkBehaviourTests), nameof(ForwardMatchesDeclaration), network);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_is_deterministic_and_safe_to_call_concurrently_on_one_instance(Type network)
        => GenericTest.Run(typeof(NetworkBehaviourTests), nameof(ConcurrentForward), network);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ZeroGradients_clears_the_gradients_and_nothing_else(Type network)
        => GenericTest.Run(typeof(NetworkBehaviourTests), nameof(ZeroGradientsClears), network);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Predict_of_several_outputs_is_the_index_of_the_largest(Type network)
        => GenericTest.Run(typeof(NetworkBehaviourTests), nameof(PredictIsArgMax), network);

    [Fact]
    public void Predict_picks_the_first_largest_output()
    {
        var net = new P1_3Identity_Mse();
        float[] parameters = [1f, 2f, -1f, 0f, 0f, 0f]; // outputs x, 2x, -x
        parameters.CopyTo(net.Parameters);
        Assert.Equal(1, net.Predict([1f]));
        Assert.Equal(2, net.Predict([-1f]));
        Assert.Equal(0, net.Predict([0f])); // a three-way tie goes to the first

        net.Parameters[1] = 1f;
        Assert.Equal(0, net.Predict([1f])); // x = x, the first wins
    }

    [Fact]
    public void Predict_of_one_identity_or_sigmoid_output_thresholds_at_one_half()
    {
        var identity = new N1_1Identity_Mse();
        identity.Parameters[0] = 1f;
        identity.Parameters[1] = 0f;
        Assert.Equal(0, identity.Predict([0.49f]));
        Assert.Equal(0, identity.Predict([0.5f])); // must exceed the threshold
        Assert.Equal(1, identity.Predict([0.51f]));
        Assert.Equal(0, identity.Predict([0.25f])); // above 0, below 0.5

        var sigmoid = new P1_1Sigmoid_Bce();
        sigmoid.Parameters[0] = 1f;
        sigmoid.Parameters[1] = 0f;
        Assert.Equal(1, sigmoid.Predict([0.1f]));  // σ = 0.525
        Assert.Equal(0, sigmoid.Predict([-0.1f])); // σ = 0.475, still above 0
        Assert.Equal(0, sigmoid.Predict([0f]));    // σ = 0.5 exactly
    }

    [Fact]
    public void Predict_of_one_tanh_output_thresholds_at_zero()
    {
        var tanh = new P1_1Tanh_Mse();
        tanh.Parameters[0] = 1f;
        tanh.Parameters[1] = 0f;
        Assert.Equal(1, tanh.Predict([0.3f]));   // tanh = 0.29, below 0.5
        Assert.Equal(1, tanh.Predict([0.001f]));
        Assert.Equal(0, tanh.Predict([0f]));
        Assert.Equal(0, tanh.Predict([-0.3f]));
    }

    [Fact]
    public void Generated_classes_implement_INetwork_with_static_sizes()
    {
        INetwork net = new N8_16Tanh_17Softmax_Ce();
        Assert.Equal(N8_16Tanh_17Softmax_Ce.ParameterCount, net.Parameters.Length);
        Assert.Equal((8, 17, N8_16Tanh_17Softmax_Ce.ParameterCount), SizesOf<N8_16Tanh_17Softmax_Ce>());
        Assert.Equal((300, 10, 79_937), SizesOf<N300_257LeakyReLU_10Softmax_Ce>());
        Assert.Equal((1, 1, 2), SizesOf<N1_1Identity_Mse>());
        Assert.All(GradientCheckNetworks.All, type => Assert.True(typeof(INetwork).IsAssignableFrom(type), type.Name));
    }

    [Fact]
    public void Architecture_and_LossFunction_describe_the_declaration()
    {
        Assert.Equal("8-16(Tanh)-17(Softmax), CrossEntropy", N8_16Tanh_17Softmax_Ce.Architecture);
        Assert.Equal(Loss.CrossEntropy, N8_16Tanh_17Softmax_Ce.LossFunction);
        Assert.Equal(("2-4(Sigmoid)-1(Sigmoid), BinaryCrossEntropy", Loss.BinaryCrossEntropy), DescriptionOf<N2_4Sigmoid_1Sigmoid_Bce>());
        Assert.Equal(("1-1(Identity), MeanSquaredError", Loss.MeanSquaredError), DescriptionOf<N1_1Identity_Mse>());
    }

    private static (string Architecture, Loss Loss) DescriptionOf<TNet>()
        where TNet : INetwork
        => (TNet.Architecture, TNet.LossFunction);

    private static (int Inputs, int Outputs, int Parameters) SizesOf<TNet>()
        where TNet : INetwork
        => (TNet.InputCount, TNet.OutputCount, TNet.ParameterCount);

    private static void SeparateBlocks<TNet>()
        where TNet : class, INetwork, new()
    {
        DeclaredNetwork.Of<TNet>(); // the constants agree with the attributes
        var net = new TNet();
        Assert.Equal(TNet.ParameterCount, net.Parameters.Length);
        Assert.Equal(TNet.ParameterCount, net.Gradients.Length);
        Assert.Equal(-1, net.Gradients.IndexOfAnyExcept(0f));

        float[] parameters = net.Parameters.ToArray();
        net.Gradients.Fill(3f);
        Assert.Equal(parameters, net.Parameters.ToArray());

        net.Parameters[^1] = 5f; // writes go to the network, not to a copy
        Assert.Equal(5f, net.Parameters[^1]);
        Assert.Equal(-1, net.Gradients.IndexOfAnyExcept(3f));
    }

    private static void ReproducibleFromSeed<TNet>()
        where TNet : class, INetwork, new()
    {
        float[] seven = GenericTest.Create<TNet>(7).Parameters.ToArray();
        Assert.Equal(seven, GenericTest.Create<TNet>(7).Parameters.ToArray());
        Assert.NotEqual(seven, GenericTest.Create<TNet>(8).Parameters.ToArray());
        Assert.NotEqual(seven, GenericTest.Create<TNet>(-7).Parameters.ToArray());
        Assert.Equal(GenericTest.Create<TNet>(NetGenRandom.DefaultSeed).Parameters.ToArray(), new TNet().Parameters.ToArray());
        Assert.NotEqual(seven, new TNet().Parameters.ToArray());
    }

    /// <summary>
    /// One <see cref="NetGenRandom"/> stream per network, consumed layer by layer in parameter order; each weight is
    /// (2u - 1)·bound with u = NextSingle(), bound = √(6 / (fan_in + fan_out)) (Glorot) or PyTorch's
    /// kaiming_uniform_ bound √(6 / ((1 + a²) fan_in)) with a = 0 (ReLU) or 0.01 (LeakyReLU).
    /// </summary>
    private static void GlorotOrHeUniform<TNet>()
        where TNet : class, INetwork, new()
    {
        var network = DeclaredNetwork.Of<TNet>();
        foreach (int seed in new[] { 1, NetGenRandom.DefaultSeed, -123456 })
        {
            float[] parameters = GenericTest.Create<TNet>(seed).Parameters.ToArray();
            var random = new NetGenRandom(seed);
            foreach (DeclaredLayer layer in network.Layers)
            {
                double bound = layer.Activation switch
                {
                    Activation.ReLU => Math.Sqrt(6.0 / layer.Inputs),
                    Activation.LeakyReLU => Math.Sqrt(6.0 / ((1 + (0.01 * 0.01)) * layer.Inputs)),
                    _ => Math.Sqrt(6.0 / (layer.Inputs + layer.Units)),
                };
                float[] weights = parameters[layer.WeightOffset..layer.BiasOffset];
                for (int k = 0; k < weights.Length; k++)
                {
                    int index = k;
                    double expected = ((2.0 * random.NextSingle()) - 1) * bound;
                    Check.Close(expected, weights[k], 1e-6 * bound, () => $"seed {seed}, layer {layer.Number}, weight {index}");
                }

                Assert.InRange(weights.Max(Math.Abs), 0, bound * (1 + 1e-6));

                if (weights.Length >= 100)
                {
                    Assert.True(weights.Max(Math.Abs) > 0.9 * bound, $"layer {layer.Number} does not fill ±{bound}");
                    Assert.InRange(weights.Average(), -0.2 * bound, 0.2 * bound);
                }

                Assert.Equal(-1, parameters.AsSpan(layer.BiasOffset, layer.Units).IndexOfAnyExcept(0f));
            }
        }
    }

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

            net.Forward(input, output);
            for (int j = 0; j < output.Length; j++)
            {
                int index = j;
                Check.Close(expected[j], output[j], 1e-5 * Math.Max(1, Math.Abs(expected[j])), () => $"output {index}");
            }

            checkedSamples++;
        }

        Assert.Equal(5, checkedSamples);
    }

    /// <summary>
    /// Four dedicated threads (not the thread pool, which the parallel test run may starve into running one worker)
    /// start together behind a barrier and run Forward and Predict over the same samples from different offsets.
    /// </summary>
    private static void ConcurrentForward<TNet>()
        where TNet : class, INetwork, new()
    {
        const int Threads = 4;
        int samples = TNet.ParameterCount > 10_000 ? 150 : 1000; // the big one takes ~1 ms per pass on this shared machine
        var random = new Random(13);
        var net = new TNet();
        float[][] inputs = Enumerable.Range(0, samples).Select(_ => RandomSamples.Input(random, TNet.InputCount)).ToArray();
        float[][] sequential = Run(net, inputs);
        Assert.Equal(sequential, Run(net, inputs)); // deterministic

        float[][][] concurrent = new float[Threads][][];
        int[][] predictions = new int[Threads][];
        Exception?[] failures = new Exception?[Threads];
        using var start = new Barrier(Threads);
        Thread[] threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                concurrent[t] = inputs.Select(_ => new float[TNet.OutputCount]).ToArray();
                predictions[t] = new int[samples];
                start.SignalAndWait();
                for (int k = 0; k < samples; k++)
                {
                    int i = (k + (t * samples / Threads)) % samples;
                    net.Forward(inputs[i], concurrent[t][i]);
                    predictions[t][i] = net.Predict(inputs[i]);
                }
            }
            catch (Exception exception)
            {
                failures[t] = exception;
            }
        })).ToArray();
        Array.ForEach(threads, thread => thread.Start());
        Array.ForEach(threads, thread => thread.Join());

        Assert.All(failures, Assert.Null);
        int[] expectedPredictions = inputs.Select(input => net.Predict(input)).ToArray();
        for (int t = 0; t < Threads; t++)
        {
            Assert.Equal(sequential, concurrent[t]);
            Assert.Equal(expectedPredictions, predictions[t]);
        }

        static float[][] Run(TNet net, float[][] inputs)
        {
            float[][] outputs = inputs.Select(_ => new float[TNet.OutputCount]).ToArray();
            for (int i = 0; i < inputs.Length; i++)
            {
                net.Forward(inputs[i], outputs[i]);
            }

            return outputs;
        }
    }

    private static void ZeroGradientsClears<TNet>()
        where TNet : class, INetwork, new()
    {
        var network = DeclaredNetwork.Of<TNet>();
        var random = new Random(17);
        var net = new TNet();
        float[] parameters = net.Parameters.ToArray();
        net.Backward(RandomSamples.Input(random, TNet.InputCount), RandomSamples.Target(random, network, 0));
        Assert.Contains(net.Gradients.ToArray(), g => g != 0f);

        net.ZeroGradients();

        Assert.Equal(-1, net.Gradients.IndexOfAnyExcept(0f));
        Assert.Equal(parameters, net.Parameters.ToArray());
    }

    private static void PredictIsArgMax<TNet>()
        where TNet : class, INetwork, new()
    {
        var random = new Random(19);
        var net = new TNet();
        float[] output = new float[TNet.OutputCount];
        int[] seen = new int[TNet.OutputCount];
        for (int sample = 0; sample < 300; sample++)
        {
            float[] input = RandomSamples.Uniform(random, TNet.InputCount, -3, 3);
            net.Forward(input, output);
            int largest = 0;
            for (int j = 1; j < output.Length; j++)
            {
                largest = output[j] > output[largest] ? j : largest;
            }

            Assert.Equal(largest, net.Predict(input));
            seen[largest]++;
        }

        Assert.True(seen.Count(n => n > 0) >= 2, "the samples should not all predict the same class");
    }
}

[Network(1)]
[Dense(3)]
public partial class P1_3Identity_Mse { }

[Network(1, Loss = Loss.BinaryCrossEntropy)]
[Dense(1, Activation.Sigmoid)]
public partial class P1_1Sigmoid_Bce { }

[Network(1)]
[Dense(1, Activation.Tanh)]
public partial class P1_1Tanh_Mse { }
