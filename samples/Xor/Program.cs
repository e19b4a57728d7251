using System;
using System.Globalization;
using NetGen.Samples.Xor;

// A 2-4-1 network (tanh hidden layer, sigmoid output) learns XOR, which a single neuron cannot (see samples/SingleNeuron).
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
const int ReportEvery = 200;
XorResult result = XorExperiment.Run();

Console.WriteLine($"XorNet 2-4-1, {XorNet.ParameterCount} parameters, seed {XorExperiment.DefaultSeed}, learning rate {XorExperiment.DefaultLearningRate}, full batch");
Console.WriteLine();
Console.WriteLine(" epoch   loss");
for (int epoch = 0; epoch < result.EpochLosses.Count; epoch++)
{
    if (epoch == 0 || (epoch + 1) % ReportEvery == 0)
    {
        Console.WriteLine($"{epoch + 1,6}   {result.EpochLosses[epoch]:0.000000}");
    }
}

Console.WriteLine();
Console.WriteLine(" x1 x2 | XOR  output  predicted");
for (int row = 0; row < XorExperiment.Inputs.Count; row++)
{
    float[] x = XorExperiment.Inputs[row];
    Console.WriteLine($"  {x[0]}  {x[1]} |  {XorExperiment.Targets[row]}   {result.Outputs[row]:0.0000}      {result.Predictions[row]}");
}

Console.WriteLine();
Console.WriteLine($"Accuracy: {result.Accuracy * 100:0}% of the truth table");
