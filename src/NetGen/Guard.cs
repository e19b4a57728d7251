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
