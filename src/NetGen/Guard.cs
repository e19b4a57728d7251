using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// Argument checks shared by the runtime and by generated networks. The throwing paths live in separate,
/// non-inlined methods so that the checks cost one compare in the callers' hot paths.
/// </summary>
public static class Guard
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="paramName"/> unless <paramref name="span"/> has exactly <paramref name="expected"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Length(ReadOnlySpan<float> span, int expected, string paramName)
    {
        if (span.Length != expected)
        {
            ThrowWrongLength(paramName, expected, span.Length);
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="paramName"/> unless both spans have the same length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SameLength(ReadOnlySpan<float> reference, ReadOnlySpan<float> span, string paramName)
    {
        if (span.Length != reference.Length)
        {
            ThrowWrongLength(paramName, reference.Length, span.Length);
        }
    }

    /// <summary>
    /// The number of steps of <paramref name="sequence"/>, <c>steps × featuresPerStep</c> values; throws an
    /// <see cref="ArgumentException"/> naming <paramref name="paramName"/> and the lengths unless that is a whole number
    /// from 1 to <paramref name="maxSteps"/>.
    /// </summary>
    /// <param name="sequence">The sequence, one step after another.</param>
    /// <param name="featuresPerStep">The values per step (a sequence network's <c>InputCount</c>).</param>
    /// <param name="maxSteps">The most steps allowed (<c>int.MaxValue</c> for no limit).</param>
    /// <param name="paramName">The parameter's name, for the message.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Steps(ReadOnlySpan<float> sequence, int featuresPerStep, int maxSteps, string paramName)
    {
        int steps = sequence.Length / featuresPerStep;
        if (sequence.Length == 0 || steps * featuresPerStep != sequence.Length || steps > maxSteps)
        {
            throw WrongSequenceLength(paramName, featuresPerStep, maxSteps, sequence.Length);
        }

        return steps;
    }

    /// <summary>
    /// The number of samples in a batch span of <c>samples × perSample</c> values (<c>outputs</c>, <c>targets</c>);
    /// throws an <see cref="ArgumentException"/> naming <paramref name="paramName"/> and the lengths unless its length is
    /// a multiple of <paramref name="perSample"/>.
    /// </summary>
    /// <param name="batch">The samples, one after another.</param>
    /// <param name="perSample">The values per sample (<c>OutputCount</c> for outputs and targets).</param>
    /// <param name="paramName">The parameter's name, for the message.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Samples(ReadOnlySpan<float> batch, int perSample, string paramName)
    {
        int samples = batch.Length / perSample;
        if (samples * perSample != batch.Length)
        {
            throw WrongBatchLength(paramName, perSample, batch.Length);
        }

        return samples;
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming <paramref name="paramName"/> unless <paramref name="inputs"/>
    /// holds exactly <paramref name="samples"/> samples of <paramref name="perSample"/> values, the number of samples
    /// that <paramref name="countedBy"/> holds.
    /// </summary>
    /// <param name="inputs">The batch's inputs, one sample after another.</param>
    /// <param name="samples">The number of samples (from the outputs, targets or classes).</param>
    /// <param name="perSample">The values per sample (<c>InputCount</c>).</param>
    /// <param name="paramName">The inputs' parameter name, for the message.</param>
    /// <param name="countedBy">The parameter that gave the number of samples, for the message.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BatchInputs(ReadOnlySpan<float> inputs, int samples, int perSample, string paramName, string countedBy)
    {
        if (inputs.Length != samples * perSample)
        {
            throw WrongBatchInputs(paramName, samples, perSample, countedBy, inputs.Length);
        }
    }

    /// <summary>
    /// The number of steps of each sequence in a batch of <paramref name="samples"/> sequences of one length
    /// (<c>samples × steps × featuresPerStep</c> values); throws an <see cref="ArgumentException"/> naming
    /// <paramref name="paramName"/> and the lengths unless that is a whole number from 1 to <paramref name="maxSteps"/>
    /// (or the batch is empty with no samples, which has 0 steps).
    /// </summary>
    /// <param name="sequences">The sequences, one after another, each one step after another.</param>
    /// <param name="samples">The number of sequences (from the outputs, targets or classes).</param>
    /// <param name="featuresPerStep">The values per step (a sequence network's <c>InputCount</c>).</param>
    /// <param name="maxSteps">The most steps allowed (<c>int.MaxValue</c> for no limit).</param>
    /// <param name="paramName">The sequences' parameter name, for the message.</param>
    /// <param name="countedBy">The parameter that gave the number of samples, for the message.</param>
    public static int BatchSteps(ReadOnlySpan<float> sequences, int samples, int featuresPerStep, int maxSteps, string paramName, string countedBy)
    {
        if (samples == 0)
        {
            return sequences.Length == 0 ? 0 : throw WrongBatchInputs(paramName, 0, featuresPerStep, countedBy, sequences.Length);
        }

        int perSample = sequences.Length / samples;
        if (perSample * samples != sequences.Length)
        {
            throw new ArgumentException(
                $"'{paramName}' must hold {samples} sequences of one length, as '{countedBy}' holds {samples} samples, but its length {sequences.Length} is not a multiple of {samples}.",
                paramName);
        }

        return Steps(sequences.Slice(0, perSample), featuresPerStep, maxSteps, paramName);
    }

    /// <summary>The exception <see cref="Samples"/> throws.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentException WrongBatchLength(string paramName, int perSample, int actual)
        => new($"'{paramName}' must hold whole samples of {perSample} values, but its length {actual} is not a multiple of {perSample}.", paramName);

    /// <summary>The exception <see cref="BatchInputs"/> throws.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentException WrongBatchInputs(string paramName, int samples, int perSample, string countedBy, int actual)
        => new($"'{paramName}' must have length {samples * perSample} ({samples} samples of {perSample} values, as '{countedBy}' holds {samples} samples) but has length {actual}.", paramName);

    /// <summary>The exception <see cref="Steps"/> throws, saying what was wrong with the length.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentException WrongSequenceLength(string paramName, int featuresPerStep, int maxSteps, int actual)
    {
        string expected = maxSteps == int.MaxValue
            ? $"a whole number of steps of {featuresPerStep} values (at least one step)"
            : $"1 to {maxSteps} steps of {featuresPerStep} values";
        string problem = actual == 0
            ? "it is empty"
            : actual % featuresPerStep != 0
                ? $"its length {actual} is not a multiple of {featuresPerStep}"
                : $"it has {actual / featuresPerStep} steps ({actual} values), more than the network's MaxSteps of {maxSteps}; declare a larger MaxSteps on [Network] to train on longer sequences";
        return new($"'{paramName}' must hold {expected}, but {problem}.", paramName);
    }

    /// <summary>Throws the exception <see cref="Length"/> describes.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowWrongLength(string paramName, int expected, int actual) => throw WrongLength(paramName, expected, actual);

    /// <summary>
    /// The exception for a span of the wrong length, for callers that write <c>throw Guard.WrongLength(…)</c> so that
    /// the JIT sees the check's failing branch end, and drops later bounds checks that the check makes redundant.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentException WrongLength(string paramName, int expected, int actual)
        => new($"'{paramName}' must have length {expected} but has length {actual}.", paramName);
}
