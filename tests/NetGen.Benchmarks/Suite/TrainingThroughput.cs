using System;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NetGen.Benchmarks.Networks;
using NetGen.Benchmarks.Reference;
using NetGen.Data;
using NetGen.Initialization;
using NetGen.Training;

namespace NetGen.Benchmarks.Suite;

/// <summary>
/// Training throughput on the digits network (64-32-10, ReLU, softmax, cross-entropy), issue 4: one epoch over a
/// fixed set of <see cref="SampleCount"/> samples per invocation, in a fresh seeded order each epoch, for
/// <list type="bullet">
/// <item><c>PerSampleSgd</c>: one plain SGD step per sample (learning rate 0.01);</item>
/// <item><c>MiniBatchAdam</c>: one Adam step per mini-batch of 32 (learning rate 0.001, PyTorch's defaults otherwise);</item>
/// </list>
/// each through NetGen's <see cref="Trainer{TNet}"/>, through a hand-written loop over the same generated network
/// and optimizer (<c>Backward</c> per sample, then <c>Step</c>), and through the naive <c>float[]</c> network
/// (<see cref="NaiveNetwork"/>: textbook backpropagation, SGD or Adam). <c>Backward_NetGen</c> times the generated
/// <c>Backward</c> alone over the same samples, for the trainer's overhead per batch.
/// </summary>
/// <remarks>
/// <para>
/// Every benchmark has <c>OperationsPerInvoke = SampleCount</c>, so BenchmarkDotNet's Mean is the time per training
/// sample, and samples per second are <c>10⁹ / Mean[ns]</c>. The trainer's run (<c>Epochs = 1</c>, no training
/// accuracy pass, no validation) allocates its <see cref="TrainingHistory"/> once per epoch; nothing else allocates.
/// </para>
/// <para>
/// The samples are random inputs in [-1, 1) labelled by a fixed random linear "teacher" (the class of the largest of
/// ten projections), so the network learns and its weights stay in a normal range over the thousands of epochs a
/// run takes. The timing does not depend on the values: no code path skips zeros.
/// </para>
/// <para>
/// <see cref="Setup"/> first checks that the trainer computes exactly what the hand-written loop computes (the same
/// bits after one epoch) and that the naive network stays close to NetGen over one epoch of each configuration.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class TrainingThroughput
{
    /// <summary>The samples per epoch (the digits training sets here hold 1,069 to 1,258 images).</summary>
    public const int SampleCount = 1024;

    /// <summary>The mini-batch size of the Adam runs.</summary>
    public const int BatchSize = 32;

    private const string SgdCategory = "PerSampleSgd";
    private const string AdamCategory = "MiniBatchAdam";
    private const string BackwardCategory = "BackwardOnly";
    private const float SgdLearningRate = 0.01f;
    private const float AdamLearningRate = 0.001f;
    private const int Seed = 7;

    private float[][] _inputs = [];
    private float[][] _targets = [];
    private Dataset _data = null!;

    private Trainer<DigitsNet> _sgdTrainer = null!;
    private Trainer<DigitsNet> _adamTrainer = null!;
    private Loop _sgdLoop = null!;
    private Loop _adamLoop = null!;
    private NaiveLoop _sgdNaive = null!;
    private NaiveLoop _adamNaive = null!;
    private DigitsNet _backwardNet = null!;

    /// <summary>Builds the data and every implementation, and verifies them before anything is timed.</summary>
    [GlobalSetup]
    public void Setup()
    {
        NetworkSpec spec = NetworkSpec.Digits;
        (_inputs, _targets, int[] labels) = TeacherData(spec);
        float[] features = new float[SampleCount * spec.Inputs];
        float[] targets = new float[SampleCount * spec.Outputs];
        for (int i = 0; i < SampleCount; i++)
        {
            _inputs[i].CopyTo(features, i * spec.Inputs);
            _targets[i].CopyTo(targets, i * spec.Outputs);
        }

        _data = new Dataset(features, spec.Inputs, targets, spec.Outputs, labels, spec.Outputs);
        Verify(spec);

        _sgdTrainer = NewTrainer(sgd: true);
        _adamTrainer = NewTrainer(sgd: false);
        _sgdLoop = new Loop(new DigitsNet(), new Sgd(DigitsNet.ParameterCount, SgdLearningRate), 1);
        _adamLoop = new Loop(new DigitsNet(), new Adam(DigitsNet.ParameterCount, AdamLearningRate), BatchSize);
        _sgdNaive = new NaiveLoop(new NaiveNetwork(spec, new DigitsNet().Parameters), sgd: true);
        _adamNaive = new NaiveLoop(new NaiveNetwork(spec, new DigitsNet().Parameters), sgd: false);
        _backwardNet = new DigitsNet();
    }

    /// <summary>Naive backpropagation over <c>float[]</c> and plain SGD, one step per sample: the baseline.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SampleCount)]
    [BenchmarkCategory(SgdCategory)]
    public void PerSampleSgd_Naive() => _sgdNaive.Epoch(_inputs, _targets);

    /// <summary>The generated <c>Backward</c> and <see cref="Sgd"/>'s step in a hand-written loop.</summary>
    [Benchmark(OperationsPerInvoke = SampleCount)]
    [BenchmarkCategory(SgdCategory)]
    public void PerSampleSgd_NetGenLoop() => _sgdLoop.Epoch(_data);

    /// <summary><see cref="Trainer{TNet}.Fit"/> for one epoch, batch size 1, <see cref="Sgd"/>.</summary>
    [Benchmark(OperationsPerInvoke = SampleCount)]
    [BenchmarkCategory(SgdCategory)]
    public TrainingHistory PerSampleSgd_Trainer() => _sgdTrainer.Fit(_data);

    /// <summary>Naive backpropagation over <c>float[]</c> and textbook Adam, one step per 32 samples: the baseline.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SampleCount)]
    [BenchmarkCategory(AdamCategory)]
    public void MiniBatchAdam_Naive() => _adamNaive.Epoch(_inputs, _targets);

    /// <summary>The generated <c>Backward</c> and <see cref="Adam"/>'s step per 32 samples in a hand-written loop.</summary>
    [Benchmark(OperationsPerInvoke = SampleCount)]
    [BenchmarkCategory(AdamCategory)]
    public void MiniBatchAdam_NetGenLoop() => _adamLoop.Epoch(_data);

    /// <summary><see cref="Trainer{TNet}.Fit"/> for one epoch, batches of 32, <see cref="Adam"/>.</summary>
    [Benchmark(OperationsPerInvoke = SampleCount)]
    [BenchmarkCategory(AdamCategory)]
    public TrainingHistory MiniBatchAdam_Trainer() => _adamTrainer.Fit(_data);

    /// <summary>The generated <c>Backward</c> alone on every sample (gradients zeroed once per pass), no update.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SampleCount)]
    [BenchmarkCategory(BackwardCategory)]
    public float Backward_NetGen()
    {
        DigitsNet net = _backwardNet;
        float loss = 0;
        for (int i = 0; i < SampleCount; i++)
        {
            loss += net.Backward(_data.Features(i), _data.Target(i));
        }

        net.ZeroGradients();
        return loss;
    }

    private static (float[][] Inputs, float[][] Targets, int[] Labels) TeacherData(NetworkSpec spec)
    {
        var random = new NetGenRandom(20251126);
        float[] teacher = new float[spec.Outputs * spec.Inputs];
        for (int i = 0; i < teacher.Length; i++)
        {
            teacher[i] = random.NextSingle(1f);
        }

        var inputs = new float[SampleCount][];
        var targets = new float[SampleCount][];
        int[] labels = new int[SampleCount];
        float[] scores = new float[spec.Outputs];
        for (int k = 0; k < SampleCount; k++)
        {
            inputs[k] = new float[spec.Inputs];
            for (int i = 0; i < spec.Inputs; i++)
            {
                inputs[k][i] = random.NextSingle(1f);
            }

            for (int c = 0; c < spec.Outputs; c++)
            {
                scores[c] = Numerics.DenseKernels.Dot(teacher.AsSpan(c * spec.Inputs, spec.Inputs), inputs[k]);
            }

            labels[k] = OneHot.Decode(scores);
            targets[k] = new float[spec.Outputs];
            targets[k][labels[k]] = 1f;
        }

        return (inputs, targets, labels);
    }

    private static Trainer<DigitsNet> NewTrainer(bool sgd)
    {
        Optimizer optimizer = sgd ? new Sgd(DigitsNet.ParameterCount, SgdLearningRate) : new Adam(DigitsNet.ParameterCount, AdamLearningRate);
        var options = new TrainingOptions { Epochs = 1, BatchSize = sgd ? 1 : BatchSize, Seed = Seed, MeasureTrainingAccuracy = false };
        return new Trainer<DigitsNet>(new DigitsNet(), optimizer, options);
    }

    /// <summary>
    /// One epoch of each configuration from the same weights: the trainer and the hand-written loop must agree to the
    /// bit, and the naive network must stay within 1e-3 (relative to the largest weight) of NetGen's weights.
    /// </summary>
    private void Verify(NetworkSpec spec)
    {
        foreach (bool sgd in new[] { true, false })
        {
            Trainer<DigitsNet> trainer = NewTrainer(sgd);
            trainer.Fit(_data);
            var loop = new Loop(new DigitsNet(), sgd ? new Sgd(DigitsNet.ParameterCount, SgdLearningRate) : new Adam(DigitsNet.ParameterCount, AdamLearningRate), sgd ? 1 : BatchSize);
            loop.Epoch(_data);
            var naive = new NaiveLoop(new NaiveNetwork(spec, new DigitsNet().Parameters), sgd);
            naive.Epoch(_inputs, _targets);

            string name = sgd ? SgdCategory : AdamCategory;
            ReadOnlySpan<float> expected = trainer.Network.Parameters;
            if (!expected.SequenceEqual(loop.Network.Parameters))
            {
                throw new InvalidOperationException($"{name}: the trainer's weights after one epoch differ from the hand-written loop's.");
            }

            float[] naiveWeights = new float[spec.ParameterCount];
            naive.Network.CopyParametersTo(naiveWeights);
            float largest = 0, worst = 0;
            foreach (float w in expected)
            {
                largest = Math.Max(largest, Math.Abs(w));
            }

            for (int i = 0; i < naiveWeights.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(naiveWeights[i] - expected[i]) / largest);
            }

            if (!(worst <= 1e-3f))
            {
                throw new InvalidOperationException($"{name}: after one epoch the naive network's weights differ from NetGen's by {worst} of the largest weight.");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// NetGen.Benchmarks: TrainingThroughput {name} verified: trainer = hand-written loop bit for bit after one epoch of {SampleCount} samples; naive weights within {worst:0.0e0} of the largest weight"));
        }
    }

    /// <summary>
    /// A hand-written training loop over the generated network, what the trainer replaces: each mini-batch's samples
    /// copied one after another into a buffer, one <c>BackwardBatch</c>, the optimizer's step.
    /// </summary>
    private sealed class Loop(DigitsNet network, Optimizer optimizer, int batchSize)
    {
        private readonly int[] _order = CreateOrder();
        private readonly float[] _inputs = new float[batchSize * DigitsNet.InputCount];
        private readonly float[] _targets = new float[batchSize * DigitsNet.OutputCount];
        private NetGenRandom _random = new(Seed);

        public DigitsNet Network => network;

        public void Epoch(Dataset data)
        {
            Permutation.Shuffle(_order, ref _random);
            for (int start = 0; start < _order.Length; start += batchSize)
            {
                int end = Math.Min(start + batchSize, _order.Length);
                for (int i = start; i < end; i++)
                {
                    data.Features(_order[i]).CopyTo(_inputs.AsSpan((i - start) * DigitsNet.InputCount));
                    data.Target(_order[i]).CopyTo(_targets.AsSpan((i - start) * DigitsNet.OutputCount));
                }

                network.BackwardBatch(_inputs.AsSpan(0, (end - start) * DigitsNet.InputCount), _targets.AsSpan(0, (end - start) * DigitsNet.OutputCount));
                optimizer.Step(network, end - start);
            }
        }
    }

    /// <summary>The same loop over the naive network, with its textbook SGD or Adam.</summary>
    private sealed class NaiveLoop(NaiveNetwork network, bool sgd)
    {
        private readonly int[] _order = CreateOrder();
        private NetGenRandom _random = new(Seed);

        public NaiveNetwork Network => network;

        public void Epoch(float[][] inputs, float[][] targets)
        {
            Permutation.Shuffle(_order, ref _random);
            int batchSize = sgd ? 1 : BatchSize;
            for (int start = 0; start < _order.Length; start += batchSize)
            {
                int end = Math.Min(start + batchSize, _order.Length);
                for (int i = start; i < end; i++)
                {
                    network.Backward(inputs[_order[i]], targets[_order[i]]);
                }

                if (sgd)
                {
                    network.Step(SgdLearningRate);
                }
                else
                {
                    network.AdamStep(AdamLearningRate, end - start);
                }
            }
        }
    }

    private static int[] CreateOrder()
    {
        int[] order = new int[SampleCount];
        Permutation.Identity(order);
        return order;
    }
}
