using System;

namespace NetGen.Training;

/// <summary>Validation of optimizer and schedule settings: each check throws an <see cref="ArgumentOutOfRangeException"/> naming the argument.</summary>
internal static class Hyperparameters
{
    /// <summary>A finite value of at least 0 (rejects NaN and infinities).</summary>
    public static double NonNegative(double value, string paramName)
        => value >= 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' must be a finite number of at least 0.");

    /// <summary>A finite value above 0.</summary>
    public static double Positive(double value, string paramName)
        => value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' must be a finite number above 0.");

    /// <summary>A decay rate: at least 0 and below 1.</summary>
    public static double DecayRate(double value, string paramName)
        => value >= 0 && value < 1
            ? value
            : throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' must be at least 0 and below 1.");

    /// <summary>A count of at least 1.</summary>
    public static int Positive(int value, string paramName)
        => value > 0
            ? value
            : throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' must be at least 1.");

    /// <summary>An index of at least 0.</summary>
    public static int NonNegative(int value, string paramName)
        => value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(paramName, value, $"'{paramName}' must be at least 0.");
}
