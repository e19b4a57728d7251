// A project that uses NetGen and NetGen.Onnx through their packages only (PackageConsumerTests checks what it prints):
// it declares a dense and a sequence network, exports each with OnnxExporter, loads the file into ONNX Runtime and
// compares ONNX Runtime's outputs with the generated Forward on a batch of inputs.
using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using NetGen;
using NetGen.Onnx;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// Inputs in [-1, 1) from a fixed linear congruential sequence: the same on every run.
uint seed = 12345;
float NextInput()
{
    seed = (seed * 1664525u) + 1013904223u;
    return (seed >> 8) / (float)(1 << 24) * 2f - 1f;
}

Export(new SeedNet(seed: 7), "seednet.onnx", batch: 5, steps: null);
Export(new Gesture(seed: 3), "gesture.onnx", batch: 4, steps: 6);
return 0;

// steps: the length of each sequence for a sequence network, null for a dense one.
void Export<TNet>(TNet network, string fileName, int batch, int? steps)
    where TNet : INetwork
{
    string path = Path.Combine(Environment.CurrentDirectory, fileName);
    OnnxExporter.SaveFile(network, path);
    byte[] bytes = File.ReadAllBytes(path);
    bool sameBytes = bytes.AsSpan().SequenceEqual(OnnxExporter.ToBytes(network));

    int inputsPerSample = (steps ?? 1) * TNet.InputCount;
    float[] inputs = Enumerable.Range(0, batch * inputsPerSample).Select(_ => NextInput()).ToArray();
    float[] expected = new float[batch * TNet.OutputCount];
    for (int i = 0; i < batch; i++)
    {
        network.Forward(inputs.AsSpan(i * inputsPerSample, inputsPerSample), expected.AsSpan(i * TNet.OutputCount, TNet.OutputCount));
    }

    // Warnings off: ONNX Runtime notes that a single recurrent layer's graph has an unused initializer (the axes of the
    // Squeeze that stacked layers would need).
    using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
    using var session = new InferenceSession(path, options);
    long[] shape = steps is { } length ? [batch, length, TNet.InputCount] : [batch, TNet.InputCount];
    using var runOptions = new RunOptions();
    using OrtValue input = OrtValue.CreateTensorValueFromMemory(inputs, shape);
    using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.OutputName]);
    float[] actual = results[0].GetTensorDataAsSpan<float>().ToArray();
    string outputShape = string.Join("x", results[0].GetTensorTypeAndShape().Shape);
    double maxDifference = expected.Zip(actual, (a, b) => Math.Abs((double)a - b)).Max();

    ModelMetadata metadata = session.ModelMetadata;
    Console.WriteLine($"{fileName}: {bytes.Length} bytes, same as ToBytes: {sameBytes}, producer {metadata.ProducerName}, doc \"{metadata.Description}\"");
    Console.WriteLine($"{fileName}: ONNX Runtime output {outputShape}, {actual.Length} values, within 1e-5 of Forward: {actual.Length == expected.Length && maxDifference <= 1e-5}");
}

/// <summary>The README's network: 3 inputs, 4 sigmoid units, a softmax output of 2.</summary>
[Network(3, Loss = Loss.CrossEntropy)]
[Dense(4, Activation.Sigmoid)]
[Dense(2, Activation.Softmax)]
public partial class SeedNet { }

/// <summary>A sequence network: 2 features a step, a GRU of 5 units, a sigmoid output.</summary>
[Network(2, Loss = Loss.BinaryCrossEntropy)]
[Gru(5)]
[Dense(1, Activation.Sigmoid)]
public partial class Gesture { }
