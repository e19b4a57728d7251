using System.Linq;
using System.Threading;
using NetGen.Tests;
using NetGen.Training;

namespace NetGen.Conformance;

/// <summary>
/// Forward, Backward, Predict, ZeroGradients, Sgd.Step and Adam.Step allocate nothing once warmed up (tests/NetGen.Tests'
/// AllocationTests and OptimizerAllocationTests), measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/>.
/// </summary>
internal static class AllocationChecks
{
    private const int WarmUpCalls = 300;

    /// <summary>Multiply-adds measured per operation (calls = budget / parameters), so big networks get fewer calls.</summary>
    private const long MultiplyAddBudget = 2_000_000;

    private static readonly string[] Operations = ["Forward", "Backward", "Predict", "ZeroGradients", "Sgd.Step", "Adam.Step"];

    /// <summary>
    /// The runtime may allocate on this thread while a hot method moves to a higher tier in the middle of a
    /// measurement (tests/NetGen.Tests' AllocationTests saw 720 bytes about once in eight runs; under emulation the
    /// background compiler is slower still). So up to five measurements are taken, with a pause before each for the
    /// background compiler, and one must allocate nothing at all in every operation; a network that allocated per
    /// call would allocate in all of them.
    /// </summary>
    private static void NoAllocations<TNet>()
        where TNet : class, INetwork, new()
    {
        var network = DeclaredNetwork.Of<TNet>();
        var random = new Random(3);
        var net = new TNet();
        var adam = new Adam(TNet.ParameterCount, learningRate: 1e-4);
        float[] input = RandomSamples.Input(random, network.Inputs);
        float[] target = RandomSamples.Target(random, network, 0);
        float[] output = new float[network.Output.Units];
        int calls = (int)Math.Clamp(MultiplyAddBudget / TNet.ParameterCount, 20, 5000);
        float sink = 0;
        for (int i = 0; i < WarmUpCalls; i++)
        {
            net.Forward(input, output);
            sink += net.Backward(input, target) + net.Predict(input);
            Sgd.Step(net, 1e-4f);
            net.Backward(input, target);
            adam.Step(net);
            net.ZeroGradients();
        }

        long[] allocated = [];
        int attempts = 0;
        while (attempts < 5 && (attempts == 0 || allocated.Any(bytes => bytes != 0)))
        {
            Thread.Sleep(attempts == 0 ? 100 : 500);
            allocated = Measure(net, adam, input, output, target, calls, ref sink);
            attempts++;
        }

        for (int k = 0; k < Operations.Length; k++)
        {
            Assert.True(allocated[k] == 0, $"{Operations[k]} allocated {allocated[k]} bytes in {calls} calls (measurement {attempts} of {attempts}, bytes per operation: {string.Join(", ", Operations.Zip(allocated, (o, b) => $"{o} {b}"))})");
        }

        Assert.True(!float.IsNaN(sink), "the results went NaN");
    }

    private static long[] Measure<TNet>(TNet net, Adam adam, float[] input, float[] output, float[] target, int calls, ref float sink)
        where TNet : class, INetwork
    {
        long t0 = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            net.Forward(input, output);
            sink += output[0];
        }

        long t1 = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            sink += net.Backward(input, target);
        }

        long t2 = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            sink += net.Predict(input);
        }

        long t3 = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            net.ZeroGradients();
        }

        long t4 = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            Sgd.Step(net, 1e-6f);
        }

        long t5 = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            adam.Step(net);
        }

        long t6 = GC.GetAllocatedBytesForCurrentThread();
        return [t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5];
    }

    /// <summary>
    /// Runs a linked allocation check (SequenceNetworkChecks.NoAllocationsAfterWarmUp, which measures once) up to three
    /// times, after a pause for the background compiler before each retry, and passes if one run passes: for the same
    /// reason as <see cref="NoAllocations{TNet}"/> measures up to five times (the runtime may allocate on this thread
    /// while a method tiers up, more slowly under emulation). Code that allocated per call would fail every run.
    /// </summary>
    public static void WithRetries(Action check)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                check();
                return;
            }
            catch (CheckFailedException e) when (attempt < 3)
            {
                Console.WriteLine($"  note: allocation check attempt {attempt} of 3 failed ({e.Message}); retrying after a pause");
                Thread.Sleep(500);
            }
        }
    }

    /// <summary>
    /// Sgd.Step computes <c>p - lr · g / batch</c> (fused or not: within an ulp of the exact result plus half an ulp of
    /// the product) and clears the gradients to exact zeros.
    /// </summary>
    private static void SgdStepArithmetic<TNet>()
        where TNet : class, INetwork, new()
    {
        var network = DeclaredNetwork.Of<TNet>();
        var random = new Random(11);
        var net = new TNet();
        float[] gradients = RandomSamples.Uniform(random, network.ParameterCount, -3, 3);
        gradients.CopyTo(net.Gradients);
        float[] before = net.Parameters.ToArray();
        const float LearningRate = 0.05f;
        const int BatchSize = 3;
        float scale = -LearningRate / BatchSize;

        Sgd.Step(net, LearningRate, BatchSize);

        ReadOnlySpan<float> after = net.Parameters;
        for (int k = 0; k < before.Length; k++)
        {
            int index = k;
            double product = (double)scale * gradients[k];
            double exact = before[k] + product;
            double tolerance = 1.2e-7 * (Math.Abs(exact) + Math.Abs(product)) + 1e-30;
            Assert.Close(exact, after[k], tolerance, () => $"parameter {index} after Sgd.Step");
        }

        Assert.True(net.Gradients.IndexOfAnyExcept(0f) < 0, "Sgd.Step left a gradient that is not zero");
    }
}
