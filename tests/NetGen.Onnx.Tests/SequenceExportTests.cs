using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;

namespace NetGen.Onnx.Tests;

/// <summary>
/// Exports the sequence networks of SequenceExportNetworks.cs, runs each model in ONNX Runtime on batches of sequences
/// of several lengths (and on single sequences) and compares with the generated <c>Forward</c>.
/// </summary>
public sealed class SequenceExportTests
{
    /// <summary>
    /// Relative tolerance (absolute below 1), as for dense networks. The two sides compute the same float32 formulas in
    /// another order and with other sigmoid/tanh approximations (ONNX Runtime's MLAS kernels against .NET's MathF); a
    /// rounding difference of a few ulps in a gate passes on to later steps, damped by the gates (their derivatives are
    /// below 1), so differences stay near float32 rounding: at most 1.2e-7 measured on these networks, 17 steps with
    /// weights in ±0.6. 1e-5 leaves room for other CPUs' kernels and is still far below what a wrong gate order, bias
    /// half or GRU variant gives (0.01 to 1: see docs/onnx.md).
    /// </summary>
    private const float Tolerance = 1e-5f;

    private static readonly int[] Lengths = [1, 2, 5, 17];

    private static readonly Dictionary<string, Func<float>> Networks = new()
    {
        [nameof(OnnxGruNet)] = Compare<OnnxGruNet>,
        [nameof(OnnxLstmNet)] = Compare<OnnxLstmNet>,
        [nameof(OnnxRnnTanhNet)] = Compare<OnnxRnnTanhNet>,
        [nameof(OnnxRnnReluNet)] = Compare<OnnxRnnReluNet>,
        [nameof(OnnxStackedNet)] = Compare<OnnxStackedNet>,
        [nameof(OnnxLstmLstmGruNet)] = Compare<OnnxLstmLstmGruNet>,
        [nameof(OnnxWideSequenceNet)] = Compare<OnnxWideSequenceNet>,
        [nameof(OnnxGruGruRnnLstmNet)] = Compare<OnnxGruGruRnnLstmNet>,
    };

    public static TheoryData<string> NetworkNames => new(Networks.Keys);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void OnnxRuntimeComputesWhatForwardComputesForEverySequenceLength(string network)
    {
        float largest = Networks[network]();
        Console.WriteLine($"{network}: largest |NetGen - ONNX Runtime| = {largest:G3}");
    }

    [Fact]
    public void TheTestNetworksCoverEveryKindLossAndStackingOrder()
    {
        var architectures = new[]
        {
            OnnxGruNet.Architecture, OnnxLstmNet.Architecture, OnnxRnnTanhNet.Architecture, OnnxRnnReluNet.Architecture,
            OnnxStackedNet.Architecture, OnnxLstmLstmGruNet.Architecture, OnnxWideSequenceNet.Architecture, OnnxGruGruRnnLstmNet.Architecture,
        }.Select(NetworkArchitecture.Parse).ToArray();
        Assert.Equal(Networks.Count, architectures.Length);

        Assert.Equal(Enum.GetValues<Loss>().Order(), architectures.Select(a => a.Loss).Distinct().Order());
        var kinds = architectures.SelectMany(a => a.RecurrentLayers.Select(l => (l.Kind, l.Activation))).ToHashSet();
        Assert.Contains((RecurrentKind.Gru, Activation.Identity), kinds);
        Assert.Contains((RecurrentKind.Lstm, Activation.Identity), kinds);
        Assert.Contains((RecurrentKind.Rnn, Activation.Tanh), kinds);
        Assert.Contains((RecurrentKind.Rnn, Activation.ReLU), kinds);

        // Each kind directly after each kind (one network's layer feeds the next).
        var pairs = architectures.SelectMany(a => a.RecurrentLayers.Zip(a.RecurrentLayers.Skip(1), (x, y) => (x.Kind, y.Kind))).ToHashSet();
        foreach (RecurrentKind first in Enum.GetValues<RecurrentKind>())
        {
            foreach (RecurrentKind second in Enum.GetValues<RecurrentKind>())
            {
                Assert.True(pairs.Contains((first, second)), $"no {second} layer after a {first} layer");
            }
        }
    }

    [Fact]
    public void SequenceModelHasSymbolicBatchAndStepsDimensions()
    {
        using var session = new InferenceSession(OnnxExporter.ToBytes(new OnnxGruNet(seed: 3)));

        NodeMetadata input = Assert.Single(session.InputMetadata).Value;
        NodeMetadata output = Assert.Single(session.OutputMetadata).Value;
        Assert.Equal(OnnxExporter.InputName, Assert.Single(session.InputMetadata).Key);
        Assert.Equal([-1, -1, 3], input.Dimensions);
        Assert.Equal([OnnxExporter.BatchDimension, OnnxExporter.StepsDimension, ""], input.SymbolicDimensions);
        Assert.Equal([-1, 4], output.Dimensions);
        Assert.Equal(OnnxGruNet.Architecture, session.ModelMetadata.Description);
    }

    [Fact]
    public void ExportedGraphUsesOnnxRecurrentOperatorsWithPyTorchsGruVariant()
    {
        // The operators and attributes, read back from the model with the generator-independent reader of this project.
        string ops = string.Join(" ", OnnxModelText.Nodes(OnnxExporter.ToBytes(new OnnxStackedNet())).Select(n => n.OpType));
        Assert.Equal("Transpose GRU Squeeze LSTM Squeeze RNN Squeeze RNN Squeeze GRU Squeeze Gemm Tanh Gemm Softmax", ops);

        var gru = OnnxModelText.Nodes(OnnxExporter.ToBytes(new OnnxGruNet())).Single(n => n.OpType == "GRU");
        Assert.Equal(1, gru.Ints["linear_before_reset"]);
        Assert.Equal(5, gru.Ints["hidden_size"]);
        var relu = OnnxModelText.Nodes(OnnxExporter.ToBytes(new OnnxRnnReluNet())).Single(n => n.OpType == "RNN");
        Assert.Equal(["Relu"], relu.Strings["activations"]);
    }

    [Fact]
    public void RecurrentWeightsAreTheNetworksCurrentWeights()
    {
        var net = new OnnxGruNet(seed: 5);
        float[] sequence = RandomValues(new Random(3), 4 * OnnxGruNet.InputCount, 1);
        float[] before = Run(OnnxExporter.ToBytes(net), sequence, 1, 4, OnnxGruNet.InputCount, OnnxGruNet.OutputCount);
        net.Parameters[OnnxGruNet.ParameterCount - 5] += 0.5f; // a weight of the Softmax layer's last row
        float[] after = Run(OnnxExporter.ToBytes(net), sequence, 1, 4, OnnxGruNet.InputCount, OnnxGruNet.OutputCount);
        float[] expected = new float[OnnxGruNet.OutputCount];
        net.Forward(sequence, expected);
        Assert.NotEqual(before, after);
        AssertClose(expected, after, "after the change");
    }

    [Fact]
    public void RnnWithAnActivationNetGenDoesNotBuildIsRefused()
    {
        NetworkArchitecture architecture = NetworkArchitecture.Parse("2-Rnn(3,Sigmoid)-1(Identity), MeanSquaredError");
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(architecture, new float[architecture.ParameterCount]));
        Assert.Contains("Rnn layer with activation Sigmoid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArchitectureAndParametersExportWithoutAClass()
    {
        var net = new OnnxLstmNet(seed: 8);
        byte[] fromClass = OnnxExporter.ToBytes(net, new OnnxExportOptions { GraphName = "netgen" });
        byte[] fromData = OnnxExporter.ToBytes(NetworkArchitecture.Parse(OnnxLstmNet.Architecture), net.Parameters);
        Assert.Equal(fromClass, fromData);
    }

    /// <summary>Random weights, then batches of each length and single sequences; returns the largest difference.</summary>
    private static float Compare<TNet>()
        where TNet : INetwork, new()
    {
        var random = new Random(20261212);
        var net = new TNet();
        foreach (ref float p in net.Parameters)
        {
            p = (float)((random.NextDouble() * 1.2) - 0.6); // recurrent and dense biases too, not only PyTorch's ±1/√H
        }

        byte[] model = OnnxExporter.ToBytes(net);
        int n = TNet.InputCount, m = TNet.OutputCount;
        const int Rows = 3;
        float largest = 0;
        foreach (int steps in Lengths)
        {
            float[] batch = RandomValues(random, Rows * steps * n, 2);
            float[] expected = new float[Rows * m];
            for (int r = 0; r < Rows; r++)
            {
                net.Forward(batch.AsSpan(r * steps * n, steps * n), expected.AsSpan(r * m, m));
            }

            float[] actual = Run(model, batch, Rows, steps, n, m);
            largest = Math.Max(largest, AssertClose(expected, actual, $"{typeof(TNet).Name}, {steps} steps (batch)"));
            float[] single = Run(model, batch.AsSpan(0, steps * n).ToArray(), 1, steps, n, m);
            largest = Math.Max(largest, AssertClose(expected.AsSpan(0, m).ToArray(), single, $"{typeof(TNet).Name}, {steps} steps (one sequence)"));
        }

        return largest;
    }

    private static float[] RandomValues(Random random, int count, double scale)
        => Enumerable.Range(0, count).Select(_ => (float)(((random.NextDouble() * 2) - 1) * scale)).ToArray();

    internal static float[] Run(byte[] model, float[] input, int rows, int steps, int features, int outputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var runOptions = new RunOptions();
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(input, [rows, steps, features]);
        using IDisposableReadOnlyCollection<OrtValue> results =
            session.Run(runOptions, [OnnxExporter.InputName], [value], [OnnxExporter.OutputName]);
        OrtValue result = Assert.Single(results);
        Assert.Equal([rows, outputs], result.GetTensorTypeAndShape().Shape);
        return result.GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Asserts every output within the tolerance; returns the largest absolute difference.</summary>
    private static float AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float largest = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float difference = Math.Abs(expected[i] - actual[i]);
            largest = Math.Max(largest, difference);
            Assert.True(
                difference <= Tolerance * Math.Max(1f, Math.Abs(expected[i])),
                $"{what}: output {i} is {actual[i]:R} in ONNX Runtime, {expected[i]:R} in NetGen.");
        }

        return largest;
    }
}

/// <summary>
/// The exporter's graph is one the generator's reader imports: a seeded network's export is committed as
/// tests/NetGen.Generator.Tests/TestData/sequence/netgen_stacked.onnx, which NetGen.Tests compiles with
/// [OnnxNetwork] and compares, bit for bit, with the same seeded network (Interop/ImportedSequenceNetworkTests).
/// This test keeps the committed file what the exporter writes; set NETGEN_ACCEPT_EXPORT=1 to rewrite it.
/// </summary>
public sealed class CommittedExportTests
{
    [Fact]
    public void CommittedExportIsWhatTheExporterWritesForTheSeededNetwork()
    {
        byte[] model = OnnxExporter.ToBytes(new OnnxStackedNet(seed: 4), new OnnxExportOptions { ProducerVersion = "test" });
        string path = Path.Combine(SourceDirectory(), "..", "NetGen.Generator.Tests", "TestData", "sequence", "netgen_stacked.onnx");
        if (Environment.GetEnvironmentVariable("NETGEN_ACCEPT_EXPORT") == "1")
        {
            File.WriteAllBytes(path, model);
        }

        Assert.Equal(model, File.ReadAllBytes(path));
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;
}
