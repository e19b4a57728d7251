using System;
using Microsoft.ML.OnnxRuntime;
using NetGen.Onnx;

namespace NetGen.Benchmarks.Onnx;

/// <summary>
/// ONNX Runtime on the model <see cref="OnnxExporter"/> (src/NetGen.Onnx) writes for the same network, configured for the fairest
/// single-sample latency: one intra-op and one inter-op thread, sequential execution, all graph optimizations, and
/// input and output bound once through <see cref="OrtIoBinding"/> to <see cref="OrtValue"/>s over pinned managed
/// arrays, so that the timed call is <see cref="InferenceSession.RunWithBinding(RunOptions, OrtIoBinding)"/> alone.
/// </summary>
public sealed class OnnxRuntimeNetwork : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly OrtIoBinding _binding;

    /// <summary>Exports the network, creates the session and binds <see cref="Input"/> and <see cref="Output"/> (a batch of one).</summary>
    public static OnnxRuntimeNetwork Create<TNet>(TNet network)
        where TNet : INetwork => new(OnnxExporter.ToBytes(network), TNet.InputCount, TNet.OutputCount);

    /// <summary>Creates the session for <paramref name="model"/> and binds <see cref="Input"/> and <see cref="Output"/> (a batch of one).</summary>
    public OnnxRuntimeNetwork(byte[] model, int inputs, int outputs)
        : this(model, [1, inputs], OnnxExporter.InputName, [1, outputs], OnnxExporter.OutputName)
    {
    }

    /// <summary>
    /// Creates the session for <paramref name="model"/> and binds <see cref="Input"/> and <see cref="Output"/> with the
    /// given shapes and names (a sequence model's input is <c>[steps, 1, features]</c>).
    /// </summary>
    public OnnxRuntimeNetwork(byte[] model, long[] inputShape, string inputName, long[] outputShape, string outputName)
    {
        _options = CreateOptions();
        _session = new InferenceSession(model, _options);
        _runOptions = new RunOptions();
        Input = new float[checked((int)Product(inputShape))];
        Output = new float[checked((int)Product(outputShape))];
        _inputValue = OrtValue.CreateTensorValueFromMemory(Input, inputShape);
        _outputValue = OrtValue.CreateTensorValueFromMemory(Output, outputShape);
        _binding = _session.CreateIoBinding();
        _binding.BindInput(inputName, _inputValue);
        _binding.BindOutput(outputName, _outputValue);
    }

    /// <summary>The bound input: write the sample here before <see cref="Run"/>.</summary>
    public float[] Input { get; }

    /// <summary>The bound output: <see cref="Run"/> writes the network's outputs here.</summary>
    public float[] Output { get; }

    /// <summary>Runs the session on <see cref="Input"/> into <see cref="Output"/>.</summary>
    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    /// <summary>Copies <paramref name="input"/> into the bound input, runs, and copies the bound output out.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        input.CopyTo(Input);
        Run();
        Output.CopyTo(output);
    }

    /// <summary>The session options of every ONNX Runtime benchmark: one intra-op and one inter-op thread, sequential, all optimizations.</summary>
    internal static SessionOptions CreateOptions() => new()
    {
        IntraOpNumThreads = 1,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    private static long Product(long[] shape)
    {
        long product = 1;
        foreach (long length in shape)
        {
            product *= length;
        }

        return product;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _binding.Dispose();
        _inputValue.Dispose();
        _outputValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
