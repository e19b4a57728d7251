using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Serialization;

namespace NetGen.Tests.Interop;

/// <summary>
/// Sequence networks from PyTorch: [OnnxNetwork] types (frozen and trainable) and weight files written by save_ngw
/// reproduce PyTorch's recorded outputs for sequences of 1, 2, 5 and 9 steps.
/// </summary>
public sealed class ImportedSequenceNetworkTests
{
    /// <summary>
    /// Absolute, or relative above 1. PyTorch's float32 kernels and NetGen's generated code add in other orders and
    /// compute sigmoid and tanh differently; measured differences stay below 1e-6 (see docs/pytorch.md).
    /// </summary>
    private const float Tolerance = 1e-5f;

    private delegate void ForwardPass(ReadOnlySpan<float> sequence, Span<float> output);

    private static readonly string Recordings = Path.Combine(AppContext.BaseDirectory, "TestData", "pytorch-sequence");

    private static readonly Dictionary<string, ForwardPass> Frozen = new()
    {
        ["gru_out"] = FrozenGruOut.Forward,
        ["lstm_seqfirst_h"] = FrozenLstmSeqFirst.Forward,
        ["rnn_tanh_h"] = FrozenRnnTanh.Forward,
        ["rnn_relu_out"] = FrozenRnnRelu.Forward,
        ["gru_two_layers_h"] = FrozenGruTwoLayers.Forward,
        ["lstm_two_layers_nofold"] = FrozenLstmTwoLayersUnfolded.Forward,
        ["gru_lstm_modules"] = FrozenGruLstmModules.Forward,
        ["gru_slice_nofold"] = FrozenGruSliceUnfolded.Forward,
        ["rnn_relu_two_layers_slice"] = FrozenRnnReluTwoLayers.Forward,
        ["lstm_gru_modules_h_nofold"] = FrozenLstmGruGru.Forward,
    };

    public static TheoryData<string> Models => new(Frozen.Keys);

    [Theory]
    [MemberData(nameof(Models))]
    public void Frozen_network_from_the_ONNX_export_reproduces_PyTorch(string name)
    {
        float largest = AssertReproduces(name, Frozen[name]);
        Console.WriteLine($"{name}: largest |NetGen - PyTorch| = {largest:G3}");
    }

    [Fact]
    public void Trainable_networks_from_the_ONNX_export_reproduce_PyTorch_and_the_frozen_bits()
    {
        var tuned = new TunedGruLstmModules();
        AssertReproduces("gru_lstm_modules", tuned.Forward);
        Assert.True(FrozenGruLstmModules.Parameters.SequenceEqual(tuned.Parameters));
        Assert.Equal("3-Gru(5)-Lstm(4)-3(Softmax), CrossEntropy", TunedGruLstmModules.Architecture);

        var seqFirst = new TunedLstmSeqFirst();
        AssertReproduces("lstm_seqfirst_h", seqFirst.Forward);
        foreach ((int _, float[] input, float[] _) in Recorded("lstm_seqfirst_h"))
        {
            float[] frozen = new float[2], trainable = new float[2];
            FrozenLstmSeqFirst.Forward(input, frozen);
            seqFirst.Forward(input, trainable);
            Assert.Equal(frozen, trainable);
        }
    }

    [Fact]
    public void Trainable_network_from_the_ONNX_export_trains()
    {
        var net = new TunedGruLstmModules();
        (int _, float[] sequence, float[] _) = Recorded("gru_lstm_modules").Last();
        float[] target = [0, 1, 0];
        float before = net.Backward(sequence, target);
        for (int i = 0; i < 30; i++)
        {
            NetGen.Training.Sgd.Step(net, learningRate: 0.1f);
            net.Backward(sequence, target);
        }

        net.ZeroGradients();
        float after = net.Backward(sequence, target);
        Assert.True(after < before, $"loss {before} -> {after}");
        Assert.False(new TunedGruLstmModules().Parameters.SequenceEqual(net.Parameters));
    }

    [Fact]
    public void Weight_files_written_by_save_ngw_load_into_the_declared_networks_and_reproduce_PyTorch()
    {
        LoadAndCompare<TorchGruOut>("gru_out");
        LoadAndCompare<TorchLstmGruGru>("lstm_gru_modules_h_nofold");
        LoadAndCompare<TorchRnnRelu>("rnn_relu_out");
    }

    private static void LoadAndCompare<TNet>(string name)
        where TNet : INetwork, new()
    {
        string path = Path.Combine(Recordings, name + ".ngw");
        var net = new TNet();
        Assert.Null(WeightFile.LoadFile(net, path)); // no standardizer
        float largest = AssertReproduces(name, net.Forward);
        Assert.Equal(File.ReadAllBytes(path), WeightFile.Serialize(net)); // exactly what NetGen writes for these weights
        Console.WriteLine($"{name}.ngw: largest |NetGen - PyTorch| = {largest:G3}");
    }

    [Fact]
    public void Weight_file_and_ONNX_export_of_one_model_compile_into_the_same_network()
    {
        Assert.True(FrozenGruTwoLayers.Parameters.SequenceEqual(FrozenGruTwoLayersFromWeightFile.Parameters));
        Assert.Equal(FrozenGruTwoLayers.Architecture, FrozenGruTwoLayersFromWeightFile.Architecture);
        AssertReproduces("gru_two_layers_h", FrozenGruTwoLayersFromWeightFile.Forward);
    }

    [Fact]
    public void NetGens_own_ONNX_export_imports_into_the_network_it_was_written_from()
    {
        var source = new NetGenExportSource(seed: 4);
        Assert.Equal(NetGenExportSource.Architecture, FrozenNetGenExport.Architecture);
        Assert.Equal(source.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits), FrozenNetGenExport.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
        var random = new Random(5);
        float[] sequence = Enumerable.Range(0, 7 * 3).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] expected = new float[3], actual = new float[3];
        source.Forward(sequence, expected);
        FrozenNetGenExport.Forward(sequence, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Frozen_Step_streams_what_Forward_computes_on_each_prefix()
    {
        (int steps, float[] sequence, float[] _) = Recorded("gru_lstm_modules").Last();
        var state = default(FrozenGruLstmModules.State);
        float[] streamed = new float[3], whole = new float[3];
        for (int t = 0; t < steps; t++)
        {
            FrozenGruLstmModules.Step(ref state, sequence.AsSpan(t * 3, 3), streamed);
            FrozenGruLstmModules.Forward(sequence.AsSpan(0, (t + 1) * 3), whole);
            Assert.Equal(whole, streamed);
        }
    }

    /// <summary>Compares with every recorded sequence; returns the largest difference.</summary>
    private static float AssertReproduces(string name, ForwardPass forward)
    {
        float largest = 0;
        int count = 0;
        foreach ((int steps, float[] input, float[] expected) in Recorded(name))
        {
            float[] output = new float[expected.Length];
            forward(input, output);
            for (int k = 0; k < output.Length; k++)
            {
                float difference = Math.Abs(output[k] - expected[k]);
                largest = Math.Max(largest, difference);
                Assert.True(difference <= Tolerance * Math.Max(1f, Math.Abs(expected[k])),
                    $"{name}, {steps} steps, output {k}: NetGen {output[k]:R}, PyTorch {expected[k]:R}");
            }

            count++;
        }

        Assert.Equal(4, count);
        return largest;
    }

    private static IEnumerable<(int Steps, float[] Input, float[] Output)> Recorded(string name)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Recordings, name + ".json")));
        var result = new List<(int, float[], float[])>();
        foreach (JsonElement sequence in json.RootElement.GetProperty("sequences").EnumerateArray())
        {
            result.Add((sequence.GetProperty("steps").GetInt32(),
                sequence.GetProperty("input").EnumerateArray().Select(v => v.GetSingle()).ToArray(),
                sequence.GetProperty("output").EnumerateArray().Select(v => v.GetSingle()).ToArray()));
        }

        return result;
    }
}
