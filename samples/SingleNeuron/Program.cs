using System;
using System.Globalization;
using NetGen.Samples.SingleNeuron;

// One threshold neuron, y = (w1*x1 + w2*x2 + b > 0) ? 1 : 0, trained by the perceptron rule.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"A single Step neuron: zero initial weights, learning rate {PerceptronExperiment.LearningRate}, at most {PerceptronExperiment.MaxEpochs} epochs");

foreach (PerceptronResult result in new[] { PerceptronExperiment.And(), PerceptronExperiment.Or(), PerceptronExperiment.Xor() })
{
    Console.WriteLine();
    Console.WriteLine(result.Learned
        ? $"{result.Name}: learned in {result.Epochs} epochs"
        : $"{result.Name}: NOT learned in {result.Epochs} epochs; at best {result.BestCorrect}/4 rows correct");
    Console.WriteLine($"  neuron fires when {result.Weights[0]:0.0#}*x1 {Signed(result.Weights[1])}*x2 {Signed(result.Weights[2])} > 0");
    Console.WriteLine("  x1 x2 | target  neuron");
    for (int row = 0; row < 4; row++)
    {
        float[] x = PerceptronExperiment.Inputs[row];
        string mark = result.Outputs[row] == result.Targets[row] ? "" : "  wrong";
        Console.WriteLine($"   {x[0]}  {x[1]} |   {result.Targets[row]}       {result.Outputs[row]}{mark}");
    }
}

Console.WriteLine();
Console.WriteLine("Why XOR fails: the neuron fires on one side of the line w1*x1 + w2*x2 + b = 0. XOR needs 01 and 10");
Console.WriteLine("on one side and 00 and 11 on the other; no line does that (XOR is not linearly separable).");
Console.WriteLine("Firing on 01 and 10 means w2 + b > 0 and w1 + b > 0; staying off on 00 and 11 means b <= 0 and");
Console.WriteLine("w1 + w2 + b <= 0. Adding the first two gives w1 + w2 + 2b > 0, but adding the last two gives");
Console.WriteLine("w1 + w2 + 2b <= 0. The perceptron rule keeps cycling; a hidden layer fixes it (see samples/Xor).");

static string Signed(float value) => value < 0 ? $"- {-value:0.0#}" : $"+ {value:0.0#}";
