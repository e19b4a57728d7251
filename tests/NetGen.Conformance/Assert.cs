using System.Collections.Generic;

namespace NetGen.Conformance;

/// <summary>The thrown failure of one conformance check.</summary>
internal sealed class CheckFailedException(string message) : Exception(message);

/// <summary>
/// The few xunit assertions that the linked files (tests/NetGen.Tests/NetworkTestSupport.cs) and the checks here use,
/// so that the runner needs no test framework: each throws <see cref="CheckFailedException"/> when it fails.
/// </summary>
internal static class Assert
{
    public static void True(bool condition, string message)
    {
        if (!condition)
        {
            throw new CheckFailedException(message);
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

    public static void All<T>(IEnumerable<T> items, Action<T> check)
    {
        foreach (T item in items)
        {
            check(item);
        }
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
