using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace NetGen.Tests;

/// <summary>One dense layer of a generated network as its <c>[Dense]</c> attribute declares it, with its place in <c>Parameters</c>.</summary>
internal sealed record DeclaredLayer(int Number, int Inputs, int Units, Activation Activation, int WeightOffset)
{
    public int WeightCount => Inputs * Units;

    public int BiasOffset => WeightOffset + WeightCount;

    public int End => BiasOffset + Units;

    /// <summary>Whether the activation has a kink at 0, where finite differences across 0 are meaningless.</summary>
    public bool HasKink => Activation is Activation.ReLU or Activation.LeakyReLU or Activation.Step;
}

/// <summary>
/// A generated network's architecture, read back from its attributes (independently of the generator), with a
/// double-precision forward pass and the loss definitions of design §2 to check the generated code against.
/// </summary>
internal sealed class DeclaredNetwork
{
    private DeclaredNetwork(Type type, int inputs, Loss loss, IReadOnlyList<DeclaredLayer> layers)
    {
        Type = type;
        Inputs = inputs;
        Loss = loss;
        Layers = layers;
    }

    public Type Type { get; }

    public int Inputs { get; }

    public Loss Loss { get; }

    public IReadOnlyList<DeclaredLayer> Layers { get; }

    public DeclaredLayer Output => Layers[^1];

    public int ParameterCount => Output.End;

    public bool HasKinks => Layers.Any(layer => layer.HasKink);

    /// <summary>Reads <typeparamref name="TNet"/>'s attributes and checks that they agree with its generated constants.</summary>
    public static DeclaredNetwork Of<TNet>()
        where TNet : INetwork
    {
        Type type = typeof(TNet);
        NetworkAttribute network = type.GetCustomAttribute<NetworkAttribute>()
            ?? throw new InvalidOperationException($"{type.Name} has no [Network] attribute.");
        var layers = new List<DeclaredLayer>();
        int inputs = network.Inputs;
        int offset = 0;
        foreach (DenseAttribute dense in type.GetCustomAttributes<DenseAttribute>())
        {
            var layer = new DeclaredLayer(layers.Count + 1, inputs, dense.Units, dense.Activation, offset);
            layers.Add(layer);
            inputs = layer.Units;
            offset = layer.End;
        }

        var declared = new DeclaredNetwork(type, network.Inputs, network.Loss, layers);

        // Reflection does not promise attribute order; these catch a reordering (and a generator miscounting).
        Assert.Equal(declared.Inputs, TNet.InputCount);
        Assert.Equal(declared.Output.Units, TNet.OutputCount);
        Assert.Equal(declared.ParameterCount, TNet.ParameterCount);
        Assert.All(layers.Take(layers.Count - 1), layer => Assert.NotEqual(Activation.Softmax, layer.Activation));
        return declared;
    }

    /// <summary>The layer that owns parameter <paramref name="index"/>.</summary>
    public DeclaredLayer LayerOf(int index) => Layers.First(layer => index < layer.End);

    /// <summary>
    /// The forward pass in double precision, written from the definitions rather than from the generator. Returns
    /// the output; <paramref name="preActivations"/>, when given, receives each layer's <c>W x + b</c>.
    /// </summary>
    public double[] Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, double[][]? preActivations = null)
    {
        double[] x = new double[input.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = input[i];
        }

        foreach (DeclaredLayer layer in Layers)
        {
            double[] z = new double[layer.Units];
            for (int j = 0; j < layer.Units; j++)
            {
                double sum = parameters[layer.BiasOffset + j];
                int row = layer.WeightOffset + (j * layer.Inputs);
                for (int i = 0; i < layer.Inputs; i++)
                {
                    sum += parameters[row + i] * x[i];
                }

                z[j] = sum;
            }

            if (preActivations is not null)
            {
                preActivations[layer.Number - 1] = (double[])z.Clone();
            }

            x = DoubleMath.Activate(layer.Activation, z);
        }

        return x;
    }
}

/// <summary>The definitions of design §2 in double precision.</summary>
internal static class DoubleMath
{
    public const double LeakyReLUSlope = 0.01;

    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>Applies <paramref name="activation"/> to a whole layer (Softmax needs all of it).</summary>
    public static double[] Activate(Activation activation, double[] z)
    {
        if (activation == Activation.Softmax)
        {
            double max = z.Max();
            double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
            double sum = e.Sum();
            return e.Select(v => v / sum).ToArray();
        }

        return z.Select(v => activation switch
        {
            Activation.Identity => v,
            Activation.Step => v > 0 ? 1.0 : 0.0,
            Activation.Sigmoid => Sigmoid(v),
            Activation.Tanh => Math.Tanh(v),
            Activation.ReLU => Math.Max(v, 0.0),
            Activation.LeakyReLU => v > 0 ? v : LeakyReLUSlope * v,
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        }).ToArray();
    }

    /// <summary>
    /// One sample's loss from the network's outputs <paramref name="y"/> (the probabilities, for CrossEntropy):
    /// MSE <c>(1/n) Σ (y - t)²</c>; BCE <c>-(1/n) Σ [t ln y + (1 - t) ln(1 - y)]</c>, logs clamped at -100;
    /// CE <c>-Σ t ln y</c>.
    /// </summary>
    public static double Loss(Loss loss, ReadOnlySpan<float> y, ReadOnlySpan<float> t)
    {
        Assert.Equal(y.Length, t.Length);
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += loss switch
            {
                NetGen.Loss.MeanSquaredError => ((double)y[i] - t[i]) * ((double)y[i] - t[i]),
                NetGen.Loss.BinaryCrossEntropy => -((t[i] * ClampedLog(y[i])) + ((1.0 - t[i]) * ClampedLog(1.0 - y[i]))),
                NetGen.Loss.CrossEntropy => -t[i] * Math.Log(y[i]),
                _ => throw new ArgumentOutOfRangeException(nameof(loss)),
            };
        }

        return loss == NetGen.Loss.CrossEntropy ? sum : sum / y.Length;
    }

    private static double ClampedLog(double x) => Math.Max(Math.Log(x), -100.0);
}

/// <summary>Random but reproducible inputs, targets and parameters for the behaviour tests.</summary>
internal static class RandomSamples
{
    public static float[] Uniform(Random random, int count, double low, double high)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(low + ((high - low) * random.NextDouble()));
        }

        return values;
    }

    public static float[] Input(Random random, int count) => Uniform(random, count, -1, 1);

    /// <summary>
    /// A target that suits the loss and output activation. Cross-entropy alternates between a one-hot target and a
    /// soft one whose sum is 1.3 (the loss is linear in the target, and the fused gradient carries the factor Σt).
    /// </summary>
    public static float[] Target(Random random, DeclaredNetwork network, int sample)
    {
        int n = network.Output.Units;
        switch (network.Loss)
        {
            case Loss.CrossEntropy when sample % 2 == 0:
                float[] oneHot = new float[n];
                oneHot[random.Next(n)] = 1f;
                return oneHot;
            case Loss.CrossEntropy:
                float[] soft = Uniform(random, n, 0.05, 1);
                float sum = soft.Sum();
                return soft.Select(v => 1.3f * v / sum).ToArray();
            case Loss.BinaryCrossEntropy:
                return Uniform(random, n, 0, 1).Select((v, i) => i % 3 == 0 ? MathF.Round(v) : v).ToArray();
            default:
                return network.Output.Activation switch
                {
                    Activation.Sigmoid or Activation.Softmax or Activation.Step => Uniform(random, n, 0, 1),
                    Activation.Tanh => Uniform(random, n, -0.9, 0.9),
                    _ => Uniform(random, n, -1.5, 1.5),
                };
        }
    }

    /// <summary>Gives every bias a random value so that bias paths are exercised (they start at zero).</summary>
    public static void RandomizeBiases(DeclaredNetwork network, Span<float> parameters, Random random, double bound)
    {
        foreach (DeclaredLayer layer in network.Layers)
        {
            for (int j = 0; j < layer.Units; j++)
            {
                parameters[layer.BiasOffset + j] = (float)(((2 * random.NextDouble()) - 1) * bound);
            }
        }
    }
}

/// <summary>Runs a generic test method for a network type given as a <see cref="Type"/> (xunit theories pass types).</summary>
internal static class GenericTest
{
    /// <summary>Calls the static generic method <paramref name="methodName"/>&lt;<paramref name="network"/>&gt;() of <paramref name="owner"/>, letting its exceptions through unwrapped.</summary>
    public static void Run(Type owner, string methodName, Type network)
    {
        MethodInfo method = owner.GetMethod(methodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{owner.Name}.{methodName} not found.");
        method.MakeGenericMethod(network).Invoke(null, BindingFlags.DoNotWrapExceptions, null, null, null);
    }

    /// <summary>A network created with a given seed through its generated <c>(int seed)</c> constructor.</summary>
    public static TNet Create<TNet>(int seed)
        where TNet : INetwork
        => (TNet)Activator.CreateInstance(typeof(TNet), seed)!;
}

/// <summary>One parameter's gradient from <c>Backward</c> next to its central finite difference.</summary>
internal readonly record struct GradientComparison(int Index, double Backward, double FiniteDifference);

/// <summary>
/// Central finite differences of a generated network's loss, evaluated by running its own <c>Forward</c> with one
/// parameter perturbed and computing the loss from the outputs in double precision.
/// </summary>
internal static class FiniteDifferences
{
    /// <summary>
    /// The perturbation. Float32 forward passes carry relative rounding noise of ~1e-7..1e-6 in the loss, which a
    /// central difference divides by 2ε; ε = 1e-2 keeps that noise near 1e-4 of the loss while the truncation
    /// error, ε²/6 times a third derivative, stays around 1e-5 for these activations.
    /// </summary>
    public const float Epsilon = 1e-2f;

    /// <summary>Pre-activations of kinked units closer than this to 0 might round to the other side in float32.</summary>
    public const double KinkMargin = 1e-5;

    /// <summary>Every parameter of a small network; of a large one, each layer's corner entries and a random sample.</summary>
    public static int[] Coordinates(DeclaredNetwork network, Random random, int allUpTo = 1000, int weightsPerLayer = 120, int biasesPerLayer = 40)
    {
        if (network.ParameterCount <= allUpTo)
        {
            return Enumerable.Range(0, network.ParameterCount).ToArray();
        }

        var chosen = new SortedSet<int>();
        foreach (DeclaredLayer layer in network.Layers)
        {
            chosen.UnionWith([layer.WeightOffset, layer.BiasOffset - 1, layer.BiasOffset, layer.End - 1]);
            for (int k = 0; k < Math.Min(weightsPerLayer, layer.WeightCount); k++)
            {
                chosen.Add(layer.WeightOffset + random.Next(layer.WeightCount));
            }

            for (int k = 0; k < Math.Min(biasesPerLayer, layer.Units); k++)
            {
                chosen.Add(layer.BiasOffset + random.Next(layer.Units));
            }
        }

        return chosen.ToArray();
    }

    /// <summary>
    /// Runs <c>Backward</c> once from zeroed gradients and compares the gradient at each of
    /// <paramref name="coordinates"/> with the central difference. Coordinates whose perturbation moves a ReLU,
    /// LeakyReLU or Step pre-activation across (or within <see cref="KinkMargin"/> of) 0 are skipped and counted in
    /// <paramref name="skipped"/>. Leaves the parameters as it found them.
    /// </summary>
    public static List<GradientComparison> Compare<TNet>(TNet net, DeclaredNetwork network, float[] input, float[] target, IReadOnlyList<int> coordinates, out int skipped)
        where TNet : INetwork
    {
        net.ZeroGradients();
        net.Backward(input, target);
        float[] backward = net.Gradients.ToArray();

        var results = new List<GradientComparison>(coordinates.Count);
        float[] output = new float[network.Output.Units];
        Span<float> parameters = net.Parameters;
        double[][]? baseline = network.HasKinks ? PreActivations(network, parameters, input) : null;
        skipped = 0;
        foreach (int k in coordinates)
        {
            float original = parameters[k];
            float plus = original + Epsilon;
            float minus = original - Epsilon;

            parameters[k] = plus;
            net.Forward(input, output);
            double lossPlus = DoubleMath.Loss(network.Loss, output, target);
            bool crossesKink = baseline is not null && CrossesKink(network, baseline, PreActivations(network, parameters, input));

            parameters[k] = minus;
            net.Forward(input, output);
            double lossMinus = DoubleMath.Loss(network.Loss, output, target);
            crossesKink |= baseline is not null && CrossesKink(network, baseline, PreActivations(network, parameters, input));

            parameters[k] = original;
            if (crossesKink)
            {
                skipped++;
                continue;
            }

            // Divide by the step actually taken: original ± ε is rounded to float.
            results.Add(new GradientComparison(k, backward[k], (lossPlus - lossMinus) / ((double)plus - minus)));
        }

        return results;
    }

    private static double[][] PreActivations(DeclaredNetwork network, ReadOnlySpan<float> parameters, ReadOnlySpan<float> input)
    {
        double[][] z = new double[network.Layers.Count][];
        network.Forward(parameters, input, z);
        return z;
    }

    private static bool CrossesKink(DeclaredNetwork network, double[][] baseline, double[][] perturbed)
    {
        foreach (DeclaredLayer layer in network.Layers.Where(layer => layer.HasKink))
        {
            double[] before = baseline[layer.Number - 1];
            double[] after = perturbed[layer.Number - 1];
            for (int j = 0; j < layer.Units; j++)
            {
                bool sameSide = before[j] > 0 == after[j] > 0;
                if (!sameSide || Math.Abs(before[j]) < KinkMargin || Math.Abs(after[j]) < KinkMargin)
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>Tolerance assertions whose failure message is built only when they fail (they run in hot loops).</summary>
internal static partial class Check
{
    /// <summary>Asserts <c>|actual - expected| ≤ tolerance</c> (NaN fails), naming the value with <paramref name="what"/>.</summary>
    public static void Close(double expected, double actual, double tolerance, Func<string> what)
    {
        Observed(Math.Abs(actual - expected) / tolerance);
        if (!(Math.Abs(actual - expected) <= tolerance))
        {
            Assert.Fail($"{what()}: expected {expected:G9}, actual {actual:G9}, difference {Math.Abs(actual - expected):G3} > tolerance {tolerance:G3}");
        }
    }

    /// <summary>Element-wise <see cref="Close(double, double, double, Func{string})"/> with tolerance <c>relative · max(1, |expected|)</c>.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            int index = k;
            Close(expected[k], actual[k], relative * Math.Max(1, Math.Abs(expected[k])), () => $"index {index}");
        }
    }

    /// <summary>Reports an error as a fraction of its tolerance (for checks that compare without <see cref="Close(double, double, double, Func{string})"/>).</summary>
    public static void Observe(double errorOverTolerance) => Observed(errorOverTolerance);

    /// <summary>
    /// Where the errors seen go: the conformance runner (tests/NetGen.Conformance, which links this file) implements it
    /// to report each group's worst error; here it has no implementation, so its calls and their arguments compile to
    /// nothing.
    /// </summary>
    static partial void Observed(double errorOverTolerance);
}
