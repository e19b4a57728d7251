using System.IO;
using NetGen.Serialization;

namespace NetGen.Tests.Recurrent;

/// <summary>The GRU gesture network of the design with the weights of TestData/sequence/gesture.ngw compiled in.</summary>
[Network(6, Loss = Loss.CrossEntropy)]
[Gru(32)]
[Dense(4, Activation.Softmax)]
[WeightsFile("TestData/sequence/gesture.ngw")]
public static partial class FrozenGesture { }

/// <summary>The same network, trainable, starting from the file's weights.</summary>
[Network(6, Loss = Loss.CrossEntropy, MaxSteps = 64)]
[Gru(32)]
[Dense(4, Activation.Softmax)]
[WeightsFile("TestData/sequence/gesture.ngw", Frozen = false)]
public partial class TunedGesture { }

/// <summary>Sequence networks from weight files: frozen (static Forward, Step, Predict) and trainable.</summary>
public sealed class FrozenSequenceTests
{
    private static readonly float[] Sequence = RandomSamples.Input(new Random(17), 40 * 6);

    [Fact]
    public void The_weight_file_holds_the_weights_of_the_seeded_network_it_was_written_from()
    {
        // Written once with WeightFile.Serialize(new Q6_Gru32_4Softmax_Ce(12)) (the same architecture).
        byte[] file = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "sequence", "gesture.ngw"));
        Assert.Equal(WeightFile.Serialize(new Q6_Gru32_4Softmax_Ce(12)), file);
        Assert.Equal(new Q6_Gru32_4Softmax_Ce(12).Parameters.ToArray(), FrozenGesture.Parameters.ToArray());
        Assert.Equal(FrozenGesture.Parameters.ToArray(), new TunedGesture().Parameters.ToArray());
        Assert.Equal(Q6_Gru32_4Softmax_Ce.Architecture, FrozenGesture.Architecture);
    }

    [Fact]
    public void Frozen_Forward_Step_and_Predict_give_the_trainable_networks_bits()
    {
        var trainable = new Q6_Gru32_4Softmax_Ce(12);
        float[] expected = new float[4], actual = new float[4];
        for (int steps = 1; steps <= 40; steps += 13)
        {
            trainable.Forward(Sequence.AsSpan(0, steps * 6), expected);
            FrozenGesture.Forward(Sequence.AsSpan(0, steps * 6), actual);
            Assert.Equal(expected, actual);
            Assert.Equal(trainable.Predict(Sequence.AsSpan(0, steps * 6)), FrozenGesture.Predict(Sequence.AsSpan(0, steps * 6)));
        }

        var state = default(FrozenGesture.State);
        var trainableState = default(Q6_Gru32_4Softmax_Ce.State);
        for (int t = 0; t < 40; t++)
        {
            FrozenGesture.Step(ref state, Sequence.AsSpan(t * 6, 6), actual);
            trainable.Step(ref trainableState, Sequence.AsSpan(t * 6, 6), expected);
            Assert.Equal(expected, actual);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            FrozenGesture.Forward(Sequence, actual);
            FrozenGesture.Step(ref state, Sequence.AsSpan(0, 6), actual);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_file_initialised_sequence_network_trains_from_the_files_weights()
    {
        var net = new TunedGesture();
        Assert.Equal(64, TunedGesture.MaxSteps);
        float loss = net.Backward(Sequence, [0f, 0f, 1f, 0f]);
        var reference = new Q6_Gru32_4Softmax_Ce(12);
        Assert.Equal(reference.Backward(Sequence, [0f, 0f, 1f, 0f]), loss);
        Assert.Equal(reference.Gradients.ToArray(), net.Gradients.ToArray());
    }
}

/// <summary>Weight files of sequence networks: the runtime's round trip and its refusal of another architecture.</summary>
public sealed class SequenceWeightFileTests
{
    [Fact]
    public void A_sequence_network_saves_and_loads_its_weights_and_refuses_another_architectures_file()
    {
        var trained = new Q4_Gru6_Gru5_3Softmax_Ce(3);
        RandomSamples.Uniform(new Random(2), Q4_Gru6_Gru5_3Softmax_Ce.ParameterCount, -0.5, 0.5).CopyTo(trained.Parameters);
        byte[] file = WeightFile.Serialize(trained);

        var loaded = new Q4_Gru6_Gru5_3Softmax_Ce(9);
        Assert.Null(WeightFile.Load(loaded, file));
        Assert.Equal(trained.Parameters.ToArray(), loaded.Parameters.ToArray());

        var other = new Q3_Gru4_2Softmax_Ce();
        float[] before = other.Parameters.ToArray();
        WeightFileException refused = Assert.Throws<WeightFileException>(() => WeightFile.Load(other, file));
        Assert.Equal(WeightFileError.ArchitectureMismatch, refused.Reason);
        Assert.Equal("4-Gru(6)-Gru(5)-3(Softmax), CrossEntropy", refused.FileArchitecture);
        Assert.Equal("3-Gru(4)-2(Softmax), CrossEntropy", refused.ExpectedArchitecture);
        Assert.Equal(before, other.Parameters.ToArray());
    }
}
