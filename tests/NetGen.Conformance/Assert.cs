using System.Collections.Generic;

namespace NetGen.Conformance;

/// <summary>The thrown failure of one conformance check.</summary>
internal sealed class CheckFailedException(string message) : Exception(message);

/// <summary>
/// The few xunit assertions that the linked files (tests/NetGen.Tests/NetworkTestSupport.cs, the sequence checks of
/// tests/NetGen.Tests/Recurrent) and the checks here use, so that the runner needs no test framework: each throws
/// <see cref="CheckFailedException"/> when it fails. Where a linked file calls one, it means what xunit 2.9's does.
/// </summary>
internal static class Assert
{
    public static void True(bool condition, string? message = null)
    {
        if (!condition)
        {
            throw new CheckFailedException(message ?? "expected true, was false");
        }
    }

    public static void Fail(string message) => throw new CheckFailedException(message);

    public static void Equal<T>(T expected, T actual, string? what = null)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new CheckFailedException($"{what ?? "value"}: expected {expected}, actual {actual}");
        }
    }

    public static void NotEqual<T>(T unexpected, T actual)
    {
        if (EqualityComparer<T>.Default.Equals(unexpected, actual))
        {
            throw new CheckFailedException($"expected anything but {unexpected}");
        }
    }

    /// <summary>
    /// xunit's Assert.Equal on two arrays: the same length and <see cref="EqualityComparer{T}.Default"/> equality of
    /// each element (for floats <see cref="float.Equals(float)"/>: NaN equals NaN, 0 equals -0).
    /// </summary>
    public static void Equal<T>(T[] expected, T[] actual)
    {
        int mismatch = FirstMismatch(expected, actual);
        if (mismatch >= 0)
        {
            string at = mismatch < Math.Min(expected.Length, actual.Length) ? $"first difference at [{mismatch}]: expected {expected[mismatch]}, actual {actual[mismatch]}" : "";
            throw new CheckFailedException($"arrays differ: expected {expected.Length} values, actual {actual.Length}; {at}");
        }
    }

    /// <summary>xunit's Assert.NotEqual on two arrays: they differ in length or in an element.</summary>
    public static void NotEqual<T>(T[] unexpected, T[] actual)
    {
        if (FirstMismatch(unexpected, actual) < 0)
        {
            throw new CheckFailedException($"expected arrays that differ, got two equal ones of {actual.Length} values");
        }
    }

    /// <summary>xunit's Assert.Contains with a filter: some item satisfies it.</summary>
    public static void Contains<T>(IEnumerable<T> collection, Predicate<T> filter)
    {
        foreach (T item in collection)
        {
            if (filter(item))
            {
                return;
            }
        }

        throw new CheckFailedException("no item of the collection matches the filter");
    }

    /// <summary>xunit's Assert.InRange: <paramref name="low"/> ≤ <paramref name="actual"/> ≤ <paramref name="high"/>.</summary>
    public static void InRange<T>(T actual, T low, T high)
        where T : IComparable<T>
    {
        if (low.CompareTo(actual) > 0 || actual.CompareTo(high) > 0)
        {
            throw new CheckFailedException($"{actual} is not in the range [{low}, {high}]");
        }
    }

    public static void All<T>(IEnumerable<T> items, Action<T> check)
    {
        foreach (T item in items)
        {
            check(item);
        }
    }

    private static int FirstMismatch<T>(T[] expected, T[] actual)
    {
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            if (!EqualityComparer<T>.Default.Equals(expected[i], actual[i]))
            {
                return i;
            }
        }

        return expected.Length == actual.Length ? -1 : Math.Min(expected.Length, actual.Length);
    }

    /// <summary>Element-wise bit equality of two float sequences (xunit's Assert.Equal on arrays).</summary>
    public static void SameBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                throw new CheckFailedException($"{what} [{i}]: expected {expected[i]:R}, actual {actual[i]:R}");
            }
        }
    }

    /// <summary>
    /// <c>|actual - expected| ≤ tolerance</c> (NaN fails), and the ratio of error to tolerance is recorded for the
    /// group's "worst error" summary. The message is built only on failure (these run in hot loops).
    /// </summary>
    public static void Close(double expected, double actual, double tolerance, Func<string> what)
    {
        double error = Math.Abs(actual - expected);
        ConformanceRunner.RecordError(error / tolerance);
        if (!(error <= tolerance))
        {
            throw new CheckFailedException($"{what()}: expected {expected:G9}, actual {actual:G9}, difference {error:G3} > tolerance {tolerance:G3}");
        }
    }
}
