using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using NetGen.Data;
using NetGen.Serialization;
using static NetGen.Tests.Serialization.WeightFileTestSupport;

namespace NetGen.Tests.Serialization;

// The networks of the weight files that tools/pytorch/export_mlp.py writes with save_ngw (linked from
// tests/NetGen.Generator.Tests/TestData/onnx into TestData/pytorch), declared with the layers of the PyTorch
// nn.Sequential and the loss the script passes to save_ngw.

/// <summary><c>relu_sigmoid</c>: Linear(4, 8), ReLU, Linear(8, 3), Sigmoid; saved with BinaryCrossEntropy.</summary>
[Network(4, Loss = Loss.BinaryCrossEntropy)]
[Dense(8, Activation.ReLU)]
[Dense(3, Activation.Sigmoid)]
public partial class TorchReluSigmoid { }

/// <summary>
/// <c>tanh_leaky_softmax</c>: Linear(3, 6), Tanh, Linear(6, 5), LeakyReLU(0.01), Linear(5, 4), Linear(4, 3),
/// Softmax(dim=-1); saved with MeanSquaredError and a standardizer.
/// </summary>
[Network(3, Loss = Loss.MeanSquaredError)]
[Dense(6, Activation.Tanh)]
[Dense(5, Activation.LeakyReLU)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.Softmax)]
public partial class TorchTanhLeakySoftmax { }

/// <summary><c>mnist_mlp</c>: Linear(784, 128), ReLU, Linear(128, 10), Softmax(dim=1); saved with CrossEntropy (101,770 parameters).</summary>
[Network(784, Loss = Loss.CrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class TorchMnistMlp { }

/// <summary>
/// Weight files written in Python by <c>save_ngw</c> (tools/pytorch/export_mlp.py) load into the declared networks,
/// which then compute PyTorch's recorded outputs, and are byte for byte what <see cref="WeightFile"/> itself writes for
/// the same weights: the Python writer and the C# writer agree on every byte of the format.
/// </summary>
public sealed class PyTorchWeightFileTests
{
    /// <summary>Absolute tolerance on each output (probabilities and sigmoids, all in [0, 1]).</summary>
    private const double Tolerance = 1e-5;

    private static readonly string Directory_ = Path.Combine(AppContext.BaseDirectory, "TestData", "pytorch");

    /// <summary>The standardizer export_mlp.py saves with <c>tanh_leaky_softmax</c>, as float32 literals.</summary>
    private static readonly (float[] Means, float[] Deviations) TanhLeakySoftmaxStandardizer = ([0.1f, -2.5f, 3.3f], [1.7f, 0.25f, 42f]);

    public static TheoryData<string> WeightFiles => new(WeightFileNames());

    [Fact]
    public void The_script_writes_a_weight_file_for_every_model_of_supported_modules()
    {
        Assert.Equal(["mnist_mlp", "relu_sigmoid", "tanh_leaky_softmax"], WeightFileNames());
        Assert.Equal(101_770, TorchMnistMlp.ParameterCount);
    }

    [Theory]
    [MemberData(nameof(WeightFiles))]
    public void Weight_file_from_PyTorch_loads_and_Forward_matches_PyTorch(string name)
    {
        switch (name)
        {
            case "relu_sigmoid":
                Check<TorchReluSigmoid>(name, expectedStandardizer: null);
                break;
            case "tanh_leaky_softmax":
                Check<TorchTanhLeakySoftmax>(name, TanhLeakySoftmaxStandardizer);
                break;
            case "mnist_mlp":
                Check<TorchMnistMlp>(name, expectedStandardizer: null);
                break;
            default:
                Assert.Fail($"{name}.ngw has no declared network in {nameof(PyTorchWeightFileTests)}.");
                break;
        }
    }

    private static void Check<TNet>(string name, (float[] Means, float[] Deviations)? expectedStandardizer)
        where TNet : INetwork, new()
    {
        string path = Path.Combine(Directory_, name + ".ngw");
        byte[] file = File.ReadAllBytes(path);
        var net = new TNet();
        float[] initial = net.Parameters.ToArray();

        Standardizer? standardizer = WeightFile.LoadFile(net, path);

        // The Python writer's architecture text is the declaration's (LoadFile also compares them) ...
        int architectureLength = BitConverter.ToInt32(file, WeightFile.HeaderSize);
        Assert.Equal(TNet.Architecture, Encoding.UTF8.GetString(file, WeightFile.HeaderSize + 4, architectureLength));
        Assert.NotEqual(Bits(initial), Bits(net.Parameters));

        // ... its standardizer is the float32 rounding of the script's values ...
        if (expectedStandardizer is { } expected)
        {
            Assert.NotNull(standardizer);
            Assert.Equal(Bits(expected.Means), Bits(standardizer.Means));
            Assert.Equal(Bits(expected.Deviations), Bits(standardizer.StandardDeviations));
        }
        else
        {
            Assert.Null(standardizer);
        }

        // ... and every byte is what WeightFile writes for the same weights and standardizer.
        Assert.Equal(file, WeightFile.Serialize(net, standardizer));

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory_, name + ".json")));
        float[][] inputs = Rows(json.RootElement.GetProperty("inputs"));
        float[][] outputs = Rows(json.RootElement.GetProperty("outputs"));
        Assert.True(inputs.Length >= 3, $"{name}.json records {inputs.Length} samples");
        Assert.Equal(inputs.Length, outputs.Length);
        float[] output = new float[TNet.OutputCount];
        for (int s = 0; s < inputs.Length; s++)
        {
            Assert.Equal(TNet.InputCount, inputs[s].Length);
            Assert.Equal(TNet.OutputCount, outputs[s].Length);
            Array.Fill(output, float.NaN);
            net.Forward(inputs[s], output);
            for (int o = 0; o < output.Length; o++)
            {
                Assert.True(
                    Math.Abs((double)output[o] - outputs[s][o]) <= Tolerance,
                    $"{name} sample {s} output {o}: NetGen {output[o]:R}, PyTorch {outputs[s][o]:R}");
            }
        }
    }

    private static string[] WeightFileNames()
        => [.. Directory.GetFiles(Directory_, "*.ngw").Select(file => Path.GetFileNameWithoutExtension(file)).Order(StringComparer.Ordinal)];

    private static float[][] Rows(JsonElement rows)
        => rows.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
}
