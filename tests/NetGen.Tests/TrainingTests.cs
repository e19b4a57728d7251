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

        IrisData data = IrisData.Load();

        Assert.Equal(150, data.Count);
        Assert.Equal(["setosa", "versicolor", "virginica"], data.ClassNames);
        Assert.All(Enumerable.Range(0, 3), label => Assert.Equal(50, data.Labels.Count(l => l == label)));
    }

    [Fact]
    public void IrisSplitIsStratifiedAndDisjoint()
    {
        IrisData data = IrisData.Load();
        var random = new Initialization.NetGenRandom(IrisExperiment.DefaultSeed);

        (IrisData train, IrisData test) = data.SplitStratified(IrisExperiment.TrainFraction, ref random);

        Assert.Equal(105, train.Count);
        Assert.Equal(45, test.Count);
        Assert.All(Enumerable.Range(0, 3), label => Assert.Equal(35, train.Labels.Count(l => l == label)));
        Assert.Empty(train.Features.Intersect(test.Features));
    }

    [Fact]
    public void IrisClassifierReachesAtLeast95PercentTestAccuracy()
    {
        IrisResult result = IrisExperiment.Run();

        Assert.Equal(45, result.TestCount);
        Assert.Equal(45, result.Confusion.Total);
        Assert.True(result.TestAccuracy >= 0.95, $"Test accuracy {result.TestAccuracy:0.0000} ({result.Confusion.Correct} of 45); confusion matrix:\n{result.Confusion}");
        Assert.True(result.Epochs[^1].TrainLoss < result.Epochs[0].TrainLoss);
    }
}
