using System;

namespace NetGen.Training;

/// <summary>The state and the step shared by <see cref="Adam"/> and <see cref="AdamW"/>: the two moment estimates.</summary>
internal sealed class AdamMoments
{
    private readonly float[] first;
    private readonly float[] second;

    public AdamMoments(int parameterCount)
    {
        first = new float[parameterCount];
        second = new float[parameterCount];
    }

    /// <summary>
    /// One step number <paramref name="step"/> (1 for the first) with PyTorch 1.13's scalars: bias corrections
    /// <c>1 - βᵗ</c>, step size <c>lr / (1 - β₁ᵗ)</c> and <c>√(1 - β₂ᵗ)</c> in double, each rounded to float once.
    /// <paramref name="parameters"/> and <paramref name="gradients"/> may be one range of the vectors, from <paramref name="offset"/>.
    /// </summary>
    public void Update(
        Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float gradientScale, long step,
        double learningRate, double beta1, double beta2, double epsilon, double l2Decay, double decoupledDecay)
    {
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        var scalars = new OptimizerKernels.AdamScalars
        {
            GradientScale = gradientScale,
            L2Decay = (float)l2Decay,
            DecoupledDecay = (float)(1 - (learningRate * decoupledDecay)),
            Beta1 = (float)beta1,
            OneMinusBeta1 = (float)(1 - beta1),
            Beta2 = (float)beta2,
            OneMinusBeta2 = (float)(1 - beta2),
            SqrtBiasCorrection2 = (float)Math.Sqrt(biasCorrection2),
            Epsilon = (float)epsilon,
            StepSize = (float)(learningRate / biasCorrection1),
        };
        OptimizerKernels.Adam(parameters, gradients, first.AsSpan(offset, parameters.Length), second.AsSpan(offset, parameters.Length), scalars);
    }

    public void Clear()
    {
        Array.Clear(first);
        Array.Clear(second);
    }
}
