using System.Linq;

namespace NetGen.Tests.Recurrent;

/// <summary>
/// The checks of the generated sequence networks of SequenceNetworks.cs, one generic method per check and network,
/// without a test framework of their own: SequenceNetworkTests runs them as xunit theories, and the conformance runner
/// (tests/NetGen.Conformance, which links this file) runs them on every platform it is published for. Each compares
/// with a double-precision implementation of PyTorch's definitions (SequenceReference.cs): Forward's outputs,
/// Backward's loss and its gradients against finite differences of the double-precision loss, for sequences of 1 to
/// 50 steps; Step against Forward on every prefix; accumulation, seeded initialisation and allocation.
/// </summary>
internal static class SequenceNetworkChecks
{
    /// <summary>The sequence lengths checked: one step, two, and longer ones up to 50.</summary>
    public static readonly int[] StepCounts = [1, 2, 7, 23, 50];

    /// <summary>The finite-difference coordinates checked per parameter block (all of a smaller block).</summary>
    public const int CoordinatesPerBlock = 40;

    /// <summary>Forward's outputs (and Predict's) against the double-precision definition, within 2e-5 + 2e-5·|y|.</summary>
    public static void ForwardMatchesDefinition<TNet>()
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

    /// <summary>
    /// Backward's loss against the double-precision loss, and its gradients at up to <paramref name="coordinatesPerBlock"/>
    /// coordinates of every parameter block against central finite differences of that loss, for sequences of each of
    /// <paramref name="stepCounts"/> steps (the defaults, <see cref="StepCounts"/> and <see cref="CoordinatesPerBlock"/>,
    /// are the xunit theory's; the conformance runner may ask for less under emulation).
    /// </summary>
    public static void BackwardMatchesFiniteDifferencesOn<TNet>(int[] stepCounts, int coordinatesPerBlock)
        where TNet : class, INetwork, new()
    {
        DeclaredSequenceNetwork network = DeclaredSequenceNetwork.Of<TNet>();
        var random = new Random(21);
        TNet net = GenericTest.Create<TNet>(4);
        Randomize(network, net.Parameters, random);
        float[] parameters = net.Parameters.ToArray();
        double[] p = parameters.Select(v => (double)v).ToArray();
        int[] coordinates = Coordinates(network, random, coordinatesPerBlock);
        foreach (int steps in stepCounts)
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

    /// <summary><see cref="BackwardMatchesFiniteDifferencesOn{TNet}"/> with the xunit theory's step counts and coordinates.</summary>
    public static void BackwardMatchesFiniteDifferences<TNet>()
        where TNet : class, INetwork, new()
        => BackwardMatchesFiniteDifferencesOn<TNet>(StepCounts, CoordinatesPerBlock);

    /// <summary>Streaming Step from <c>default(State)</c> gives Forward's outputs on every prefix of 30 steps, bit for bit.</summary>
    public static void StepMatchesForwardOnPrefixes<TNet>()
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

    /// <summary>Backward adds to the gradients, keeps the parameters, and gives the same gradient after a longer sequence grew its workspace.</summary>
    public static void BackwardAdds<TNet>()
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

    /// <summary>The same seed gives the same weights, another seed others, the default constructor seed 42; recurrent blocks are spread over ±1/√units.</summary>
    public static void SeededInitialisation<TNet>()
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

    /// <summary>
    /// Forward, Backward (on 40 steps, then on 10 in the same workspace), Step and Predict allocate nothing once warmed
    /// up: one call of each first (Backward allocates its workspace for 40 steps then, once), then 50 rounds measured
    /// with <see cref="GC.GetAllocatedBytesForCurrentThread"/>. The network needs a MaxSteps of at least 40.
    /// </summary>
    public static void NoAllocationsAfterWarmUp<TNet, TState>()
        where TNet : class, ISequenceNetwork<TState>, new()
        where TState : struct
    {
        int features = TNet.InputCount;
        TNet net = GenericTest.Create<TNet>(3);
        var random = new Random(3);
        float[] sequence = RandomSamples.Input(random, 40 * features);
        float[] target = new float[TNet.OutputCount];
        target[Math.Min(1, target.Length - 1)] = 1f;
        float[] output = new float[TNet.OutputCount];
        var state = default(TState);
        net.Backward(sequence, target); // allocates the workspace for 40 steps, once
        net.Forward(sequence, output);
        net.Step(ref state, sequence.AsSpan(0, features), output);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            net.Forward(sequence, output);
            net.Backward(sequence, target);
            net.Backward(sequence.AsSpan(0, 10 * features), target); // shorter sequences reuse the workspace
            net.Step(ref state, sequence.AsSpan(features * (i % 40), features), output);
            net.Predict(sequence);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The weights from the seed, and every bias random too (dense biases start at zero), so bias paths are exercised.</summary>
    public static void Randomize(DeclaredSequenceNetwork network, Span<float> parameters, Random random)
    {
        foreach (SequenceLayer layer in network.Layers)
        {
            foreach ((string name, int start, int count) in layer.Blocks.Where(block => block.Name.StartsWith("bias", StringComparison.Ordinal)))
            {
                RandomSamples.Uniform(random, count, -0.3, 0.3).CopyTo(parameters.Slice(start, count));
            }
        }
    }

    /// <summary>Up to <paramref name="perBlock"/> coordinates of every block (all of a smaller one).</summary>
    private static int[] Coordinates(DeclaredSequenceNetwork network, Random random, int perBlock)
        => network.Layers
            .SelectMany(layer => layer.Blocks)
            .SelectMany(block => block.Count <= perBlock ? Enumerable.Range(block.Start, block.Count) : Enumerable.Range(0, perBlock).Select(_ => block.Start + random.Next(block.Count)).Distinct())
            .ToArray();

    /// <summary>A target that suits the loss and output activation (cross-entropy: one-hot for even <paramref name="sample"/>, soft for odd).</summary>
    public static float[] Target(DeclaredSequenceNetwork network, Random random, int sample)
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
