using System;
using NetGen.Data;

namespace NetGen.Samples.Sunspots;

/// <summary>Turns a series into forecasting samples: the values before a time step are the input, its value the target.</summary>
public static class SlidingWindows
{
    /// <summary>
    /// One sample per target index <c>t</c> in <c>[firstTarget, endTarget)</c>: the features are
    /// <c>series[t - window .. t)</c> (oldest first, so a sequence network with one input reads them as
    /// <paramref name="window"/> steps) and the single target is <c>series[t]</c>. The values are copied.
    /// </summary>
    /// <param name="series">The series, already scaled.</param>
    /// <param name="window">The number of past values per sample; at least 1.</param>
    /// <param name="firstTarget">The index of the first sample's target; at least <paramref name="window"/>.</param>
    /// <param name="endTarget">One past the index of the last sample's target; at most the series' length.</param>
    /// <exception cref="ArgumentOutOfRangeException">A window would reach outside the series, or there would be no sample.</exception>
    public static Dataset Create(ReadOnlySpan<float> series, int window, int firstTarget, int endTarget)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstTarget, window);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(endTarget, series.Length);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(endTarget, firstTarget);
        int count = endTarget - firstTarget;
        float[] features = new float[count * window];
        float[] targets = new float[count];
        for (int i = 0; i < count; i++)
        {
            int target = firstTarget + i;
            series.Slice(target - window, window).CopyTo(features.AsSpan(i * window, window));
            targets[i] = series[target];
        }

        return new Dataset(features, window, targets, 1);
    }
}
