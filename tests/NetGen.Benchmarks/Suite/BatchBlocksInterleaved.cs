using System;
using System.Diagnostics;
using System.Globalization;
using NetGen.Benchmarks.Networks;

namespace NetGen.Benchmarks.Suite;

/// <summary>
/// A paired check of the batch members (<c>--batch-blocks-ab</c>), in the manner of <see cref="FrozenInterleaved"/>:
/// <c>ForwardBatch</c> over <c>n</c> samples against <c>n</c> calls of <c>Forward</c>, and <c>BackwardBatch</c> over
/// 32 samples against 32 calls of <c>Backward</c>, alternating in batches of about 5 ms (order swapped every round)
/// for <see cref="Rounds"/> rounds, the ratio taken per round. Prints a markdown table: each side's median time per
/// sample (and the fastest round's, what an unloaded machine approaches), the median and quartiles of the ratios
/// (batch / per sample), and the multiply-adds per nanosecond of the batch side (<c>Backward</c>: three products per
/// layer, counted as three times the forward multiply-adds), to set against the FMA limit (AVX-512: 2 × 16 a cycle,
/// 80–112 a nanosecond at 2.5–3.5 GHz).
/// </summary>
internal static class BatchBlocksInterleaved
{
    private const int Rounds = 31;

    private static float _sink;

    /// <summary>Runs the pairs and prints the table.</summary>
    public static void Run()
    {
        Console.WriteLine($"| network | pair | per-sample calls: median (min) per sample | batch: median (min) per sample | batch / per sample: median of {Rounds} rounds | quartiles | batch multiply-adds per ns: median (best) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        Pairs<MnistNet>("mnist 784-128-10", 101_632);
        Pairs<BatchMnistNet>("mnist 784-128-64-10", 109_184);
        Pairs<DigitsNet>("digits 64-32-10", 2_368);
        SequencePairs<Gru32Net>("Gru32 (6 features, 32 steps)", 32, (3_648 * 32) + 128);
        SequencePairs<Lstm64Net>("Lstm64 (13 features, 32 steps)", 32, (256 * (13 + 64) * 32) + 64);
        if (_sink == float.MinValue)
        {
            Console.WriteLine(_sink);
        }
    }

    private static void Pairs<TNet>(string name, long multiplyAdds)
        where TNet : INetwork, new()
    {
        var net = new TNet();
        var random = new Random(20261204);
        const int Most = 256;
        float[] inputs = Verification.RandomInput(random, Most * TNet.InputCount);
        float[] outputs = new float[Most * TNet.OutputCount];
        float[] targets = new float[Most * TNet.OutputCount];
        for (int s = 0; s < Most; s++)
        {
            targets[(s * TNet.OutputCount) + random.Next(TNet.OutputCount)] = 1f;
        }

        foreach (int n in new[] { 1, 8, 32, 256 })
        {
            int samples = n;
            Compare(name, $"Forward n = {n}", samples, multiplyAdds,
                () => net.ForwardBatch(inputs.AsSpan(0, samples * TNet.InputCount), outputs.AsSpan(0, samples * TNet.OutputCount)),
                () =>
                {
                    for (int s = 0; s < samples; s++)
                    {
                        net.Forward(inputs.AsSpan(s * TNet.InputCount, TNet.InputCount), outputs.AsSpan(s * TNet.OutputCount, TNet.OutputCount));
                    }
                });
        }

        const int B = 32;
        Compare(name, $"Backward b = {B}", B, 3 * multiplyAdds,
            () => _sink += net.BackwardBatch(inputs.AsSpan(0, B * TNet.InputCount), targets.AsSpan(0, B * TNet.OutputCount)),
            () =>
            {
                for (int s = 0; s < B; s++)
                {
                    _sink += net.Backward(inputs.AsSpan(s * TNet.InputCount, TNet.InputCount), targets.AsSpan(s * TNet.OutputCount, TNet.OutputCount));
                }
            });
        net.ZeroGradients();
    }

    /// <summary>A sequence network's <c>ForwardBatch</c> over <c>n</c> sequences of <paramref name="steps"/> steps against <c>n</c> calls of <c>Forward</c>.</summary>
    private static void SequencePairs<TNet>(string name, int steps, long multiplyAdds)
        where TNet : INetwork, new()
    {
        var net = new TNet();
        var random = new Random(20261205);
        int perSequence = steps * TNet.InputCount;
        const int Most = 256;
        float[] inputs = Verification.RandomInput(random, Most * perSequence);
        float[] outputs = new float[Most * TNet.OutputCount];
        foreach (int n in new[] { 1, 8, 32, 256 })
        {
            int samples = n;
            Compare(name, $"Forward n = {n}", samples, multiplyAdds,
                () => net.ForwardBatch(inputs.AsSpan(0, samples * perSequence), outputs.AsSpan(0, samples * TNet.OutputCount)),
                () =>
                {
                    for (int s = 0; s < samples; s++)
                    {
                        net.Forward(inputs.AsSpan(s * perSequence, perSequence), outputs.AsSpan(s * TNet.OutputCount, TNet.OutputCount));
                    }
                });
        }
    }

    private static void Compare(string name, string pair, int samples, long multiplyAdds, Action batch, Action single)
    {
        long Time(Action action, int calls)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                action();
            }

            return Stopwatch.GetTimestamp() - start;
        }

        long ticks = Math.Max(1, Time(single, 20) / 20);
        int calls = (int)Math.Clamp(Stopwatch.Frequency / 200 / ticks, 5, 10_000_000);
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 1500)
        {
            Time(batch, calls / 5 + 1);
            Time(single, calls / 5 + 1);
            System.Threading.Thread.Sleep(5);
        }

        double[] batchNs = new double[Rounds], singleNs = new double[Rounds], ratios = new double[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            long b, s;
            if (round % 2 == 0)
            {
                b = Time(batch, calls);
                s = Time(single, calls);
            }
            else
            {
                s = Time(single, calls);
                b = Time(batch, calls);
            }

            batchNs[round] = b * 1e9 / Stopwatch.Frequency / calls / samples;
            singleNs[round] = s * 1e9 / Stopwatch.Frequency / calls / samples;
            ratios[round] = (double)b / s;
        }

        Array.Sort(ratios);
        Array.Sort(batchNs);
        Array.Sort(singleNs);
        double batchMedian = batchNs[Rounds / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {pair} | {singleNs[Rounds / 2]:0} ({singleNs[0]:0}) ns | {batchMedian:0} ({batchNs[0]:0}) ns | {ratios[Rounds / 2]:0.000} | {ratios[Rounds / 4]:0.000} – {ratios[3 * Rounds / 4]:0.000} | {multiplyAdds / batchMedian:0.0} ({multiplyAdds / batchNs[0]:0.0}) |"));
    }
}

/// <summary>mnist 784-128-64-10: two ReLU layers, softmax, cross-entropy (109,184 multiply-adds); the batch check's second network.</summary>
[Network(784, Loss = Loss.CrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public sealed partial class BatchMnistNet { }
