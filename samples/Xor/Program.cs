using System;
using NetGen;

var net = new XorNet(seed: 1);
float[][] inputs = [[0, 0], [0, 1], [1, 0], [1, 1]];
float[] targets = [0, 1, 1, 0];
for (int epoch = 0; epoch < 5000; epoch++)
{
    float loss = 0;
    for (int i = 0; i < 4; i++)
    {
        loss += net.Backward(inputs[i], [targets[i]]);
    }
    NetGen.Training.Sgd.Step(net, 0.5f, 4);
    if (epoch % 500 == 0) Console.WriteLine($"{epoch}: {loss / 4}");
}
for (int i = 0; i < 4; i++) Console.WriteLine($"{inputs[i][0]} {inputs[i][1]} -> {net.Predict(inputs[i])}");

[Network(2, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet { }
