using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen.Benchmarks.Networks;
using NetGen.Benchmarks.Onnx;
using NetGen.Benchmarks.Reference;
using NetGen.Training;

namespace NetGen.Benchmarks.Suite;

/// <summary>
/// A paired check of the sequence benchmarks (<see cref="RecurrentBenchmarks{TNet}"/>) for a shared, noisy machine
/// (<c>--recurrent-ab</c>): the implementations of one network and category run in alternating batches of about 5 ms
/// (the order rotated every round) for <see cref="Rounds"/> rounds, and each one's ratio to NetGen is taken per round,
/// so both sides of every ratio ran under the same load. Same networks, weights, sequences and verification as the
/// benchmarks. Prints a markdown table: median time per call and the median and quartiles of the per-round ratios
/// (implementation / NetGen, so above 1 means NetGen is faster). Useful for a quick comparison on another instruction
/// set too: run it under <c>DOTNET_EnableAVX2=0</c> (ONNX Runtime, native code, does not follow that switch).
/// </summary>
internal static class RecurrentInterleaved
{
    /// <summary>The paired rounds of <see cref="Compare"/>.</summary>
    internal const int Rounds = 31;

    /// <summary>The frozen copy of NetGen before issue 12's recurrent performance work (Baseline/README.md).</summary>
    private const string BaselineName = "NetGen at 67ac620";

    private static float _sink;

    /// <summary>Runs both networks (or those named in <paramref name="only"/>) and prints the table.</summary>
    public static void Run(IReadOnlyCollection<string> only)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// load average at start: {LoadAverage()}; Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Vector256 {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}, Vector<float>.Count {System.Numerics.Vector<float>.Count}, FMA {System.Runtime.Intrinsics.X86.Fma.IsSupported}"));
        Console.WriteLine($"| network | category | implementation | median per call | / NetGen: median of {Rounds} paired rounds | quartiles |");
        Console.WriteLine("|---|---|---|---:|---:|---:|");
        if (only.Count == 0 || only.Contains("gru32"))
        {
            RunNetwork<Gru32Net, Baseline.Gru32Net>(
                RecurrentSpec.Gru32, (net, s, o) => net.Forward(s, o), (net, s, t) => net.Backward(s, t), (net, s, o) => net.Forward(s, o), (net, s, t) => net.Backward(s, t));
        }

        if (only.Count == 0 || only.Contains("lstm64"))
        {
            RunNetwork<Lstm64Net, Baseline.Lstm64Net>(
                RecurrentSpec.Lstm64, (net, s, o) => net.Forward(s, o), (net, s, t) => net.Backward(s, t), (net, s, o) => net.Forward(s, o), (net, s, t) => net.Backward(s, t));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// load average at end: {LoadAverage()}"));
        if (_sink == float.MinValue)
        {
            Console.WriteLine(_sink);
        }
    }

    /// <summary>
    /// <c>--recurrent-loop NAME forward|train SECONDS</c>: NetGen's <c>Forward</c> or training step of one network in a loop
    /// for that long, nothing else, for a sampling profiler (<c>perf record</c> with <c>DOTNET_PerfMapEnabled=1</c>) or the
    /// JIT's disassembly (<c>DOTNET_JitDisasm</c>); prints the time per call.
    /// </summary>
    public static void Loop(string network, string what, double seconds)
    {
        switch (network)
        {
            case "gru32":
                Loop<Gru32Net>(RecurrentSpec.Gru32, what, seconds, (net, s, o) => net.Forward(s, o), (net, s, t) => net.Backward(s, t));
                break;
            case "lstm64":
                Loop<Lstm64Net>(RecurrentSpec.Lstm64, what, seconds, (net, s, o) => net.Forward(s, o), (net, s, t) => net.Backward(s, t));
                break;
            default:
                throw new ArgumentException($"Unknown network {network}: gru32 or lstm64.", nameof(network));
        }
    }

    private static void Loop<TNet>(RecurrentSpec spec, string what, double seconds, Action<TNet, float[], float[]> forward, Func<TNet, float[], float[], float> backward)
        where TNet : class, INetwork, new()
    {
        var net = new TNet();
        RecurrentData data = RecurrentData.Create(spec, RecurrentBenchmarks<TNet>.TrainingSampleCount, RecurrentBenchmarks<TNet>.DataSeed);
        var output = new float[spec.Outputs];
        bool train = what == "train";
        var clock = Stopwatch.StartNew();
        long calls = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 100; i++, calls++)
            {
                if (train)
                {
                    int k = (int)(calls & 7);
                    _sink += backward(net, data.TrainingSequences[k], data.TrainingTargets[k]);
                    Sgd.Step(net, 0.01f);
                }
                else
                {
                    forward(net, data.Sequence, output);
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{spec.Name} {what}: {calls} calls, {clock.Elapsed.TotalMilliseconds * 1000 / calls:0.00} µs a call (load {LoadAverage()})"));
    }

    private static void RunNetwork<TNet, TBase>(
        RecurrentSpec spec,
        Action<TNet, float[], float[]> forward,
        Func<TNet, float[], float[], float> backward,
        Action<TBase, float[], float[]> baseForward,
        Func<TBase, float[], float[], float> baseBackward)
        where TNet : class, INetwork, new()
        where TBase : class, INetwork, new()
    {
        var net = new TNet();
        var baseline = new TBase();
        CheckBaseline(spec, net, baseline);
        var naive = new NaiveRecurrentNetwork(spec, net.Parameters);
        using OnnxRuntimeNetwork onnx = RecurrentBenchmarks<TNet>.CreateOnnxRuntime(spec);
        RecurrentData data = RecurrentData.Create(spec, RecurrentBenchmarks<TNet>.TrainingSampleCount, RecurrentBenchmarks<TNet>.DataSeed);
        Verification.CheckRecurrent(spec, net, naive, onnx, [data.Sequence, .. data.TrainingSequences], data.TrainingSequences[0], data.TrainingTargets[0], 0.01f);
        data.Sequence.CopyTo(onnx.Input);
        var output = new float[spec.Outputs];
        int sample = 0;

        void NetGenTrain()
        {
            int k = sample = (sample + 1) & 7;
            _sink += backward(net, data.TrainingSequences[k], data.TrainingTargets[k]);
            Sgd.Step(net, 0.01f);
        }

        void BaselineTrain()
        {
            int k = sample = (sample + 1) & 7;
            _sink += baseBackward(baseline, data.TrainingSequences[k], data.TrainingTargets[k]);
            Sgd.Step(baseline, 0.01f);
        }

        void NaiveTrain()
        {
            int k = sample = (sample + 1) & 7;
            _sink += naive.Backward(data.TrainingSequences[k], data.TrainingTargets[k]);
            naive.Step(0.01f);
        }

        Compare(spec.Name, "Forward",
        [
            ("NetGen", calls => Timed(calls, () => forward(net, data.Sequence, output))),
            (BaselineName, calls => Timed(calls, () => baseForward(baseline, data.Sequence, output))),
            ("ONNX Runtime", calls => Timed(calls, onnx.Run)),
            ("naive", calls => Timed(calls, () => naive.Forward(data.Sequence, output))),
        ]);
        Compare(spec.Name, "Train",
        [
            ("NetGen", calls => Timed(calls, NetGenTrain)),
            (BaselineName, calls => Timed(calls, BaselineTrain)),
            ("naive", calls => Timed(calls, NaiveTrain)),
        ]);
    }

    /// <summary>
    /// The baseline copy starts from the same weights (the current initialiser, same seed) and computes the same outputs
    /// and gradients to rounding (the kernels may sum in another order).
    /// </summary>
    private static void CheckBaseline<TNet, TBase>(RecurrentSpec spec, TNet net, TBase baseline)
        where TNet : class, INetwork
        where TBase : class, INetwork
    {
        if (!net.Parameters.SequenceEqual(baseline.Parameters))
        {
            throw new InvalidOperationException($"{spec}: the baseline copy's weights differ from NetGen's.");
        }

        RecurrentData data = RecurrentData.Create(spec, 2, 7);
        var expected = new float[spec.Outputs];
        var actual = new float[spec.Outputs];
        net.Forward(data.Sequence, expected);
        baseline.Forward(data.Sequence, actual);
        net.ZeroGradients();
        baseline.ZeroGradients();
        float loss = net.Backward(data.TrainingSequences[0], data.TrainingTargets[0]);
        float baseLoss = baseline.Backward(data.TrainingSequences[0], data.TrainingTargets[0]);
        double worst = Math.Abs(loss - baseLoss) / Math.Abs(loss);
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]) / Math.Max(1e-3, Math.Abs(expected[i])));
        }

        float scale = 0f;
        foreach (float g in net.Gradients)
        {
            scale = MathF.Max(scale, MathF.Abs(g));
        }

        double gradients = 0;
        for (int i = 0; i < spec.ParameterCount; i++)
        {
            gradients = Math.Max(gradients, Math.Abs(net.Gradients[i] - baseline.Gradients[i]) / (Math.Abs(net.Gradients[i]) + (0.01 * scale)));
        }

        net.ZeroGradients();
        baseline.ZeroGradients();
        if (worst > 1e-5 || gradients > 1e-4)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{spec}: the baseline copy differs from NetGen: outputs and loss {worst:0.0e0}, gradients {gradients:0.0e0}."));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {spec}: {BaselineName} against NetGen: outputs and loss {worst:0.0e0}, gradients {gradients:0.0e0}"));
    }

    /// <summary>Runs <paramref name="body"/> <paramref name="calls"/> times in a loop and returns the elapsed ticks: a candidate of <see cref="Compare"/>.</summary>
    internal static long Timed(int calls, Action body)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            body();
        }

        return Stopwatch.GetTimestamp() - start;
    }

    /// <summary>
    /// Times the candidates in alternating batches and prints one table row each; the first is the reference of the
    /// ratios. A candidate runs the given number of calls and returns the elapsed ticks; the time column is per call
    /// divided by <paramref name="unitsPerCall"/> (the batch benchmarks report per sample). Shared with
    /// <see cref="BatchInterleaved"/>.
    /// </summary>
    internal static void Compare(string network, string category, (string Name, Func<int, long> Run)[] candidates, int unitsPerCall = 1)
    {
        // Calls per batch: about 5 ms of each candidate (measured after a first call each).
        int[] calls = new int[candidates.Length];
        for (int c = 0; c < candidates.Length; c++)
        {
            candidates[c].Run(1);
            long ticks = Math.Max(1, candidates[c].Run(3));
            calls[c] = (int)Math.Clamp(3L * Stopwatch.Frequency / 200 / ticks, 1, 1_000_000);
        }

        // Warm-up, 1.5 s: past tiered compilation of every candidate.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 1500)
        {
            for (int c = 0; c < candidates.Length; c++)
            {
                candidates[c].Run(Math.Max(1, calls[c] / 5));
            }

            System.Threading.Thread.Sleep(5);
        }

        var perCall = new double[candidates.Length][];
        var ratios = new double[candidates.Length][];
        for (int c = 0; c < candidates.Length; c++)
        {
            perCall[c] = new double[Rounds];
            ratios[c] = new double[Rounds];
        }

        for (int round = 0; round < Rounds; round++)
        {
            for (int n = 0; n < candidates.Length; n++)
            {
                int c = (n + round) % candidates.Length; // rotate the order
                perCall[c][round] = candidates[c].Run(calls[c]) * 1e9 / Stopwatch.Frequency / calls[c];
            }

            for (int c = 0; c < candidates.Length; c++)
            {
                ratios[c][round] = perCall[c][round] / perCall[0][round];
            }
        }

        for (int c = 0; c < candidates.Length; c++)
        {
            Array.Sort(ratios[c]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {network} | {category} | {candidates[c].Name} | {Time(Median(perCall[c]) / unitsPerCall)} | {ratios[c][Rounds / 2]:0.000} | {ratios[c][Rounds / 4]:0.000} – {ratios[c][3 * Rounds / 4]:0.000} |"));
        }
    }

    /// <summary>The contents of /proc/loadavg, or "?".</summary>
    internal static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "?";
        }
        catch (UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);

    private static string Time(double ns) => ns >= 1000
        ? (ns / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " µs"
        : ns.ToString("0.0", CultureInfo.InvariantCulture) + " ns";
}
