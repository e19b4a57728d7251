using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NetGen.Benchmarks.Networks;
using NetGen.Benchmarks.Onnx;
using NetGen.Benchmarks.Reference;
using NetGen.Training;

namespace NetGen.Benchmarks.Suite;

/// <summary>
/// One sequence network's benchmarks (issue 12): <c>Forward_*</c> (one sequence of <see cref="RecurrentSpec.Steps"/>
/// steps through NetGen, the naive baseline and ONNX Runtime) and <c>Train_*</c> (one SGD step on one sequence: forward,
/// loss, backpropagation through time, update, for NetGen and the naive baseline). All implementations hold the same
/// weights, and <see cref="Setup"/> refuses to time anything until their outputs, loss, gradients and updated weights
/// agree with NetGen's. PyTorch is timed on the same weights and sequences by <c>tools/pytorch/recurrent_benchmark.py</c>.
/// </summary>
/// <typeparam name="TNet">The generated network class.</typeparam>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public abstract class RecurrentBenchmarks<TNet>
    where TNet : class, INetwork, new()
{
    /// <summary>Category of the forward benchmarks (one whole sequence).</summary>
    public const string ForwardCategory = "Forward";

    /// <summary>Category of the training-step benchmarks.</summary>
    public const string TrainCategory = "Train";

    /// <summary>The SGD learning rate of the training step.</summary>
    protected const float LearningRate = 0.01f;

    /// <summary>The training step cycles through this many sequences (a power of two).</summary>
    public const int TrainingSampleCount = 8;

    /// <summary>The seed of the benchmark's sequences and targets (<see cref="RecurrentData"/>).</summary>
    public const int DataSeed = 20261212;

    private NaiveRecurrentNetwork _naive = null!;
    private OnnxRuntimeNetwork _onnxRuntime = null!;
    private int _sample;

    /// <summary>The generated network, with weights from its default seed.</summary>
    protected TNet Net { get; private set; } = null!;

    /// <summary>The sequence every <c>Forward_*</c> benchmark runs.</summary>
    protected float[] Sequence { get; private set; } = [];

    /// <summary>Receives the <c>Forward_*</c> benchmarks' outputs.</summary>
    protected float[] Output { get; private set; } = [];

    /// <summary>The training sequences.</summary>
    protected float[][] TrainingSequences { get; private set; } = [];

    /// <summary>The training targets.</summary>
    protected float[][] TrainingTargets { get; private set; } = [];

    /// <summary>The network's architecture, which must match <typeparamref name="TNet"/>'s attributes.</summary>
    protected abstract RecurrentSpec Spec { get; }

    /// <summary>Builds every implementation from the generated network's weights and checks them against it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        RecurrentSpec spec = Spec;
        if (TNet.InputCount != spec.Inputs || TNet.OutputCount != spec.Outputs || TNet.ParameterCount != spec.ParameterCount)
        {
            throw new InvalidOperationException(
                $"{typeof(TNet).Name} ({TNet.InputCount} inputs, {TNet.OutputCount} outputs, {TNet.ParameterCount} parameters) " +
                $"does not match the spec {spec} ({spec.Inputs}, {spec.Outputs}, {spec.ParameterCount}).");
        }

        Net = new TNet();
        _naive = new NaiveRecurrentNetwork(spec, Net.Parameters);
        _onnxRuntime = CreateOnnxRuntime(spec);

        RecurrentData data = RecurrentData.Create(spec, TrainingSampleCount, DataSeed);
        Sequence = data.Sequence;
        TrainingSequences = data.TrainingSequences;
        TrainingTargets = data.TrainingTargets;
        Output = new float[spec.Outputs];
        Sequence.CopyTo(_onnxRuntime.Input);

        Verification.CheckRecurrent(spec, Net, _naive, _onnxRuntime, [Sequence, .. TrainingSequences], TrainingSequences[0], TrainingTargets[0], LearningRate);
        _sample = 0;
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    [GlobalCleanup]
    public void Cleanup() => _onnxRuntime?.Dispose();

    /// <summary>Naive loops over <c>float[]</c> from PyTorch's equations: the baseline.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_Naive() => _naive.Forward(Sequence, Output);

    /// <summary>ONNX Runtime, single thread, input and output pre-bound: only <c>RunWithBinding</c> is timed.</summary>
    [Benchmark]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_OnnxRuntime() => _onnxRuntime.Run();

    /// <summary>Naive forward, loss, backpropagation through time and SGD over <c>float[]</c>: the baseline.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(TrainCategory)]
    public float Train_Naive()
    {
        int k = NextSample();
        float loss = _naive.Backward(TrainingSequences[k], TrainingTargets[k]);
        _naive.Step(LearningRate);
        return loss;
    }

    /// <summary>The index of the next training sample.</summary>
    protected int NextSample() => _sample = (_sample + 1) & (TrainingSampleCount - 1);

    /// <summary>
    /// ONNX Runtime on the model <c>tools/pytorch/recurrent_benchmark.py</c> exported from PyTorch with NetGen's weights
    /// (embedded in this assembly: <c>Onnx/models/NAME.onnx</c>), input bound as <c>[steps, 1, features]</c>.
    /// </summary>
    internal static OnnxRuntimeNetwork CreateOnnxRuntime(RecurrentSpec spec)
    {
        string resource = $"NetGen.Benchmarks.Onnx.models.{spec.Name}.onnx";
        using Stream stream = typeof(RecurrentBenchmarks<TNet>).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The ONNX model {resource} is not embedded; run tools/pytorch/recurrent_benchmark.py (see docs/benchmarks.md).");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new OnnxRuntimeNetwork(buffer.ToArray(), [spec.Steps, 1, spec.Inputs], "input", [1, spec.Outputs], "output");
    }
}

/// <summary>The benchmark's sequences and targets: fixed pseudo-random values (timing does not depend on them).</summary>
/// <param name="Sequence">The sequence of the forward benchmarks.</param>
/// <param name="TrainingSequences">The training step's sequences.</param>
/// <param name="TrainingTargets">Their targets: one-hot for cross-entropy, uniform in [-1, 1) otherwise.</param>
public sealed record RecurrentData(float[] Sequence, float[][] TrainingSequences, float[][] TrainingTargets)
{
    /// <summary>Draws the data for <paramref name="spec"/>: sequences of <see cref="RecurrentSpec.Steps"/> steps, values uniform in [-1, 1).</summary>
    public static RecurrentData Create(RecurrentSpec spec, int count, int seed)
    {
        var random = new Random(seed);
        float[] Uniform(int length)
        {
            var values = new float[length];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (2f * random.NextSingle()) - 1f;
            }

            return values;
        }

        var sequences = new float[count][];
        var targets = new float[count][];
        for (int k = 0; k < count; k++)
        {
            sequences[k] = Uniform(spec.Steps * spec.Inputs);
            if (spec.Loss == Loss.CrossEntropy)
            {
                targets[k] = new float[spec.Outputs];
                targets[k][random.Next(spec.Outputs)] = 1f;
            }
            else
            {
                targets[k] = Uniform(spec.Outputs);
            }
        }

        return new RecurrentData(Uniform(spec.Steps * spec.Inputs), sequences, targets);
    }
}

/// <summary>GRU(32) over 50 steps of 6 features, Dense(4, Softmax), cross-entropy.</summary>
[BenchmarkCategory("gru32")]
public class Gru32 : RecurrentBenchmarks<Gru32Net>
{
    /// <inheritdoc/>
    protected override RecurrentSpec Spec => RecurrentSpec.Gru32;

    /// <summary>The generated <c>Forward</c> on the whole sequence.</summary>
    [Benchmark]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_NetGen() => Net.Forward(Sequence, Output);

    /// <summary>The generated <c>Backward</c> (backpropagation through time) and <see cref="Sgd.Step{TNetwork}"/>.</summary>
    [Benchmark]
    [BenchmarkCategory(TrainCategory)]
    public float Train_NetGen()
    {
        int k = NextSample();
        float loss = Net.Backward(TrainingSequences[k], TrainingTargets[k]);
        Sgd.Step(Net, LearningRate);
        return loss;
    }
}

/// <summary>LSTM(64) over 100 steps of 13 features, Dense(1), mean squared error.</summary>
[BenchmarkCategory("lstm64")]
public class Lstm64 : RecurrentBenchmarks<Lstm64Net>
{
    /// <inheritdoc/>
    protected override RecurrentSpec Spec => RecurrentSpec.Lstm64;

    /// <summary>The generated <c>Forward</c> on the whole sequence.</summary>
    [Benchmark]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_NetGen() => Net.Forward(Sequence, Output);

    /// <summary>The generated <c>Backward</c> (backpropagation through time) and <see cref="Sgd.Step{TNetwork}"/>.</summary>
    [Benchmark]
    [BenchmarkCategory(TrainCategory)]
    public float Train_NetGen()
    {
        int k = NextSample();
        float loss = Net.Backward(TrainingSequences[k], TrainingTargets[k]);
        Sgd.Step(Net, LearningRate);
        return loss;
    }
}
