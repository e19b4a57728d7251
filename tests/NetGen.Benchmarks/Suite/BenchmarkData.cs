using System;
using NetGen.Benchmarks.Networks;

namespace NetGen.Benchmarks.Suite;

/// <summary>The benchmarks' inputs and targets: fixed pseudo-random values (timing does not depend on them).</summary>
internal static class BenchmarkData
{
    /// <summary>One input: the XOR point (1, 0) for xor, else values uniform in [-1, 1).</summary>
    public static float[] Input(NetworkSpec spec, Random random)
    {
        if (spec.Inputs == 2 && spec.Loss == Loss.BinaryCrossEntropy)
        {
            return [1f, 0f];
        }

        var input = new float[spec.Inputs];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (2f * random.NextSingle()) - 1f;
        }

        return input;
    }

    /// <summary>
    /// <paramref name="count"/> training samples: for binary cross-entropy with two inputs the four XOR cases in turn,
    /// else random inputs with a random one-hot target.
    /// </summary>
    public static (float[][] Inputs, float[][] Targets) TrainingSamples(NetworkSpec spec, int count, Random random)
    {
        var inputs = new float[count][];
        var targets = new float[count][];
        for (int k = 0; k < count; k++)
        {
            targets[k] = new float[spec.Outputs];
            if (spec.Inputs == 2 && spec.Loss == Loss.BinaryCrossEntropy)
            {
                int a = k & 1, b = (k >> 1) & 1;
                inputs[k] = [a, b];
                targets[k].AsSpan().Fill(a ^ b);
            }
            else
            {
                inputs[k] = Input(spec, random);
                targets[k][random.Next(spec.Outputs)] = 1f;
            }
        }

        return (inputs, targets);
    }
}
