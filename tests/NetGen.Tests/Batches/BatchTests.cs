using System.Linq;
using System.Threading.Tasks;
using NetGen.Tests.Interop;
using NetGen.Tests.Recurrent;

namespace NetGen.Tests.Batches;

/// <summary>
/// <c>ForwardBatch</c>, <c>PredictBatch</c> and <c>BackwardBatch</c> (design §1c) against <c>n</c> calls of
/// <c>Forward</c>, <c>Predict</c> and <c>Backward</c>, for every network of the gradient checks (every dense code
/// shape and pair of shapes), the sequence networks (GRU, LSTM, RNN), a network the planner gives 16-sample blocks of
/// MNIST's size, and batch sizes around the block sizes.
/// </summary>
/// <remarks>
/// Tolerances: a block sums each output as bias plus the products in input order, one chain per sample, while the
/// per-sample code sums in vector lanes and then across them (or spells the sum out), so the two round differently in
/// the last bits: for a sum of <c>k</c> products, by at most about <c>k · 2⁻²⁴ · Σ|w x|</c>, a few 1e-6 of the
/// magnitudes here, carried through the layers. Outputs are compared at 2e-5 relative to <c>max(1, |y|)</c>;
/// gradients at 1e-4 of the sum of the per-sample gradients' magnitudes (plus 1e-6), since the deltas inherit the
/// forward differences and the sums over samples run in another order; losses at 1e-5 relative to the summed loss.
/// Networks that run one sample at a time (unrolled scalar dense layers) agree exactly, and so does a sequence network's
/// <c>BackwardBatch</c> (one sequence at a time); a sequence network's <c>ForwardBatch</c> runs blocks of sequences.
/// </remarks>
public sealed class BatchTests
{
    /// <summary>The sizes of issue 13, and 13: a padded last block for networks whose blocks start at 12 samples.</summary>
    public static readonly int[] BatchSizes = [1, 2, 3, 7, 8, 13, 64, 257];

    private const double OutputTolerance = 2e-5;
    private const double GradientTolerance = 1e-4;
    private const double LossTolerance = 1e-5;
    private const int Steps = 3;

    public static TheoryData<Type, int> DenseCases() => Cases([.. GradientCheckNetworks.All, typeof(B784_128ReLU_64ReLU_10Softmax_Ce), typeof(B40_24Sigmoid_3Softmax_Mse), typeof(B3000_64ReLU_4Softmax_Ce)]);

    public static TheoryData<Type, int> SequenceCases() => Cases(SequenceNetworks.All);

    private static TheoryData<Type, int> Cases(Type[] networks)
    {
        var data = new TheoryData<Type, int>();
        foreach (Type network in networks)
        {
            foreach (int n in BatchSizes)
            {
                data.Add(network, n);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DenseCases))]
    public void Dense_batch_equals_per_sample_calls(Type network, int n) => Run(nameof(CheckBatch), network, n, 1);

    [Theory]
    [MemberData(nameof(SequenceCases))]
    public void Sequence_batch_equals_per_sequence_calls(Type network, int n) => Run(nameof(CheckBatch), network, n, Steps);

    private static void Run(string method, Type network, int n, int steps)
        => typeof(BatchTests).GetMethod(method, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(network).Invoke(null, System.Reflection.BindingFlags.DoNotWrapExceptions, null, [n, steps], null);

    private static void CheckBatch<TNet>(int n, int steps)
        where TNet : INetwork
    {
        int inputs = TNet.InputCount * steps;
        int outputs = TNet.OutputCount;
        var random = new Random((n * 7919) + typeof(TNet).Name.Length);
        TNet net = GenericTest.Create<TNet>(11);
        for (int i = 0; i < TNet.ParameterCount; i++)
        {
            net.Parameters[i] += (float)((random.NextDouble() - 0.5) * 0.1); // non-zero biases too
        }

        float[] x = RandomSamples.Uniform(random, n * inputs, -1, 1);
        float[] targets = Targets<TNet>(random, n);

        // Forward and Predict.
        float[] batch = new float[n * outputs];
        net.ForwardBatch(x, batch);
        int[] classes = new int[n];
        net.PredictBatch(x, classes);
        float[] single = new float[outputs];
        for (int s = 0; s < n; s++)
        {
            net.Forward(x.AsSpan(s * inputs, inputs), single);
            for (int j = 0; j < outputs; j++)
            {
                float actual = batch[(s * outputs) + j];
                Check.Close(single[j], actual, OutputTolerance * Math.Max(1, Math.Abs(single[j])), () => $"{typeof(TNet).Name}: output {j} of sample {s} of {n}");
            }

            int expected = net.Predict(x.AsSpan(s * inputs, inputs));
            if (classes[s] != expected)
            {
                // Only a near tie may go either way under the different rounding.
                Assert.True(outputs > 1 && Math.Abs(single[classes[s]] - single[expected]) < 1e-5, $"{typeof(TNet).Name}: class of sample {s} of {n}: {classes[s]}, Predict {expected}");
            }
        }

        // Backward: gradients added to what is there, losses summed.
        float[] start = RandomSamples.Uniform(random, TNet.ParameterCount, -0.01, 0.01);
        TNet batched = GenericTest.Create<TNet>(11);
        TNet summed = GenericTest.Create<TNet>(11);
        TNet magnitude = GenericTest.Create<TNet>(11);
        foreach (TNet copy in new[] { batched, summed, magnitude })
        {
            net.Parameters.CopyTo(copy.Parameters);
        }

        start.CopyTo(batched.Gradients);
        start.CopyTo(summed.Gradients);
        float loss = batched.BackwardBatch(x, targets);
        double expectedLoss = 0;
        double[] scale = new double[TNet.ParameterCount];
        for (int s = 0; s < n; s++)
        {
            expectedLoss += summed.Backward(x.AsSpan(s * inputs, inputs), targets.AsSpan(s * outputs, outputs));
            magnitude.ZeroGradients();
            magnitude.Backward(x.AsSpan(s * inputs, inputs), targets.AsSpan(s * outputs, outputs));
            for (int i = 0; i < scale.Length; i++)
            {
                scale[i] += Math.Abs(magnitude.Gradients[i]);
            }
        }

        Check.Close(expectedLoss, loss, LossTolerance * Math.Max(1, Math.Abs(expectedLoss)), () => $"{typeof(TNet).Name}: loss of {n}");
        for (int i = 0; i < TNet.ParameterCount; i++)
        {
            Check.Close(summed.Gradients[i], batched.Gradients[i], (GradientTolerance * scale[i]) + 1e-6, () => $"{typeof(TNet).Name}: gradient {i} of {n}");
        }
    }

    private static float[] Targets<TNet>(Random random, int n)
        where TNet : INetwork
    {
        int outputs = TNet.OutputCount;
        var targets = new float[n * outputs];
        for (int s = 0; s < n; s++)
        {
            if (TNet.LossFunction == Loss.CrossEntropy)
            {
                targets[(s * outputs) + random.Next(outputs)] = 1f;
            }
            else
            {
                for (int j = 0; j < outputs; j++)
                {
                    targets[(s * outputs) + j] = (float)random.NextDouble();
                }
            }
        }

        return targets;
    }

    [Theory]
    [InlineData(typeof(N5_7Tanh_6Sigmoid_4Softmax_Ce), 1)]
    [InlineData(typeof(N257_17Tanh_33ReLU_300Sigmoid_5Identity_Mse), 1)]
    [InlineData(typeof(N150_1LeakyReLU_100Tanh_3Sigmoid_Bce), 1)]
    [InlineData(typeof(B784_128ReLU_64ReLU_10Softmax_Ce), 1)]
    [InlineData(typeof(Q6_Gru32_4Softmax_Ce), Steps)]
    [InlineData(typeof(Q13_Lstm64_1Identity_Mse), Steps)]
    public void Batch_members_do_not_allocate(Type network, int steps) => Run(nameof(CheckAllocations), network, 37, steps);

    private static void CheckAllocations<TNet>(int n, int steps)
        where TNet : INetwork
    {
        int inputs = TNet.InputCount * steps;
        var random = new Random(5);
        TNet net = GenericTest.Create<TNet>(3);
        float[] x = RandomSamples.Uniform(random, n * inputs, -1, 1);
        float[] targets = Targets<TNet>(random, n);
        float[] outputs = new float[n * TNet.OutputCount];
        int[] classes = new int[n];
        void All()
        {
            net.ForwardBatch(x, outputs);
            net.PredictBatch(x, classes);
            net.BackwardBatch(x, targets);
        }

        for (int i = 0; i < 50; i++)
        {
            All();
        }

        // The runtime may allocate once while it re-compiles a method mid-measurement (AllocationTests): one of three
        // measurements must be clean.
        long bytes = -1;
        for (int attempt = 0; attempt < 3 && bytes != 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 200; i++)
            {
                All();
            }

            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, bytes);
    }

    [Fact]
    public void ForwardBatch_is_safe_to_call_concurrently_on_one_instance()
    {
        const int n = 70;
        var net = new B784_128ReLU_64ReLU_10Softmax_Ce(4);
        var random = new Random(9);
        float[][] inputs = Enumerable.Range(0, 4).Select(_ => RandomSamples.Uniform(random, n * 784, 0, 1)).ToArray();
        float[][] expected = inputs.Select(x =>
        {
            float[] y = new float[n * 10];
            net.ForwardBatch(x, y);
            return y;
        }).ToArray();
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, task =>
        {
            float[] y = new float[n * 10];
            for (int repeat = 0; repeat < 20; repeat++)
            {
                net.ForwardBatch(inputs[task], y);
                Assert.Equal(expected[task], y); // the same code on the same data: bit for bit
            }
        });
    }

    [Fact]
    public void Wrong_lengths_throw_naming_the_parameter()
    {
        var net = new B40_24Sigmoid_3Softmax_Mse();
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => net.ForwardBatch(new float[80], new float[7])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => net.ForwardBatch(new float[81], new float[6])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => net.ForwardBatch(new float[120], new float[6])).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => net.BackwardBatch(new float[80], new float[5])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => net.BackwardBatch(new float[40], new float[6])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => net.PredictBatch(new float[79], new int[2])).ParamName);

        // Sequences: n sequences of one length; a length that is no whole number of steps per sequence is ragged.
        var sequence = new Q6_Gru32_4Softmax_Ce();
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => sequence.ForwardBatch(new float[(2 * 6 * 3) + 6], new float[8])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => sequence.BackwardBatch(new float[(3 * 6 * 2) + 1], new float[12])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => sequence.PredictBatch(new float[0], new int[2])).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => sequence.ForwardBatch(new float[36], new float[9])).ParamName);

        // An empty batch is no error.
        net.ForwardBatch([], []);
        Assert.Equal(0f, net.BackwardBatch([], []));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(19)]
    [InlineData(257)]
    [InlineData(450)] // PredictBatch takes 400 samples of ten outputs a call
    public void Frozen_static_batch_members_equal_per_sample_calls(int n)
    {
        var random = new Random(n);
        int inputs = FrozenMnistFromOnnx.InputCount;
        int outputs = FrozenMnistFromOnnx.OutputCount;
        float[] x = RandomSamples.Uniform(random, n * inputs, 0, 1);
        float[] batch = new float[n * outputs];
        int[] classes = new int[n];
        FrozenMnistFromOnnx.ForwardBatch(x, batch);
        FrozenMnistFromOnnx.PredictBatch(x, classes);
        float[] single = new float[outputs];
        for (int s = 0; s < n; s++)
        {
            FrozenMnistFromOnnx.Forward(x.AsSpan(s * inputs, inputs), single);
            Check.Close(single, batch.AsSpan(s * outputs, outputs), OutputTolerance);
            Assert.Equal(FrozenMnistFromOnnx.Predict(x.AsSpan(s * inputs, inputs)), classes[s]);
        }

        // A frozen sequence network: blocks of sequences step by step.
        int features = FrozenGesture.InputCount;
        float[] sequences = RandomSamples.Uniform(random, n * 4 * features, -1, 1);
        float[] sequenceOutputs = new float[n * FrozenGesture.OutputCount];
        FrozenGesture.ForwardBatch(sequences, sequenceOutputs);
        float[] one = new float[FrozenGesture.OutputCount];
        for (int s = 0; s < n; s++)
        {
            FrozenGesture.Forward(sequences.AsSpan(s * 4 * features, 4 * features), one);
            Check.Close(one, sequenceOutputs.AsSpan(s * one.Length, one.Length), OutputTolerance);
        }
    }
}

/// <summary>MNIST's multilayer perceptron: the planner gives it blocks of 16 samples (102 KB of BackwardBatch blocks).</summary>
[Network(784, Loss = Loss.CrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class B784_128ReLU_64ReLU_10Softmax_Ce { }

/// <summary>A softmax output under MSE (the softmax's Jacobian per sample in BackwardBatch's head), unrolled SIMD then scalar.</summary>
[Network(40)]
[Dense(24, Activation.Sigmoid)]
[Dense(3, Activation.Softmax)]
public partial class B40_24Sigmoid_3Softmax_Mse { }

/// <summary>Too wide for blocks of 16 within the stack budget: the planner halves them to 8 (Vector&lt;T&gt; code on AVX-512 machines too).</summary>
[Network(3000, Loss = Loss.CrossEntropy)]
[Dense(64, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class B3000_64ReLU_4Softmax_Ce { }
