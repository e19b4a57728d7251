using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;
using NetGen.Data;
using NetGen.Samples.Digits;
using NetGen.Training;

namespace NetGen.Samples.Browser;

/// <summary>One operation's measured time.</summary>
/// <param name="Name">What was timed.</param>
/// <param name="MedianNanoseconds">The median over the rounds of the mean time per call, in nanoseconds.</param>
/// <param name="FastestNanoseconds">The fastest round's mean time per call, in nanoseconds.</param>
/// <param name="CallsPerRound">The calls timed in each round.</param>
/// <param name="Rounds">The rounds timed (after one warm-up round).</param>
public sealed record OperationTime(string Name, double MedianNanoseconds, double FastestNanoseconds, int CallsPerRound, int Rounds);

/// <summary>What <see cref="SpeedMeasurement.MeasureAsync"/> measured, and where.</summary>
/// <param name="Forward"><c>Forward</c> of one image.</param>
/// <param name="Backward"><c>Backward</c> of one image (forward pass, loss and gradients added), no optimizer step.</param>
/// <param name="TrainStep">One training step on one image: <c>Backward</c>, then <c>Sgd.Step</c> (batch 1, as in docs/benchmarks.md).</param>
/// <param name="AdamBatch">The page's training: a mini-batch of 32 <c>Backward</c> calls and one <c>Adam</c> step, per image.</param>
/// <param name="Environment">The runtime and its vector support, one line.</param>
public sealed record SpeedResult(OperationTime Forward, OperationTime Backward, OperationTime TrainStep, OperationTime AdamBatch, string Environment);

/// <summary>
/// Times NetGen's generated <c>Forward</c> and a training step where the page runs (in the browser: the .NET
/// WebAssembly runtime's interpreter), with a <see cref="Stopwatch"/> over many calls.
/// </summary>
/// <remarks>
/// Each operation first runs for <see cref="WarmUpMilliseconds"/> untimed (so that the runtime compiles its hot paths)
/// and then for <see cref="Rounds"/> timed rounds of about <see cref="RoundMilliseconds"/> each; the page's thread goes
/// back to the browser between rounds. Timed on copies of the given network, whose weights are left alone; the inputs cycle through
/// the given images.
/// </remarks>
public static class SpeedMeasurement
{
    /// <summary>Timed rounds per operation; the median is reported.</summary>
    public const int Rounds = 5;

    /// <summary>The length of a round to aim for: long enough for the browser's coarse clock (0.1 ms or worse).</summary>
    public const double RoundMilliseconds = 200;

    /// <summary>How long each operation runs before it is timed.</summary>
    public const double WarmUpMilliseconds = 500;

    private const int BatchSize = DigitsExperiment.DefaultBatchSize;

    /// <summary>Times <c>Forward</c>, <c>Backward</c>, a batch-1 training step and an Adam mini-batch.</summary>
    /// <param name="network">The network whose weights to time with (copied).</param>
    /// <param name="images">Scaled images with one-hot targets, cycled through as inputs.</param>
    /// <param name="yieldToHost">Gives the thread back to the browser between rounds (for example <c>Task.Delay(1)</c>).</param>
    public static async Task<SpeedResult> MeasureAsync(DigitsNet network, Dataset images, Func<Task> yieldToHost)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(yieldToHost);
        float[] output = new float[DigitsNet.OutputCount];
        float sink = 0; // keeps every result in use

        DigitsNet forwardNet = Copy(network);
        OperationTime forward = await TimeAsync("Forward", 1, yieldToHost, (start, calls) =>
        {
            for (int i = 0; i < calls; i++)
            {
                forwardNet.Forward(images.Features((start + i) % images.Count), output);
                sink += output[0];
            }
        });

        DigitsNet backwardNet = Copy(network);
        OperationTime backward = await TimeAsync("Backward", 1, yieldToHost, (start, calls) =>
        {
            for (int i = 0; i < calls; i++)
            {
                int index = (start + i) % images.Count;
                sink += backwardNet.Backward(images.Features(index), images.Target(index));
            }

            backwardNet.ZeroGradients(); // only so that the sums stay small; once per round
        });

        DigitsNet sgdNet = Copy(network);
        OperationTime trainStep = await TimeAsync("Backward + Sgd.Step (batch 1)", 1, yieldToHost, (start, calls) =>
        {
            for (int i = 0; i < calls; i++)
            {
                int index = (start + i) % images.Count;
                sink += sgdNet.Backward(images.Features(index), images.Target(index));
                Sgd.Step(sgdNet, 0.001f);
            }
        });

        DigitsNet adamNet = Copy(network);
        var adam = new Adam(DigitsNet.ParameterCount, DigitsExperiment.DefaultLearningRate);
        OperationTime adamBatch = await TimeAsync($"{BatchSize} x Backward + Adam.Step, per image", BatchSize, yieldToHost, (start, batches) =>
        {
            for (int b = 0; b < batches; b++)
            {
                for (int i = 0; i < BatchSize; i++)
                {
                    int index = ((start + b) * BatchSize + i) % images.Count;
                    sink += adamNet.Backward(images.Features(index), images.Target(index));
                }

                adam.Step(adamNet, BatchSize);
            }
        });

        if (!float.IsFinite(sink))
        {
            throw new InvalidOperationException($"The timed calls produced a non-finite value ({sink}).");
        }

        return new SpeedResult(forward, backward, trainStep, adamBatch, DescribeEnvironment());
    }

    /// <summary>The runtime, the architecture and which vector types are hardware-accelerated there, one line.</summary>
    public static string DescribeEnvironment() =>
        $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}; "
        + $"Vector128.IsHardwareAccelerated {Vector128.IsHardwareAccelerated}, "
        + $"Vector256.IsHardwareAccelerated {Vector256.IsHardwareAccelerated}, "
        + $"Vector<float>.Count {Vector<float>.Count}, "
        + $"PackedSimd.IsSupported {System.Runtime.Intrinsics.Wasm.PackedSimd.IsSupported}, "
        + $"FMA: x86 {System.Runtime.Intrinsics.X86.Fma.IsSupported}, Arm {System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported}";

    // run(start, count) performs `count` operations; each operation is `perOperation` calls of what is reported.
    private static async Task<OperationTime> TimeAsync(string name, int perOperation, Func<Task> yieldToHost, Action<int, int> run)
    {
        // Warm-up until the code has run for WarmUpMilliseconds, in growing batches with the thread handed back in
        // between: long enough for the JIT to move hot methods to their optimized tier, or for the browser runtime's
        // jiterpreter to compile its traces. The last batch's rate sizes the rounds.
        int count = Math.Max(1, 16 / perOperation);
        double warmedUp = 0;
        double last;
        int done = 0;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            run(done, count);
            last = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            done += count;
            warmedUp += last;
            await yieldToHost();
            if (warmedUp >= WarmUpMilliseconds)
            {
                break;
            }

            if (last < RoundMilliseconds / 4)
            {
                count *= 2;
            }
        }

        int perRound = (int)Math.Clamp(count * RoundMilliseconds / Math.Max(last, 0.1), 1, 10_000_000);
        double[] perCall = new double[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            run(round * perRound, perRound);
            perCall[round] = Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1e6 / ((double)perRound * perOperation);
            await yieldToHost();
        }

        Array.Sort(perCall);
        return new OperationTime(name, perCall[Rounds / 2], perCall[0], perRound * perOperation, Rounds);
    }

    private static DigitsNet Copy(DigitsNet network)
    {
        var copy = new DigitsNet();
        network.Parameters.CopyTo(copy.Parameters);
        return copy;
    }
}
