using System;

namespace NetGen.Numerics;

/// <summary>
/// The losses of <see cref="Loss"/> for one sample, each returning the loss and writing the gradient the backward
/// pass starts from. Definitions and clamping follow PyTorch (float32, mean reduction over the outputs).
/// </summary>
public static class Losses
{
    /// <summary>PyTorch's <c>BCELoss</c> clamps each logarithm at this value so that log(0) never appears.</summary>
    public const float LogClamp = -100f;

    /// <summary>
    /// Mean squared error <c>(1/n) Σ (y - t)²</c>; writes <c>d loss / d y = 2 (y - t) / n</c> to
    /// <paramref name="outputGradient"/>.
    /// </summary>
    public static float MeanSquaredError(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, Span<float> outputGradient)
    {
        Guard.SameLength(outputs, targets, nameof(targets));
        Guard.SameLength(outputs, outputGradient, nameof(outputGradient));
        float scale = 2f / outputs.Length;
        float sum = 0f;
        for (int i = 0; i < outputs.Length; i++)
        {
            float difference = outputs[i] - targets[i];
            sum += difference * difference;
            outputGradient[i] = scale * difference;
        }

        return sum / outputs.Length;
    }

    /// <summary>
    /// Binary cross-entropy of sigmoid outputs, <c>-(1/n) Σ [t ln y + (1 - t) ln(1 - y)]</c> with each logarithm
    /// clamped at <see cref="LogClamp"/>. Writes the gradient with respect to the sigmoid's <em>logits</em>,
    /// <c>(y - t) / n</c>: the fused form, equal to PyTorch's <c>BCELoss</c> gradient through the sigmoid wherever the
    /// sigmoid is not saturated in float32, and still informative where it is.
    /// </summary>
    public static float BinaryCrossEntropyWithSigmoid(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, Span<float> logitGradient)
    {
        Guard.SameLength(outputs, targets, nameof(targets));
        Guard.SameLength(outputs, logitGradient, nameof(logitGradient));
        float inverseCount = 1f / outputs.Length;
        float sum = 0f;
        for (int i = 0; i < outputs.Length; i++)
        {
            float y = outputs[i];
            float t = targets[i];
            sum -= (t * ClampedLog(y)) + ((1f - t) * ClampedLog(1f - y));
            logitGradient[i] = (y - t) * inverseCount;
        }

        return sum * inverseCount;
    }

    /// <summary>
    /// Cross-entropy <c>-Σ t ln softmax(z)</c> of the logits in <paramref name="logitsThenProbabilities"/>, computed
    /// through log-sum-exp. Replaces the logits by the softmax probabilities and writes the fused gradient with
    /// respect to the logits, <c>y Σt - t</c>.
    /// </summary>
    public static float CrossEntropyWithSoftmax(Span<float> logitsThenProbabilities, ReadOnlySpan<float> targets, Span<float> logitGradient)
    {
        Guard.SameLength(logitsThenProbabilities, targets, nameof(targets));
        Guard.SameLength(logitsThenProbabilities, logitGradient, nameof(logitGradient));
        float targetSum = 0f;
        float loss = 0f;
        for (int i = 0; i < targets.Length; i++)
        {
            targetSum += targets[i];
            loss -= targets[i] * logitsThenProbabilities[i];
        }

        float logSumExp = Activations.Softmax(logitsThenProbabilities);
        loss += targetSum * logSumExp;
        for (int i = 0; i < targets.Length; i++)
        {
            logitGradient[i] = (logitsThenProbabilities[i] * targetSum) - targets[i];
        }

        return loss;
    }

    private static float ClampedLog(float x) => MathF.Max(MathF.Log(x), LogClamp);
}
