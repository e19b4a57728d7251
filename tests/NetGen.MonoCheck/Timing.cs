using System;
using System.Diagnostics;
using System.Linq;

namespace NetGen.MonoCheck
{
    /// <summary>
    /// <c>time</c>: the generated Forward and Backward against naive loops over the same weights (<see cref="NaiveMlp"/>),
    /// paired in one process (BenchmarkDotNet does not run on Mono): rounds alternate between the two, and the median
    /// round is reported. docs/benchmarks.md, "Mono".
    /// </summary>
    internal static class Timing
    {
        public static void Run()
        {
            Compare("iris 4-8-3", new IrisNet(1), new[] { 4, 8, 3 }, new[] { Activation.ReLU, Activation.Softmax });
            Compare("digits 64-32-24-10", new DigitsNet(1), new[] { 64, 32, 24, 10 }, new[] { Activation.ReLU, Activation.Sigmoid, Activation.Softmax });
            CompareGru();
        }

        /// <summary>Forward over a 32-step sequence of the GRU(32) network, against <see cref="NaiveGru"/>.</summary>
        private static void CompareGru()
        {
            const int Steps = 32;
            var network = new Gru32Net(1);
            var naive = new NaiveGru(Gru32Net.InputCount, 32, Gru32Net.OutputCount, network.Parameters.ToArray());
            float[] sequence = Enumerable.Range(0, Steps * Gru32Net.InputCount).Select(i => (float)Math.Sin(0.3 * i)).ToArray();
            float[] y = new float[Gru32Net.OutputCount], z = new float[Gru32Net.OutputCount];
            network.Forward(sequence, y);
            naive.Forward(sequence, z);
            if (y.Zip(z, (a, b) => Math.Abs(a - b)).Max() > 1e-5f)
            {
                throw new InvalidOperationException("GRU: the naive loops compute other outputs than the generated code");
            }

            double forward = Median(() => network.Forward(sequence, y), 200), naiveForward = Median(() => naive.Forward(sequence, z), 200);
            Console.WriteLine($"gru 6-Gru(32)-4, {Steps} steps: Forward {forward:0.00} us, naive {naiveForward:0.00} us ({naiveForward / forward:0.00}x)");
        }

        private static void Compare<TNet>(string name, TNet network, int[] sizes, Activation[] activations)
            where TNet : INetwork
        {
            var naive = new NaiveMlp(sizes, activations, network.Parameters.ToArray());
            int inputs = sizes[0], outputs = sizes[sizes.Length - 1];
            float[] x = Enumerable.Range(0, inputs).Select(i => (float)Math.Sin(i)).ToArray();
            float[] t = new float[outputs];
            t[1] = 1;
            float[] y = new float[outputs], z = new float[outputs];
            network.Forward(x, y);
            naive.Forward(x, z);
            if (y.Zip(z, (a, b) => Math.Abs(a - b)).Max() > 1e-5f)
            {
                throw new InvalidOperationException($"{name}: the naive loops compute other outputs than the generated code");
            }

            int calls = Math.Max(1000, 2_000_000 / network.Parameters.Length);
            double forward = Median(() => network.Forward(x, y), calls), naiveForward = Median(() => naive.Forward(x, z), calls);
            double backward = Median(() => network.Backward(x, t), calls), naiveBackward = Median(() => naive.Backward(x, t), calls);
            Console.WriteLine($"{name}: Forward {forward:0.000} us, naive {naiveForward:0.000} us ({naiveForward / forward:0.00}x); Backward {backward:0.000} us, naive {naiveBackward:0.000} us ({naiveBackward / backward:0.00}x)");
        }

        /// <summary>
        /// The median over 15 rounds of the time per call, each round <paramref name="calls"/> calls, after a second of
        /// calls to warm up (the .NET JIT replaces its first code after some 100 ms without new methods).
        /// </summary>
        private static double Median(Action call, int calls)
        {
            var warmUp = Stopwatch.StartNew();
            while (warmUp.ElapsedMilliseconds < 1000)
            {
                for (int i = 0; i < calls; i++)
                {
                    call();
                }
            }

            double[] rounds = new double[15];
            for (int r = 0; r < rounds.Length; r++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < calls; i++)
                {
                    call();
                }

                rounds[r] = (Stopwatch.GetTimestamp() - start) * 1e6 / Stopwatch.Frequency / calls;
            }

            Array.Sort(rounds);
            return rounds[rounds.Length / 2];
        }
    }

    /// <summary>
    /// A multilayer perceptron as anyone would write it: arrays, nested loops, no unrolling; NetGen's parameter layout
    /// (each layer's W, [units, inputs] row-major, then b), softmax with cross-entropy at the end.
    /// </summary>
    internal sealed class NaiveMlp
    {
        private readonly int[] _sizes;
        private readonly Activation[] _activations;
        private readonly float[] _parameters;
        private readonly float[] _gradients;
        private readonly float[][] _values;
        private readonly float[][] _deltas;

        public NaiveMlp(int[] sizes, Activation[] activations, float[] parameters)
        {
            _sizes = sizes;
            _activations = activations;
            _parameters = parameters;
            _gradients = new float[parameters.Length];
            _values = sizes.Select(size => new float[size]).ToArray();
            _deltas = sizes.Select(size => new float[size]).ToArray();
        }

        public void Forward(float[] input, float[] output)
        {
            Array.Copy(input, _values[0], input.Length);
            int offset = 0;
            for (int l = 0; l < _activations.Length; l++)
            {
                int inputs = _sizes[l], units = _sizes[l + 1];
                float[] x = _values[l], h = _values[l + 1];
                for (int j = 0; j < units; j++)
                {
                    float sum = _parameters[offset + (inputs * units) + j];
                    for (int i = 0; i < inputs; i++)
                    {
                        sum += _parameters[offset + (j * inputs) + i] * x[i];
                    }

                    h[j] = sum;
                }

                Activate(_activations[l], h);
                offset += (inputs + 1) * units;
            }

            Array.Copy(_values[_values.Length - 1], output, output.Length);
        }

        public float Backward(float[] input, float[] target)
        {
            float[] output = _values[_values.Length - 1];
            Forward(input, output);
            float loss = 0;
            float[] delta = _deltas[_deltas.Length - 1];
            for (int k = 0; k < output.Length; k++)
            {
                loss -= target[k] * (float)Math.Log(Math.Max(output[k], 1e-30f));
                delta[k] = output[k] - target[k];
            }

            int offset = _parameters.Length;
            for (int l = _activations.Length - 1; l >= 0; l--)
            {
                int inputs = _sizes[l], units = _sizes[l + 1];
                offset -= (inputs + 1) * units;
                float[] x = _values[l], d = _deltas[l + 1], below = _deltas[l];
                for (int j = 0; j < units; j++)
                {
                    for (int i = 0; i < inputs; i++)
                    {
                        _gradients[offset + (j * inputs) + i] += d[j] * x[i];
                    }

                    _gradients[offset + (inputs * units) + j] += d[j];
                }

                if (l == 0)
                {
                    break;
                }

                for (int i = 0; i < inputs; i++)
                {
                    float sum = 0;
                    for (int j = 0; j < units; j++)
                    {
                        sum += _parameters[offset + (j * inputs) + i] * d[j];
                    }

                    below[i] = sum * Derivative(_activations[l - 1], x[i]);
                }
            }

            return loss;
        }

        private static void Activate(Activation activation, float[] h)
        {
            switch (activation)
            {
                case Activation.ReLU:
                    for (int j = 0; j < h.Length; j++)
                    {
                        h[j] = Math.Max(h[j], 0);
                    }

                    break;
                case Activation.Sigmoid:
                    for (int j = 0; j < h.Length; j++)
                    {
                        h[j] = 1f / (1f + (float)Math.Exp(-h[j]));
                    }

                    break;
                case Activation.Softmax:
                    float max = h.Max(), sum = 0;
                    for (int j = 0; j < h.Length; j++)
                    {
                        h[j] = (float)Math.Exp(h[j] - max);
                        sum += h[j];
                    }

                    for (int j = 0; j < h.Length; j++)
                    {
                        h[j] /= sum;
                    }

                    break;
                default:
                    throw new NotSupportedException(activation.ToString());
            }
        }

        private static float Derivative(Activation activation, float h) => activation switch
        {
            Activation.ReLU => h > 0 ? 1 : 0,
            Activation.Sigmoid => h * (1 - h),
            _ => throw new NotSupportedException(activation.ToString()),
        };
    }

    /// <summary>
    /// A GRU layer and a softmax layer as anyone would write them from PyTorch's definition (gates r, z, n;
    /// n = tanh(W_in x + b_in + r (W_hn h + b_hn)); h = (1 - z) n + z h), in NetGen's parameter layout.
    /// </summary>
    internal sealed class NaiveGru
    {
        private readonly int _inputs, _units, _outputs;
        private readonly float[] _p;
        private readonly float[] _h, _gi, _gh;

        public NaiveGru(int inputs, int units, int outputs, float[] parameters)
        {
            _inputs = inputs;
            _units = units;
            _outputs = outputs;
            _p = parameters;
            _h = new float[units];
            _gi = new float[3 * units];
            _gh = new float[3 * units];
        }

        public void Forward(float[] sequence, float[] output)
        {
            int rows = 3 * _units, wih = 0, whh = rows * _inputs, bih = whh + (rows * _units), bhh = bih + rows, dense = bhh + rows;
            Array.Clear(_h, 0, _units);
            for (int t = 0; t < sequence.Length / _inputs; t++)
            {
                for (int r = 0; r < rows; r++)
                {
                    float a = _p[bih + r], b = _p[bhh + r];
                    for (int i = 0; i < _inputs; i++)
                    {
                        a += _p[wih + (r * _inputs) + i] * sequence[(t * _inputs) + i];
                    }

                    for (int i = 0; i < _units; i++)
                    {
                        b += _p[whh + (r * _units) + i] * _h[i];
                    }

                    _gi[r] = a;
                    _gh[r] = b;
                }

                for (int j = 0; j < _units; j++)
                {
                    float reset = 1f / (1f + (float)Math.Exp(-(_gi[j] + _gh[j])));
                    float update = 1f / (1f + (float)Math.Exp(-(_gi[_units + j] + _gh[_units + j])));
                    float candidate = (float)Math.Tanh(_gi[(2 * _units) + j] + (reset * _gh[(2 * _units) + j]));
                    _h[j] = ((1 - update) * candidate) + (update * _h[j]);
                }
            }

            float max = float.NegativeInfinity, sum = 0;
            for (int k = 0; k < _outputs; k++)
            {
                float value = _p[dense + (_outputs * _units) + k];
                for (int i = 0; i < _units; i++)
                {
                    value += _p[dense + (k * _units) + i] * _h[i];
                }

                output[k] = value;
                max = Math.Max(max, value);
            }

            for (int k = 0; k < _outputs; k++)
            {
                output[k] = (float)Math.Exp(output[k] - max);
                sum += output[k];
            }

            for (int k = 0; k < _outputs; k++)
            {
                output[k] /= sum;
            }
        }
    }
}
