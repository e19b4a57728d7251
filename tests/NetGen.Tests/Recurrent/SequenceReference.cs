using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace NetGen.Tests.Recurrent;

/// <summary>The kinds of layer a sequence network declares, read from its attributes.</summary>
internal enum DeclaredKind
{
    Dense,
    Gru,
    Lstm,
    Rnn,
}

/// <summary>One layer of a sequence network as its attribute declares it, with its place in <c>Parameters</c>.</summary>
internal sealed record SequenceLayer(DeclaredKind Kind, int Inputs, int Units, Activation Activation, int Offset)
{
    public int Gates => Kind switch { DeclaredKind.Gru => 3, DeclaredKind.Lstm => 4, _ => 1 };

    public int Rows => Gates * Units;

    public bool IsRecurrent => Kind != DeclaredKind.Dense;

    public int ParameterCount => IsRecurrent ? Rows * (Inputs + Units + 2) : (Inputs * Units) + Units;

    public int End => Offset + ParameterCount;

    /// <summary>PyTorch's names of the blocks, as <c>(name, start, count)</c> in <c>Parameters</c>.</summary>
    public IEnumerable<(string Name, int Start, int Count)> Blocks => IsRecurrent
        ? [("weight_ih", Offset, Rows * Inputs), ("weight_hh", Offset + (Rows * Inputs), Rows * Units), ("bias_ih", Offset + (Rows * (Inputs + Units)), Rows), ("bias_hh", Offset + (Rows * (Inputs + Units + 1)), Rows)]
        : [("weight", Offset, Units * Inputs), ("bias", Offset + (Units * Inputs), Units)];
}

/// <summary>
/// A sequence network's architecture, read back from its attributes independently of the generator, with a forward
/// pass in double precision written from PyTorch's definitions (<c>nn.GRU</c>, <c>nn.LSTM</c>, <c>nn.RNN</c>, zero
/// initial state, dense layers on the last step's hidden state) and finite differences of its loss.
/// </summary>
internal sealed class DeclaredSequenceNetwork
{
    private DeclaredSequenceNetwork(Type type, int features, Loss loss, int maxSteps, IReadOnlyList<SequenceLayer> layers)
    {
        Type = type;
        Features = features;
        Loss = loss;
        MaxSteps = maxSteps;
        Layers = layers;
    }

    public Type Type { get; }

    public int Features { get; }

    public Loss Loss { get; }

    public int MaxSteps { get; }

    public IReadOnlyList<SequenceLayer> Layers { get; }

    public SequenceLayer Output => Layers[^1];

    public int ParameterCount => Output.End;

    /// <summary>Reads <typeparamref name="TNet"/>'s attributes and checks them against its generated constants.</summary>
    public static DeclaredSequenceNetwork Of<TNet>()
        where TNet : INetwork
    {
        Type type = typeof(TNet);
        NetworkAttribute network = type.GetCustomAttribute<NetworkAttribute>()!;
        var layers = new List<SequenceLayer>();
        int inputs = network.Inputs;
        int offset = 0;
        foreach (Attribute attribute in type.GetCustomAttributes())
        {
            SequenceLayer? layer = attribute switch
            {
                DenseAttribute dense => new SequenceLayer(DeclaredKind.Dense, inputs, dense.Units, dense.Activation, offset),
                GruAttribute gru => new SequenceLayer(DeclaredKind.Gru, inputs, gru.Units, Activation.Identity, offset),
                LstmAttribute lstm => new SequenceLayer(DeclaredKind.Lstm, inputs, lstm.Units, Activation.Identity, offset),
                RnnAttribute rnn => new SequenceLayer(DeclaredKind.Rnn, inputs, rnn.Units, rnn.Activation, offset),
                _ => null,
            };
            if (layer is not null)
            {
                layers.Add(layer);
                inputs = layer.Units;
                offset = layer.End;
            }
        }

        var declared = new DeclaredSequenceNetwork(type, network.Inputs, network.Loss, network.MaxSteps, layers);
        Assert.Equal(declared.Features, TNet.InputCount);
        Assert.Equal(declared.Output.Units, TNet.OutputCount);
        Assert.Equal(declared.ParameterCount, TNet.ParameterCount);
        Assert.Equal(declared.MaxSteps, TNet.MaxSteps);
        Assert.True(layers[0].IsRecurrent);
        return declared;
    }

    /// <summary>The outputs after the last step of <paramref name="sequence"/>, in double precision.</summary>
    public double[] Forward(IReadOnlyList<double> p, ReadOnlySpan<float> sequence)
    {
        int steps = sequence.Length / Features;
        double[][] inputs = new double[steps][];
        for (int t = 0; t < steps; t++)
        {
            inputs[t] = new double[Features];
            for (int i = 0; i < Features; i++)
            {
                inputs[t][i] = sequence[(t * Features) + i];
            }
        }

        double[] x = [];
        foreach (SequenceLayer layer in Layers)
        {
            if (layer.IsRecurrent)
            {
                inputs = Recurrent(layer, p, inputs);
                x = inputs[^1];
            }
            else
            {
                x = DoubleMath.Activate(layer.Activation, Product(p, layer.Offset, layer.Offset + (layer.Units * layer.Inputs), layer.Units, x));
            }
        }

        return x;
    }

    /// <summary>The loss of one sequence in double precision.</summary>
    public double LossOf(IReadOnlyList<double> p, ReadOnlySpan<float> sequence, float[] target)
    {
        double[] y = Forward(p, sequence);
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += Loss switch
            {
                Loss.MeanSquaredError => (y[i] - target[i]) * (y[i] - target[i]),
                Loss.BinaryCrossEntropy => -((target[i] * Math.Max(Math.Log(y[i]), -100)) + ((1 - target[i]) * Math.Max(Math.Log(1 - y[i]), -100))),
                _ => -target[i] * Math.Log(y[i]),
            };
        }

        return Loss == Loss.CrossEntropy ? sum : sum / y.Length;
    }

    /// <summary>The central finite difference of the double-precision loss with respect to parameter <paramref name="index"/>.</summary>
    public double FiniteDifference(float[] parameters, int index, ReadOnlySpan<float> sequence, float[] target, double epsilon = 1e-6)
    {
        double[] p = parameters.Select(v => (double)v).ToArray();
        p[index] += epsilon;
        double up = LossOf(p, sequence, target);
        p[index] -= 2 * epsilon;
        double down = LossOf(p, sequence, target);
        return (up - down) / (2 * epsilon);
    }

    public SequenceLayer LayerOf(int index) => Layers.First(layer => index < layer.End);

    private static double[][] Recurrent(SequenceLayer layer, IReadOnlyList<double> p, double[][] inputs)
    {
        int h = layer.Units;
        int rows = layer.Rows;
        int wih = layer.Offset, whh = wih + (rows * layer.Inputs), bih = whh + (rows * h), bhh = bih + rows;
        double[] state = new double[h];
        double[] cell = new double[h];
        var outputs = new double[inputs.Length][];
        for (int t = 0; t < inputs.Length; t++)
        {
            double[] gi = Product(p, wih, bih, rows, inputs[t]);
            double[] gh = Product(p, whh, bhh, rows, state);
            double[] next = new double[h];
            for (int j = 0; j < h; j++)
            {
                switch (layer.Kind)
                {
                    case DeclaredKind.Gru:
                        double r = DoubleMath.Sigmoid(gi[j] + gh[j]);
                        double z = DoubleMath.Sigmoid(gi[h + j] + gh[h + j]);
                        double n = Math.Tanh(gi[(2 * h) + j] + (r * gh[(2 * h) + j]));
                        next[j] = ((1 - z) * n) + (z * state[j]);
                        break;
                    case DeclaredKind.Lstm:
                        double i = DoubleMath.Sigmoid(gi[j] + gh[j]);
                        double f = DoubleMath.Sigmoid(gi[h + j] + gh[h + j]);
                        double g = Math.Tanh(gi[(2 * h) + j] + gh[(2 * h) + j]);
                        double o = DoubleMath.Sigmoid(gi[(3 * h) + j] + gh[(3 * h) + j]);
                        cell[j] = (f * cell[j]) + (i * g);
                        next[j] = o * Math.Tanh(cell[j]);
                        break;
                    default:
                        double sum = gi[j] + gh[j];
                        next[j] = layer.Activation == Activation.ReLU ? Math.Max(sum, 0) : Math.Tanh(sum);
                        break;
                }
            }

            state = next;
            outputs[t] = next;
        }

        return outputs;
    }

    /// <summary><c>W x + b</c> with W of <paramref name="rows"/> rows at <paramref name="weights"/>, b at <paramref name="bias"/>.</summary>
    private static double[] Product(IReadOnlyList<double> p, int weights, int bias, int rows, double[] x)
    {
        double[] z = new double[rows];
        for (int j = 0; j < rows; j++)
        {
            double sum = p[bias + j];
            for (int i = 0; i < x.Length; i++)
            {
                sum += p[weights + (j * x.Length) + i] * x[i];
            }

            z[j] = sum;
        }

        return z;
    }
}

/// <summary>Runs a sequence network's streaming <c>Step</c> from a test that knows the network only as a type.</summary>
internal static class Streaming
{
    /// <summary>The outputs after each step of <paramref name="sequence"/>, from <c>default(State)</c>.</summary>
    public static float[][] Run<TNet>(TNet net, float[] sequence)
        where TNet : INetwork
    {
        Type state = typeof(TNet).GetNestedType("State") ?? throw new InvalidOperationException($"{typeof(TNet).Name} has no State.");
        return (float[][])typeof(Streaming).GetMethod(nameof(RunWith), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(typeof(TNet), state)
            .Invoke(null, BindingFlags.DoNotWrapExceptions, null, [net, sequence], null)!;
    }

    private static float[][] RunWith<TNet, TState>(TNet net, float[] sequence)
        where TNet : ISequenceNetwork<TState>
        where TState : struct
    {
        int steps = sequence.Length / TNet.InputCount;
        var outputs = new float[steps][];
        TState state = default;
        for (int t = 0; t < steps; t++)
        {
            outputs[t] = new float[TNet.OutputCount];
            net.Step(ref state, sequence.AsSpan(t * TNet.InputCount, TNet.InputCount), outputs[t]);
        }

        return outputs;
    }
}
