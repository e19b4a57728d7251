using System;
using NetGen.Benchmarks.Networks;

namespace NetGen.Benchmarks.Reference;

/// <summary>
/// The baseline for sequence networks: a GRU or LSTM layer and dense layers on its last hidden state, written by hand
/// over <c>float[]</c> from PyTorch's equations (<c>nn.GRU</c>, <c>nn.LSTM</c> documentation), with plain loops: per step
/// the gate pre-activations <c>W_ih x + b_ih</c> and <c>W_hh h + b_hh</c> row by row, <see cref="MathF.Exp"/> sigmoids and
/// <see cref="MathF.Tanh"/>; its training step is textbook backpropagation through time (every step's gradients added
/// to the weight gradients as the step is visited), then plain SGD. Weights in PyTorch's <c>state_dict</c> layout (the
/// same as NetGen's), buffers for <see cref="RecurrentSpec.Steps"/> steps allocated once.
/// </summary>
public sealed class NaiveRecurrentNetwork
{
    private readonly RecurrentSpec _spec;
    private readonly int _inputs;
    private readonly int _units;
    private readonly int _rows;
    private readonly bool _lstm;

    // The recurrent layer: weight_ih [rows, inputs], weight_hh [rows, units], bias_ih, bias_hh; and their gradients.
    private readonly float[] _wih, _whh, _bih, _bhh;
    private readonly float[] _gwih, _gwhh, _gbih, _gbhh;

    // The dense layers: W [units, inputs], b; their gradients, outputs and deltas.
    private readonly float[][] _w, _b, _gw, _gb, _out, _delta;

    // Per step, kept for backpropagation through time: hidden states h[0..T] (and cell states), the activated gates,
    // and for a GRU the recurrent product of the n gate (W_hn h + b_hn).
    private readonly float[][] _h;
    private readonly float[][] _c;
    private readonly float[][] _gates;
    private readonly float[][] _hn;

    // Scratch for one step.
    private readonly float[] _ih, _hh, _dh, _dc, _dpre, _dhidden;

    /// <summary>Builds the network with a copy of <paramref name="parameters"/> (PyTorch's, and NetGen's, layout).</summary>
    public NaiveRecurrentNetwork(RecurrentSpec spec, ReadOnlySpan<float> parameters)
    {
        if (parameters.Length != spec.ParameterCount)
        {
            throw new ArgumentException($"Expected {spec.ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        }

        _spec = spec;
        _inputs = spec.Inputs;
        _units = spec.Units;
        _rows = spec.GateRows;
        _lstm = spec.Kind == RecurrentKind.Lstm;
        int offset = 0;
        _wih = Take(parameters, ref offset, _rows * _inputs);
        _whh = Take(parameters, ref offset, _rows * _units);
        _bih = Take(parameters, ref offset, _rows);
        _bhh = Take(parameters, ref offset, _rows);
        _gwih = new float[_wih.Length];
        _gwhh = new float[_whh.Length];
        _gbih = new float[_rows];
        _gbhh = new float[_rows];

        int layers = spec.Dense.Count;
        _w = new float[layers][];
        _b = new float[layers][];
        _gw = new float[layers][];
        _gb = new float[layers][];
        _out = new float[layers][];
        _delta = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            int units = spec.Dense[l].Units;
            _w[l] = Take(parameters, ref offset, units * spec.DenseInputsOf(l));
            _b[l] = Take(parameters, ref offset, units);
            _gw[l] = new float[_w[l].Length];
            _gb[l] = new float[units];
            _out[l] = new float[units];
            _delta[l] = new float[units];
        }

        int steps = spec.Steps;
        _h = new float[steps + 1][];
        _c = new float[steps + 1][];
        _gates = new float[steps][];
        _hn = new float[steps][];
        for (int t = 0; t <= steps; t++)
        {
            _h[t] = new float[_units];
            _c[t] = new float[_units];
            if (t < steps)
            {
                _gates[t] = new float[_rows];
                _hn[t] = new float[_units];
            }
        }

        _ih = new float[_rows];
        _hh = new float[_rows];
        _dh = new float[_units];
        _dc = new float[_units];
        _dpre = new float[_rows];
        _dhidden = new float[_rows];
    }

    /// <summary>Runs the network on a sequence (<c>steps × inputs</c> values) from the zero state; writes the outputs for its last step.</summary>
    public void Forward(float[] sequence, float[] output)
    {
        int steps = RunSequence(sequence);
        RunDense(_h[steps]);
        Array.Copy(_out[^1], output, output.Length);
    }

    /// <summary>
    /// Forward pass, loss, backpropagation through time: adds this sequence's gradients to the gradient arrays and
    /// returns the loss.
    /// </summary>
    public float Backward(float[] sequence, float[] target)
    {
        int steps = RunSequence(sequence);
        RunDense(_h[steps]);
        int last = _w.Length - 1;
        float[] y = _out[last];
        float[] delta = _delta[last];
        float loss = 0f;
        switch (_spec.Loss)
        {
            case Loss.CrossEntropy:
                // -Σ t ln y from the softmax outputs; the gradient with respect to the logits is y Σt - t.
                float targetSum = 0f;
                for (int i = 0; i < y.Length; i++)
                {
                    targetSum += target[i];
                    loss -= target[i] * MathF.Log(MathF.Max(y[i], float.Epsilon));
                }

                for (int i = 0; i < y.Length; i++)
                {
                    delta[i] = (y[i] * targetSum) - target[i];
                }

                break;
            case Loss.MeanSquaredError:
                // (1/n) Σ (y - t)², through the output layer's activation.
                for (int i = 0; i < y.Length; i++)
                {
                    float difference = y[i] - target[i];
                    loss += difference * difference;
                    delta[i] = 2f * difference / y.Length * NaiveNetwork.Derivative(_spec.Dense[last].Activation, y[i]);
                }

                loss /= y.Length;
                break;
            default:
                throw new NotSupportedException($"The naive sequence network implements {Loss.CrossEntropy} and {Loss.MeanSquaredError}.");
        }

        // The dense layers, last first; the first one's input gradient is d loss / d h_T.
        for (int l = last; l >= 0; l--)
        {
            float[] x = l == 0 ? _h[steps] : _out[l - 1];
            float[] w = _w[l];
            float[] d = _delta[l];
            int inputs = x.Length;
            for (int j = 0; j < d.Length; j++)
            {
                _gb[l][j] += d[j];
                for (int i = 0; i < inputs; i++)
                {
                    _gw[l][(j * inputs) + i] += d[j] * x[i];
                }
            }

            float[] below = l == 0 ? _dh : _delta[l - 1];
            for (int i = 0; i < inputs; i++)
            {
                float sum = 0f;
                for (int j = 0; j < d.Length; j++)
                {
                    sum += w[(j * inputs) + i] * d[j];
                }

                below[i] = l == 0 ? sum : sum * NaiveNetwork.Derivative(_spec.Dense[l - 1].Activation, x[i]);
            }
        }

        // Backpropagation through time: _dh is d loss / d h_t, _dc d loss / d c_t.
        Array.Clear(_dc);
        for (int t = steps - 1; t >= 0; t--)
        {
            float[] g = _gates[t];
            float[] hPrevious = _h[t];
            if (_lstm)
            {
                for (int j = 0; j < _units; j++)
                {
                    float i = g[j], f = g[_units + j], cand = g[(2 * _units) + j], o = g[(3 * _units) + j];
                    float tanhC = MathF.Tanh(_c[t + 1][j]);
                    float dc = _dc[j] + (_dh[j] * o * (1f - (tanhC * tanhC)));
                    _dpre[j] = dc * cand * i * (1f - i);
                    _dpre[_units + j] = dc * _c[t][j] * f * (1f - f);
                    _dpre[(2 * _units) + j] = dc * i * (1f - (cand * cand));
                    _dpre[(3 * _units) + j] = _dh[j] * tanhC * o * (1f - o);
                    _dc[j] = dc * f;
                }

                Array.Copy(_dpre, _dhidden, _rows);
            }
            else
            {
                for (int j = 0; j < _units; j++)
                {
                    float r = g[j], z = g[_units + j], n = g[(2 * _units) + j];
                    float dn = _dh[j] * (1f - z) * (1f - (n * n));
                    float dz = _dh[j] * (hPrevious[j] - n) * z * (1f - z);
                    float dr = dn * _hn[t][j] * r * (1f - r);
                    _dpre[j] = dr;
                    _dpre[_units + j] = dz;
                    _dpre[(2 * _units) + j] = dn;
                    _dhidden[j] = dr;
                    _dhidden[_units + j] = dz;
                    _dhidden[(2 * _units) + j] = dn * r;
                }
            }

            // Weight and bias gradients of this step.
            int offset = t * _inputs;
            for (int j = 0; j < _rows; j++)
            {
                float d = _dpre[j];
                float dHidden = _dhidden[j];
                _gbih[j] += d;
                _gbhh[j] += dHidden;
                for (int i = 0; i < _inputs; i++)
                {
                    _gwih[(j * _inputs) + i] += d * sequence[offset + i];
                }

                for (int i = 0; i < _units; i++)
                {
                    _gwhh[(j * _units) + i] += dHidden * hPrevious[i];
                }
            }

            // d loss / d h_{t-1}: W_hhᵀ times the hidden product's gradient, plus a GRU's direct path dh ⊙ z.
            for (int i = 0; i < _units; i++)
            {
                float sum = _lstm ? 0f : _dh[i] * g[_units + i];
                for (int j = 0; j < _rows; j++)
                {
                    sum += _whh[(j * _units) + i] * _dhidden[j];
                }

                _dpre[i] = sum; // _dpre is free until the next step; _dh is still being read above
            }

            Array.Copy(_dpre, _dh, _units);
        }

        return loss;
    }

    /// <summary>Plain SGD: <c>p -= learningRate · g</c>, then clears the gradients.</summary>
    public void Step(float learningRate)
    {
        Update(_wih, _gwih, learningRate);
        Update(_whh, _gwhh, learningRate);
        Update(_bih, _gbih, learningRate);
        Update(_bhh, _gbhh, learningRate);
        for (int l = 0; l < _w.Length; l++)
        {
            Update(_w[l], _gw[l], learningRate);
            Update(_b[l], _gb[l], learningRate);
        }
    }

    /// <summary>Copies the parameters out in NetGen's layout (for verification).</summary>
    public void CopyParametersTo(Span<float> destination) => Flatten(destination, _wih, _whh, _bih, _bhh, _w, _b);

    /// <summary>Copies the accumulated gradients out in NetGen's layout (for verification).</summary>
    public void CopyGradientsTo(Span<float> destination) => Flatten(destination, _gwih, _gwhh, _gbih, _gbhh, _gw, _gb);

    /// <summary>Runs the recurrent layer over the sequence, keeping every step; returns the number of steps.</summary>
    private int RunSequence(float[] sequence)
    {
        if (sequence.Length % _inputs != 0 || sequence.Length == 0 || sequence.Length / _inputs > _spec.Steps)
        {
            throw new ArgumentException($"Expected 1 to {_spec.Steps} steps of {_inputs} values, got {sequence.Length} values.", nameof(sequence));
        }

        int steps = sequence.Length / _inputs;
        Array.Clear(_h[0]);
        Array.Clear(_c[0]);
        for (int t = 0; t < steps; t++)
        {
            float[] h = _h[t];
            int offset = t * _inputs;

            // The two products, a row at a time.
            for (int j = 0; j < _rows; j++)
            {
                float sum = _bih[j];
                for (int i = 0; i < _inputs; i++)
                {
                    sum += _wih[(j * _inputs) + i] * sequence[offset + i];
                }

                _ih[j] = sum;
                sum = _bhh[j];
                for (int i = 0; i < _units; i++)
                {
                    sum += _whh[(j * _units) + i] * h[i];
                }

                _hh[j] = sum;
            }

            float[] g = _gates[t];
            float[] next = _h[t + 1];
            if (_lstm)
            {
                // i = σ, f = σ, g = tanh, o = σ; c' = f c + i g; h' = o tanh(c').
                for (int j = 0; j < _units; j++)
                {
                    float i = Sigmoid(_ih[j] + _hh[j]);
                    float f = Sigmoid(_ih[_units + j] + _hh[_units + j]);
                    float cand = MathF.Tanh(_ih[(2 * _units) + j] + _hh[(2 * _units) + j]);
                    float o = Sigmoid(_ih[(3 * _units) + j] + _hh[(3 * _units) + j]);
                    float c = (f * _c[t][j]) + (i * cand);
                    g[j] = i;
                    g[_units + j] = f;
                    g[(2 * _units) + j] = cand;
                    g[(3 * _units) + j] = o;
                    _c[t + 1][j] = c;
                    next[j] = o * MathF.Tanh(c);
                }
            }
            else
            {
                // r = σ, z = σ, n = tanh(i_n + r (W_hn h + b_hn)); h' = (1 - z) n + z h.
                for (int j = 0; j < _units; j++)
                {
                    float r = Sigmoid(_ih[j] + _hh[j]);
                    float z = Sigmoid(_ih[_units + j] + _hh[_units + j]);
                    float hn = _hh[(2 * _units) + j];
                    float n = MathF.Tanh(_ih[(2 * _units) + j] + (r * hn));
                    g[j] = r;
                    g[_units + j] = z;
                    g[(2 * _units) + j] = n;
                    _hn[t][j] = hn;
                    next[j] = ((1f - z) * n) + (z * h[j]);
                }
            }
        }

        return steps;
    }

    /// <summary>The dense layers on <paramref name="hidden"/>.</summary>
    private void RunDense(float[] hidden)
    {
        float[] x = hidden;
        for (int l = 0; l < _w.Length; l++)
        {
            float[] w = _w[l];
            float[] z = _out[l];
            int inputs = x.Length;
            for (int j = 0; j < z.Length; j++)
            {
                float sum = _b[l][j];
                for (int i = 0; i < inputs; i++)
                {
                    sum += w[(j * inputs) + i] * x[i];
                }

                z[j] = sum;
            }

            NaiveNetwork.Activate(_spec.Dense[l].Activation, z);
            x = z;
        }
    }

    private static float Sigmoid(float x)
    {
        float e = MathF.Exp(-MathF.Abs(x)); // never overflows
        return x >= 0f ? 1f / (1f + e) : e / (1f + e);
    }

    private static float[] Take(ReadOnlySpan<float> parameters, ref int offset, int count)
    {
        float[] values = parameters.Slice(offset, count).ToArray();
        offset += count;
        return values;
    }

    private static void Update(float[] parameters, float[] gradients, float learningRate)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] -= learningRate * gradients[i];
            gradients[i] = 0f;
        }
    }

    private static void Flatten(Span<float> destination, float[] wih, float[] whh, float[] bih, float[] bhh, float[][] w, float[][] b)
    {
        int offset = 0;
        foreach (float[] block in (float[][])[wih, whh, bih, bhh])
        {
            block.CopyTo(destination.Slice(offset));
            offset += block.Length;
        }

        for (int l = 0; l < w.Length; l++)
        {
            w[l].CopyTo(destination.Slice(offset));
            offset += w[l].Length;
            b[l].CopyTo(destination.Slice(offset));
            offset += b[l].Length;
        }
    }
}
