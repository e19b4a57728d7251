using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks.Scaling;

/// <summary>Forward and Backward time against network size (docs/benchmarks.md, scaling study).</summary>
[MemoryDiagnoser]
[GenericTypeArguments(typeof(Scale10))]
[GenericTypeArguments(typeof(Scale64))]
[GenericTypeArguments(typeof(Scale256))]
[GenericTypeArguments(typeof(Scale1K))]
[GenericTypeArguments(typeof(Scale4K))]
[GenericTypeArguments(typeof(ScaleOdd17x257x5))]
[GenericTypeArguments(typeof(Scale16K))]
[GenericTypeArguments(typeof(Scale65K))]
[GenericTypeArguments(typeof(Scale262K))]
[GenericTypeArguments(typeof(Scale1M))]
public class ScalingBenchmarks<TNetwork>
    where TNetwork : class, INetwork, new()
{
    private readonly TNetwork _network = new();
    private float[] _input = [];
    private float[] _output = [];
    private float[] _target = [];

    /// <summary>Inputs in [-1, 1) and targets in [0, 1), from a fixed seed.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Initialization.NetGenRandom(7);
        _input = new float[TNetwork.InputCount];
        _output = new float[TNetwork.OutputCount];
        _target = new float[TNetwork.OutputCount];
        for (int i = 0; i < _input.Length; i++)
        {
            _input[i] = random.NextSingle(1f);
        }

        for (int i = 0; i < _target.Length; i++)
        {
            _target[i] = random.NextSingle();
        }
    }

    /// <summary>One forward pass.</summary>
    [Benchmark]
    public void Forward() => _network.Forward(_input, _output);

    /// <summary>One forward and backward pass (gradients accumulate; zeroing them is not part of the measurement).</summary>
    [Benchmark]
    public float Backward() => _network.Backward(_input, _target);
}
