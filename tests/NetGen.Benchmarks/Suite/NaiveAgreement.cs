using System;
using System.Globalization;
using NetGen.Benchmarks.Networks;
using NetGen.Benchmarks.Reference;
using NetGen.Training;

namespace NetGen.Benchmarks.Suite;

/// <summary>
/// The naive baseline against NetGen, before anything is timed: <c>Forward</c> outputs, then one training step (loss,
/// gradients, updated weights). Shared by the benchmarks' <c>Verification</c> and the portability runner
/// (<c>Portability/PortabilityRun.cs</c>, also built into tests/NetGen.Portability). Values are compared element by
/// element with a relative tolerance, <c>|a - e| ≤ tol · (|e| + 0.01 · max|e|)</c>: relative for every element of a
/// vector's own magnitude, and no stricter than 1e-7 of the vector's largest element for elements far below it
/// (gradients summed in a different order cancel to different rounding noise).
/// </summary>
internal static class NaiveAgreement
{
    /// <summary>
    /// The relative tolerance of outputs, losses and updated weights: float32 sums of up to 784 products taken in
    /// different orders differ by about 1e-6 here.
    /// </summary>
    public const double Tolerance = 1e-5;

    /// <summary>
    /// The relative tolerance of gradients: an input gradient <c>Wᵀ δ</c> can cancel to a small number whose rounding
    /// noise depends on the summation order (measured up to 8e-6 on mnist).
    /// </summary>
    public const double GradientTolerance = 1e-4;

    /// <summary>
    /// Checks the naive network's <c>Forward</c> on <paramref name="inputs"/> and one training step against NetGen's, and
    /// returns the largest relative differences. Leaves both networks one SGD step further on. Throws
    /// <see cref="InvalidOperationException"/> on any difference beyond the tolerances.
    /// </summary>
    public static (double Forward, double Loss, double Gradients, double Parameters) Check<TNet>(
        NetworkSpec spec,
        TNet net,
        NaiveNetwork naive,
        float[][] inputs,
        float[] trainingInput,
        float[] trainingTarget,
        float learningRate)
        where TNet : class, INetwork
    {
        double forwardWorst = 0;
        var expected = new float[spec.Outputs];
        var actual = new float[spec.Outputs];
        foreach (float[] input in inputs)
        {
            net.Forward(input, expected);
            naive.Forward(input, actual);
            forwardWorst = Math.Max(forwardWorst, Compare(spec, "naive Forward", expected, actual));
        }

        net.ZeroGradients();
        float netLoss = net.Backward(trainingInput, trainingTarget);
        float naiveLoss = naive.Backward(trainingInput, trainingTarget);
        double lossDifference = Compare(spec, "training loss", [netLoss], [naiveLoss]);
        var naiveValues = new float[spec.ParameterCount];
        naive.CopyGradientsTo(naiveValues);
        double gradientDifference = Compare(spec, "gradients", net.Gradients, naiveValues, GradientTolerance);
        Sgd.Step(net, learningRate);
        naive.Step(learningRate);
        naive.CopyParametersTo(naiveValues);
        double parameterDifference = Compare(spec, "parameters after one SGD step", net.Parameters, naiveValues);
        return (forwardWorst, lossDifference, gradientDifference, parameterDifference);
    }

    /// <summary>Returns the largest scaled difference, or throws if it exceeds <paramref name="tolerance"/>.</summary>
    public static double Compare(NetworkSpec spec, string what, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance = Tolerance)
        => Compare(spec.ToString(), what, expected, actual, tolerance);

    /// <summary>Returns the largest scaled difference, or throws if it exceeds <paramref name="tolerance"/>.</summary>
    public static double Compare(string network, string what, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance = Tolerance)
    {
        float scale = 0f;
        foreach (float value in expected)
        {
            scale = MathF.Max(scale, MathF.Abs(value));
        }

        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs((double)actual[i] - expected[i]);
            double allowed = Math.Abs(expected[i]) + (0.01 * scale);
            double relative = difference == 0 ? 0 : difference / Math.Max(allowed, float.Epsilon);
            if (!(relative <= tolerance))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"{network}: {what} differs from NetGen's at index {i}: expected {expected[i]:R}, got {actual[i]:R} " +
                    $"(relative difference {relative:0.0e0}, tolerance {tolerance:0.0e0}). Nothing was timed."));
            }

            worst = Math.Max(worst, relative);
        }

        return worst;
    }
}
