using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NetGen.Benchmarks.Networks;
using NetGen.Benchmarks.Onnx;
using NetGen.Benchmarks.Reference;

namespace NetGen.Benchmarks.Suite;

/// <summary>
/// One network's benchmarks: <c>Forward_*</c> (one sample through NetGen, the naive baseline, TensorPrimitives and
/// ONNX Runtime) and <c>Train_*</c> (one SGD step on one sample: forward, loss, backward, update, for NetGen and the
/// naive baseline). All implementations start from the same weights, and <see cref="Setup"/> refuses to time
/// anything until their outputs, loss, gradients and updated weights agree with NetGen's.
/// </summary>
/// <remarks>
/// The benchmarks that call the generated class live in the derived classes, where the network's field has its
/// exact (sealed) type: a call from this generic base would go through shared generic code and an interface
/// dispatch, which is not what a user's code pays.
/// </remarks>
/// <typeparam name="TNet">The generated network class.</typeparam>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public abstract class NetworkBenchmarks<TNet>
    where TNet : class, INetwork, new()
{
    /// <summary>Category of the single-sample forward benchmarks.</summary>
    public const string ForwardCategory = "Forward";

    /// <summary>Category of the training-step benchmarks.</summary>
    public const string TrainCategory = "Train";

    /// <summary>The SGD learning rate of the training step.</summary>
    protected const float LearningRate = 0.01f;

    /// <summary>
    /// The training step cycles through this many samples (a power of two) so that repeated steps keep meeting
    /// gradients of a realistic size instead of converging on one sample.
    /// </summary>
    private const int TrainingSampleCount = 8;

    private NaiveNetwork _naive = null!;
    private TensorPrimitivesNetwork _tensorPrimitives = null!;
    private OnnxRuntimeNetwork _onnxRuntime = null!;
    private int _sample;

    /// <summary>The generated network, with weights from its default seed.</summary>
    protected TNet Net { get; private set; } = null!;

    /// <summary>The sample every <c>Forward_*</c> benchmark runs.</summary>
    protected float[] Input { get; private set; } = [];

    /// <summary>Receives the <c>Forward_*</c> benchmarks' outputs.</summary>
    protected float[] Output { get; private set; } = [];

    /// <summary>The training samples' inputs.</summary>
    protected float[][] TrainingInputs { get; private set; } = [];

    /// <summary>The training samples' targets.</summary>
    protected float[][] TrainingTargets { get; private set; } = [];

    /// <summary>The network's architecture, which must match <typeparamref name="TNet"/>'s attributes.</summary>
    protected abstract NetworkSpec Spec { get; }

    /// <summary>Builds every implementation from the generated network's weights and checks them against it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        NetworkSpec spec = Spec;
        Verification.CheckSizes<TNet>(spec);

        Net = new TNet();
        _naive = new NaiveNetwork(spec, Net.Parameters);
        _tensorPrimitives = new TensorPrimitivesNetwork(spec, Net.Parameters);
        _onnxRuntime = OnnxRuntimeNetwork.Create(Net);

        var random = new Random(20251126);
        (TrainingInputs, TrainingTargets) = BenchmarkData.TrainingSamples(spec, TrainingSampleCount, random);
        Input = BenchmarkData.Input(spec, random);
        Output = new float[spec.Outputs];
        Input.CopyTo(_onnxRuntime.Input);

        Verification.Check(spec, Net, _naive, _tensorPrimitives, _onnxRuntime, [Input, .. TrainingInputs], TrainingInputs[0], TrainingTargets[0], LearningRate);
        _sample = 0;
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    [GlobalCleanup]
    public void Cleanup() => _onnxRuntime?.Dispose();

    /// <summary>Naive nested loops over <c>float[]</c>: the baseline.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_Naive() => _naive.Forward(Input, Output);

    /// <summary>TensorPrimitives.Dot per output unit plus vectorised activations.</summary>
    [Benchmark]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_TensorPrimitives() => _tensorPrimitives.Forward(Input, Output);

    /// <summary>ONNX Runtime, single thread, input and output pre-bound: only <c>RunWithBinding</c> is timed.</summary>
    [Benchmark]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_OnnxRuntime() => _onnxRuntime.Run();

    /// <summary>Naive forward, loss, hand-written backpropagation and SGD over <c>float[]</c>: the baseline.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(TrainCategory)]
    public float Train_Naive()
    {
        int k = NextSample();
        float loss = _naive.Backward(TrainingInputs[k], TrainingTargets[k]);
        _naive.Step(LearningRate);
        return loss;
    }

    /// <summary>The index of the next training sample.</summary>
    protected int NextSample() => _sample = (_sample + 1) & (TrainingSampleCount - 1);
}
