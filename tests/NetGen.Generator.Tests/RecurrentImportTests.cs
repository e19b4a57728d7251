using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Model;
using NetGen.Generator.Onnx;
using NetGen.Generator.Tests.Infrastructure;
using NetGen.Generator.WeightFiles;
using NetGen.Onnx;
using NetGen.Shared;

namespace NetGen.Generator.Tests;

/// <summary>
/// The ONNX reader over PyTorch 1.13's exports of sequence models (tools/pytorch/export_sequence.py, in
/// TestData/sequence): layers and weights (checked by a double-precision forward pass of GRU, LSTM and RNN against
/// PyTorch's recorded outputs, and against the same model's weight file written by save_ngw), the refusals with their
/// exact messages, and hand-made graphs for what PyTorch does not write (peepholes, clip, sequence_lens, ...).
/// </summary>
public sealed class RecurrentImportTests
{
    private static readonly string Directory_ = Path.Combine(AppContext.BaseDirectory, "TestData", "sequence");

    private static byte[] File_(string name, string extension) => File.ReadAllBytes(Path.Combine(Directory_, name + extension));

    /// <summary>Model, inputs per step, layers as the architecture text writes them.</summary>
    public static TheoryData<string, int, string> Accepted => new()
    {
        { "gru_out", 3, "Gru(5)-4(Softmax)" },
        { "lstm_seqfirst_h", 4, "Lstm(6)-2(Identity)" },
        { "rnn_tanh_h", 2, "Rnn(7,Tanh)-1(Sigmoid)" },
        { "rnn_relu_out", 3, "Rnn(5,ReLU)-4(ReLU)-2(Identity)" },
        { "gru_two_layers_h", 3, "Gru(4)-Gru(4)-3(Tanh)-2(Identity)" },
        { "lstm_two_layers_nofold", 3, "Lstm(4)-Lstm(4)-3(Softmax)" },
        { "gru_lstm_modules", 3, "Gru(5)-Lstm(4)-3(Softmax)" },
        { "gru_slice_nofold", 2, "Gru(3)-2(LeakyReLU)" },
        { "rnn_relu_two_layers_slice", 3, "Rnn(4,ReLU)-Rnn(4,ReLU)-2(Identity)" },
        { "lstm_gru_modules_h_nofold", 2, "Lstm(3)-Gru(4)-Gru(4)-1(Sigmoid)" },
    };

    /// <summary>Model, the op_type of its nodes as the export's JSON records them (abridged: the recurrent operators and after), the reason.</summary>
    public static TheoryData<string, string, string> Refused => new()
    {
        // nn.GRU(bidirectional=True).
        { "unsupported_bidirectional", "GRU Transpose Constant Reshape Transpose Constant Gather Gemm",
            "node '/recurrent.0/GRU': direction 'bidirectional'; NetGen's recurrent layers read the sequence forwards only (PyTorch: bidirectional=False)" },
        // A Linear on every step of out: PyTorch writes MatMul + Add on [batch, steps, hidden].
        { "unsupported_every_step", "GRU Constant Squeeze Transpose MatMul Add",
            "node '/head/head.0/MatMul': a dense layer over every step of a sequence [batch, time, features]; NetGen's dense layers read the last step only (take out[:, -1] or h_n[-1] in PyTorch before the Linear)" },
        // out[:, 0]: the first step.
        { "unsupported_first_step", "LSTM Constant Squeeze Transpose Gather Gemm",
            "node '/Gather': Gather 0 of the time axis takes step 0 of the sequence; NetGen's dense layers read the last step only (out[:, -1] in PyTorch)" },
        // h_n[0] of a two-layer GRU: the first layer's final state.
        { "unsupported_first_layer_state", "GRU Constant Squeeze Constant Constant Constant Slice GRU Concat Gather Gemm",
            "node '/Gather': Gather 0 takes the final hidden state of recurrent layer 1 of 2; NetGen's dense layers read the last recurrent layer's (h_n[-1] in PyTorch)" },
        // c_n[-1] of an LSTM.
        { "unsupported_cell_state", "LSTM Constant Gather Gemm",
            "node '/Gather': it takes the final cell state of LSTM node '/recurrent.0/LSTM' (c_n in PyTorch); NetGen's dense layers read the last hidden state (h_n[-1] or out[:, -1])" },
        // A trained initial state, expanded to the batch.
        { "unsupported_learned_h0", "Expand Transpose GRU Constant Squeeze Transpose Constant Gather Gemm",
            "node '/gru/GRU': its initial hidden state initial_h ('/Expand_output_0') is not zero; NetGen's recurrent layers start every sequence from a zero state" },
        // nn.ReLU between the GRU and the Linear.
        { "unsupported_relu_after_gru", "GRU Constant Squeeze Transpose Constant Gather Relu Gemm",
            "node '/head/head.0/Relu': operator 'Relu' on the output of a GRU layer; NetGen's recurrent layers pass on their hidden state as it is, and an activation belongs to a dense layer (a Linear before it)" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void PyTorchExportReadsIntoTheExpectedLayers(string name, int inputs, string layers)
    {
        ImportedNetwork result = OnnxModelReader.Read(File_(name, ".onnx"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(inputs, result.Inputs);
        Assert.Equal(layers, string.Join("-", result.Layers.Select(l => l.Token)));
        Assert.Equal(result.Layers.Sum(l => l.ParameterCount), result.Parameters.Count);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void ForwardPassOverReadParametersReproducesPyTorchForEveryLength(string name, int inputs, string layers)
    {
        _ = layers;
        ImportedNetwork result = OnnxModelReader.Read(File_(name, ".onnx"));
        Assert.True(result.Succeeded, result.Error);
        int lengths = 0;
        foreach ((int steps, float[] sequence, float[] expected) in Recorded(name))
        {
            double[] output = ReferenceForward.Run(result.Layers, result.Parameters.ToArray(), sequence, inputs);
            Assert.Equal(expected.Length, output.Length);
            for (int o = 0; o < output.Length; o++)
            {
                Assert.True(Math.Abs(output[o] - expected[o]) <= 1e-5 * Math.Max(1, Math.Abs(expected[o])),
                    $"{name}, {steps} steps, output {o}: {output[o]} from the read parameters, PyTorch {expected[o]}");
            }

            lengths++;
        }

        Assert.Equal(4, lengths);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void WeightFileOfTheSameModelHoldsTheSameBits(string name, int inputs, string layers)
    {
        ImportedNetwork onnx = OnnxModelReader.Read(File_(name, ".onnx"));
        ImportedNetwork ngw = WeightFileReader.Read(File_(name, ".ngw"));

        Assert.True(ngw.Succeeded, ngw.Error);
        Assert.Equal(inputs, ngw.Inputs);
        Assert.Equal(layers, string.Join("-", ngw.Layers.Select(l => l.Token)));
        Assert.Equal(onnx.Layers, ngw.Layers);
        Assert.Equal(ngw.Parameters.Select(BitConverter.SingleToInt32Bits), onnx.Parameters.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void RefusedModelReportsOneNG0019OnThePath(string name, string ops, string reason)
    {
        _ = ops;
        string path = $"models/{name}.onnx";
        string literal = $"\"{path}\"";
        string source = $"using NetGen;\n[OnnxNetwork({literal})] public static partial class Imported {{ }}\n";
        AdditionalText file = InMemoryAdditionalText.Model("/project/" + path, File_(name, ".onnx"));

        GeneratorRun run = GeneratorHarness.Run(source, additionalTexts: [file]);

        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0019", diagnostic.Id);
        Assert.Equal($"Model file '{path}' is not a network NetGen can import: {reason}", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(source.IndexOf(literal, StringComparison.Ordinal), diagnostic.Location.SourceSpan.Start);
        Assert.Empty(run.GeneratedSources);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void RefusedExportHasTheOperatorsTheReasonIsAbout(string name, string ops, string reason)
    {
        _ = reason;
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory_, name + ".json")));
        string all = string.Join(" ", json.RootElement.GetProperty("ops").EnumerateArray().Select(o => o.GetString()));
        Assert.EndsWith(ops, all, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptedModelCompilesIntoASequenceNetwork()
    {
        const string Source = "using NetGen;\n[OnnxNetwork(\"models/gru_lstm_modules.onnx\", Loss = Loss.CrossEntropy)] public static partial class Imported { }\n";
        AdditionalText file = InMemoryAdditionalText.Model("/project/models/gru_lstm_modules.onnx", File_("gru_lstm_modules", ".onnx"));

        GeneratorRun run = GeneratorHarness.Run(Source, additionalTexts: [file]);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        string generated = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains("public const string Architecture = \"3-Gru(5)-Lstm(4)-3(Softmax), CrossEntropy\";", generated, StringComparison.Ordinal);
    }

    // Hand-made graphs: one recurrent operator over X [steps, batch, 2], its Y_h squeezed into Gemm.

    [Fact]
    public void GatesMoveFromOnnxOrderToPyTorchOrder()
    {
        // W rows, R rows and each half of B numbered by ONNX gate: z = 0, r = 1, h = 2 (GRU); i, o, f, c (LSTM).
        ImportedNetwork gru = OnnxModelReader.Read(HandMade.Model("GRU", hidden: 1, [HandMade.Int("linear_before_reset", 1)]));
        Assert.True(gru.Succeeded, gru.Error);
        // weight_ih [3, 2] in r, z, n order: ONNX rows 1, 0, 2.
        Assert.Equal(new float[] { 10, 11, 0, 1, 20, 21 }, gru.Parameters.Take(6).ToArray());
        // weight_hh [3, 1], bias_ih, bias_hh: r, z, n.
        Assert.Equal(new float[] { 101, 100, 102, 1001, 1000, 1002, 1004, 1003, 1005 }, gru.Parameters.Skip(6).Take(9).ToArray());

        ImportedNetwork lstm = OnnxModelReader.Read(HandMade.Model("LSTM", hidden: 1, []));
        Assert.True(lstm.Succeeded, lstm.Error);
        // weight_ih [4, 2] in i, f, g, o order: ONNX rows i = 0, f = 2, c = 3, o = 1.
        Assert.Equal(new float[] { 0, 1, 20, 21, 30, 31, 10, 11 }, lstm.Parameters.Take(8).ToArray());
        Assert.Equal(new float[] { 100, 102, 103, 101 }, lstm.Parameters.Skip(8).Take(4).ToArray());
        Assert.Equal(new float[] { 1000, 1002, 1003, 1001, 1004, 1006, 1007, 1005 }, lstm.Parameters.Skip(12).Take(8).ToArray());
    }

    public static TheoryData<string, string> HandMadeRefusals => new()
    {
        { "GRU linear_before_reset=0", "node 'rnn': linear_before_reset = 0 applies the reset gate before the recurrent product; PyTorch's GRU, and NetGen's, compute n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), which is linear_before_reset = 1" },
        { "GRU clip", "node 'rnn': clip = 3; NetGen's recurrent layers do not clip their gates" },
        { "GRU reverse", "node 'rnn': direction 'reverse'; NetGen's recurrent layers read the sequence forwards only (PyTorch: bidirectional=False)" },
        { "GRU sequence_lens", "node 'rnn': sequence_lens given ('lengths'); NetGen runs each sequence to its end, without per-sample lengths (PyTorch's packed sequences)" },
        { "GRU initial_h", "node 'rnn': its initial hidden state initial_h ('h0') is not zero; NetGen's recurrent layers start every sequence from a zero state" },
        { "GRU activations", "node 'rnn': activations [Sigmoid, Relu]; NetGen's GRU has ONNX's (and PyTorch's) default [Sigmoid, Tanh]" },
        { "GRU alpha", "node 'rnn': activation_alpha or activation_beta given; NetGen's gates use sigmoid and tanh without parameters" },
        { "GRU layout", "node 'rnn': layout = 1; NetGen reads ONNX's default layout 0 ([steps, batch, features], with a Transpose before for batch_first)" },
        { "LSTM peepholes", "node 'rnn': peephole weights P ('P') that are not zero; NetGen's LSTM (as PyTorch's) has no peepholes" },
        { "LSTM input_forget", "node 'rnn': input_forget = 1 couples the input and forget gates; NetGen's LSTM (as PyTorch's) has separate gates" },
        { "RNN Sigmoid", "node 'rnn': activations [Sigmoid]; NetGen's RNN (as nn.RNN) has Tanh or Relu" },
        { "RNN two directions", "node 'rnn': num_directions = 2; NetGen's recurrent layers read the sequence forwards only (PyTorch: bidirectional=False)" },
    };

    [Theory]
    [MemberData(nameof(HandMadeRefusals))]
    public void WhatPyTorchDoesNotWriteIsRefusedNamingTheNode(string model, string reason)
    {
        Assert.Equal(reason, OnnxModelReader.Read(HandMade.Refused(model)).Error);
    }

    [Fact]
    public void ZeroPeepholesAndZeroInitialStatesAreAccepted()
    {
        ImportedNetwork result = OnnxModelReader.Read(HandMade.Refused("LSTM zero peepholes and states"));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("Lstm(1)-1(Identity)", string.Join("-", result.Layers.Select(l => l.Token)));
    }

    [Fact]
    public void EveryTruncationOfASequenceModelFailsCleanly()
    {
        byte[] model = File_("gru_two_layers_h", ".onnx");
        for (int length = 0; length < model.Length; length += 3)
        {
            ImportedNetwork result = OnnxModelReader.Read(model.Take(length).ToArray());
            Assert.False(result.Succeeded, $"a prefix of {length} of {model.Length} bytes was read as a model");
        }
    }

    [Fact]
    public void CorruptedSequenceModelsNeverThrow()
    {
        byte[] model = File_("gru_slice_nofold", ".onnx"); // with an If and its branches
        var random = new Random(12);
        for (int trial = 0; trial < 1500; trial++)
        {
            byte[] copy = (byte[])model.Clone();
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
            ImportedNetwork result = OnnxModelReader.Read(copy);
            Assert.True(result.Succeeded || result.Error!.Length > 0);
        }
    }

    private static IEnumerable<(int Steps, float[] Input, float[] Output)> Recorded(string name)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory_, name + ".json")));
        foreach (JsonElement sequence in json.RootElement.GetProperty("sequences").EnumerateArray())
        {
            yield return (sequence.GetProperty("steps").GetInt32(),
                sequence.GetProperty("input").EnumerateArray().Select(v => v.GetSingle()).ToArray(),
                sequence.GetProperty("output").EnumerateArray().Select(v => v.GetSingle()).ToArray());
        }
    }

    /// <summary>Hand-made models of one recurrent operator (ONNX's layout: X [steps, batch, 2]).</summary>
    private static class HandMade
    {
        public static ProtobufWriter Int(string name, long value) => new ProtobufWriter().String(1, name).Int64(3, value).Int64(20, 2);

        private static ProtobufWriter FloatAttribute(string name, float value) => new ProtobufWriter().String(1, name).Float(2, value).Int64(20, 1);

        private static ProtobufWriter Text(string name, string value) => new ProtobufWriter().String(1, name).String(4, value).Int64(20, 3);

        private static ProtobufWriter Texts(string name, params string[] values)
        {
            var attribute = new ProtobufWriter().String(1, name);
            foreach (string value in values)
            {
                attribute.String(9, value);
            }

            return attribute.Int64(20, 8);
        }

        public static byte[] Refused(string model) => model switch
        {
            "GRU linear_before_reset=0" => Model("GRU", 1, []),
            "GRU clip" => Model("GRU", 1, [Lbr, FloatAttribute("clip", 3)]),
            "GRU reverse" => Model("GRU", 1, [Lbr, Text("direction", "reverse")]),
            "GRU sequence_lens" => Model("GRU", 1, [Lbr], sequenceLens: true),
            "GRU initial_h" => Model("GRU", 1, [Lbr], initialH: 0.5f),
            "GRU activations" => Model("GRU", 1, [Lbr, Texts("activations", "Sigmoid", "Relu")]),
            "GRU alpha" => Model("GRU", 1, [Lbr, new ProtobufWriter().String(1, "activation_alpha").Float(7, 1f).Int64(20, 6)]),
            "GRU layout" => Model("GRU", 1, [Lbr, Int("layout", 1)]),
            "LSTM peepholes" => Model("LSTM", 1, [], peepholes: 0.25f),
            "LSTM input_forget" => Model("LSTM", 1, [Int("input_forget", 1)]),
            "LSTM zero peepholes and states" => Model("LSTM", 1, [Texts("activations", "sigmoid", "tanh", "tanh")], peepholes: 0f, initialH: 0f, initialC: 0f),
            "RNN Sigmoid" => Model("RNN", 1, [Texts("activations", "Sigmoid")]),
            "RNN two directions" => Model("RNN", 1, [], directions: 2),
            _ => throw new ArgumentException(model),
        };

        private static ProtobufWriter Lbr => Int("linear_before_reset", 1);

        /// <summary>
        /// X [steps, batch, 2] -> op(X, W, R, B, ...) -> Y_h [1, batch, H] -> Squeeze -> Gemm [batch, 1]. W's row k is
        /// (10k, 10k + 1), R's row k is 100 + k, B is 1000 + its position: each value says where it came from.
        /// </summary>
        public static byte[] Model(string op, int hidden, ProtobufWriter[] attributes, bool sequenceLens = false, float? initialH = null,
            float? initialC = null, float? peepholes = null, int directions = 1)
        {
            int gates = op switch { "GRU" => 3, "LSTM" => 4, _ => 1 };
            int rows = gates * hidden;
            var graph = new ProtobufWriter();
            var node = new ProtobufWriter().String(1, "X").String(1, "W").String(1, "R").String(1, "B")
                .String(1, sequenceLens ? "lengths" : "").String(1, initialH != null ? "h0" : "");
            if (op == "LSTM")
            {
                node.String(1, initialC != null ? "c0" : "").String(1, peepholes != null ? "P" : "");
            }

            node.String(2, "").String(2, "Yh").String(3, "rnn").String(4, op).Message(5, Int("hidden_size", hidden));
            foreach (ProtobufWriter attribute in attributes)
            {
                node.Message(5, attribute);
            }

            graph.Message(1, node);
            graph.Message(1, new ProtobufWriter().String(1, "Yh").String(1, "axes").String(2, "h").String(3, "squeeze").String(4, "Squeeze"));
            graph.Message(1, new ProtobufWriter().String(1, "h").String(1, "Wd").String(1, "bd").String(2, "Y").String(3, "dense").String(4, "Gemm")
                .Message(5, Int("transB", 1)));
            graph.String(2, "hand-made");
            graph.Message(5, Floats("W", [directions, rows, 2], Enumerable.Range(0, directions * rows * 2).Select(k => (float)((10 * (k / 2)) + (k % 2))).ToArray()));
            graph.Message(5, Floats("R", [directions, rows, hidden], Enumerable.Range(0, directions * rows * hidden).Select(k => 100f + k).ToArray()));
            graph.Message(5, Floats("B", [directions, 2 * rows], Enumerable.Range(0, directions * 2 * rows).Select(k => 1000f + k).ToArray()));
            graph.Message(5, Floats("Wd", [1, hidden], Enumerable.Repeat(1f, hidden).ToArray()));
            graph.Message(5, Floats("bd", [1], [0f]));
            graph.Message(5, new ProtobufWriter().Int64(1, 1).Int64(2, 7).String(8, "axes").Bytes(9, BitConverter.GetBytes(0L)));
            if (sequenceLens)
            {
                graph.Message(5, new ProtobufWriter().Int64(1, 1).Int64(2, 6).String(8, "lengths").Bytes(9, BitConverter.GetBytes(3)));
            }

            foreach ((string name, float? value) in new[] { ("h0", initialH), ("c0", initialC) })
            {
                if (value != null)
                {
                    graph.Message(5, Floats(name, [1, 1, hidden], Enumerable.Repeat(value.Value, hidden).ToArray()));
                }
            }

            if (peepholes != null)
            {
                graph.Message(5, Floats("P", [1, 3 * hidden], Enumerable.Repeat(peepholes.Value, 3 * hidden).ToArray()));
            }

            graph.Message(11, ValueInfo("X", "steps", "batch", 2)).Message(12, ValueInfo("Y", "batch", 1));
            return new ProtobufWriter().Int64(1, 8).Message(7, graph).Message(8, new ProtobufWriter().String(1, "").Int64(2, 13)).ToArray();
        }

        private static ProtobufWriter Floats(string name, long[] dims, float[] values)
        {
            var tensor = new ProtobufWriter();
            foreach (long d in dims)
            {
                tensor.Int64(1, d);
            }

            return tensor.Int64(2, 1).String(8, name).Bytes(9, values.SelectMany(BitConverter.GetBytes).ToArray());
        }

        private static ProtobufWriter ValueInfo(string name, params object[] dims)
        {
            var shape = new ProtobufWriter();
            foreach (object dim in dims)
            {
                shape.Message(1, dim is string symbol ? new ProtobufWriter().String(2, symbol) : new ProtobufWriter().Int64(1, (int)dim));
            }

            return new ProtobufWriter().String(1, name).Message(2, new ProtobufWriter().Message(1, new ProtobufWriter().Int64(1, 1).Message(2, shape)));
        }
    }
}
