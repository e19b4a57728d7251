using System;
using System.Globalization;
using System.IO;
using Consumer;
using NetGen;
using NetGen.Serialization;
using NetGen.Training;

// A project that uses NetGen through its package only (PackageConsumerTests checks what it prints).
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// Forward of a known input after setting the weights: 0.5 * 2 - 2 * 1 + 0.25 = -0.75.
var linear = new LinearNet();
float[] weights = [0.5f, -2f, 0.25f];
weights.CopyTo(linear.Parameters);
Span<float> y = stackalloc float[LinearNet.OutputCount];
linear.Forward([2f, 1f], y);
Console.WriteLine($"linear {LinearNet.Architecture}: {y[0]}");

// The package README's training loop.
var net = new XorNet(seed: 1);
float[][] inputs = [[0, 0], [0, 1], [1, 0], [1, 1]];
float[][] targets = [[0], [1], [1], [0]];
for (int epoch = 0; epoch < 2000; epoch++)
{
    for (int i = 0; i < 4; i++)
    {
        net.Backward(inputs[i], targets[i]);
    }

    Sgd.Step(net, learningRate: 0.5f, batchSize: 4);
}

Console.WriteLine($"xor {XorNet.Architecture}, {XorNet.ParameterCount} parameters: "
    + $"{net.Predict(inputs[0])} {net.Predict(inputs[1])} {net.Predict(inputs[2])} {net.Predict(inputs[3])}");

// Weight file round trip into a network with other initial weights, through the INetwork interface.
string path = Path.Combine(Environment.CurrentDirectory, "xor.ngw");
WeightFile.SaveFile(net, path);
var loaded = new XorNet(seed: 2);
WeightFile.LoadFile(loaded, path);
Console.WriteLine($"weight file round trip, same outputs: {SameOutputs(net, loaded, inputs)}");

static bool SameOutputs<TNet>(TNet a, TNet b, float[][] inputs)
    where TNet : INetwork
{
    Span<float> ya = stackalloc float[TNet.OutputCount];
    Span<float> yb = stackalloc float[TNet.OutputCount];
    foreach (float[] input in inputs)
    {
        a.Forward(input, ya);
        b.Forward(input, yb);
        if (!ya.SequenceEqual(yb))
        {
            return false;
        }
    }

    return true;
}
