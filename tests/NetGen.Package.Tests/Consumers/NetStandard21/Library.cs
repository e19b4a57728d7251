// A netstandard2.1 library in C# 9 (PackageConsumerTests), as a Unity project would be: it restores the NetGen
// package's netstandard2.1 runtime and also implements the netstandard2.1 INetwork by hand (Networks.cs declares
// networks for the generator).
using System;
using NetGen;
using NetGen.Data;
using NetGen.Evaluation;
using NetGen.Numerics;

public sealed class Identity : INetwork
{
    private readonly float[] _parameters = new float[2];
    private readonly float[] _gradients = new float[2];

    public int InputCount => 1;
    public int OutputCount => 1;
    public int ParameterCount => 2;
    public string Architecture => "1-1(Identity), MeanSquaredError";
    public Loss LossFunction => Loss.MeanSquaredError;
    int INetwork.MaxSteps => 1;

    public Span<float> Parameters => _parameters;
    public Span<float> Gradients => _gradients;

    public void Forward(ReadOnlySpan<float> input, Span<float> output)
        => DenseKernels.MultiplyAdd(_parameters.AsSpan(0, 1), _parameters.AsSpan(1, 1), input, output);

    public float Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> target)
    {
        Span<float> output = stackalloc float[1];
        Span<float> delta = stackalloc float[1];
        Forward(input, output);
        float loss = Losses.MeanSquaredError(output, target, delta);
        DenseKernels.AccumulateOuterProduct(_gradients.AsSpan(0, 1), _gradients.AsSpan(1, 1), delta, input);
        return loss;
    }

    public void ForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        for (int i = 0; i < outputs.Length; i++)
        {
            Forward(inputs.Slice(i, 1), outputs.Slice(i, 1));
        }
    }

    public float BackwardBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        float loss = 0f;
        for (int i = 0; i < targets.Length; i++)
        {
            loss += Backward(inputs.Slice(i, 1), targets.Slice(i, 1));
        }

        return loss;
    }

    public void PredictBatch(ReadOnlySpan<float> inputs, Span<int> classes)
    {
        for (int i = 0; i < classes.Length; i++)
        {
            classes[i] = Predict(inputs.Slice(i, 1));
        }
    }

    public void ZeroGradients() => Array.Clear(_gradients, 0, _gradients.Length);

    public int Predict(ReadOnlySpan<float> input)
    {
        Span<float> output = stackalloc float[1];
        Forward(input, output);
        return Evaluator.PredictedClass(this, output);
    }

    public static double MeanLoss(Identity network, Dataset data) => Evaluator.MeanLoss(network, data);
}
