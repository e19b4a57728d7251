using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NetGen.Benchmarks.Networks;
using NetGen.Benchmarks.Onnx;
using NetGen.Benchmarks.Reference;
using NetGen.Training;

namespace NetGen.Benchmarks.Suite;

/// <summary>
/// The samples of the batch benchmarks (issue 13): <see cref="Samples"/> random inputs in [-1, 1) with random one-hot
/// targets (<see cref="BenchmarkData.TrainingSamples"/>), each stored one after another as the batch methods read them.
/// </summary>
/// <param name="Inputs"><see cref="Samples"/> × inputs values.</param>
/// <param name="Targets"><see cref="Samples"/> × outputs values.</param>
public sealed record BatchData(float[] Inputs, float[] Targets)
{
    /// <summary>The samples every invocation runs (in batches of <c>N</c> or <c>B</c>): the largest batch size.</summary>
    public const int Samples = 256;

    /// <summary>The seed of the samples.</summary>
    public const int Seed = 20261213;

    /// <summary>Draws the samples for <paramref name="spec"/>.</summary>
    public static BatchData Create(NetworkSpec spec)
    {
        (float[][] inputs, float[][] targets) = BenchmarkData.TrainingSamples(spec, Samples, new Random(Seed));
        var flatInputs = new float[Samples * spec.Inputs];
        var flatTargets = new float[Samples * spec.Outputs];
        for (int s = 0; s < Samples; s++)
        {
            inputs[s].CopyTo(flatInputs, s * spec.Inputs);
            targets[s].CopyTo(flatTargets, s * spec.Outputs);
        }

        return new BatchData(flatInputs, flatTargets);
    }
}

/// <summary>
/// One network's batched forward passes (issue 13, design §1c): <see cref="BatchData.Samples"/> samples per invocation,
/// run in batches of <see cref="N"/> by NetGen's <c>ForwardBatch</c>, the naive batched loops
/// (<see cref="NaiveNetwork.ForwardBatch"/>), TensorPrimitives in blocks of 8 samples
/// (<see cref="TensorPrimitivesNetwork.ForwardBatch"/>) and ONNX Runtime (<see cref="OnnxRuntimeBatches"/>: one
/// pre-bound <c>RunWithBinding</c> per batch), against NetGen's per-sample <c>Forward</c> over the same samples
/// (<c>Forward_NetGenLoop</c>, the baseline: what a caller does without the batch API, and what a batch of 1 must not be
/// slower than). <see cref="Setup"/> checks every implementation against NetGen's <c>Forward</c> on every sample first
/// (once per process for each network and <see cref="N"/>: the setups of its five benchmarks build the same objects).
/// </summary>
/// <remarks>
/// Every invocation does the same work, <see cref="BatchData.Samples"/> distinct samples (256 / <see cref="N"/>
/// batches), so <c>OperationsPerInvoke</c> is one constant for all <see cref="N"/> and BenchmarkDotNet's Mean, Median and
/// Allocated are <b>per sample</b>. The methods that call the generated class live in the derived classes, where the
/// network has its exact (sealed) type (see <see cref="NetworkBenchmarks{TNet}"/>).
/// </remarks>
/// <typeparam name="TNet">The generated network class.</typeparam>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
public abstract class BatchForwardBenchmarks<TNet>
    where TNet : class, INetwork, new()
{
    /// <summary>Category of every batch benchmark.</summary>
    public const string BatchCategory = "Batch";

    /// <summary>Category of the batched forward benchmarks.</summary>
    public const string ForwardCategory = "Forward";

    /// <summary>The samples of one invocation: every benchmark's <c>OperationsPerInvoke</c>.</summary>
    public const int SamplesPerInvoke = BatchData.Samples;

    private NaiveNetwork _naive = null!;
    private TensorPrimitivesNetwork _tensorPrimitives = null!;
    private OnnxRuntimeBatches _onnxRuntime = null!;

    /// <summary>The batch size: samples per <c>ForwardBatch</c> (or <c>RunWithBinding</c>) call.</summary>
    [Params(1, 8, 32, 256)]
    public int N { get; set; }

    /// <summary>The generated network, with weights from its default seed.</summary>
    protected TNet Net { get; private set; } = null!;

    /// <summary>The <see cref="BatchData.Samples"/> inputs, one after another.</summary>
    protected float[] Inputs { get; private set; } = [];

    /// <summary>Receives every sample's outputs.</summary>
    protected float[] Outputs { get; private set; } = [];

    /// <summary>The network's architecture, which must match <typeparamref name="TNet"/>'s attributes.</summary>
    protected abstract NetworkSpec Spec { get; }

    /// <summary>Builds every implementation from the generated network's weights and checks them against it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        NetworkSpec spec = Spec;
        Verification.CheckSizes<TNet>(spec);
        Net = new TNet();
        Inputs = BatchData.Create(spec).Inputs;
        Outputs = new float[SamplesPerInvoke * spec.Outputs];
        _naive = new NaiveNetwork(spec, Net.Parameters);
        _tensorPrimitives = new TensorPrimitivesNetwork(spec, Net.Parameters);
        _naive.ReserveBatch(N);
        _tensorPrimitives.ReserveBatch(N);
        _onnxRuntime = OnnxRuntimeBatches.Create(Net, SamplesPerInvoke, N);
        Inputs.CopyTo(_onnxRuntime.Inputs);
        if (Verification.FirstInProcess(typeof(TNet), N))
        {
            Verification.CheckBatchForward(spec, Net, N, Inputs, Implementations(spec, Net, N, _naive, _tensorPrimitives, _onnxRuntime));
        }
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    [GlobalCleanup]
    public void Cleanup() => _onnxRuntime?.Dispose();

    /// <summary>The naive batched loops over <c>float[]</c> (<see cref="NaiveNetwork.ForwardBatch"/>).</summary>
    [Benchmark(OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_Naive()
    {
        int inputs = TNet.InputCount, outputs = TNet.OutputCount, n = N;
        for (int s = 0; s < SamplesPerInvoke; s += n)
        {
            _naive.ForwardBatch(Inputs.AsSpan(s * inputs, n * inputs), Outputs.AsSpan(s * outputs, n * outputs));
        }
    }

    /// <summary>TensorPrimitives.Dot per unit and sample, in blocks of 8 samples (<see cref="TensorPrimitivesNetwork.ForwardBatch"/>).</summary>
    [Benchmark(OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_TensorPrimitives()
    {
        int inputs = TNet.InputCount, outputs = TNet.OutputCount, n = N;
        for (int s = 0; s < SamplesPerInvoke; s += n)
        {
            _tensorPrimitives.ForwardBatch(Inputs.AsSpan(s * inputs, n * inputs), Outputs.AsSpan(s * outputs, n * outputs));
        }
    }

    /// <summary>ONNX Runtime, single thread, one pre-bound <c>RunWithBinding</c> per batch of <see cref="N"/>.</summary>
    [Benchmark(OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_OnnxRuntime() => _onnxRuntime.Run();

    /// <summary>
    /// The implementations that <see cref="Verification.CheckBatchForward"/> holds to NetGen's per-sample <c>Forward</c>,
    /// each running all the samples in batches of <paramref name="n"/>.
    /// </summary>
    private static (string Name, Verification.BatchPass Run)[] Implementations(
        NetworkSpec spec, TNet net, int n, NaiveNetwork naive, TensorPrimitivesNetwork tensorPrimitives, OnnxRuntimeBatches onnxRuntime)
    {
        Verification.BatchPass InBatches(SpanPass pass) => (x, y) =>
        {
            for (int s = 0; s < x.Length / spec.Inputs; s += n)
            {
                pass(x.AsSpan(s * spec.Inputs, n * spec.Inputs), y.AsSpan(s * spec.Outputs, n * spec.Outputs));
            }
        };

        return
        [
            ("NetGen ForwardBatch", InBatches(net.ForwardBatch)),
            ("naive", InBatches(naive.ForwardBatch)),
            ("TensorPrimitives", InBatches(tensorPrimitives.ForwardBatch)),
            ("ONNX Runtime", (x, y) =>
            {
                x.CopyTo(onnxRuntime.Inputs, 0);
                onnxRuntime.Run();
                onnxRuntime.Outputs.CopyTo(y, 0);
            }),
        ];
    }

    private delegate void SpanPass(ReadOnlySpan<float> inputs, Span<float> outputs);
}

/// <summary>
/// One network's batched training steps (issue 13): <see cref="BatchData.Samples"/> samples per invocation, in
/// <c>256 / B</c> SGD steps on batches of <see cref="B"/> (learning rate 0.01 on the mean gradient,
/// <c>Sgd.Step(net, 0.01f, B)</c>): NetGen's <c>BackwardBatch</c>, the naive batched backpropagation
/// (<see cref="NaiveNetwork.BackwardBatch"/>), and NetGen's per-sample <c>Backward</c> loop (the baseline).
/// <see cref="Setup"/> checks the losses, gradients and updated weights against <c>B</c> calls of NetGen's
/// <c>Backward</c> first (once per process for each network and <see cref="B"/>). Times are per sample (<c>OperationsPerInvoke = 256</c>), as in
/// <see cref="BatchForwardBenchmarks{TNet}"/>; a step's time is <c>B</c> × that.
/// </summary>
/// <typeparam name="TNet">The generated network class.</typeparam>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
public abstract class BatchTrainBenchmarks<TNet>
    where TNet : class, INetwork, new()
{
    /// <summary>Category of the batched training benchmarks.</summary>
    public const string TrainCategory = "Train";

    /// <summary>The samples of one invocation: every benchmark's <c>OperationsPerInvoke</c>.</summary>
    public const int SamplesPerInvoke = BatchData.Samples;

    /// <summary>The SGD learning rate (on the batch's mean gradient).</summary>
    protected const float LearningRate = 0.01f;

    private NaiveNetwork _naive = null!;

    /// <summary>The batch size of one SGD step.</summary>
    [Params(32, 256)]
    public int B { get; set; }

    /// <summary>The generated network, with weights from its default seed.</summary>
    protected TNet Net { get; private set; } = null!;

    /// <summary>The <see cref="BatchData.Samples"/> inputs, one after another.</summary>
    protected float[] Inputs { get; private set; } = [];

    /// <summary>Their targets.</summary>
    protected float[] Targets { get; private set; } = [];

    /// <summary>The network's architecture, which must match <typeparamref name="TNet"/>'s attributes.</summary>
    protected abstract NetworkSpec Spec { get; }

    /// <summary>Builds the naive network from the generated network's weights and checks both against NetGen's <c>Backward</c>.</summary>
    [GlobalSetup]
    public void Setup()
    {
        NetworkSpec spec = Spec;
        Verification.CheckSizes<TNet>(spec);
        Net = new TNet();
        (Inputs, Targets) = BatchData.Create(spec);
        _naive = new NaiveNetwork(spec, Net.Parameters);
        _naive.ReserveBatch(B);
        if (Verification.FirstInProcess(typeof(BatchTrainBenchmarks<TNet>), B))
        {
            Verification.CheckBatchTraining(spec, Net, _naive, B, Inputs, Targets, LearningRate);
        }
    }

    /// <summary>The naive batched forward, loss, backpropagation and SGD over <c>float[]</c>.</summary>
    [Benchmark(OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(TrainCategory)]
    public float Train_Naive()
    {
        int inputs = TNet.InputCount, outputs = TNet.OutputCount, b = B;
        float loss = 0f;
        for (int s = 0; s < SamplesPerInvoke; s += b)
        {
            loss += _naive.BackwardBatch(Inputs.AsSpan(s * inputs, b * inputs), Targets.AsSpan(s * outputs, b * outputs));
            _naive.Step(LearningRate, b);
        }

        return loss;
    }
}
