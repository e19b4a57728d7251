using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using NetGen.Serialization;
using NetGen.Tests.Serialization;
using NetGen.Training;

namespace NetGen.Tests.Interop;

/// <summary>
/// Frozen and trainable networks from PyTorch's ONNX exports and weight files: PyTorch's outputs, frozen equals
/// trainable bit for bit, ONNX and weight file agree, no allocation, concurrent use, fine-tuning from the file.
/// </summary>
public sealed class ImportedNetworkTests
{
    private delegate void ForwardPass(ReadOnlySpan<float> input, Span<float> output);

    private static readonly string PyTorchOutputs = Path.Combine(AppContext.BaseDirectory, "TestData", "pytorch");

    private static readonly Dictionary<string, ForwardPass> Frozen = new()
    {
        ["relu_sigmoid"] = FrozenReluSigmoid.Forward,
        ["flatten_tanh_softmax"] = FrozenFlattenTanhSoftmax.Forward,
        ["leaky_dropout_identity"] = FrozenLeakyDropoutIdentity.Forward,
        ["batchnorm_relu"] = FrozenBatchNormRelu.Forward,
        ["batchnorm_nofold"] = FrozenBatchNormUnfolded.Forward,
        ["matmul_add"] = FrozenMatMulAdd.Forward,
        ["tanh_leaky_softmax"] = FrozenTanhLeakySoftmax.Forward,
        ["mnist_mlp"] = FrozenMnistFromOnnx.Forward,
    };

    public static TheoryData<string> Models => new(Frozen.Keys);

    [Theory]
    [MemberData(nameof(Models))]
    public void Frozen_network_reproduces_PyTorch(string name)
    {
        (float[][] inputs, float[][] expected) = Recorded(name);
        float[] output = new float[expected[0].Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            Frozen[name](inputs[i], output);
            for (int k = 0; k < output.Length; k++)
            {
                Assert.True(Math.Abs(output[k] - expected[i][k]) <= 1e-5f, $"{name}, sample {i}, output {k}: {output[k]} vs PyTorch's {expected[i][k]}");
            }
        }
    }

    [Fact]
    public void Frozen_and_trainable_types_from_one_file_compute_the_same_bits()
    {
        var tuned = new TunedReluSigmoid();
        Assert.True(FrozenReluSigmoid.Parameters.SequenceEqual(tuned.Parameters));
        Assert.True(TunedReluSigmoid.InitialParameters.SequenceEqual(FrozenReluSigmoid.Parameters));
        AssertSameOutputs(FrozenReluSigmoid.Forward, tuned.Forward, FrozenReluSigmoid.InputCount, FrozenReluSigmoid.OutputCount);
        for (int i = 0; i < 100; i++)
        {
            float[] input = RandomInput(new Random(i), FrozenReluSigmoid.InputCount);
            Assert.Equal(tuned.Predict(input), FrozenReluSigmoid.Predict(input));
        }

        var mnist = new TunedMnist();
        AssertSameOutputs(FrozenMnistFromWeightFile.Forward, mnist.Forward, TunedMnist.InputCount, TunedMnist.OutputCount);
    }

    [Fact]
    public void Onnx_export_and_weight_file_of_one_PyTorch_model_give_identical_networks()
    {
        Assert.Equal(FrozenMnistFromOnnx.Architecture, FrozenMnistFromWeightFile.Architecture.Replace("CrossEntropy", "MeanSquaredError", StringComparison.Ordinal));
        Assert.True(FrozenMnistFromOnnx.Parameters.SequenceEqual(FrozenMnistFromWeightFile.Parameters));
        AssertSameOutputs(FrozenMnistFromOnnx.Forward, FrozenMnistFromWeightFile.Forward, 784, 10);
    }

    [Fact]
    public void Compiled_in_weights_equal_the_weight_file_loaded_at_run_time()
    {
        var loaded = new TorchMnistMlp();
        WeightFile.LoadFile(loaded, Path.Combine(PyTorchOutputs, "mnist_mlp.ngw"));

        Assert.True(FrozenMnistFromWeightFile.Parameters.SequenceEqual(loaded.Parameters));
        AssertSameOutputs(FrozenMnistFromWeightFile.Forward, loaded.Forward, 784, 10);
    }

    [Fact]
    public void Frozen_type_from_a_weight_file_with_a_standardizer_carries_it()
    {
        var loaded = new TorchTanhLeakySoftmax();
        NetGen.Data.Standardizer saved = WeightFile.LoadFile(loaded, Path.Combine(PyTorchOutputs, "tanh_leaky_softmax.ngw"))!;

        NetGen.Data.Standardizer compiledIn = FrozenWithStandardizer.InputStandardizer;
        Assert.True(compiledIn.Means.SequenceEqual(saved.Means));
        Assert.True(compiledIn.StandardDeviations.SequenceEqual(saved.StandardDeviations));
        Assert.Same(compiledIn, FrozenWithStandardizer.InputStandardizer); // created once

        float[] raw = [0.3f, -2.0f, 10f];
        float[] standardised = raw.ToArray();
        compiledIn.Apply(standardised);
        float[] expected = new float[3];
        float[] actual = new float[3];
        loaded.Forward(standardised, expected);
        FrozenWithStandardizer.Forward(standardised, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Frozen_Forward_and_Predict_do_not_allocate()
    {
        float[] small = RandomInput(new Random(1), FrozenReluSigmoid.InputCount);
        float[] large = RandomInput(new Random(2), FrozenMnistFromOnnx.InputCount);
        float[] output = new float[FrozenMnistFromOnnx.OutputCount];
        float[] smallOutput = new float[FrozenReluSigmoid.OutputCount];
        int sink = 0;
        void Run(int calls)
        {
            for (int i = 0; i < calls; i++)
            {
                FrozenReluSigmoid.Forward(small, smallOutput);
                sink += FrozenReluSigmoid.Predict(small);
                FrozenMnistFromOnnx.Forward(large, output);
                sink += FrozenMnistFromOnnx.Predict(large);
            }
        }

        Run(200);

        // As AllocationTests: the runtime may allocate once while re-compiling a hot method, so one of three
        // measurements must be clean; a per-call allocation would show in every one.
        long[] allocated = new long[3];
        for (int attempt = 0; attempt < allocated.Length; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Run(2000);
            allocated[attempt] = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated[attempt] == 0)
            {
                break;
            }
        }

        Assert.Contains(0L, allocated);
        Assert.True(sink >= 0);
    }

    [Fact]
    public void Frozen_network_gives_every_thread_the_sequential_results()
    {
        const int Samples = 64;
        float[][] inputs = Enumerable.Range(0, Samples).Select(i => RandomInput(new Random(100 + i), 784)).ToArray();
        float[][] expected = inputs.Select(input =>
        {
            float[] output = new float[10];
            FrozenMnistFromOnnx.Forward(input, output);
            return output;
        }).ToArray();

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            float[] output = new float[10];
            for (int round = 0; round < 50; round++)
            {
                int i = (worker * 7 + round) % Samples;
                FrozenMnistFromOnnx.Forward(inputs[i], output);
                Assert.True(output.AsSpan().SequenceEqual(expected[i]), $"thread {worker}, sample {i}");
            }
        });
    }

    [Fact]
    public void Trainable_network_fine_tunes_from_the_file_and_leaves_the_compiled_in_weights_alone()
    {
        var random = new Random(7);
        float[][] inputs = Enumerable.Range(0, 16).Select(_ => RandomInput(random, 4)).ToArray();
        float[][] targets = inputs.Select(x => new[] { x[0] > 0 ? 1f : 0f, x[1] > 0 ? 1f : 0f, 0.5f }).ToArray();
        var net = new TunedReluSigmoid();
        float[] fileWeights = FrozenReluSigmoid.Parameters.ToArray();

        float TotalLoss() => inputs.Zip(targets).Sum(pair => net.Backward(pair.First, pair.Second));

        float before = TotalLoss();
        net.ZeroGradients();
        for (int epoch = 0; epoch < 200; epoch++)
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                net.Backward(inputs[i], targets[i]);
            }

            Sgd.Step(net, learningRate: 0.1f, batchSize: inputs.Length); // updates and clears the gradients
        }

        net.ZeroGradients();
        float after = TotalLoss();

        Assert.True(after < before * 0.8f, $"loss {before} -> {after}");
        Assert.False(net.Parameters.SequenceEqual(fileWeights));
        Assert.True(FrozenReluSigmoid.Parameters.SequenceEqual(fileWeights));
        Assert.True(new TunedReluSigmoid().Parameters.SequenceEqual(fileWeights));
        Assert.False(new TunedReluSigmoid(seed: 5).Parameters.SequenceEqual(fileWeights)); // the seeded constructor still draws
        Assert.Equal(Loss.BinaryCrossEntropy, TunedReluSigmoid.LossFunction);
    }

    [Fact]
    public void Frozen_network_rejects_wrong_lengths_naming_the_parameter()
    {
        var input = ArgumentValidation(() => FrozenReluSigmoid.Forward(new float[3], new float[3]));
        Assert.Equal("input", input.ParamName);
        var output = ArgumentValidation(() => FrozenReluSigmoid.Forward(new float[4], new float[2]));
        Assert.Equal("output", output.ParamName);
        Assert.Equal("input", ArgumentValidation(() => FrozenMnistFromOnnx.Predict(new float[783])).ParamName);

        static ArgumentException ArgumentValidation(Action action) => Assert.ThrowsAny<ArgumentException>(action);
    }

    private static void AssertSameOutputs(ForwardPass expected, ForwardPass actual, int inputs, int outputs)
    {
        float[] a = new float[outputs];
        float[] b = new float[outputs];
        for (int i = 0; i < 50; i++)
        {
            float[] input = RandomInput(new Random(1000 + i), inputs);
            expected(input, a);
            actual(input, b);
            Assert.True(a.AsSpan().SequenceEqual(b), $"sample {i}: [{string.Join(", ", a)}] vs [{string.Join(", ", b)}]");
        }
    }

    private static float[] RandomInput(Random random, int count)
        => Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();

    private static (float[][] Inputs, float[][] Outputs) Recorded(string name)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(PyTorchOutputs, name + ".json")));
        return (Rows(json.RootElement.GetProperty("inputs")), Rows(json.RootElement.GetProperty("outputs")));

        static float[][] Rows(JsonElement rows) => rows.EnumerateArray()
            .Select(row => Flatten(row).ToArray())
            .ToArray();

        static IEnumerable<float> Flatten(JsonElement element) => element.ValueKind == JsonValueKind.Array
            ? element.EnumerateArray().SelectMany(Flatten)
            : [element.GetSingle()];
    }
}
