using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NetGen.Data;
using NetGen.Evaluation;
using NetGen.Initialization;
using NetGen.Tests.Data;
using NetGen.Training;

namespace NetGen.Tests;

/// <summary>The training loop: determinism, mini-batch arithmetic, validation, schedules, early stopping, cancellation, allocations.</summary>
public sealed class TrainerTests
{
    [Theory]
    [InlineData("Sgd with momentum")]
    [InlineData("Adam")]
    public void Same_seed_trains_to_bit_identical_weights(string optimizer)
    {
        float[] first = TrainOnce(optimizer, seed: 5);
        float[] second = TrainOnce(optimizer, seed: 5);
        float[] otherSeed = TrainOnce(optimizer, seed: 6);

        Assert.Equal(first, second); // exact float equality, element by element
        Assert.NotEqual(first, otherSeed);

        static float[] TrainOnce(string name, int seed)
        {
            var net = new TrainerNet(seed: 3);
            var options = new TrainingOptions { Epochs = 4, BatchSize = 7, Seed = seed, ValidationFraction = 0.2 };
            Trainer.Fit(net, OptimizerCatalog.Create(name, TrainerNet.ParameterCount), TrainerTestData.Blobs(60, seed: 1), options);
            return net.Parameters.ToArray();
        }
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(7, true)]  // 50 samples: seven batches of 7 and one of 1
    [InlineData(1, true)]
    public void Mini_batches_average_like_a_hand_written_loop(int batchSize, bool shuffle)
    {
        Dataset data = TrainerTestData.Blobs(50, seed: 2);
        const int Epochs = 3;
        const int Seed = 9;

        var trained = new TrainerNet(seed: 4);
        var options = new TrainingOptions { Epochs = Epochs, BatchSize = batchSize, Shuffle = shuffle, Seed = Seed };
        TrainingHistory history = Trainer.Fit(trained, new Sgd(TrainerNet.ParameterCount, 0.1, momentum: 0.9), data, options);

        // The same training written out: gather the batch's samples one after another, sum their gradients with one
        // BackwardBatch, then one step on their mean.
        var manual = new TrainerNet(seed: 4);
        var optimizer = new Sgd(TrainerNet.ParameterCount, 0.1, momentum: 0.9);
        List<double> losses = TrainerTestData.HandWrittenEpochs(manual, optimizer, data, Epochs, batchSize, shuffle, Seed, batch =>
        {
            int size = batch.Length;
            float[] inputs = new float[size * 4];
            float[] targets = new float[size * 3];
            for (int i = 0; i < size; i++)
            {
                data.Features(batch.Span[i]).CopyTo(inputs.AsSpan(i * 4));
                data.Target(batch.Span[i]).CopyTo(targets.AsSpan(i * 3));
            }

            return manual.BackwardBatch(inputs, targets);
        });

        Assert.Equal(manual.Parameters.ToArray(), trained.Parameters.ToArray());
        Assert.Equal(losses, history.Select(e => e.TrainingLoss));
        Assert.Equal(Epochs * ((data.Count + batchSize - 1) / batchSize), history.Steps);
        Assert.Equal(Epochs * ((data.Count + batchSize - 1) / batchSize), optimizer.StepCount);
    }

    [Fact]
    public void Reports_hold_the_epochs_measurements()
    {
        Dataset train = TrainerTestData.Blobs(60, seed: 1);
        Dataset validation = TrainerTestData.Blobs(30, seed: 2);
        var net = new TrainerNet(seed: 1);
        var reported = new List<EpochReport>();
        var schedule = new StepSchedule(0.2, stepSize: 2, gamma: 0.5);
        var options = new TrainingOptions
        {
            Epochs = 5,
            BatchSize = 8,
            Schedule = schedule,
            Progress = new TrainerTestData.Immediate<EpochReport>(reported.Add),
        };

        TrainingHistory history = Trainer.Fit(net, new Sgd(TrainerNet.ParameterCount, 1.0), train, validation, options);

        Assert.Equal(5, history.Count);
        Assert.Equal(history.ToArray(), reported);
        Assert.Equal([1, 2, 3, 4, 5], history.Select(e => e.Epoch));
        Assert.All(history, e => Assert.Equal(5, e.EpochCount));
        Assert.Equal([0.2, 0.2, 0.1, 0.1, 0.05], history.Select(e => e.LearningRate));
        EpochReport last = history[^1];
        Assert.Equal(Evaluator.MeanLoss(net, validation), last.ValidationLoss);
        Assert.Equal(Evaluator.Accuracy(net, validation), last.ValidationAccuracy);
        Assert.Equal(Evaluator.Accuracy(net, train), last.TrainingAccuracy);
        Assert.True(last.TrainingLoss < history[0].TrainingLoss);
        Assert.All(history, e => Assert.True(e.Duration > TimeSpan.Zero));
        Assert.False(history.StoppedEarly || history.Cancelled || history.RestoredBestWeights);
        Assert.Null(history.BestEpoch);
        Assert.Equal(5 * 8, history.Steps); // 60 samples in batches of 8: 8 steps per epoch
        Assert.Contains("5 epochs, 40 steps", history.ToString());
        Assert.StartsWith("epoch 5/5: loss ", last.ToString());
    }

    [Fact]
    public void Training_accuracy_is_skipped_when_asked_or_without_classes()
    {
        var net = new TrainerNet(seed: 1);
        TrainingHistory noAccuracy = Trainer.Fit(
            net, new Adam(TrainerNet.ParameterCount, 0.01), TrainerTestData.Blobs(30, 1), new TrainingOptions { Epochs = 2, MeasureTrainingAccuracy = false });
        var regression = new RegressionNet(seed: 1);
        TrainingHistory regressionHistory = Trainer.Fit(
            regression, new Adam(RegressionNet.ParameterCount, 0.01), TrainerTestData.Regression(40, 1), new TrainingOptions { Epochs = 2, ValidationFraction = 0.25 });

        Assert.All(noAccuracy, e => Assert.Null(e.TrainingAccuracy));
        Assert.All(regressionHistory, e =>
        {
            Assert.Null(e.TrainingAccuracy);
            Assert.Null(e.ValidationAccuracy);
            Assert.NotNull(e.ValidationLoss);
        });
    }

    [Fact]
    public void Validation_fraction_holds_out_a_stratified_part_of_the_training_set()
    {
        var batchCounts = new HashSet<int>();
        var options = new TrainingOptions
        {
            Epochs = 1,
            BatchSize = 10,
            ValidationFraction = 0.2,
            BatchCompleted = batch => batchCounts.Add(batch.BatchCount),
        };

        TrainingHistory history = Trainer.Fit(new TrainerNet(), new Sgd(TrainerNet.ParameterCount, 0.1), TrainerTestData.Blobs(60, 1), options);

        Assert.Equal([5], batchCounts); // 20 per class, 16 of each trained on: 48 samples in batches of 10
        Assert.NotNull(history[0].ValidationLoss);
        Assert.NotNull(history[0].ValidationAccuracy);
    }

    [Fact]
    public void Early_stopping_restores_the_best_epochs_weights()
    {
        // The validation set has every label moved to the next class: the better the network learns the training
        // set, the worse its validation loss, which therefore is lowest after the first epoch or two.
        Dataset train = TrainerTestData.Blobs(90, seed: 1);
        Dataset validation = TrainerTestData.Blobs(30, seed: 2, flipLabels: true);
        var net = new TrainerNet(seed: 2);
        var snapshots = new TrainerTestData.Snapshots<TrainerNet>(net);
        var options = new TrainingOptions
        {
            Epochs = 50,
            BatchSize = 10,
            EarlyStopping = new EarlyStopping(patience: 3),
            Progress = snapshots,
        };

        TrainingHistory history = Trainer.Fit(net, new Adam(TrainerNet.ParameterCount, 0.01), train, validation, options);

        int best = Assert.IsType<int>(history.BestEpoch);
        Assert.True(history.StoppedEarly);
        Assert.True(history.RestoredBestWeights);
        Assert.Equal(best + 3, history.Count);
        Assert.True(best < 5, $"The validation loss kept falling until epoch {best}.");
        Assert.True(history[^1].ValidationLoss > history[best - 1].ValidationLoss);
        Assert.Equal(history.Min(e => e.ValidationLoss), history.Best!.Value.ValidationLoss);
        Assert.Equal(snapshots.AfterEpoch[best - 1], net.Parameters.ToArray());
        Assert.NotEqual(snapshots.AfterEpoch[^1], net.Parameters.ToArray());
    }

    [Fact]
    public void Early_stopping_restores_the_best_weights_also_when_the_epochs_run_out()
    {
        Dataset train = TrainerTestData.Blobs(90, seed: 1);
        Dataset validation = TrainerTestData.Blobs(30, seed: 2, flipLabels: true);
        var net = new TrainerNet(seed: 2);
        var snapshots = new TrainerTestData.Snapshots<TrainerNet>(net);
        var options = new TrainingOptions { Epochs = 6, BatchSize = 10, EarlyStopping = new EarlyStopping(patience: 100), Progress = snapshots };

        TrainingHistory history = Trainer.Fit(net, new Adam(TrainerNet.ParameterCount, 0.01), train, validation, options);

        Assert.Equal(6, history.Count);
        Assert.False(history.StoppedEarly);
        Assert.True(history.RestoredBestWeights);
        Assert.Equal(snapshots.AfterEpoch[history.BestEpoch!.Value - 1], net.Parameters.ToArray());
    }

    [Fact]
    public void Early_stopping_without_restoring_keeps_the_last_weights()
    {
        var net = new TrainerNet(seed: 2);
        var snapshots = new TrainerTestData.Snapshots<TrainerNet>(net);
        var options = new TrainingOptions
        {
            Epochs = 50,
            BatchSize = 10,
            EarlyStopping = new EarlyStopping(patience: 2, restoreBestWeights: false),
            Progress = snapshots,
        };

        TrainingHistory history = Trainer.Fit(
            net, new Adam(TrainerNet.ParameterCount, 0.01), TrainerTestData.Blobs(90, 1), TrainerTestData.Blobs(30, 2, flipLabels: true), options);

        Assert.True(history.StoppedEarly);
        Assert.False(history.RestoredBestWeights);
        Assert.Equal(snapshots.AfterEpoch[^1], net.Parameters.ToArray());
    }

    [Fact]
    public void Early_stopping_on_validation_accuracy_and_on_training_loss()
    {
        var accuracyOptions = new TrainingOptions
        {
            Epochs = 40,
            BatchSize = 10,
            EarlyStopping = new EarlyStopping(patience: 2, EarlyStoppingMetric.ValidationAccuracy),
        };
        TrainingHistory byAccuracy = Trainer.Fit(
            new TrainerNet(seed: 2), new Adam(TrainerNet.ParameterCount, 0.01), TrainerTestData.Blobs(90, 1), TrainerTestData.Blobs(30, 2), accuracyOptions);

        // The training loss cannot improve by more than 10 per epoch: training stops after patience + 1 epochs.
        var lossOptions = new TrainingOptions { Epochs = 40, EarlyStopping = new EarlyStopping(patience: 2, EarlyStoppingMetric.TrainingLoss, minDelta: 10) };
        TrainingHistory byTrainingLoss = Trainer.Fit(new TrainerNet(seed: 2), new Adam(TrainerNet.ParameterCount, 0.01), TrainerTestData.Blobs(90, 1), lossOptions);

        Assert.Equal(byAccuracy.Max(e => e.ValidationAccuracy), byAccuracy.Best!.Value.ValidationAccuracy);
        double? bestAccuracy = byAccuracy.Max(e => e.ValidationAccuracy);
        Assert.Equal(byAccuracy.First(e => e.ValidationAccuracy == bestAccuracy).Epoch, byAccuracy.BestEpoch); // the first of equals
        Assert.Equal(3, byTrainingLoss.Count);
        Assert.Equal(1, byTrainingLoss.BestEpoch);
        Assert.True(byTrainingLoss.StoppedEarly);
    }

    [Fact]
    public void Cancelling_from_a_batch_callback_stops_before_the_next_batch()
    {
        // 60 samples in batches of 25: 3 batches per epoch. Cancelling after the 7th batch leaves two whole epochs
        // and one batch of the third.
        using var cancellation = new CancellationTokenSource();
        var batches = new List<BatchReport>();
        var options = new TrainingOptions
        {
            Epochs = 10,
            BatchSize = 25,
            CancellationToken = cancellation.Token,
            BatchCompleted = batch =>
            {
                batches.Add(batch);
                if (batches.Count == 7)
                {
                    cancellation.Cancel();
                }
            },
        };
        var optimizer = new Sgd(TrainerNet.ParameterCount, 0.1);
        var net = new TrainerNet(seed: 1);

        TrainingHistory history = Trainer.Fit(net, optimizer, TrainerTestData.Blobs(60, 1), options);

        Assert.True(history.Cancelled);
        Assert.False(history.StoppedEarly);
        Assert.Equal(7, batches.Count);
        Assert.Equal(7, history.Steps);
        Assert.Equal(7, optimizer.StepCount);
        Assert.Equal(2, history.Count);
        Assert.Equal(new BatchReport(3, 1, 3, 25, batches[^1].Loss), batches[^1]);
        Assert.Equal([25, 25, 10], batches.Take(3).Select(b => b.Size));
        Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0f, g)); // never left mid-batch
    }

    [Fact]
    public void Cancelling_from_the_progress_report_stops_after_that_epoch()
    {
        using var cancellation = new CancellationTokenSource();
        var options = new TrainingOptions
        {
            Epochs = 10,
            BatchSize = 25,
            CancellationToken = cancellation.Token,
            Progress = new TrainerTestData.Immediate<EpochReport>(epoch =>
            {
                if (epoch.Epoch == 2)
                {
                    cancellation.Cancel();
                }
            }),
        };

        TrainingHistory history = Trainer.Fit(new TrainerNet(), new Sgd(TrainerNet.ParameterCount, 0.1), TrainerTestData.Blobs(60, 1), options);

        Assert.True(history.Cancelled);
        Assert.Equal(2, history.Count);
        Assert.Equal(6, history.Steps);
    }

    [Fact]
    public void A_cancelled_token_trains_nothing_and_restores_nothing()
    {
        var net = new TrainerNet(seed: 1);
        float[] before = net.Parameters.ToArray();
        var options = new TrainingOptions { CancellationToken = new CancellationToken(canceled: true), EarlyStopping = new EarlyStopping(1), ValidationFraction = 0.2 };

        TrainingHistory history = Trainer.Fit(net, new Sgd(TrainerNet.ParameterCount, 0.1), TrainerTestData.Blobs(60, 1), options);

        Assert.True(history.Cancelled);
        Assert.Empty(history);
        Assert.Equal(0, history.Steps);
        Assert.Null(history.BestEpoch);
        Assert.False(history.RestoredBestWeights);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void Cancelling_mid_epoch_with_early_stopping_puts_back_the_best_epoch()
    {
        using var cancellation = new CancellationTokenSource();
        var net = new TrainerNet(seed: 2);
        var snapshots = new TrainerTestData.Snapshots<TrainerNet>(net);
        int batches = 0;
        var options = new TrainingOptions
        {
            Epochs = 10,
            BatchSize = 30,
            EarlyStopping = new EarlyStopping(patience: 10),
            Progress = snapshots,
            CancellationToken = cancellation.Token,
            BatchCompleted = _ =>
            {
                if (++batches == 7)
                {
                    cancellation.Cancel();
                }
            },
        };

        TrainingHistory history = Trainer.Fit(net, new Adam(TrainerNet.ParameterCount, 0.01), TrainerTestData.Blobs(90, 1), TrainerTestData.Blobs(30, 2), options);

        Assert.True(history.Cancelled);
        Assert.Equal(2, history.Count);
        Assert.True(history.RestoredBestWeights);
        Assert.Equal(snapshots.AfterEpoch[history.BestEpoch!.Value - 1], net.Parameters.ToArray());
    }

    [Fact]
    public void Train_step_is_backward_then_a_step()
    {
        Dataset data = TrainerTestData.Blobs(10, 1);
        var net = new TrainerNet(seed: 1);
        var expected = new TrainerNet(seed: 1);
        var optimizer = new Adam(TrainerNet.ParameterCount, 0.01);
        var expectedOptimizer = new Adam(TrainerNet.ParameterCount, 0.01);

        for (int i = 0; i < data.Count; i++)
        {
            float loss = Trainer.TrainStep(net, optimizer, data.Features(i), data.Target(i));
            float expectedLoss = expected.Backward(data.Features(i), data.Target(i));
            expectedOptimizer.Step(expected);
            Assert.Equal(expectedLoss, loss);
        }

        Assert.Equal(expected.Parameters.ToArray(), net.Parameters.ToArray());
        Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void An_epoch_allocates_nothing_after_warm_up()
    {
        // Everything on: shuffling, a schedule, a validation set, early stopping with restored weights (patience
        // larger than the run), the training accuracy pass, a progress report and a batch callback. The progress
        // report reads the thread's allocation counter after each epoch; epochs 3 to 30 must not move it. As in
        // AllocationTests, up to three runs, one of which must allocate nothing (the runtime may allocate once while
        // it re-compiles a hot method).
        Dataset train = TrainerTestData.Blobs(90, 1);
        Dataset validation = TrainerTestData.Blobs(30, 2);
        long smallest = long.MaxValue;
        for (int attempt = 0; attempt < 3 && smallest != 0; attempt++)
        {
            long[] counter = new long[31];
            double batchLossSum = 0;
            var options = new TrainingOptions
            {
                Epochs = 30,
                BatchSize = 8,
                Schedule = new CosineAnnealingSchedule(0.01, period: 30),
                EarlyStopping = new EarlyStopping(patience: 1000),
                Progress = new TrainerTestData.Immediate<EpochReport>(epoch => counter[epoch.Epoch] = GC.GetAllocatedBytesForCurrentThread()),
                BatchCompleted = batch => batchLossSum += batch.Loss,
            };
            var trainer = new Trainer<TrainerNet>(new TrainerNet(seed: 1), new Adam(TrainerNet.ParameterCount, 0.01), options);
            TrainingHistory history = trainer.Fit(train, validation);

            Assert.Equal(30, history.Count);
            Assert.True(batchLossSum > 0);
            smallest = Math.Min(smallest, counter[30] - counter[2]);
        }

        Assert.Equal(0, smallest);
    }

    [Fact]
    public void Train_step_allocates_nothing()
    {
        Dataset data = TrainerTestData.Blobs(10, 1);
        var net = new TrainerNet(seed: 1);
        var optimizer = new Adam(TrainerNet.ParameterCount, 0.001);
        float[] input = data.Features(0).ToArray();
        float[] target = data.Target(0).ToArray();

        Assert.Equal(0, AllocationMeter.BytesAllocated(() => Trainer.TrainStep(net, optimizer, input, target)));
    }

    [Fact]
    public void A_trainer_goes_on_shuffling_across_fit_calls()
    {
        Dataset data = TrainerTestData.Blobs(30, 1);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 5, Seed = 3 };
        var twice = new Trainer<TrainerNet>(new TrainerNet(seed: 1), new Sgd(TrainerNet.ParameterCount, 0.1), options);
        twice.Fit(data);
        twice.Fit(data);
        var once = new Trainer<TrainerNet>(new TrainerNet(seed: 1), new Sgd(TrainerNet.ParameterCount, 0.1), options with { Epochs = 4 });
        once.Fit(data);

        // Fit starts each run from dataset order, so the two runs differ, but each is reproducible.
        var again = new Trainer<TrainerNet>(new TrainerNet(seed: 1), new Sgd(TrainerNet.ParameterCount, 0.1), options);
        again.Fit(data);
        again.Fit(data);
        Assert.Equal(twice.Network.Parameters.ToArray(), again.Network.Parameters.ToArray());
        Assert.NotEqual(once.Network.Parameters.ToArray(), twice.Network.Parameters.ToArray());
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Dataset data = TrainerTestData.Blobs(30, 1);
        var sgd = new Sgd(TrainerNet.ParameterCount, 0.1);
        var net = new TrainerNet();

        Assert.Throws<ArgumentNullException>(() => Trainer.Fit<TrainerNet>(null!, sgd, data));
        Assert.Throws<ArgumentNullException>(() => Trainer.Fit(net, null!, data));
        Assert.Throws<ArgumentNullException>(() => Trainer.Fit(net, sgd, null!));
        Assert.Throws<ArgumentNullException>(() => Trainer.TrainStep(net, null!, data.Features(0), data.Target(0)));
        Assert.Contains("parameters", Assert.Throws<ArgumentException>("optimizer", () => Trainer.Fit(net, new Sgd(5, 0.1), data)).Message);
        Assert.Throws<ArgumentException>("train", () => Trainer.Fit(net, sgd, TrainerTestData.Regression(10, 1)));
        Assert.Throws<ArgumentException>("validation", () => Trainer.Fit(net, sgd, data, TrainerTestData.Regression(10, 1)));
        Assert.Throws<ArgumentException>("validation", () => Trainer.Fit(net, sgd, data, data, new TrainingOptions { ValidationFraction = 0.1 }));
        Assert.Throws<ArgumentException>("validation", () => Trainer.Fit(net, sgd, data, new TrainingOptions { EarlyStopping = new EarlyStopping(3) }));
        Assert.Throws<ArgumentException>("validation", () => Trainer.Fit(
            new RegressionNet(), new Sgd(RegressionNet.ParameterCount, 0.1), TrainerTestData.Regression(20, 1),
            new TrainingOptions { ValidationFraction = 0.5, EarlyStopping = new EarlyStopping(3, EarlyStoppingMetric.ValidationAccuracy) }));
        Assert.Throws<ArgumentException>("data", () => Trainer.Fit(net, sgd, TrainerTestData.Blobs(3, 1), new TrainingOptions { ValidationFraction = 0.1 }));
        Assert.Throws<ArgumentException>("train", () => Trainer.Fit(net, sgd, data.Select([])));

        Assert.Throws<ArgumentOutOfRangeException>("Epochs", () => new TrainingOptions { Epochs = -1 });
        Assert.Throws<ArgumentOutOfRangeException>("BatchSize", () => new TrainingOptions { BatchSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>("ValidationFraction", () => new TrainingOptions { ValidationFraction = 1 });
        Assert.Throws<ArgumentOutOfRangeException>("ValidationFraction", () => new TrainingOptions { ValidationFraction = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>("patience", () => new EarlyStopping(0));
        Assert.Throws<ArgumentOutOfRangeException>("minDelta", () => new EarlyStopping(1, minDelta: -1));
        Assert.Throws<ArgumentOutOfRangeException>("monitor", () => new EarlyStopping(1, (EarlyStoppingMetric)7));
    }

    [Fact]
    public void Zero_epochs_train_nothing()
    {
        var net = new TrainerNet(seed: 1);
        float[] before = net.Parameters.ToArray();

        TrainingHistory history = Trainer.Fit(net, new Sgd(TrainerNet.ParameterCount, 0.1), TrainerTestData.Blobs(30, 1), new TrainingOptions { Epochs = 0 });

        Assert.Empty(history);
        Assert.Null(history.Last);
        Assert.Equal(before, net.Parameters.ToArray());
    }
}
