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
