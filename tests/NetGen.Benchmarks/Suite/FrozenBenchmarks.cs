using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NetGen.Benchmarks.Networks;

namespace NetGen.Benchmarks.Suite;

/// <summary>
/// Frozen networks against trainable ones on the same weights: the static <c>Forward</c> and <c>Predict</c> of a frozen
/// network (weights compiled into the assembly as read-only data) against the instance methods of the trainable type
/// (weights in the object), for mnist_mlp (784-128-10, 101,770 parameters) and relu_sigmoid (4-8-3, 67 parameters), both
/// PyTorch exports (<see cref="Networks.FrozenMnistMlp"/> and the rest in Networks/FrozenNetworks.cs). The trainable
/// type is the baseline of each category. <see cref="Setup"/> refuses to time anything unless both have the same
/// weights and compute the same bits.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class FrozenBenchmarks
{
    private const string ForwardCategory = NetworkBenchmarks<MnistNet>.ForwardCategory;
    private const string PredictCategory = "Predict";
    private const string Mnist = "mnist_mlp";
    private const string Small = "relu_sigmoid";

    private TrainableMnistMlp _mnist = null!;
    private TrainableReluSigmoid _small = null!;
    private float[] _mnistInput = [];
    private float[] _mnistOutput = [];
    private float[] _smallInput = [];
    private float[] _smallOutput = [];

    /// <summary>Creates the trainable networks and the inputs, and checks frozen against trainable.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _mnist = new TrainableMnistMlp();
        _small = new TrainableReluSigmoid();
        var random = new Random(20251126);
        _mnistInput = Verification.RandomInput(random, FrozenMnistMlp.InputCount);
        _mnistOutput = new float[FrozenMnistMlp.OutputCount];
        _smallInput = Verification.RandomInput(random, FrozenReluSigmoid.InputCount);
        _smallOutput = new float[FrozenReluSigmoid.OutputCount];

        Verification.CheckFrozen(
            Mnist,
            (FrozenMnistMlp.InputCount, FrozenMnistMlp.OutputCount, FrozenMnistMlp.ParameterCount),
            (TrainableMnistMlp.InputCount, TrainableMnistMlp.OutputCount, TrainableMnistMlp.ParameterCount),
            FrozenMnistMlp.Parameters,
            _mnist.Parameters,
            FrozenMnistMlp.Forward,
            _mnist.Forward,
            FrozenMnistMlp.Predict,
            _mnist.Predict,
            _mnistInput,
            random);
        Verification.CheckFrozen(
            Small,
            (FrozenReluSigmoid.InputCount, FrozenReluSigmoid.OutputCount, FrozenReluSigmoid.ParameterCount),
            (TrainableReluSigmoid.InputCount, TrainableReluSigmoid.OutputCount, TrainableReluSigmoid.ParameterCount),
            FrozenReluSigmoid.Parameters,
            _small.Parameters,
            FrozenReluSigmoid.Forward,
            _small.Forward,
            FrozenReluSigmoid.Predict,
            _small.Predict,
            _smallInput,
            random);
    }

    /// <summary>The trainable type's <c>Forward</c>, on its exact (sealed) type: the baseline.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(ForwardCategory, Mnist)]
    public void Mnist_Forward_Trainable() => _mnist.Forward(_mnistInput, _mnistOutput);

    /// <summary>The frozen network's static <c>Forward</c> over compiled-in weights.</summary>
    [Benchmark]
    [BenchmarkCategory(ForwardCategory, Mnist)]
    public void Mnist_Forward_Frozen() => FrozenMnistMlp.Forward(_mnistInput, _mnistOutput);

    /// <summary>The trainable type's <c>Predict</c>: the baseline.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(PredictCategory, Mnist)]
    public int Mnist_Predict_Trainable() => _mnist.Predict(_mnistInput);

    /// <summary>The frozen network's static <c>Predict</c>.</summary>
    [Benchmark]
    [BenchmarkCategory(PredictCategory, Mnist)]
    public int Mnist_Predict_Frozen() => FrozenMnistMlp.Predict(_mnistInput);

    /// <summary>The trainable type's <c>Forward</c>: the baseline.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(ForwardCategory, Small)]
    public void Small_Forward_Trainable() => _small.Forward(_smallInput, _smallOutput);

    /// <summary>The frozen network's static <c>Forward</c>.</summary>
    [Benchmark]
    [BenchmarkCategory(ForwardCategory, Small)]
    public void Small_Forward_Frozen() => FrozenReluSigmoid.Forward(_smallInput, _smallOutput);

    /// <summary>The trainable type's <c>Predict</c>: the baseline.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(PredictCategory, Small)]
    public int Small_Predict_Trainable() => _small.Predict(_smallInput);

    /// <summary>The frozen network's static <c>Predict</c>.</summary>
    [Benchmark]
    [BenchmarkCategory(PredictCategory, Small)]
    public int Small_Predict_Frozen() => FrozenReluSigmoid.Predict(_smallInput);
}
