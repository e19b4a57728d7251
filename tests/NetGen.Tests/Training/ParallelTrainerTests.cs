using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using NetGen.Data;
using NetGen.Initialization;
using NetGen.Tests.Recurrent;
using NetGen.Training;

namespace NetGen.Tests;

/// <summary>
/// The trainer's batched path (one <c>BackwardBatch</c> per mini-batch) against per-sample training, and its parallel
/// path (<see cref="TrainingOptions.DegreeOfParallelism"/>): reproducible per degree, allocation-free on every thread.
/// </summary>
public sealed class ParallelTrainerTests
{
    /// <summary>
    /// The rounding the batched path may add: today's generated <c>BackwardBatch</c> is a loop of <c>Backward</c> and
    /// the weights agree to the bit; blocked kernels sum the same products in another order (float rounding, a few
    /// ulps per step), which after these few epochs stays far below this.
    /// </summary>
    private const float WeightTolerance = 1e-4f;

    [Theory]
    [InlineData(4, false)]
    [InlineData(7, true)]
    [InlineData(1, true)]
    [InlineData(64, true)] // larger than the dataset: one batch per epoch
    public void Batched_training_equals_per_sample_training(int batchSize, bool shuffle)
    {
        Dataset data = TrainerTestData.Blobs(50, seed: 2);
        const int Epochs = 3;
        const int Seed = 9;

        var trained = new TrainerNet(seed: 4);
        var options = new TrainingOptions { Epochs = Epochs, BatchSize = batchSize, Shuffle = shuffle, Seed = Seed };
        TrainingHistory history = Trainer.Fit(trained, new Sgd(TrainerNet.ParameterCount, 0.1, momentum: 0.9), data, options);

        // The trainer before batches: Backward per sample (the loss summed in double), one step on the mean.
        var manual = new TrainerNet(seed: 4);
        var optimizer = new Sgd(TrainerNet.ParameterCount, 0.1, momentum: 0.9);
        List<double> losses = TrainerTestData.HandWrittenEpochs(manual, optimizer, data, Epochs, batchSize, shuffle, Seed, batch =>
        {
            double lossSum = 0;
            foreach (int sample in batch.Span)
            {
                lossSum += manual.Backward(data.Features(sample), data.Target(sample));
            }

            return lossSum;
        });

        float[] expected = manual.Parameters.ToArray();
        float[] actual = trained.Parameters.ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= WeightTolerance, $"parameter {i}: {expected[i]} per sample, {actual[i]} batched");
        }

        // The same loss definition (the mean over the epoch's samples); a batch's sum is now float, not double.
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            Assert.Equal(losses[epoch], history[epoch].TrainingLoss, 1e-5 * Math.Max(1, losses[epoch]));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_seed_gives_the_same_bits_for_a_given_degree(int degree)
    {
        Dataset data = TrainerTestData.Blobs(103, seed: 5);
        float[] first = TrainBlobs(data, degree, out TrainingHistory firstHistory);
        float[] second = TrainBlobs(data, degree, out TrainingHistory secondHistory);

        Assert.Equal(first, second);
        Assert.Equal(firstHistory.Select(e => e.TrainingLoss), secondHistory.Select(e => e.TrainingLoss));
        Assert.Equal(firstHistory.Select(e => e.ValidationLoss), secondHistory.Select(e => e.ValidationLoss));

        // Other degrees sum the same gradients in another order: equal to rounding.
        float[] serial = TrainBlobs(data, degree: null, out _);
        if (degree == 1)
        {
            Assert.Equal(serial, first);
        }
        else
        {
            Assert.All(first.Zip(serial), pair => Assert.Equal(pair.Second, pair.First, WeightTolerance));
        }
    }

    [Fact]
    public void Degree_one_is_the_serial_path_bit_for_bit_with_shuffling_off_and_early_stopping()
    {
        Dataset data = TrainerTestData.Blobs(60, seed: 6);
        TrainingOptions options = new()
        {
            Epochs = 6, BatchSize = 9, Shuffle = false, ValidationFraction = 0.2, EarlyStopping = new EarlyStopping(patience: 2),
        };
        var serial = new TrainerNet(seed: 2);
        TrainingHistory serialHistory = Trainer.Fit(serial, new Adam(TrainerNet.ParameterCount, 0.02), data, options);
        var one = new TrainerNet(seed: 2);
        TrainingHistory oneHistory = Trainer.Fit(one, new Adam(TrainerNet.ParameterCount, 0.02), data, options with { DegreeOfParallelism = 1 });

        Assert.Equal(serial.Parameters.ToArray(), one.Parameters.ToArray());
        Assert.Equal(serialHistory.Select(e => e.TrainingLoss), oneHistory.Select(e => e.TrainingLoss));
    }

    [Fact]
    public void More_threads_than_samples_in_a_batch_leave_the_extra_workers_idle()
    {
        Dataset data = TrainerTestData.Blobs(10, seed: 1);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 3, Seed = 4, DegreeOfParallelism = 5 };
        var a = new TrainerNet(seed: 3);
        var b = new TrainerNet(seed: 3);
        Trainer.Fit(a, new Sgd(TrainerNet.ParameterCount, 0.1), data, options);
        Trainer.Fit(b, new Sgd(TrainerNet.ParameterCount, 0.1), data, options with { DegreeOfParallelism = 1 });

        Assert.All(a.Parameters.ToArray().Zip(b.Parameters.ToArray()), pair => Assert.Equal(pair.Second, pair.First, WeightTolerance));
    }

    [Fact]
    public void A_sequence_network_trains_in_parallel()
    {
        Dataset train = Sequences(90, seed: 3);
        float[] Train(int degree)
        {
            var net = new Q3_Gru4_2Softmax_Ce(1);
            var optimizer = new Adam(Q3_Gru4_2Softmax_Ce.ParameterCount, learningRate: 0.02);
            Trainer.Fit(net, optimizer, train, new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 9, DegreeOfParallelism = degree });
            return net.Parameters.ToArray();
        }

        float[] serial = Train(1);
        float[] parallel = Train(2);
        Assert.Equal(parallel, Train(2));
        Assert.Equal(Train(3), Train(3));
        Assert.All(parallel.Zip(serial), pair => Assert.Equal(pair.Second, pair.First, WeightTolerance));
        Assert.NotEqual(new Q3_Gru4_2Softmax_Ce(1).Parameters.ToArray(), parallel); // it did train
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void A_degree_below_one_is_refused(int degree)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { DegreeOfParallelism = degree });
        Assert.Equal(nameof(TrainingOptions.DegreeOfParallelism), e.ParamName);
        Assert.Contains("at least 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_in_a_callback_ends_the_run_and_its_workers()
    {
        // Each failed run must stop its two workers: twenty runs leaking them would leave forty threads behind.
        Dataset data = TrainerTestData.Blobs(40, seed: 1);
        int before = Process.GetCurrentProcess().Threads.Count;
        for (int run = 0; run < 20; run++)
        {
            var options = new TrainingOptions
            {
                Epochs = 3, BatchSize = 8, DegreeOfParallelism = 3,
                BatchCompleted = batch => throw new InvalidOperationException($"batch {batch.Batch}"),
            };
            var e = Assert.Throws<InvalidOperationException>(
                () => Trainer.Fit(new TrainerNet(seed: 1), new Sgd(TrainerNet.ParameterCount, 0.1), data, options));
            Assert.Equal("batch 1", e.Message);
        }

        Assert.InRange(Process.GetCurrentProcess().Threads.Count - before, int.MinValue, 10);
    }

    /// <summary>Sequences of 5 steps of 3 features; the class is the sign of the first feature's sum.</summary>
    internal static Dataset Sequences(int count, int seed)
    {
        var random = new NetGenRandom(seed);
        const int Steps = 5;
        float[] features = new float[count * Steps * 3];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            float sum = 0;
            for (int k = 0; k < Steps * 3; k++)
            {
                float value = random.NextSingle(1f);
                features[(n * Steps * 3) + k] = value;
                sum += k % 3 == 0 ? value : 0;
            }

            labels[n] = sum > 0 ? 1 : 0;
        }

        return Dataset.FromLabels(features, Steps * 3, labels, classCount: 2);
    }

    [Theory]
    [InlineData(2, "sgd")]
    [InlineData(3, "sgd")]
    [InlineData(2, "adam")]
    [InlineData(3, "adamw")]
    public void The_step_by_parameter_ranges_gives_the_bits_of_the_serial_step(int degree, string optimizerName)
    {
        // Clipping (here at a norm no gradient reaches, so that it changes nothing) makes the trainer step serially
        // after summing the slices; without it every thread updates its own range of the 515 parameters.
        Dataset data = TrainerTestData.Blobs(90, seed: 8);
        var options = new TrainingOptions { Epochs = 4, BatchSize = 12, Seed = 3, DegreeOfParallelism = degree };
        float[] Train(bool serialStep)
        {
            var net = new WideTrainerNet(seed: 5);
            Optimizer optimizer = optimizerName switch
            {
                "sgd" => new Sgd(WideTrainerNet.ParameterCount, 0.05, momentum: 0.9),
                "adam" => new Adam(WideTrainerNet.ParameterCount, 0.01),
                _ => new AdamW(WideTrainerNet.ParameterCount, 0.01),
            };
            if (serialStep)
            {
                optimizer.MaxGradientNorm = 1e30;
            }

            Trainer.Fit(net, optimizer, data, options);
            return net.Parameters.ToArray();
        }

        float[] serial = Train(serialStep: true);
        float[] byRange = Train(serialStep: false);
        Assert.Equal(serial, byRange);
        Assert.NotEqual(new WideTrainerNet(seed: 5).Parameters.ToArray(), byRange);
    }

    private static float[] TrainBlobs(Dataset data, int? degree, out TrainingHistory history)
    {
        var net = new TrainerNet(seed: 7);
        var options = new TrainingOptions { Epochs = 5, BatchSize = 16, Seed = 11, ValidationFraction = 0.2 };
        if (degree is int d)
        {
            options = options with { DegreeOfParallelism = d };
        }

        history = Trainer.Fit(net, new Adam(TrainerNet.ParameterCount, 0.01), data, options);
        return net.Parameters.ToArray();
    }
}

/// <summary>
/// Allocation measurements that read the whole process's counter (<see cref="GC.GetTotalAllocatedBytes(bool)"/>), so
/// they run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(nameof(ProcessAllocationCollection), DisableParallelization = true)]
public sealed class ProcessAllocationCollection
{
}

[Collection(nameof(ProcessAllocationCollection))]
public sealed class ParallelTrainerAllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_parallel_epoch_allocates_nothing_on_any_thread_after_warm_up(int degree)
    {
        // As TrainerTests.An_epoch_allocates_nothing_after_warm_up, with worker threads: the progress report reads the
        // training thread's counter and the process's precise total (which counts the workers) after each epoch;
        // epochs 3 to 30 must move neither. Up to ten runs, one of which must allocate nothing (the runtime may
        // allocate while it re-compiles a hot method, and the test runner's threads report on earlier tests now and
        // then: a short pause before each run lets them finish).
        Dataset train = TrainerTestData.Blobs(90, 1);
        Dataset validation = TrainerTestData.Blobs(30, 2);
        long smallestThread = long.MaxValue;
        long smallestProcess = long.MaxValue;
        Trainer.Fit(new TrainerNet(seed: 1), new Adam(TrainerNet.ParameterCount, 0.01), train, validation, new TrainingOptions { Epochs = 20, BatchSize = 8, DegreeOfParallelism = degree });
        for (int attempt = 0; attempt < 10 && (smallestThread != 0 || smallestProcess != 0); attempt++)
        {
            Thread.Sleep(50);
            long[] thread = new long[31];
            long[] process = new long[31];
            var options = new TrainingOptions
            {
                Epochs = 30,
                BatchSize = 8,
                DegreeOfParallelism = degree,
                Schedule = new CosineAnnealingSchedule(0.01, period: 30),
                EarlyStopping = new EarlyStopping(patience: 1000),
                Progress = new TrainerTestData.Immediate<EpochReport>(epoch =>
                {
                    thread[epoch.Epoch] = GC.GetAllocatedBytesForCurrentThread();
                    process[epoch.Epoch] = GC.GetTotalAllocatedBytes(precise: true);
                }),
            };
            var trainer = new Trainer<TrainerNet>(new TrainerNet(seed: 1), new Adam(TrainerNet.ParameterCount, 0.01), options);
            TrainingHistory history = trainer.Fit(train, validation);

            Assert.Equal(30, history.Count);
            smallestThread = Math.Min(smallestThread, thread[30] - thread[2]);
            smallestProcess = Math.Min(smallestProcess, process[30] - process[2]);
        }

        Assert.Equal(0, smallestThread);
        Assert.Equal(0, smallestProcess);
    }

    [Fact]
    public void A_parallel_epoch_of_a_sequence_network_allocates_nothing_after_warm_up()
    {
        Dataset train = ParallelTrainerTests.Sequences(64, seed: 2);
        long smallest = long.MaxValue;

        // A first run compiles (and tiers up) the GRU's code, whose first calls may allocate on the runtime's threads.
        Trainer.Fit(new Q3_Gru4_2Softmax_Ce(3), new Adam(Q3_Gru4_2Softmax_Ce.ParameterCount, 0.01), train, new TrainingOptions { Epochs = 20, BatchSize = 16, DegreeOfParallelism = 2 });
        for (int attempt = 0; attempt < 10 && smallest != 0; attempt++)
        {
            Thread.Sleep(50);
            long[] process = new long[21];
            var options = new TrainingOptions
            {
                Epochs = 20, BatchSize = 16, DegreeOfParallelism = 2,
                Progress = new TrainerTestData.Immediate<EpochReport>(epoch => process[epoch.Epoch] = GC.GetTotalAllocatedBytes(precise: true)),
            };
            Trainer.Fit(new Q3_Gru4_2Softmax_Ce(3), new Adam(Q3_Gru4_2Softmax_Ce.ParameterCount, 0.01), train, options);
            smallest = Math.Min(smallest, process[20] - process[2]);
        }

        Assert.Equal(0, smallest);
    }
}

/// <summary>The trainer's test classifier with 64 hidden units: 515 parameters, so that a step splits into several 64-float ranges.</summary>
[Network(4, Loss = Loss.CrossEntropy)]
[Dense(64, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public sealed partial class WideTrainerNet { }
