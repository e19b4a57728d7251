using System.IO;
using System.Linq;
using NetGen.Samples.Iris;
using NetGen.Samples.SingleNeuron;
using NetGen.Samples.Xor;

namespace NetGen.Tests;

/// <summary>End-to-end training through generated networks: the samples' experiments, with their fixed seeds.</summary>
public sealed class TrainingTests
{
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
}
