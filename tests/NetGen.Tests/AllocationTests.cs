using System.Linq;

namespace NetGen.Tests;

/// <summary>Forward, Backward and Predict allocate nothing once warmed up, whatever the code shape.</summary>
public sealed class AllocationTests
{
    private const int WarmUpCalls = 200;
    private const int MeasuredCalls = 5000;

    [Fact]
    public void Unrolled_network_does_not_allocate() => AssertNoAllocations<N5_7Tanh_6Sigmoid_4Softmax_Ce>(MeasuredCalls);

    [Fact]
    public void Unrolled_network_with_locals_and_a_budget_spent_loop_does_not_allocate()
        => AssertNoAllocations<N8_16Tanh_8Sigmoid_16LeakyReLU_8Tanh_16Identity_Mse>(MeasuredCalls);

    [Fact]
    public void Loop_shaped_network_does_not_allocate() => AssertNoAllocations<N257_17Tanh_33ReLU_300Sigmoid_5Identity_Mse>(MeasuredCalls / 5);

    [Fact]
    public void Largest_loop_shaped_network_does_not_allocate() => AssertNoAllocations<N300_257LeakyReLU_10Softmax_Ce>(MeasuredCalls / 20);

    [Fact]
    public void Mixed_shape_network_does_not_allocate() => AssertNoAllocations<N150_1LeakyReLU_100Tanh_3Sigmoid_Bce>(MeasuredCalls);

    /// <summary>
    /// The runtime itself may allocate once while it re-compiles a hot method at a higher tier in the middle of a
    /// measurement (seen about once in eight runs: 720 bytes). So up to three measurements are taken and one of them
    /// must allocate nothing at all; a network that allocated per call would allocate in every one.
    /// </summary>
    private static void AssertNoAllocations<TNet>(int calls)
        where TNet : class, INetwork, new()
    {
        var network = DeclaredNetwork.Of<TNet>();
        var random = new Random(3);
        var net = new TNet();
        float[] input = RandomSamples.Input(random, network.Inputs);
        float[] target = RandomSamples.Target(random, network, 0);
        float[] output = new float[network.Output.Units];
        float sink = 0;
        for (int i = 0; i < WarmUpCalls; i++)
        {
            net.Forward(input, output);
            sink += net.Backward(input, target) + net.Predict(input);
        }

        long[] allocated = [];
        for (int attempt = 0; attempt < 3 && (attempt == 0 || allocated.Any(bytes => bytes != 0)); attempt++)
        {
            allocated = Measure(net, input, output, target, calls, ref sink);
        }

        Assert.Equal([0L, 0L, 0L, 0L], allocated); // Forward, Backward, Predict, ZeroGradients
        Assert.False(float.IsNaN(sink));
    }

    private static long[] Measure<TNet>(TNet net, float[] input, float[] output, float[] target, int calls, ref float sink)
        where TNet : class, INetwork
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            net.Forward(input, output);
            sink += output[0];
        }

        long afterForward = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            sink += net.Backward(input, target);
        }

        long afterBackward = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            sink += net.Predict(input);
        }

        long afterPredict = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            net.ZeroGradients();
        }

        long afterZero = GC.GetAllocatedBytesForCurrentThread();
        return [afterForward - before, afterBackward - afterForward, afterPredict - afterBackward, afterZero - afterPredict];
    }
}
