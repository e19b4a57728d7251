using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NetGen.Benchmarks.Suite;

/// <summary>
/// A paired check of the batch benchmarks (<see cref="BatchForwardBenchmarks{TNet}"/>, <see cref="BatchTrainBenchmarks{TNet}"/>)
/// for a shared, noisy machine (<c>--batch-ab [digits] [mnist] [deep]</c>): per network, NetGen's <c>ForwardBatch</c> at
/// N = 256 against the per-sample <c>Forward</c> loop, <c>ForwardBatch</c> at N = 1 and ONNX Runtime at N = 256, then the
/// training step at B = 32 (<c>BackwardBatch</c> + <c>Sgd.Step</c> against the per-sample <c>Backward</c> loop and the
/// naive batched step), in alternating batches with per-round ratios (<see cref="RecurrentInterleaved.Compare"/>). The
/// candidates are the benchmark classes' own methods on their own setups (same data, same verification), each call 256
/// samples; times are per sample. Prints a markdown table.
/// </summary>
internal static class BatchInterleaved
{
    /// <summary>Runs every network (or those named in <paramref name="only"/>) and prints the table.</summary>
    public static void Run(IReadOnlyCollection<string> only)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// load average at start: {RecurrentInterleaved.LoadAverage()}; Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Vector256 {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}, FMA {System.Runtime.Intrinsics.X86.Fma.IsSupported}"));
        Console.WriteLine($"| network | category | implementation | median per sample | / first row: median of {RecurrentInterleaved.Rounds} paired rounds | quartiles |");
        Console.WriteLine("|---|---|---|---:|---:|---:|");
        if (only.Count == 0 || only.Contains("digits"))
        {
            DigitsBatchForward batch = new() { N = 256 }, single = new() { N = 1 };
            DigitsBatchTrain train = new() { B = 32 };
            RunNetwork("digits", batch, single, train, batch.Forward_NetGen, batch.Forward_NetGenLoop, single.Forward_NetGen, train.Train_NetGen, train.Train_NetGenLoop);
        }

        if (only.Count == 0 || only.Contains("mnist"))
        {
            MnistBatchForward batch = new() { N = 256 }, single = new() { N = 1 };
            MnistBatchTrain train = new() { B = 32 };
            RunNetwork("mnist", batch, single, train, batch.Forward_NetGen, batch.Forward_NetGenLoop, single.Forward_NetGen, train.Train_NetGen, train.Train_NetGenLoop);
        }

        if (only.Count == 0 || only.Contains("deep"))
        {
            DeepBatchForward batch = new() { N = 256 }, single = new() { N = 1 };
            DeepBatchTrain train = new() { B = 32 };
            RunNetwork("deep", batch, single, train, batch.Forward_NetGen, batch.Forward_NetGenLoop, single.Forward_NetGen, train.Train_NetGen, train.Train_NetGenLoop);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// load average at end: {RecurrentInterleaved.LoadAverage()}"));
    }

    private static void RunNetwork<TNet>(
        string network,
        BatchForwardBenchmarks<TNet> batch,
        BatchForwardBenchmarks<TNet> single,
        BatchTrainBenchmarks<TNet> train,
        Action forwardBatch,
        Action forwardLoop,
        Action forwardBatchOfOne,
        Func<float> trainBatch,
        Func<float> trainLoop)
        where TNet : class, INetwork, new()
    {
        batch.Setup();
        single.Setup();
        train.Setup();
        try
        {
            float sink = 0f;
            const int Samples = BatchData.Samples;
            RecurrentInterleaved.Compare(network, "Forward",
            [
                ("NetGen ForwardBatch, N = 256", calls => RecurrentInterleaved.Timed(calls, forwardBatch)),
                ("NetGen Forward per sample", calls => RecurrentInterleaved.Timed(calls, forwardLoop)),
                ("NetGen ForwardBatch, N = 1", calls => RecurrentInterleaved.Timed(calls, forwardBatchOfOne)),
                ("ONNX Runtime, N = 256", calls => RecurrentInterleaved.Timed(calls, batch.Forward_OnnxRuntime)),
            ], Samples);
            RecurrentInterleaved.Compare(network, "Train, B = 32",
            [
                ("NetGen BackwardBatch + Sgd.Step", calls => RecurrentInterleaved.Timed(calls, () => sink += trainBatch())),
                ("NetGen Backward per sample + Sgd.Step", calls => RecurrentInterleaved.Timed(calls, () => sink += trainLoop())),
                ("naive BackwardBatch + Step", calls => RecurrentInterleaved.Timed(calls, () => sink += train.Train_Naive())),
            ], Samples);
            if (float.IsNaN(sink))
            {
                Console.WriteLine($"// {network}: the training loss became NaN");
            }
        }
        finally
        {
            batch.Cleanup();
            single.Cleanup();
        }
    }
}
