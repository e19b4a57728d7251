using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;

namespace NetGen.Onnx.Tests;

/// <summary>
/// Exports every network of ExportNetworks.cs, runs the model in ONNX Runtime (one row at a time and as a batch) and
/// compares with the generated <c>Forward</c>.
/// </summary>
public sealed class OnnxExportTests
{
    private const float Tolerance = 1e-5f;

    /// <summary>Every test network, for the theories: (name, export-and-compare, parser round trip).</summary>
    public static TheoryData<string> NetworkNames => new(Networks.Keys);

    private static readonly Dictionary<string, (Action Compare, Func<string> Architecture, Action RoundTrip)> Networks = new()
    {
        [nameof(OnnxStepNet)] = Entry<OnnxStepNet>(),
        [nameof(OnnxIdentityNet)] = Entry<OnnxIdentityNet>(),
        [nameof(OnnxTanhSigmoidNet)] = Entry<OnnxTanhSigmoidNet>(),
        [nameof(OnnxReluSoftmaxNet)] = Entry<OnnxReluSoftmaxNet>(),
        [nameof(OnnxLeakyNet)] = Entry<OnnxLeakyNet>(),
        [nameof(OnnxStepHiddenNet)] = Entry<OnnxStepHiddenNet>(),
        [nameof(OnnxWideNet)] = Entry<OnnxWideNet>(),
        [nameof(OnnxEveryActivationNet)] = Entry<OnnxEveryActivationNet>(),
    };

    [Fact]
    public void TheTestNetworksCoverEveryActivation()
    {
        var used = new HashSet<Activation>();
        foreach ((_, Func<string> architecture, _) in Networks.Values)
        {
            used.UnionWith(NetworkArchitecture.Parse(architecture()).Layers.Select(layer => layer.Activation));
        }

        Assert.Equal(Enum.GetValues<Activation>().Order(), used.Order());
    }

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void OnnxRuntimeComputesWhatForwardComputes(string network) => Networks[network].Compare();

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void ParserRoundTripsTheArchitecture(string network) => Networks[network].RoundTrip();

    [Fact]
    public void ModelHasSymbolicBatchDimensionNamesAndMetadata()
    {
        var net = new OnnxReluSoftmaxNet(seed: 3);
        using var session = new InferenceSession(OnnxExporter.ToBytes(net));

        NodeMetadata input = Assert.Single(session.InputMetadata, pair => pair.Key == OnnxExporter.InputName).Value;
        NodeMetadata output = Assert.Single(session.OutputMetadata, pair => pair.Key == OnnxExporter.OutputName).Value;
        Assert.Equal(typeof(float), input.ElementType);
        Assert.Equal([-1, 4], input.Dimensions);
        Assert.Equal(OnnxExporter.BatchDimension, input.SymbolicDimensions[0]);
        Assert.Equal([-1, 3], output.Dimensions);
        Assert.Equal(OnnxExporter.BatchDimension, output.SymbolicDimensions[0]);

        ModelMetadata metadata = session.ModelMetadata;
        Assert.Equal("NetGen", metadata.ProducerName);
        Assert.Equal(nameof(OnnxReluSoftmaxNet), metadata.GraphName);
        Assert.Equal(OnnxReluSoftmaxNet.Architecture, metadata.Description);
    }

    [Fact]
    public void OptionsSetTheMetadata()
    {
        var options = new OnnxExportOptions { GraphName = "iris", ProducerName = "me", ProducerVersion = "9.9", DocString = "flowers" };
        using var session = new InferenceSession(OnnxExporter.ToBytes(new OnnxReluSoftmaxNet(), options));
        Assert.Equal("iris", session.ModelMetadata.GraphName);
        Assert.Equal("me", session.ModelMetadata.ProducerName);
        Assert.Equal("flowers", session.ModelMetadata.Description);
    }

    [Fact]
    public void SaveAndSaveFileWriteTheSameBytesAsToBytes()
    {
        var net = new OnnxTanhSigmoidNet(seed: 11);
        byte[] bytes = OnnxExporter.ToBytes(net);

        using var stream = new MemoryStream();
        OnnxExporter.Save(net, stream);
        Assert.Equal(bytes, stream.ToArray());

        string path = Path.Combine(Path.GetTempPath(), $"netgen-onnx-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.SaveFile(net, path);
            Assert.Equal(bytes, File.ReadAllBytes(path));
            using var session = new InferenceSession(path);
            Assert.Equal(OnnxExporter.OutputName, Assert.Single(session.OutputMetadata).Key);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void StepIsZeroAtExactlyZeroAsInNetGen()
    {
        // All weights and biases 0: every pre-activation is exactly 0, and NetGen's Step gives 0 there (x > 0 ? 1 : 0).
        var net = new OnnxStepNet();
        net.Parameters.Clear();
        float[] input = [1f, -2f, 3f, 0f, 5f];
        float[] expected = new float[1];
        net.Forward(input, expected);
        Assert.Equal(0f, expected[0]);
        Assert.Equal([0f], Run(OnnxExporter.ToBytes(net), input, 1, 5, 1));

        // A positive bias only: exactly 1 in both.
        net.Parameters[^1] = 1e-30f;
        net.Forward(input, expected);
        Assert.Equal(1f, expected[0]);
        Assert.Equal([1f], Run(OnnxExporter.ToBytes(net), input, 1, 5, 1));
    }

    [Fact]
    public void ExportedWeightsAreTheNetworksCurrentWeights()
    {
        var net = new OnnxIdentityNet(seed: 1);
        float[] input = [1, 2, 3, 4, 5, 6];
        byte[] before = OnnxExporter.ToBytes(net);
        net.Parameters[0] += 1f; // weight from input 0 to output 0
        float[] after = Run(OnnxExporter.ToBytes(net), input, 1, 6, 3);
        float[] old = Run(before, input, 1, 6, 3);
        Assert.Equal(old[0] + 1f, after[0], 1e-5f);
        Assert.Equal(old[1], after[1]);
    }

    [Fact]
    public void ParameterBlockOfTheWrongLengthIsRejected()
    {
        NetworkArchitecture architecture = NetworkArchitecture.Parse("2-3(ReLU)-1(Sigmoid), BinaryCrossEntropy");
        Assert.Equal(13, architecture.ParameterCount);
        ArgumentException e = Assert.Throws<ArgumentException>(() => OnnxExporter.ToBytes(architecture, new float[12]));
        Assert.Equal("parameters", e.ParamName);
        Assert.Contains("Expected 13 parameters", e.Message, StringComparison.Ordinal);
        Assert.NotEmpty(OnnxExporter.ToBytes(architecture, new float[13]));
    }

    private static (Action, Func<string>, Action) Entry<TNet>()
        where TNet : INetwork, new() => (Compare<TNet>, () => TNet.Architecture, RoundTrip<TNet>);

    private static void RoundTrip<TNet>()
        where TNet : INetwork
    {
        NetworkArchitecture architecture = NetworkArchitecture.Parse(TNet.Architecture);
        Assert.Equal(TNet.Architecture, architecture.ToString());
        Assert.Equal(TNet.InputCount, architecture.Inputs);
        Assert.Equal(TNet.OutputCount, architecture.Outputs);
        Assert.Equal(TNet.ParameterCount, architecture.ParameterCount);
        Assert.Equal(TNet.LossFunction, architecture.Loss);
        Assert.Equal(architecture.ToString(), NetworkArchitecture.Of<TNet>().ToString());
        var rebuilt = new NetworkArchitecture(architecture.Inputs, architecture.Loss, [.. architecture.Layers]);
        Assert.Equal(TNet.Architecture, rebuilt.ToString());
    }

    private static void Compare<TNet>()
        where TNet : INetwork, new()
    {
        var random = new Random(20261126);
        var net = new TNet();
        // Random weights and biases (the default initialisation leaves biases at 0).
        foreach (ref float p in net.Parameters)
        {
            p = (float)((random.NextDouble() * 2) - 1);
        }

        int n = TNet.InputCount, m = TNet.OutputCount;
        byte[] model = OnnxExporter.ToBytes(net);
        const int Rows = 7;
        float[] batch = new float[Rows * n];
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = (float)((random.NextDouble() * 6) - 3);
        }

        float[] expected = new float[Rows * m];
        for (int r = 0; r < Rows; r++)
        {
            net.Forward(batch.AsSpan(r * n, n), expected.AsSpan(r * m, m));
        }

        AssertClose(expected, Run(model, batch, Rows, n, m), typeof(TNet).Name + " (batch)");
        for (int r = 0; r < 3; r++)
        {
            AssertClose(expected.AsSpan(r * m, m).ToArray(), Run(model, batch.AsSpan(r * n, n).ToArray(), 1, n, m), $"{typeof(TNet).Name} (row {r})");
        }
    }

    private static float[] Run(byte[] model, float[] input, int rows, int inputs, int outputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var runOptions = new RunOptions();
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(input, [rows, inputs]);
        using IDisposableReadOnlyCollection<OrtValue> results =
            session.Run(runOptions, [OnnxExporter.InputName], [value], [OnnxExporter.OutputName]);
        OrtValue result = Assert.Single(results);
        Assert.Equal([rows, outputs], result.GetTensorTypeAndShape().Shape);
        return result.GetTensorDataAsSpan<float>().ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float allowed = Tolerance * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= allowed,
                $"{what}: output {i} is {actual[i]:R} in ONNX Runtime, {expected[i]:R} in NetGen.");
        }
    }
}
