using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Samples.Digits;
using NetGen.Samples.Iris;
using NetGen.Samples.SingleNeuron;
using NetGen.Samples.Xor;

namespace NetGen.Tests;

/// <summary>End-to-end training through generated networks: the samples' experiments, with their fixed seeds.</summary>
public sealed class TrainingTests
{
    /// <summary>The Digits sample's run with its defaults (about half a second), shared by the tests that read it.</summary>
    private static readonly Lazy<DigitsResult> Digits = new(() => DigitsExperiment.Run());

    [Theory]
    [InlineData("AND")]
    [InlineData("OR")]
    public void SingleStepNeuronLearnsLinearlySeparableFunctions(string function)
    {
        PerceptronResult result = function == "AND" ? PerceptronExperiment.And() : PerceptronExperiment.Or();

        Assert.True(result.Learned, $"{function} was not learned in {result.Epochs} epochs.");
        Assert.Equal(result.Targets, result.Outputs);
        Assert.InRange(result.Epochs, 1, PerceptronExperiment.MaxEpochs);
    }

    [Fact]
    public void SingleStepNeuronCannotLearnXor()
    {
        PerceptronResult result = PerceptronExperiment.Xor();

        Assert.False(result.Learned);
        Assert.Equal(PerceptronExperiment.MaxEpochs, result.Epochs);
        Assert.True(result.BestCorrect < 4, $"A single neuron got all four XOR rows right ({result.BestCorrect}/4).");
        Assert.NotEqual(result.Targets, result.Outputs);
    }

    [Fact]
    public void PerceptronRuleIsOneSgdStepThroughStep()
    {
        // From zero weights the Step neuron outputs 0; for target 1 and input (1, 1) the perceptron rule with
        // η = 2 · learningRate moves every weight and the bias by η (t - y) x = 2 · 0.1.
        var neuron = new Perceptron();
        neuron.Parameters.Clear();

        float loss = neuron.Backward([1, 1], [1]);
        Training.Sgd.Step(neuron, 0.1f);

        Assert.Equal(1f, loss);
        Assert.Equal([0.2f, 0.2f, 0.2f], neuron.Parameters.ToArray());
    }

    [Fact]
    public void XorNetworkLearnsXor()
    {
        XorResult result = XorExperiment.Run();

        Assert.Equal(1.0, result.Accuracy);
        Assert.Equal(XorExperiment.Targets, result.Predictions);
        Assert.Equal(XorExperiment.DefaultEpochs, result.History.Count);
        Assert.True(result.EpochLosses[^1] < result.EpochLosses[0] / 10, $"Loss went from {result.EpochLosses[0]} to {result.EpochLosses[^1]}.");
    }

    [Fact]
    public void XorTrainingIsDeterministic()
    {
        XorResult first = XorExperiment.Run(epochs: 50);
        XorResult second = XorExperiment.Run(epochs: 50);

        Assert.Equal(first.Network.Parameters.ToArray(), second.Network.Parameters.ToArray());
    }

    [Fact]
    public void IrisDataFileIsCopiedNextToTheTests()
    {
        Assert.True(File.Exists(IrisData.DefaultPath), $"Missing {IrisData.DefaultPath}.");

        (NetGen.Data.Dataset flowers, var classNames) = IrisData.Load();

        Assert.Equal(150, flowers.Count);
        Assert.Equal(["setosa", "versicolor", "virginica"], classNames);
        Assert.Equal([50, 50, 50], flowers.CountPerClass());
    }

    [Fact]
    public void IrisClassifierReachesAtLeast95PercentTestAccuracy()
    {
        IrisResult result = IrisExperiment.Run();

        Assert.Equal(105, result.TrainCount);
        Assert.Equal(45, result.TestCount);
        Assert.Equal(45, result.Confusion.Total);
        Assert.True(result.TestAccuracy >= 0.95, $"Test accuracy {result.TestAccuracy:0.0000} ({result.Confusion.Correct} of 45); confusion matrix:\n{result.Confusion}");
        Assert.Equal(IrisExperiment.DefaultEpochs, result.History.Count);
        Assert.True(result.History[^1].TrainingLoss < result.History[0].TrainingLoss);
    }

    [Fact]
    public void IrisSampleKeepsItsPublishedResult()
    {
        // README: "Test accuracy: 0.9556 (43 of 45)" with seed 1, 30 epochs, learning rate 0.05.
        IrisResult result = IrisExperiment.Run();

        Assert.Equal(43, result.Confusion.Correct);
        Assert.Equal([15, 14, 14], Enumerable.Range(0, 3).Select(c => result.Confusion[c, c]));
    }

    [Fact]
    public void DigitsDataFileIsCopiedNextToTheTests()
    {
        Assert.True(File.Exists(DigitsData.DefaultPath), $"Missing {DigitsData.DefaultPath}.");

        Dataset digits = DigitsData.Load();

        Assert.Equal(1797, digits.Count);
        Assert.Equal(64, digits.FeatureCount);
        Assert.Equal([178, 182, 177, 183, 181, 182, 181, 179, 174, 180], digits.CountPerClass());
        Assert.Equal(16f, digits.FeatureValues.ToArray().Max());
    }

    [Fact]
    public void DigitsClassifierReachesAtLeast96PercentTestAccuracy()
    {
        DigitsResult result = Digits.Value;

        Assert.Equal(1069, result.TrainCount);
        Assert.Equal(189, result.ValidationCount);
        Assert.Equal(539, result.TestCount);
        Assert.True(result.TestAccuracy >= 0.96, $"Test accuracy {result.TestAccuracy:0.0000}; confusion matrix:\n{result.Confusion}");
        Assert.True(result.History.StoppedEarly, $"Trained all {result.History.Count} epochs.");
        Assert.Equal(result.History.Min(e => e.ValidationLoss), result.History.Best!.Value.ValidationLoss);
    }

    [Fact]
    public void DigitsModelSurvivesAWeightFile()
    {
        DigitsResult result = Digits.Value;
        string path = Path.Combine(Path.GetTempPath(), $"netgen-digits-{Guid.NewGuid():N}.ngw");
        try
        {
            NetGen.Serialization.WeightFile.SaveFile(result.Network, path, result.Standardizer);
            var loaded = new DigitsNet();
            Standardizer scaling = Assert.IsType<Standardizer>(NetGen.Serialization.WeightFile.LoadFile(loaded, path));

            Assert.Equal(result.Network.Parameters.ToArray(), loaded.Parameters.ToArray());
            float[] input = new float[DigitsNet.InputCount];
            int correct = 0;
            for (int i = 0; i < result.RawTest.Count; i++)
            {
                result.RawTest.Features(i).CopyTo(input);
                scaling.Apply(input);
                correct += loaded.Predict(input) == result.RawTest.Label(i) ? 1 : 0;
            }

            Assert.Equal(result.Confusion.Correct, correct);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DigitsChartIsWrittenAsPngWithoutADisplay()
    {
        string path = Path.Combine(Path.GetTempPath(), $"netgen-digits-{Guid.NewGuid():N}.png");
        try
        {
            TrainingChart.SavePng(Digits.Value.History, path, 400, 300);

            byte[] png = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            Assert.True(png.Length > 5000, $"The chart has only {png.Length} bytes.");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
