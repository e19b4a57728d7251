using System.Linq;
using System.Threading.Tasks;

namespace NetGen.Tests.Recurrent;

/// <summary>
/// The generated sequence networks of SequenceNetworks.cs (every recurrent kind, stacked kinds, every loss, sizes 1 to
/// 64, every product shape) against a double-precision implementation of PyTorch's definitions: Forward's outputs,
/// Backward's loss and its gradients against finite differences of the double-precision loss, for sequences of 1 to
/// 50 steps; Step against Forward on every prefix; and the contract's other promises. The checks that the conformance
/// runner (tests/NetGen.Conformance) runs too are <see cref="SequenceNetworkChecks"/>' methods, called here one theory
/// case per network.
/// </summary>
public sealed class SequenceNetworkTests
{
    public static TheoryData<Type> All => new(SequenceNetworks.All);

    [Theory]
    [MemberData(nameof(All))]
    public void Forward_matches_the_double_precision_definition(Type network)
        => GenericTest.Run(typeof(SequenceNetworkChecks), nameof(SequenceNetworkChecks.ForwardMatchesDefinition), network);

    [Theory]
    [MemberData(nameof(All))]
    public void Backward_matches_finite_differences_and_returns_the_loss(Type network)
        => GenericTest.Run(typeof(SequenceNetworkChecks), nameof(SequenceNetworkChecks.BackwardMatchesFiniteDifferences), network);

    [Theory]
    [MemberData(nameof(All))]
    public void Step_gives_Forward_on_every_prefix_to_the_bit(Type network)
        => GenericTest.Run(typeof(SequenceNetworkChecks), nameof(SequenceNetworkChecks.StepMatchesForwardOnPrefixes), network);

    [Theory]
    [MemberData(nameof(All))]
    public void Backward_adds_to_the_gradients_and_keeps_the_parameters(Type network)
        => GenericTest.Run(typeof(SequenceNetworkChecks), nameof(SequenceNetworkChecks.BackwardAdds), network);

    [Theory]
    [MemberData(nameof(All))]
    public void Seeded_initialisation_is_PyTorchs_uniform_bound_and_reproducible(Type network)
        => GenericTest.Run(typeof(SequenceNetworkChecks), nameof(SequenceNetworkChecks.SeededInitialisation), network);

    [Fact]
    public void Forward_Backward_and_Step_allocate_nothing_after_warm_up()
        => SequenceNetworkChecks.NoAllocationsAfterWarmUp<Q8_Gru17_Lstm16_RnnTanh3_3Softmax_Ce, Q8_Gru17_Lstm16_RnnTanh3_3Softmax_Ce.State>();

    [Fact]
    public void Forward_is_safe_to_call_concurrently()
    {
        var net = new Q6_Gru32_4Softmax_Ce(5);
        var random = new Random(8);
        float[][] sequences = Enumerable.Range(0, 16).Select(i => RandomSamples.Input(random, (5 + i) * 6)).ToArray();
        float[][] expected = sequences.Select(s =>
        {
            float[] y = new float[4];
            net.Forward(s, y);
            return y;
        }).ToArray();

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            float[] y = new float[4];
            for (int round = 0; round < 200; round++)
            {
                int k = (worker + round) % sequences.Length;
                net.Forward(sequences[k], y);
                Assert.Equal(expected[k], y);
            }
        });
    }

    [Fact]
    public void Wrong_lengths_are_argument_exceptions_naming_the_parameter_and_lengths()
    {
        var net = new Q8_Gru17_Lstm16_RnnTanh3_3Softmax_Ce();
        float[] output = new float[3];
        var state = default(Q8_Gru17_Lstm16_RnnTanh3_3Softmax_Ce.State);

        ArgumentException notMultiple = Assert.Throws<ArgumentException>(() => net.Forward(new float[13], output));
        Assert.Equal("sequence", notMultiple.ParamName);
        Assert.Contains("its length 13 is not a multiple of 8", notMultiple.Message);

        ArgumentException empty = Assert.Throws<ArgumentException>(() => net.Backward([], [1f, 0f, 0f]));
        Assert.Equal("sequence", empty.ParamName);
        Assert.Contains("it is empty", empty.Message);

        ArgumentException tooLong = Assert.Throws<ArgumentException>(() => net.Backward(new float[61 * 8], [1f, 0f, 0f]));
        Assert.Equal("sequence", tooLong.ParamName);
        Assert.Contains("it has 61 steps (488 values), more than the network's MaxSteps of 60", tooLong.Message);
        net.Backward(new float[60 * 8], [1f, 0f, 0f]); // exactly MaxSteps is fine
        net.Forward(new float[61 * 8], output); // Forward has no limit

        ArgumentException target = Assert.Throws<ArgumentException>(() => net.Backward(new float[16], [1f, 0f]));
        Assert.Equal("target", target.ParamName);
        Assert.Contains("length 3 but has length 2", target.Message);

        Assert.Equal("output", Assert.Throws<ArgumentException>(() => net.Forward(new float[8], new float[4])).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => net.Step(ref state, new float[7], output)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => net.Step(ref state, new float[8], new float[2])).ParamName);
        Assert.Equal("sequence", Assert.Throws<ArgumentException>(() => net.Predict(new float[9])).ParamName);
    }

    [Fact]
    public void Parameters_follow_PyTorchs_state_dict_order()
    {
        DeclaredSequenceNetwork network = DeclaredSequenceNetwork.Of<Q3_Lstm7_Gru4_2Sigmoid_Bce>();
        string[] names = network.Layers.SelectMany((layer, l) => layer.Blocks.Select(block => $"{l}.{block.Name}[{block.Count}]")).ToArray();
        Assert.Equal(
            ["0.weight_ih[84]", "0.weight_hh[196]", "0.bias_ih[28]", "0.bias_hh[28]", "1.weight_ih[84]", "1.weight_hh[48]", "1.bias_ih[12]", "1.bias_hh[12]", "2.weight[8]", "2.bias[2]"],
            names);
        Assert.Equal(84 + 196 + 28 + 28 + 84 + 48 + 12 + 12 + 8 + 2, Q3_Lstm7_Gru4_2Sigmoid_Bce.ParameterCount);
        Assert.Equal("3-Lstm(7)-Gru(4)-2(Sigmoid), BinaryCrossEntropy", Q3_Lstm7_Gru4_2Sigmoid_Bce.Architecture);
        Assert.Equal("5-Rnn(6,ReLU)-Lstm(9)-8(ReLU)-2(Identity), MeanSquaredError", Q5_RnnReLU6_Lstm9_8ReLU_2Identity_Mse.Architecture);
        Assert.Equal(7 + 7 + 4, Q3_Lstm7_Gru4_2Sigmoid_Bce.StateLength);
    }
}
