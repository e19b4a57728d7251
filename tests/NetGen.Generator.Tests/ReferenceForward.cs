using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;
using NetGen.Shared;

namespace NetGen.Generator.Tests;

/// <summary>
/// A plain double-precision forward pass over a model as the readers return it (layers and one parameter block in
/// NetGen's layout): PyTorch's nn.GRU, nn.LSTM, nn.RNN and nn.Linear formulas written out, for comparing read weights
/// with PyTorch's recorded outputs. Independent of the generated code and of the readers' gate tables.
/// </summary>
internal static class ReferenceForward
{
    public static double[] Run(IReadOnlyList<LayerSpec> layers, float[] parameters, float[] sequence, int inputs)
    {
        int steps = sequence.Length / inputs;
        var xs = Enumerable.Range(0, steps).Select(t => sequence.Skip(t * inputs).Take(inputs).Select(v => (double)v).ToArray()).ToList();
        int offset = 0;
        double[] x = Array.Empty<double>();
        foreach (LayerSpec layer in layers)
        {
            if (layer.IsRecurrent)
            {
                xs = Recurrent(layer, parameters, ref offset, xs);
                x = xs[xs.Count - 1];
            }
            else
            {
                x = Dense(layer, parameters, ref offset, x);
            }
        }

        if (offset != parameters.Length)
        {
            throw new InvalidOperationException($"the layers use {offset} of {parameters.Length} parameters");
        }

        return x;
    }

    private static List<double[]> Recurrent(LayerSpec layer, float[] p, ref int offset, List<double[]> xs)
    {
        int h = layer.Units, i = layer.Inputs, rows = layer.GateRows;
        int wih = offset, whh = wih + (rows * i), bih = whh + (rows * h), bhh = bih + rows;
        offset = bhh + rows;
        var hidden = new double[h];
        var cell = new double[h];
        var outputs = new List<double[]>();
        foreach (double[] x in xs)
        {
            double Gi(int row) => p[bih + row] + Enumerable.Range(0, i).Sum(k => p[wih + (row * i) + k] * x[k]);
            double[] previous = hidden;
            double Gh(int row) => p[bhh + row] + Enumerable.Range(0, h).Sum(k => p[whh + (row * h) + k] * previous[k]);
            var next = new double[h];
            for (int u = 0; u < h; u++)
            {
                switch (layer.Kind)
                {
                    case LayerKind.Gru: // r, z, n
                        double r = Sigmoid(Gi(u) + Gh(u)), z = Sigmoid(Gi(h + u) + Gh(h + u));
                        double n = Math.Tanh(Gi(2 * h + u) + (r * Gh(2 * h + u)));
                        next[u] = ((1 - z) * n) + (z * previous[u]);
                        break;
                    case LayerKind.Lstm: // i, f, g, o
                        double ig = Sigmoid(Gi(u) + Gh(u)), fg = Sigmoid(Gi(h + u) + Gh(h + u));
                        double g = Math.Tanh(Gi(2 * h + u) + Gh(2 * h + u)), o = Sigmoid(Gi(3 * h + u) + Gh(3 * h + u));
                        cell[u] = (fg * cell[u]) + (ig * g);
                        next[u] = o * Math.Tanh(cell[u]);
                        break;
                    default:
                        double a = Gi(u) + Gh(u);
                        next[u] = layer.Activation == Activation.ReLU ? Math.Max(0, a) : Math.Tanh(a);
                        break;
                }
            }

            hidden = next;
            outputs.Add(next);
        }

        return outputs;
    }

    private static double[] Dense(LayerSpec layer, float[] p, ref int offset, double[] x)
    {
        int start = offset;
        var z = Enumerable.Range(0, layer.Units)
            .Select(u => p[start + (layer.Units * layer.Inputs) + u] + Enumerable.Range(0, layer.Inputs).Sum(k => p[start + (u * layer.Inputs) + k] * x[k]))
            .ToArray();
        offset += (layer.Units * layer.Inputs) + layer.Units;
        return layer.Activation switch
        {
            Activation.Identity => z,
            Activation.ReLU => z.Select(v => Math.Max(v, 0)).ToArray(),
            Activation.LeakyReLU => z.Select(v => v > 0 ? v : 0.01 * v).ToArray(),
            Activation.Sigmoid => z.Select(Sigmoid).ToArray(),
            Activation.Tanh => z.Select(Math.Tanh).ToArray(),
            Activation.Softmax => z.Select(v => Math.Exp(v - z.Max())).Select((e, _) => e).ToArray() is var e ? e.Select(v => v / e.Sum()).ToArray() : z,
            _ => throw new InvalidOperationException(layer.Activation.ToString()),
        };
    }

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
}
