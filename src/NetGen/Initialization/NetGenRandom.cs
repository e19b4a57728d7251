using System;

namespace NetGen.Initialization;

/// <summary>
/// The project's own pseudo-random generator: SplitMix64 (Steele, Lea and Flood, 2014). A seed gives the same
/// sequence on every platform and every .NET version, unlike <see cref="Random"/>, whose algorithm is not
/// specified. Floats take the top 24 bits of each 64-bit output, so every value is exact.
/// </summary>
/// <remarks>
/// Step: <c>state += 0x9E3779B97F4A7C15</c>; output: <c>z = state; z = (z ^ (z &gt;&gt; 30)) * 0xBF58476D1CE4E5B9;
/// z = (z ^ (z &gt;&gt; 27)) * 0x94D049BB133111EB; z ^ (z &gt;&gt; 31)</c>. The seed is the initial state.
/// </remarks>
public struct NetGenRandom
{
    /// <summary>The seed a network's parameterless constructor uses.</summary>
    public const int DefaultSeed = 42;

    private ulong _state;

    /// <summary>Starts a sequence from <paramref name="seed"/>.</summary>
    public NetGenRandom(int seed) => _state = unchecked((ulong)(long)seed);

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        unchecked
        {
            _state += 0x9E3779B97F4A7C15UL;
            ulong z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A float uniformly distributed in [0, 1), a multiple of 2^-24.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>A float uniformly distributed in [-<paramref name="bound"/>, <paramref name="bound"/>).</summary>
    public float NextSingle(float bound) => ((2f * NextSingle()) - 1f) * bound;

    /// <summary>An integer in [0, <paramref name="maxExclusive"/>) by multiply-shift of 32 random bits (bias below 2^-32 · range).</summary>
    public int NextInt32(int maxExclusive)
    {
        if (maxExclusive <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "The range must not be empty.");
        }

        return (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt32(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
