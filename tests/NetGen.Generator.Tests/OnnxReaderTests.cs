using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Generator.Model;
using NetGen.Generator.Onnx;
using NetGen.Onnx;

namespace NetGen.Generator.Tests;

/// <summary>
/// The ONNX reader (generator/NetGen.Generator/Onnx) over models exported by tools/pytorch/export_mlp.py: architecture,
/// parameters (checked by a double-precision forward pass against PyTorch's recorded outputs) and clean failures.
/// </summary>
public class OnnxReaderTests
{
    private static readonly string Directory_ = Path.Combine(AppContext.BaseDirectory, "TestData", "onnx");

    private static byte[] Model(string name) => File.ReadAllBytes(Path.Combine(Directory_, name + ".onnx"));

    public static TheoryData<string, int, string> Exported => new()
    {
        { "relu_sigmoid", 4, "8 ReLU, 3 Sigmoid" },
        { "flatten_tanh_softmax", 6, "5 Tanh, 4 Softmax" },
        { "leaky_dropout_identity", 5, "7 LeakyReLU, 3 Identity, 2 Identity" },
        { "batchnorm_relu", 4, "6 ReLU, 2 Identity" },
        { "batchnorm_nofold", 3, "5 Tanh, 2 Softmax" },
        { "matmul_add", 4, "5 ReLU, 2 Identity" },
    };

    [Theory]
    [MemberData(nameof(Exported))]
    public void ExportedModelReadsIntoTheExpectedArchitecture(string name, int inputs, string layers)
    {
        ImportedNetwork result = OnnxModelReader.Read(Model(name));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(inputs, result.Inputs);
        Assert.Equal(layers, string.Join(", ", result.Layers.Select(l => $"{l.Units} {l.Activation}")));
        Assert.Equal(result.Layers.Sum(l => l.ParameterCount), result.Parameters.Count);
        int previous = inputs;
        foreach (LayerSpec layer in result.Layers)
        {
            Assert.Equal(previous, layer.Inputs);
            previous = layer.Units;
        }
    }

    [Theory]
    [MemberData(nameof(Exported))]
    public void ForwardPassOverReadParametersReproducesPyTorch(string name, int inputs, string layers)
    {
        _ = inputs;
        _ = layers;
        ImportedNetwork result = OnnxModelReader.Read(Model(name));
        Assert.True(result.Succeeded, result.Error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory_, name + ".json")));
        float[][] samples = Rows(json.RootElement.GetProperty("inputs"));
        float[][] expected = Rows(json.RootElement.GetProperty("outputs"));

        Assert.NotEmpty(samples);
        for (int s = 0; s < samples.Length; s++)
        {
            double[] output = Forward(result, samples[s]);
            Assert.Equal(expected[s].Length, output.Length);
            for (int o = 0; o < output.Length; o++)
            {
                Assert.True(Math.Abs(output[o] - expected[s][o]) <= 1e-5 + 1e-5 * Math.Abs(expected[s][o]),
                    $"{name} sample {s} output {o}: NetGen layout {output[o]}, PyTorch {expected[s][o]}");
            }
        }
    }

    [Fact]
    public void UnsupportedOperatorFailsNamingNodeAndOperator()
    {
        ImportedNetwork result = OnnxModelReader.Read(Model("unsupported_exp"));

        Assert.False(result.Succeeded);
        Assert.Equal("node '/1/Exp' uses operator 'Exp', which NetGen cannot import", result.Error);
    }

    [Fact]
    public void LeakyReluWithAnotherSlopeFails()
    {
        ImportedNetwork result = OnnxModelReader.Read(Model("leaky_slope_02"));

        Assert.False(result.Succeeded);
        Assert.Equal("node '/1/LeakyRelu': LeakyRelu with alpha = 0.2; NetGen's LeakyReLU has slope 0.01 only", result.Error);
    }

    [Fact]
    public void ExportedGraphsAreWhatTheJsonRecords()
    {
        // Guards docs/pytorch.md's table: PyTorch 1.13 keeps BatchNormalization and drops Dropout/Identity.
        foreach (string name in new[] { "batchnorm_relu", "leaky_dropout_identity", "matmul_add" })
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory_, name + ".json")));
            string ops = string.Join(" ", json.RootElement.GetProperty("ops").EnumerateArray().Select(o => o.GetString()));
            Assert.Equal(name switch
            {
                "batchnorm_relu" => "Gemm BatchNormalization Relu Gemm",
                "leaky_dropout_identity" => "Gemm LeakyRelu Gemm Gemm",
                _ => "MatMul Add Relu MatMul Add",
            }, ops);
        }
    }

    [Fact]
    public void EveryTruncationFailsCleanly()
    {
        byte[] model = Model("matmul_add");
        for (int length = 0; length < model.Length; length++)
        {
            ImportedNetwork result = OnnxModelReader.Read(model.Take(length).ToArray());
            Assert.False(result.Succeeded, $"a prefix of {length} of {model.Length} bytes was read as a model");
            Assert.False(string.IsNullOrEmpty(result.Error));
        }
    }

    [Fact]
    public void CorruptedBytesNeverThrow()
    {
        byte[] model = Model("relu_sigmoid");
        var random = new Random(6);
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] copy = (byte[])model.Clone();
            int count = 1 + random.Next(3);
            for (int k = 0; k < count; k++)
            {
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            }

            ImportedNetwork result = OnnxModelReader.Read(copy); // must return, success or failure
            Assert.True(result.Succeeded || result.Error!.Length > 0);
        }
    }

    [Theory]
    [InlineData(0, (byte)0xFF)]   // first key: wire type 7
    [InlineData(1, (byte)0xFF)]   // ir_version: a varint that never ends... until the next bytes
    [InlineData(-1, (byte)0x00)]  // all bytes zero: field number 0
    public void CorruptedStructureFails(int position, byte value)
    {
        byte[] copy = Model("relu_sigmoid");
        if (position < 0)
        {
            Array.Clear(copy, 0, copy.Length);
        }
        else
        {
            copy[position] = value;
        }

        ImportedNetwork result = OnnxModelReader.Read(copy);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public void GarbageAndNullFail()
    {
        Assert.False(OnnxModelReader.Read(null!).Succeeded);
        Assert.False(OnnxModelReader.Read(Array.Empty<byte>()).Succeeded);
        Assert.False(OnnxModelReader.Read(System.Text.Encoding.ASCII.GetBytes("not an onnx file at all")).Succeeded);
        var tail = Model("relu_sigmoid");
        for (int i = tail.Length / 2; i < tail.Length; i++)
        {
            tail[i] = 0xFF;
        }

        Assert.False(OnnxModelReader.Read(tail).Succeeded);
    }

    [Fact]
    public void HandMadeGemmAppliesAlphaBetaAndUntransposedFloatData()
    {
        // Y = 2 * X B + 0.5 * C with B [inputs 2, units 3] untransposed, weights as float_data (not raw_data).
        float[] b = [1, 2, 3, 4, 5, 6];
        float[] c = [10, 20, 30];
        byte[] model = HandMadeModel(2, 3, ("Gemm", "gemm_0", [Attribute("alpha", 2f), Attribute("beta", 0.5f)]),
            Tensor("B", [2, 3], b), Tensor("C", [3], c));

        ImportedNetwork result = OnnxModelReader.Read(model);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("2-3 Identity", $"{result.Inputs}-{result.Layers[0].Units} {result.Layers[0].Activation}");
        // NetGen's layout: W [units, inputs] = 2 * B^T, then b = 0.5 * C.
        Assert.Equal(new float[] { 2, 8, 4, 10, 6, 12, 5, 10, 15 }, result.Parameters.ToArray());
    }

    [Fact]
    public void HandMadeConvFailsNamingNodeAndOperator()
    {
        byte[] model = HandMadeModel(2, 3, ("Conv", "Conv_3", []), Tensor("B", [3, 2], new float[6]), Tensor("C", [3], new float[3]));

        ImportedNetwork result = OnnxModelReader.Read(model);

        Assert.Equal("node 'Conv_3' uses operator 'Conv', which NetGen cannot import", result.Error);
    }

    [Fact]
    public void WeightsInConstantNodesServeAsInitializers()
    {
        // Some exporters store weights as Constant nodes (attribute 'value') rather than graph initializers.
        ProtobufWriter Constant(string output, ProtobufWriter tensor) => new ProtobufWriter().String(2, output).String(3, "const_" + output).String(4, "Constant")
            .Message(5, new ProtobufWriter().String(1, "value").Message(5, tensor).Int64(20, 4));
        var gemm = new ProtobufWriter().String(1, "X").String(1, "B").String(1, "C").String(2, "Y").String(3, "gemm_0").String(4, "Gemm")
            .Message(5, new ProtobufWriter().String(1, "transB").Int64(3, 1).Int64(20, 2));
        var graph = new ProtobufWriter()
            .Message(1, Constant("B", Tensor("", [3, 2], [1, 2, 3, 4, 5, 6])))
            .Message(1, Constant("C", Tensor("", [3], [7, 8, 9])))
            .Message(1, gemm)
            .String(2, "constants").Message(11, ValueInfo("X", 2)).Message(12, ValueInfo("Y", 3));
        byte[] model = new ProtobufWriter().Int64(1, 8).Message(7, graph).Message(8, new ProtobufWriter().String(1, "").Int64(2, 13)).ToArray();

        ImportedNetwork result = OnnxModelReader.Read(model);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, result.Parameters.ToArray());
    }

    private static double[] Forward(ImportedNetwork network, float[] input)
    {
        double[] x = input.Select(v => (double)v).ToArray();
        int offset = 0;
        foreach (LayerSpec layer in network.Layers)
        {
            var z = new double[layer.Units];
            for (int u = 0; u < layer.Units; u++)
            {
                double sum = network.Parameters[offset + layer.Units * layer.Inputs + u];
                for (int i = 0; i < layer.Inputs; i++)
                {
                    sum += network.Parameters[offset + u * layer.Inputs + i] * x[i];
                }

                z[u] = sum;
            }

            offset += layer.Units * layer.Inputs + layer.Units;
            x = layer.Activation switch
            {
                Activation.Identity => z,
                Activation.ReLU => z.Select(v => Math.Max(v, 0)).ToArray(),
                Activation.LeakyReLU => z.Select(v => v > 0 ? v : 0.01 * v).ToArray(),
                Activation.Sigmoid => z.Select(v => 1 / (1 + Math.Exp(-v))).ToArray(),
                Activation.Tanh => z.Select(Math.Tanh).ToArray(),
                Activation.Softmax => Softmax(z),
                _ => throw new InvalidOperationException(layer.Activation.ToString()),
            };
        }

        Assert.Equal(network.Parameters.Count, offset);
        return x;
    }

    private static double[] Softmax(double[] z)
    {
        double max = z.Max();
        double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    private static float[][] Rows(JsonElement array) =>
        array.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();

    private static ProtobufWriter Attribute(string name, float value) => new ProtobufWriter().String(1, name).Float(2, value).Int64(20, 1);

    private static ProtobufWriter Tensor(string name, long[] dims, float[] values)
    {
        var tensor = new ProtobufWriter();
        foreach (long d in dims)
        {
            tensor.Int64(1, d);
        }

        tensor.Int64(2, 1);
        foreach (float v in values)
        {
            tensor.Float(4, v); // unpacked float_data
        }

        return tensor.String(8, name);
    }

    private static ProtobufWriter ValueInfo(string name, int features) =>
        new ProtobufWriter().String(1, name).Message(2, new ProtobufWriter().Message(1, new ProtobufWriter().Int64(1, 1)
            .Message(2, new ProtobufWriter().Message(1, new ProtobufWriter().String(2, "batch"))
                .Message(1, new ProtobufWriter().Int64(1, features)))));

    /// <summary>A one-node model: X [batch, inputs] -> op(X, B, C) -> Y [batch, units].</summary>
    private static byte[] HandMadeModel(int inputs, int units, (string Op, string Name, ProtobufWriter[] Attributes) node,
        ProtobufWriter b, ProtobufWriter c)
    {
        var n = new ProtobufWriter().String(1, "X").String(1, "B").String(1, "C").String(2, "Y").String(3, node.Name).String(4, node.Op);
        foreach (ProtobufWriter attribute in node.Attributes)
        {
            n.Message(5, attribute);
        }

        var graph = new ProtobufWriter().Message(1, n).String(2, "hand-made").Message(5, b).Message(5, c)
            .Message(11, ValueInfo("X", inputs)).Message(12, ValueInfo("Y", units));
        return new ProtobufWriter().Int64(1, 8).Message(7, graph).Message(8, new ProtobufWriter().String(1, "").Int64(2, 13)).ToArray();
    }
}
