using System;
using NetGen;
using NetGen.Numerics;

/// <summary>A 2-2-1 network (sigmoid, sigmoid, binary cross-entropy) written by hand over the runtime's kernels.</summary>
public sealed class XorNetwork : INetwork
{
    private readonly float[] _parameters = new float[9];
    private readonly float[] _gradients = new float[9];

#if NET8_0_OR_GREATER
    public static int InputCount => 2;
    public static int OutputCount => 1;
    public static int ParameterCount => 9;
    public static string Architecture => "2-2(Sigmoid)-1(Sigmoid), BinaryCrossEntropy";
    public static Loss LossFunction => Loss.BinaryCrossEntropy;
#else
    public int InputCount => 2;
    public int OutputCount => 1;
    public int ParameterCount => 9;
    public string Architecture => "2-2(Sigmoid)-1(Sigmoid), BinaryCrossEntropy";
    public Loss LossFunction => Loss.BinaryCrossEntropy;
    int INetwork.MaxSteps => 1;
#endif

    public XorNetwork()
    {
        float[] initial = { 0.5f, -0.4f, -0.3f, 0.6f, 0.1f, -0.1f, 0.7f, -0.8f, 0.05f };
        initial.CopyTo(_parameters, 0);
    }

    public Span<float> Parameters => _parameters;
    public Span<float> Gradients => _gradients;

    private ReadOnlySpan<float> W1 => _parameters.AsSpan(0, 4);
    private ReadOnlySpan<float> B1 => _parameters.AsSpan(4, 2);
    private ReadOnlySpan<float> W2 => _parameters.AsSpan(6, 2);
    private ReadOnlySpan<float> B2 => _parameters.AsSpan(8, 1);

    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        Guard(input.Length == 2 && output.Length == 1);
        Span<float> hidden = stackalloc float[2];
        DenseKernels.MultiplyAdd(W1, B1, input, hidden);
        Activations.Sigmoid(hidden);
        DenseKernels.MultiplyAdd(W2, B2, hidden, output);
        Activations.Sigmoid(output);
    }

    public float Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> target)
    {
        Guard(input.Length == 2 && target.Length == 1);
        Span<float> hidden = stackalloc float[2];
        Span<float> output = stackalloc float[1];
        Span<float> delta2 = stackalloc float[1];
        Span<float> delta1 = stackalloc float[2];
        DenseKernels.MultiplyAdd(W1, B1, input, hidden);
        Activations.Sigmoid(hidden);
        DenseKernels.MultiplyAdd(W2, B2, hidden, output);
        Activations.Sigmoid(output);
        float loss = Losses.BinaryCrossEntropyWithSigmoid(output, target, delta2);
        Span<float> g = _gradients;
        DenseKernels.AccumulateOuterProduct(g.Slice(6, 2), g.Slice(8, 1), delta2, hidden);
        DenseKernels.MultiplyTransposed(W2, delta2, delta1);
        Activations.MultiplySigmoidDerivative(hidden, delta1);
        DenseKernels.AccumulateOuterProduct(g.Slice(0, 4), g.Slice(4, 2), delta1, input);
        return loss;
    }

    public void ForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        Guard(inputs.Length == 2 * outputs.Length);
        for (int s = 0; s < outputs.Length; s++)
        {
            Forward(inputs.Slice(2 * s, 2), outputs.Slice(s, 1));
        }
    }

    public float BackwardBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        Guard(inputs.Length == 2 * targets.Length);
        float loss = 0f;
        for (int s = 0; s < targets.Length; s++)
        {
            loss += Backward(inputs.Slice(2 * s, 2), targets.Slice(s, 1));
        }

        return loss;
    }

    public void PredictBatch(ReadOnlySpan<float> inputs, Span<int> classes)
    {
        Guard(inputs.Length == 2 * classes.Length);
        for (int s = 0; s < classes.Length; s++)
        {
            classes[s] = Predict(inputs.Slice(2 * s, 2));
        }
    }

    public void ZeroGradients() => _gradients.AsSpan().Clear();

    public int Predict(ReadOnlySpan<float> input)
    {
        Span<float> output = stackalloc float[1];
        Forward(input, output);
        return output[0] > 0.5f ? 1 : 0;
    }

    private static void Guard(bool ok)
    {
        if (!ok)
        {
            throw new ArgumentException("Wrong length.");
        }
    }
}
