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
    /// <remarks>
    /// The loss is evaluated as <c>Σt · ln Σ e^(z - max) - Σ t (z - max)</c>, as PyTorch's <c>log_softmax</c> does:
    /// both terms have the size of the loss. The algebraically equal <c>Σt · lse(z) - Σ t z</c> subtracts two numbers of
    /// the size of the logits and loses the loss to their rounding once the logits are large.
    /// </remarks>
    public static float CrossEntropyWithSoftmax(Span<float> logitsThenProbabilities, ReadOnlySpan<float> targets, Span<float> logitGradient)
    {
        Guard.SameLength(logitsThenProbabilities, targets, nameof(targets));
        Guard.SameLength(logitsThenProbabilities, logitGradient, nameof(logitGradient));
        Span<float> values = logitsThenProbabilities;
        float max = Activations.Max(values);
        float targetSum = 0f;
        float shiftedDot = 0f; // Σ t (z - max)
        for (int i = 0; i < values.Length; i++)
        {
            targetSum += targets[i];
            shiftedDot += targets[i] * (values[i] - max);
        }

        float logSum = MathF.Log(Activations.SoftmaxShifted(values, max)); // ln Σ e^(z - max)
        for (int i = 0; i < values.Length; i++)
        {
            logitGradient[i] = (values[i] * targetSum) - targets[i];
        }

        return (targetSum * logSum) - shiftedDot;
    }

    /// <summary>
    /// The loss of one sample computed from a network's <em>outputs</em> (what <c>Forward</c> writes) rather than
    /// inside <c>Backward</c>: for evaluation, where no gradient is needed. Allocation-free.
    /// </summary>
    /// <remarks>
    /// <see cref="Loss.MeanSquaredError"/> and <see cref="Loss.BinaryCrossEntropy"/> give the value
    /// <see cref="MeanSquaredError"/> and <see cref="BinaryCrossEntropyWithSigmoid"/> return. For
    /// <see cref="Loss.CrossEntropy"/> the outputs are softmax probabilities, not logits, so the loss is
    /// <c>-Σ t ln max(y, ε)</c> with <c>ε</c> the smallest positive float: the same as <c>Backward</c>'s log-sum-exp
    /// value to rounding, except where a probability has underflowed to 0 (a logit margin beyond about 87), where
    /// this value is capped at about 103 per unit of target.
    /// </remarks>
    /// <param name="loss">The network's loss function.</param>
    /// <param name="outputs">The network's outputs for the sample.</param>
    /// <param name="targets">The sample's targets, as long as <paramref name="outputs"/>.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="loss"/> is not a defined <see cref="Loss"/>.</exception>
    public static float OfOutputs(Loss loss, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets)
    {
        Guard.SameLength(outputs, targets, nameof(targets));
        float sum = 0f;
        switch (loss)
        {
            case Loss.MeanSquaredError:
                for (int i = 0; i < outputs.Length; i++)
                {
                    float difference = outputs[i] - targets[i];
                    sum += difference * difference;
                }

                return sum / outputs.Length;
            case Loss.BinaryCrossEntropy:
                for (int i = 0; i < outputs.Length; i++)
                {
                    float y = outputs[i];
                    float t = targets[i];
                    sum -= (t * ClampedLog(y)) + ((1f - t) * ClampedLog(1f - y));
                }

                return sum * (1f / outputs.Length);
            case Loss.CrossEntropy:
                for (int i = 0; i < outputs.Length; i++)
                {
                    if (targets[i] != 0f)
                    {
                        sum -= targets[i] * MathF.Log(MathF.Max(outputs[i], float.Epsilon));
                    }
                }

                return sum;
            default:
                throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown loss.");
        }
    }

    /// <summary><c>ln x</c>, clamped below at <see cref="LogClamp"/> as PyTorch's <c>BCELoss</c> does.</summary>
    public static float ClampedLog(float x) => MathF.Max(MathF.Log(x), LogClamp);
}
