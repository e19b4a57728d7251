using System;
using Microsoft.ML.OnnxRuntime;
using NetGen.Onnx;

namespace NetGen.Benchmarks.Onnx;

/// <summary>
/// ONNX Runtime on the model <see cref="OnnxExporter"/> writes (its batch dimension is symbolic), run over
/// <see cref="Samples"/> samples in batches of <see cref="BatchSize"/>: one session with
/// <see cref="OnnxRuntimeNetwork"/>'s options, one input and one output array for all the samples, and per batch an
/// <see cref="OrtIoBinding"/> of two <see cref="OrtValue"/>s (<c>[BatchSize, inputs]</c> and <c>[BatchSize,
/// outputs]</c>) over that batch's slices of them, pinned for the values' lifetime. Everything is made once, so the
/// timed <see cref="Run"/> is one <see cref="InferenceSession.RunWithBinding(RunOptions, OrtIoBinding)"/> per batch.
/// </summary>
public sealed class OnnxRuntimeBatches : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly OrtValue[] _values;
    private readonly OrtIoBinding[] _bindings;

    /// <summary>Exports <paramref name="network"/> and binds <paramref name="samples"/> samples in batches of <paramref name="batchSize"/>.</summary>
    public static OnnxRuntimeBatches Create<TNet>(TNet network, int samples, int batchSize)
        where TNet : INetwork => new(OnnxExporter.ToBytes(network), TNet.InputCount, TNet.OutputCount, samples, batchSize);

    /// <summary>Creates the session for <paramref name="model"/> and binds every batch.</summary>
    /// <exception cref="ArgumentException"><paramref name="batchSize"/> does not divide <paramref name="samples"/>.</exception>
    public OnnxRuntimeBatches(byte[] model, int inputs, int outputs, int samples, int batchSize)
    {
        if (batchSize < 1 || samples % batchSize != 0)
        {
            throw new ArgumentException($"The batch size {batchSize} does not divide {samples} samples.", nameof(batchSize));
        }

        Samples = samples;
        BatchSize = batchSize;
        Inputs = new float[samples * inputs];
        Outputs = new float[samples * outputs];
        _options = OnnxRuntimeNetwork.CreateOptions();
        _session = new InferenceSession(model, _options);
        _runOptions = new RunOptions();
        int batches = samples / batchSize;
        _values = new OrtValue[2 * batches];
        _bindings = new OrtIoBinding[batches];
        for (int k = 0; k < batches; k++)
        {
            OrtValue input = _values[2 * k] = OrtValue.CreateTensorValueFromMemory(
                OrtMemoryInfo.DefaultInstance, new Memory<float>(Inputs, k * batchSize * inputs, batchSize * inputs), [batchSize, inputs]);
            OrtValue output = _values[(2 * k) + 1] = OrtValue.CreateTensorValueFromMemory(
                OrtMemoryInfo.DefaultInstance, new Memory<float>(Outputs, k * batchSize * outputs, batchSize * outputs), [batchSize, outputs]);
            _bindings[k] = _session.CreateIoBinding();
            _bindings[k].BindInput(OnnxExporter.InputName, input);
            _bindings[k].BindOutput(OnnxExporter.OutputName, output);
        }
    }

    /// <summary>The number of samples in <see cref="Inputs"/>.</summary>
    public int Samples { get; }

    /// <summary>The samples per <c>RunWithBinding</c>.</summary>
    public int BatchSize { get; }

    /// <summary>The bound inputs, sample after sample: write the samples here before <see cref="Run"/>.</summary>
    public float[] Inputs { get; }

    /// <summary>The bound outputs: <see cref="Run"/> writes every sample's outputs here.</summary>
    public float[] Outputs { get; }

    /// <summary>Runs the session on every batch of <see cref="Inputs"/>, in order.</summary>
    public void Run()
    {
        foreach (OrtIoBinding binding in _bindings)
        {
            _session.RunWithBinding(_runOptions, binding);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (OrtIoBinding binding in _bindings)
        {
            binding?.Dispose();
        }

        foreach (OrtValue value in _values)
        {
            value?.Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
        _options.Dispose();
    }
}
