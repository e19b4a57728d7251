using System.Linq;
using System.Text.RegularExpressions;

namespace NetGen.Tests;

/// <summary>
/// Wrong-length spans throw an <see cref="ArgumentException"/> that names the parameter and states both lengths,
/// before anything is written: parameters, gradients and the caller's output buffer stay as they were.
/// </summary>
public sealed class ArgumentValidationTests
{
    public static TheoryData<Type> Networks => new(
        typeof(N5_3Softmax_Ce),                       // unrolled
        typeof(N1_1Identity_Mse),                     // lengths 1: the wrong ones are 0 and 2
        typeof(N6_16Sigmoid_17Tanh_2Identity_Mse),    // mixed
        typeof(N300_257LeakyReLU_10Softmax_Ce));      // loops

    [Theory]
    [MemberData(nameof(Networks))]
    public void Forward_rejects_wrong_input_and_output_lengths(Type network)
        => GenericTest.Run(typeof(ArgumentValidationTests), nameof(ForwardRejects), network);

    [Theory]
    [MemberData(nameof(Networks))]
    public void Backward_rejects_wrong_input_and_target_lengths_without_touching_the_gradients(Type network)
        => GenericTest.Run(typeof(ArgumentValidationTests), nameof(BackwardRejects), network);

    [Theory]
    [MemberData(nameof(Networks))]
    public void Predict_rejects_a_wrong_input_length(Type network)
        => GenericTest.Run(typeof(ArgumentValidationTests), nameof(PredictRejects), network);

    private static void ForwardRejects<TNet>()
        where TNet : class, INetwork, new()
    {
        (TNet net, Snapshot before) = Prepare<TNet>();
        int inputs = TNet.InputCount;
        int outputs = TNet.OutputCount;
        foreach (int wrong in WrongLengths(inputs))
        {
            float[] output = Filled(outputs, 42f);
            AssertRejected("input", inputs, wrong, () => net.Forward(new float[wrong], output));
            Assert.All(output, v => Assert.Equal(42f, v));
            before.AssertUnchanged(net);
        }

        foreach (int wrong in WrongLengths(outputs))
        {
            float[] output = Filled(wrong, 42f);
            AssertRejected("output", outputs, wrong, () => net.Forward(new float[inputs], output));
            Assert.All(output, v => Assert.Equal(42f, v));
            before.AssertUnchanged(net);
        }
    }

    private static void BackwardRejects<TNet>()
        where TNet : class, INetwork, new()
    {
        (TNet net, Snapshot before) = Prepare<TNet>();
        int inputs = TNet.InputCount;
        int outputs = TNet.OutputCount;
        float[] target = new float[outputs];
        target[0] = 1f;
        foreach (int wrong in WrongLengths(inputs))
        {
            AssertRejected("input", inputs, wrong, () => net.Backward(new float[wrong], target));
            before.AssertUnchanged(net);
        }

        foreach (int wrong in WrongLengths(outputs))
        {
            AssertRejected("target", outputs, wrong, () => net.Backward(new float[inputs], Filled(wrong, 0.5f)));
            before.AssertUnchanged(net);
        }

        // The network still works afterwards, and the same calls with the right lengths do change the gradients.
        net.Backward(Filled(inputs, 0.5f), target);
        Assert.NotEqual(before.Gradients, net.Gradients.ToArray());
    }

    private static void PredictRejects<TNet>()
        where TNet : class, INetwork, new()
    {
        (TNet net, Snapshot before) = Prepare<TNet>();
        foreach (int wrong in WrongLengths(TNet.InputCount))
        {
            AssertRejected("input", TNet.InputCount, wrong, () => net.Predict(new float[wrong]));
            before.AssertUnchanged(net);
        }
    }

    /// <summary>A network with non-zero gradients, so that a partial write before the check would show.</summary>
    private static (TNet Net, Snapshot Before) Prepare<TNet>()
        where TNet : class, INetwork, new()
    {
        var net = new TNet();
        RandomSamples.Uniform(new Random(11), TNet.ParameterCount, -1, 1).CopyTo(net.Gradients);
        return (net, new Snapshot(net.Parameters.ToArray(), net.Gradients.ToArray()));
    }

    private static int[] WrongLengths(int expected) => new[] { 0, expected - 1, expected + 1, (2 * expected) + 3 }.Where(n => n >= 0 && n != expected).Distinct().ToArray();

    private static float[] Filled(int length, float value) => Enumerable.Repeat(value, length).ToArray();

    private static void AssertRejected(string parameter, int expected, int actual, Action call)
    {
        ArgumentException exception = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(parameter, exception.ParamName);
        Assert.Matches($@"\b{expected}\b", exception.Message);
        Assert.Matches($@"\b{actual}\b", exception.Message);
    }

    private sealed record Snapshot(float[] Parameters, float[] Gradients)
    {
        public void AssertUnchanged(INetwork net)
        {
            Assert.Equal(Parameters, net.Parameters.ToArray());
            Assert.Equal(Gradients, net.Gradients.ToArray());
        }
    }
}
