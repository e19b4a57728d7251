using System.Linq;
using NetGen.Data;
using NetGen.Evaluation;
using NetGen.Training;

namespace NetGen.Tests.Recurrent;

/// <summary><c>Trainer</c> and <c>Evaluator</c> on sequence networks: datasets of fixed-length sequences.</summary>
public sealed class SequenceTrainingTests
{
    /// <summary>
    /// A task only memory solves: 12 steps of 3 noisy features, the class is the sign of the first feature at step 2,
    /// which later steps bury under noise; the network must carry it to the end.
    /// </summary>
    private static Dataset Remember(int count, int seed)
    {
        var random = new Random(seed);
        const int Steps = 12;
        float[] features = new float[count * Steps * 3];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            for (int k = 0; k < Steps * 3; k++)
            {
                features[(n * Steps * 3) + k] = (float)((random.NextDouble() * 2) - 1);
            }

            labels[n] = features[(n * Steps * 3) + 6] > 0 ? 1 : 0;
        }

        return Dataset.FromLabels(features, Steps * 3, labels, classCount: 2);
    }

    [Fact]
    public void Trainer_fits_a_GRU_that_remembers_an_early_step_and_Evaluator_scores_it()
    {
        Dataset train = Remember(600, 1);
        Dataset test = Remember(200, 2);
        var net = new Q3_Gru4_2Softmax_Ce(7);
        Assert.InRange(Evaluator.Accuracy(net, test), 0.2, 0.8); // untrained: no better than chance, roughly

        var optimizer = new Adam(Q3_Gru4_2Softmax_Ce.ParameterCount, learningRate: 0.02) { MaxGradientNorm = 1.0 };
        TrainingHistory history = Trainer.Fit(net, optimizer, train, new TrainingOptions { Epochs = 60, BatchSize = 16, Seed = 3 });

        Assert.True(history[^1].TrainingLoss < history[0].TrainingLoss / 2, history.ToString());
        EvaluationResult result = Evaluator.Evaluate(net, test);
        Assert.True(result.Accuracy >= 0.9, result.ToString());
    }

    [Fact]
    public void Training_a_sequence_network_is_reproducible_and_allocates_nothing_after_warm_up()
    {
        Dataset train = Remember(64, 4);
        float[] Train()
        {
            var net = new Q4_Gru6_Gru5_3Softmax_Ce(1);
            var optimizer = new Sgd(Q4_Gru6_Gru5_3Softmax_Ce.ParameterCount, learningRate: 0.05);
            var data = Dataset.FromLabels(train.FeatureValues, 36, Enumerable.Range(0, 64).Select(i => i % 3).ToArray(), 3);
            Trainer.Fit(net, optimizer, data, new TrainingOptions { Epochs = 3, BatchSize = 8, Seed = 9 });
            return net.Parameters.ToArray();
        }

        Assert.Equal(Train(), Train());

        var network = new Q3_Gru4_2Softmax_Ce(2);
        var adam = new Adam(Q3_Gru4_2Softmax_Ce.ParameterCount, learningRate: 0.01);
        float[] sequence = train.Features(0).ToArray();
        Trainer.TrainStep(network, adam, sequence, [1f, 0f]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Trainer.TrainStep(network, adam, sequence, [0f, 1f]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Datasets_that_do_not_fit_a_sequence_network_are_refused_with_the_reason()
    {
        var net = new Q3_Gru4_2Softmax_Ce();
        var optimizer = new Sgd(Q3_Gru4_2Softmax_Ce.ParameterCount, learningRate: 0.1);

        Dataset ragged = Dataset.FromLabels(new float[4 * 10], 10, [0, 1, 0, 1], 2); // 10 is no whole number of 3-feature steps
        ArgumentException notSteps = Assert.Throws<ArgumentException>(() => Trainer.Fit(net, optimizer, ragged));
        Assert.Equal("train", notSteps.ParamName);
        Assert.Contains("takes a whole number of steps of 3 features", notSteps.Message);

        Dataset tooLong = Dataset.FromLabels(new float[2 * 3 * 257], 3 * 257, [0, 1], 2);
        ArgumentException steps = Assert.Throws<ArgumentException>(() => Trainer.Fit(net, optimizer, tooLong));
        Assert.Contains("257 steps, more than the network's MaxSteps of 256", steps.Message);
        Assert.InRange(Evaluator.Accuracy(new Q3_Gru4_2Softmax_Ce(), Dataset.FromLabels(new float[2 * 3 * 257], 3 * 257, [0, 1], 2)), 0.5, 0.5); // Forward has no limit: two equal sequences, one right
    }
}

/// <summary>Standardizing sequences: one mean and deviation per feature, over every step.</summary>
public sealed class SequenceStandardizerTests
{
    [Fact]
    public void A_standardizer_fitted_on_sequences_scales_each_feature_alike_at_every_step()
    {
        // Two sequences of three steps of two features: feature 0 is 1..6, feature 1 is 10 times that.
        float[] features = [1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60];
        var data = Dataset.FromLabels(features, 6, [0, 1], 2);

        var standardizer = Standardizer.Fit(data, featuresPerStep: 2);

        Assert.Equal(2, standardizer.FeatureCount);
        Assert.Equal([3.5f, 35f], standardizer.Means.ToArray());
        Assert.Equal(MathF.Sqrt(17.5f / 6), standardizer.StandardDeviations[0], 5);
        standardizer.Apply(data);
        float[] scaled = data.FeatureValues.ToArray();
        for (int step = 0; step < 6; step++)
        {
            Assert.Equal(scaled[2 * step], scaled[(2 * step) + 1], 5); // both features scaled to the same value
        }

        Assert.Throws<ArgumentException>(() => Standardizer.Fit(data, featuresPerStep: 4));
        Assert.Throws<ArgumentException>(() => standardizer.Apply(Dataset.FromLabels(new float[3], 3, [0], 2)));
    }
}
