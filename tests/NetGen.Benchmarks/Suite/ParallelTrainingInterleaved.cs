using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using NetGen.Data;
using NetGen.Initialization;
using NetGen.Training;

namespace NetGen.Benchmarks.Suite;

/// <summary>mnist-size 784-128-64-10: two ReLU layers, softmax, cross-entropy (109,184 multiply-adds).</summary>
[Network(784, Loss = Loss.CrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public sealed partial class Mnist2Net { }

/// <summary>
/// <c>--parallel-ab [rounds] [samples] [batch] [degree]</c>: training throughput of <see cref="Trainer{TNet}"/> with
/// <see cref="TrainingOptions.DegreeOfParallelism"/> <c>degree</c> (default 2) against 1, paired in one process. Each
/// round trains one epoch of <c>samples</c> (default 8192) random 784-feature samples (labelled by a fixed random linear
/// teacher) in mini-batches of <c>batch</c> (default 256) with Adam, once per degree, the order of the two alternating
/// between rounds, from the same initial weights; no accuracy pass, no validation. It prints each round's samples per
/// second and the ratio, then the median ratio. It also prints the process's CPU time per sample of each degree and
/// their ratio (the parallel path's efficiency: near 1 when the threads only split the work): on a machine whose cores
/// are busy with other work the wall-clock ratio cannot show the speed-up, the CPU ratio still shows the overhead.
/// </summary>
internal static class ParallelTrainingInterleaved
{
    public static void Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 9;
        int samples = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8192;
        int batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 256;
        int degree = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2;
        Dataset data = Teacher(samples, seed: 1);
        Console.WriteLine(
            $"{Mnist2Net.Architecture}: one epoch of {samples} samples, batch {batch}, Adam; degree {degree} vs 1; "
            + $"{Environment.ProcessorCount} cores, .NET {Environment.Version}");

        // Warm-up: compile and tier up both paths.
        Time(data, batch, 1, epochs: 2);
        Time(data, batch, degree, epochs: 2);

        var ratios = new List<double>();
        var cpuRatios = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            (double Wall, double Cpu) serial, parallel;
            if (round % 2 == 1)
            {
                serial = Time(data, batch, 1, epochs: 1);
                parallel = Time(data, batch, degree, epochs: 1);
            }
            else
            {
                parallel = Time(data, batch, degree, epochs: 1);
                serial = Time(data, batch, 1, epochs: 1);
            }

            double ratio = serial.Wall / parallel.Wall;
            double cpuRatio = serial.Cpu / parallel.Cpu;
            ratios.Add(ratio);
            cpuRatios.Add(cpuRatio);
            Console.WriteLine(
                $"round {round,2}: degree 1 {samples / serial.Wall,9:0} samples/s, degree {degree} {samples / parallel.Wall,9:0} samples/s, "
                + $"ratio {ratio:0.000}; CPU µs/sample {serial.Cpu * 1e6 / samples:0.0} vs {parallel.Cpu * 1e6 / samples:0.0}, ratio {cpuRatio:0.000}");
        }

        Console.WriteLine($"median ratio {Median(ratios):0.000} (min {ratios.Min():0.000}, max {ratios.Max():0.000}) over {rounds} rounds");
        Console.WriteLine($"median CPU-time ratio {Median(cpuRatios):0.000} (1 = no parallel overhead)");
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Wall-clock and process CPU seconds per epoch of training a fresh, seeded network.</summary>
    private static (double Wall, double Cpu) Time(Dataset data, int batch, int degree, int epochs)
    {
        var net = new Mnist2Net(seed: 3);
        var optimizer = new Adam(Mnist2Net.ParameterCount, learningRate: 1e-3);
        var options = new TrainingOptions
        {
            Epochs = epochs, BatchSize = batch, Seed = 5, DegreeOfParallelism = degree, MeasureTrainingAccuracy = false,
        };
        using Process process = Process.GetCurrentProcess();
        TimeSpan cpuStart = process.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        Trainer.Fit(net, optimizer, data, options);
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds / epochs;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpuStart).TotalSeconds / epochs);
    }

    /// <summary>Inputs in [-1, 1); the class is the largest of ten fixed random projections.</summary>
    private static Dataset Teacher(int count, int seed)
    {
        var random = new NetGenRandom(seed);
        float[] teacher = new float[10 * 784];
        for (int i = 0; i < teacher.Length; i++)
        {
            teacher[i] = random.NextSingle(1f);
        }

        float[] features = new float[count * 784];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            Span<float> x = features.AsSpan(n * 784, 784);
            for (int i = 0; i < 784; i++)
            {
                x[i] = random.NextSingle(1f);
            }

            int best = 0;
            float bestValue = float.NegativeInfinity;
            for (int c = 0; c < 10; c++)
            {
                float value = 0;
                for (int i = 0; i < 784; i++)
                {
                    value += teacher[(c * 784) + i] * x[i];
                }

                if (value > bestValue)
                {
                    (best, bestValue) = (c, value);
                }
            }

            labels[n] = best;
        }

        return Dataset.FromLabels(features, 784, labels, classCount: 10);
    }
}
