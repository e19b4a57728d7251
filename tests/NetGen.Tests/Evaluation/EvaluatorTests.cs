using System.Linq;
using NetGen.Data;
using NetGen.Evaluation;
using NetGen.Initialization;
using NetGen.Numerics;
using NetGen.Tests.Data;

namespace NetGen.Tests;

/// <summary><see cref="Evaluator"/> against per-sample loops over <c>Predict</c> and <c>Backward</c>, and <see cref="Losses.OfOutputs"/>.</summary>
public sealed class EvaluatorTests
{
    [Fact]
    public void Evaluate_matches_predict_and_the_losses_of_backward()
    {
        Dataset data = TrainerTestData.Blobs(60, seed: 4);
        var net = new TrainerNet(seed: 8);
        var expected = new ConfusionMatrix(3);
        double lossSum = 0;
        for (int i = 0; i < data.Count; i++)
        {
            expected.Add(data.Label(i), net.Predict(data.Features(i)));
            lossSum += net.Backward(data.Features(i), data.Target(i));
        }

        net.ZeroGradients();
        EvaluationResult result = Evaluator.Evaluate(net, data, ["x", "y", "z"]);

        Assert.Equal(60, result.Count);
        Assert.Equal(lossSum / data.Count, result.MeanLoss, 5);
        ConfusionMatrix confusion = Assert.IsType<ConfusionMatrix>(result.Confusion);
        Assert.Equal(["x", "y", "z"], confusion.ClassNames);
        for (int actual = 0; actual < 3; actual++)
        {
            for (int predicted = 0; predicted < 3; predicted++)
            {
                Assert.Equal(expected[actual, predicted], confusion[actual, predicted]);
            }
        }

        Assert.Equal(expected.Accuracy, result.Accuracy);
        Assert.Equal(expected.Accuracy, Evaluator.Accuracy(net, data));
        Assert.Equal(result.MeanLoss, Evaluator.MeanLoss(net, data));
        Assert.StartsWith("60 samples: loss ", result.ToString());
    }

    [Fact]
    public void Without_labels_the_class_comes_from_the_one_hot_target()
    {
        Dataset labelled = TrainerTestData.Blobs(45, seed: 3);
        var unlabelled = new Dataset(labelled.FeatureValues, 4, labelled.TargetValues, 3);
        var net = new TrainerNet(seed: 2);

        Assert.Equal(Evaluator.Accuracy(net, labelled), Evaluator.Accuracy(net, unlabelled));
        Assert.Equal(Evaluator.MeanLoss(net, labelled), Evaluator.MeanLoss(net, unlabelled));
    }

    [Fact]
    public void A_single_sigmoid_output_is_class_1_above_one_half()
    {
        (Dataset labelled, float[][] inputs) = TwoClassData(200);
        var unlabelled = new Dataset(labelled.FeatureValues, 2, labelled.TargetValues, 1);
        var net = new SigmoidOutputNet(seed: 3);
        Span<float> output = stackalloc float[1];

        foreach (float[] input in inputs)
        {
            net.Forward(input, output);
            Assert.Equal(net.Predict(input), Evaluator.PredictedClass<SigmoidOutputNet>(output));
        }

        double expected = inputs.Select((x, i) => net.Predict(x) == labelled.Label(i) ? 1.0 : 0.0).Average();
        Assert.Equal(expected, Evaluator.Accuracy(net, labelled), 12);
        Assert.Equal(expected, Evaluator.Accuracy(net, unlabelled), 12);
        Assert.Equal(2, Evaluator.Evaluate(net, labelled).Confusion!.ClassCount);
    }

    [Fact]
    public void A_single_tanh_output_is_class_1_above_zero()
    {
        (Dataset labelled, float[][] inputs) = TwoClassData(300);
        var net = new TanhOutputNet(seed: 5);
        Span<float> output = stackalloc float[1];
        int between = 0; // outputs in (0, 0.5], where the two thresholds disagree
        foreach (float[] input in inputs)
        {
            net.Forward(input, output);
            between += output[0] > 0f && output[0] <= 0.5f ? 1 : 0;
            Assert.Equal(net.Predict(input), Evaluator.PredictedClass<TanhOutputNet>(output));
        }

        Assert.True(between > 10, $"Only {between} outputs fell between the thresholds.");
        double expected = inputs.Select((x, i) => net.Predict(x) == labelled.Label(i) ? 1.0 : 0.0).Average();
        Assert.Equal(expected, Evaluator.Accuracy(net, labelled), 12);
    }

    [Fact]
    public void Regression_data_have_a_loss_and_no_classes()
    {
        Dataset data = TrainerTestData.Regression(20, 1);
        var net = new RegressionNet(seed: 1);
        double expected = Enumerable.Range(0, data.Count).Average(i =>
        {
            float[] output = new float[2];
            net.Forward(data.Features(i), output);
            return (double)Losses.MeanSquaredError(output, data.Target(i), new float[2]);
        });

        EvaluationResult result = Evaluator.Evaluate(net, data);

        Assert.Null(result.Confusion);
        Assert.Null(result.Accuracy);
        Assert.Equal(expected, result.MeanLoss, 12);
        Assert.DoesNotContain("accuracy", result.ToString());
        Assert.Throws<ArgumentException>("data", () => Evaluator.Accuracy(net, data));
        Assert.Throws<ArgumentException>("classNames", () => Evaluator.Evaluate(net, data, ["a", "b"]));
    }

    [Fact]
    public void Datasets_that_do_not_fit_are_rejected()
    {
        var net = new TrainerNet();
        var fourClasses = new Dataset(new float[8], 4, new float[6], 3, [0, 3], 4);

        Assert.Throws<ArgumentNullException>("data", () => Evaluator.Evaluate(net, null!));
        Assert.Throws<ArgumentNullException>("network", () => Evaluator.Evaluate<TrainerNet>(null!, TrainerTestData.Blobs(3, 1)));
        Assert.Contains("4-8(ReLU)-3(Softmax)", Assert.Throws<ArgumentException>("data", () => Evaluator.Evaluate(net, TrainerTestData.Regression(3, 1))).Message);
        Assert.Throws<ArgumentException>("data", () => Evaluator.Evaluate(net, fourClasses));
        Assert.Throws<ArgumentException>("outputs", () => Evaluator.PredictedClass<TrainerNet>(new float[2]));
    }

    [Fact]
    public void An_empty_dataset_has_zero_loss_and_accuracy()
    {
        Dataset empty = TrainerTestData.Blobs(3, 1).Select([]);

        EvaluationResult result = Evaluator.Evaluate(new TrainerNet(), empty);

        Assert.Equal(0, result.Count);
        Assert.Equal(0, result.MeanLoss);
        Assert.Equal(0, result.Accuracy);
    }

    [Fact]
    public void Accuracy_and_mean_loss_allocate_nothing()
    {
        Dataset data = TrainerTestData.Blobs(12, 1);
        var net = new TrainerNet();
        double sink = 0;

        Assert.Equal(0, AllocationMeter.BytesAllocated(() => sink += Evaluator.Accuracy(net, data) + Evaluator.MeanLoss(net, data), calls: 500));
        Assert.False(double.IsNaN(sink));
    }

    [Fact]
    public void Loss_of_outputs_matches_the_loss_helpers()
    {
        float[] outputs = [0.2f, 0.7f, 0.1f];
        float[] targets = [0f, 1f, 0f];
        float[] gradient = new float[3];

        Assert.Equal(Losses.MeanSquaredError(outputs, targets, gradient), Losses.OfOutputs(Loss.MeanSquaredError, outputs, targets));
        Assert.Equal(Losses.BinaryCrossEntropyWithSigmoid(outputs, targets, gradient), Losses.OfOutputs(Loss.BinaryCrossEntropy, outputs, targets));
        Assert.Equal(Losses.BinaryCrossEntropyWithSigmoid([1f], [0f], new float[1]), Losses.OfOutputs(Loss.BinaryCrossEntropy, [1f], [0f])); // clamped log

        // Cross-entropy from softmax probabilities against the log-sum-exp value from the logits.
        float[] logits = [1.5f, -0.3f, 2.2f, 0.1f];
        float[] soft = [0.1f, 0.2f, 0.6f, 0.1f];
        float[] probabilities = (float[])logits.Clone();
        float fromLogits = Losses.CrossEntropyWithSoftmax(probabilities, soft, new float[4]);
        Assert.Equal(fromLogits, Losses.OfOutputs(Loss.CrossEntropy, probabilities, soft), 5);

        // A probability that underflowed to 0 costs -ln(smallest float), about 103.28, instead of infinity.
        Assert.Equal(-MathF.Log(float.Epsilon), Losses.OfOutputs(Loss.CrossEntropy, [0f, 1f], [1f, 0f]));
        Assert.Throws<ArgumentOutOfRangeException>("loss", () => Losses.OfOutputs((Loss)9, outputs, targets));
        Assert.Throws<ArgumentException>("targets", () => Losses.OfOutputs(Loss.CrossEntropy, outputs, [1f]));
    }

    private static (Dataset Data, float[][] Inputs) TwoClassData(int count)
    {
        var random = new NetGenRandom(11);
        float[][] inputs = new float[count][];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            inputs[i] = [random.NextSingle(2f), random.NextSingle(2f)];
            labels[i] = inputs[i][0] * inputs[i][1] > 0 ? 1 : 0;
        }

        float[] targets = labels.Select(l => (float)l).ToArray();
        return (new Dataset(inputs.SelectMany(x => x).ToArray(), 2, targets, 1, labels, 2), inputs);
    }
}
