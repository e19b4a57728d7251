using System.Linq;
using NetGen.Training;

namespace NetGen.Tests;

/// <summary>Optimizer steps, with and without clipping, and schedules allocate nothing once warmed up.</summary>
public sealed class OptimizerAllocationTests
{
    private const int WarmUpSteps = 200;
    private const int MeasuredSteps = 2000;

    public static TheoryData<string, bool> Configurations => OptimizerCatalog.NamesWithClipping;

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Step_does_not_allocate(string name, bool clip)
    {
        var net = GenericTest.Create<N64_33Sigmoid_9LeakyReLU_Mse>(3);
        float[] parameters = net.Parameters.ToArray();
        float[] gradients = new float[parameters.Length];
        Optimizer optimizer = OptimizerCatalog.Create(name, parameters.Length, clip ? 0.5 : null);
        LearningRateSchedule[] schedules = OptimizerCatalog.Schedules(optimizer.LearningRate);
        float[] input = new float[N64_33Sigmoid_9LeakyReLU_Mse.InputCount];
        float[] target = new float[N64_33Sigmoid_9LeakyReLU_Mse.OutputCount];
        input.AsSpan().Fill(0.25f);
        net.Backward(input, target);
        for (int i = 0; i < WarmUpSteps; i++)
        {
            Steps(optimizer, schedules, net, parameters, gradients, i);
        }

        long[] allocated = [];
        for (int attempt = 0; attempt < 3 && (attempt == 0 || allocated.Any(bytes => bytes != 0)); attempt++)
        {
            allocated = Measure(optimizer, schedules, net, parameters, gradients);
        }

        Assert.Equal([0L, 0L, 0L], allocated); // Step(network), Step(spans), schedules
        Assert.DoesNotContain(parameters, float.IsNaN);
    }

    private static void Steps(Optimizer optimizer, LearningRateSchedule[] schedules, N64_33Sigmoid_9LeakyReLU_Mse net, float[] parameters, float[] gradients, int i)
    {
        optimizer.Step(net, batchSize: 4);
        optimizer.Step(parameters, gradients, batchSize: 4);
        schedules[i % schedules.Length].Apply(optimizer, i % 20);
    }

    /// <summary>
    /// As in <see cref="AllocationTests"/>: the runtime may allocate once while re-compiling a hot method, so the caller
    /// takes up to three measurements and one must be all zeros; an optimizer that allocated per step never would be.
    /// </summary>
    private static long[] Measure(Optimizer optimizer, LearningRateSchedule[] schedules, N64_33Sigmoid_9LeakyReLU_Mse net, float[] parameters, float[] gradients)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < MeasuredSteps; i++)
        {
            optimizer.Step(net, batchSize: 4);
        }

        long afterNetwork = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < MeasuredSteps; i++)
        {
            optimizer.Step(parameters, gradients, batchSize: 4);
        }

        long afterSpans = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < MeasuredSteps; i++)
        {
            schedules[i % schedules.Length].Apply(optimizer, i % 20);
        }

        long afterSchedules = GC.GetAllocatedBytesForCurrentThread();
        return [afterNetwork - before, afterSpans - afterNetwork, afterSchedules - afterSpans];
    }
}
