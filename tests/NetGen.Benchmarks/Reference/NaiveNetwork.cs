using System;
using NetGen.Benchmarks.Networks;

namespace NetGen.Benchmarks.Reference;

/// <summary>
/// The baseline: what a developer writes by hand over <c>float[]</c>. One weight array per layer in NetGen's
/// (PyTorch's) layout, <c>W</c> as <c>[units, inputs]</c> row-major, plain nested loops, a switch on the activation,
/// buffers allocated once. Its training step is textbook backpropagation with the same fused loss gradients as
/// NetGen (softmax + cross-entropy: <c>y Σt - t</c>; sigmoid + binary cross-entropy: <c>(y - t) / n</c>) followed by
/// plain SGD, so its gradients and updated weights can be checked against NetGen's.
/// </summary>
public sealed class NaiveNetwork
{
    private readonly Activation[] _activations;
    private readonly Loss _loss;
    private readonly float[][] _weights;
    private readonly float[][] _biases;
    private readonly float[][] _weightGradients;
    private readonly float[][] _biasGradients;
    private readonly float[][] _outputs; // each layer's activations
    private readonly float[][] _deltas; // d loss / d (each layer's pre-activations)
    private float[][]? _batchOutputs; // ForwardBatch/BackwardBatch: each layer's activations, [n, units] sample-major
    private float[][]? _batchDeltas;
    private int _batchCapacity;
    private float[][]? _adamFirst; // Adam's moments per weight and bias array, allocated by the first AdamStep
    private float[][]? _adamSecond;
    private int _adamSteps;

    /// <summary>Builds the network with a copy of <paramref name="parameters"/> (NetGen layout).</summary>
    public NaiveNetwork(NetworkSpec spec, ReadOnlySpan<float> parameters)
    {
        if (parameters.Length != spec.ParameterCount)
        {
            throw new ArgumentException($"Expected {spec.ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        }

        int layers = spec.Layers.Count;
        _activations = new Activation[layers];
        _loss = spec.Loss;
        _weights = new float[layers][];
        _biases = new float[layers][];
        _weightGradients = new float[layers][];
        _biasGradients = new float[layers][];
        _outputs = new float[layers][];
        _deltas = new float[layers][];
        int offset = 0;
        for (int l = 0; l < layers; l++)
        {
            int units = spec.Layers[l].Units;
            int inputs = spec.InputsOf(l);
            _activations[l] = spec.Layers[l].Activation;
            _weights[l] = parameters.Slice(offset, units * inputs).ToArray();
            offset += units * inputs;
            _biases[l] = parameters.Slice(offset, units).ToArray();
            offset += units;
            _weightGradients[l] = new float[units * inputs];
            _biasGradients[l] = new float[units];
            _outputs[l] = new float[units];
            _deltas[l] = new float[units];
        }
    }

    /// <summary>Runs the network on one sample.</summary>
    public void Forward(float[] input, float[] output)
    {
        RunLayers(input);
        Array.Copy(_outputs[^1], output, output.Length);
    }

    /// <summary>
    /// Forward pass, loss, backward pass: adds this sample's gradients to the gradient arrays and returns the loss.
    /// </summary>
    public float Backward(float[] input, float[] target)
    {
        int last = _weights.Length - 1;
        RunLayers(input);
        float loss = LossAndDelta(_outputs[last], target, _deltas[last]);

        for (int l = last; l >= 0; l--)
        {
            float[] x = l == 0 ? input : _outputs[l - 1];
            float[] w = _weights[l];
            float[] gw = _weightGradients[l];
            float[] gb = _biasGradients[l];
            float[] d = _deltas[l];
            int inputs = x.Length;
            for (int j = 0; j < d.Length; j++)
            {
                gb[j] += d[j];
                for (int i = 0; i < inputs; i++)
                {
                    gw[(j * inputs) + i] += d[j] * x[i];
                }
            }

            if (l == 0)
            {
                break;
            }

            // d loss / d x = Wᵀ d, then through the previous layer's activation.
            float[] previous = _deltas[l - 1];
            Activation activation = _activations[l - 1];
            for (int i = 0; i < inputs; i++)
            {
                float sum = 0f;
                for (int j = 0; j < d.Length; j++)
                {
                    sum += w[(j * inputs) + i] * d[j];
                }

                previous[i] = sum * Derivative(activation, x[i]);
            }
        }

        return loss;
    }

    /// <summary>
    /// Runs the network on <c>n</c> samples stored one after another (<c>n</c> = <c>outputs.Length / Outputs</c>), layer
    /// by layer over the whole batch: per layer <c>Z = X Wᵀ + b</c> as plain loops over the sample-major matrices (for
    /// each sample and unit the dot product of the sample's row and the unit's weight row), then the activation. The
    /// batch buffers are allocated by the first call with a larger <c>n</c> (or by <see cref="ReserveBatch"/>).
    /// </summary>
    public void ForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        RunLayersBatch(inputs, outputs.Length / _biases[^1].Length);
        _batchOutputs![^1].AsSpan(0, outputs.Length).CopyTo(outputs);
    }

    /// <summary>
    /// Forward pass, loss and backward pass over <c>n</c> samples as matrices (<c>n</c> = <c>targets.Length /
    /// Outputs</c>): adds the sum of their gradients to the gradient arrays (<c>dW += Dᵀ X</c>, <c>db += Σ D</c>, then
    /// <c>D = (D W) ⊙ f'(X)</c> for the layer below, plain loops) and returns the sum of their losses.
    /// </summary>
    public float BackwardBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        int last = _weights.Length - 1;
        int outputCount = _biases[last].Length;
        int n = targets.Length / outputCount;
        RunLayersBatch(inputs, n);
        float loss = 0f;
        for (int s = 0; s < n; s++)
        {
            int row = s * outputCount;
            loss += LossAndDelta(_batchOutputs![last].AsSpan(row, outputCount), targets.Slice(row, outputCount), _batchDeltas![last].AsSpan(row, outputCount));
        }

        for (int l = last; l >= 0; l--)
        {
            ReadOnlySpan<float> x = l == 0 ? inputs : _batchOutputs![l - 1];
            float[] w = _weights[l];
            float[] gw = _weightGradients[l];
            float[] gb = _biasGradients[l];
            float[] d = _batchDeltas![l];
            int units = gb.Length;
            int inputCount = w.Length / units;
            for (int j = 0; j < units; j++)
            {
                for (int s = 0; s < n; s++)
                {
                    float dj = d[(s * units) + j];
                    gb[j] += dj;
                    for (int i = 0; i < inputCount; i++)
                    {
                        gw[(j * inputCount) + i] += dj * x[(s * inputCount) + i];
                    }
                }
            }

            if (l == 0)
            {
                break;
            }

            float[] previous = _batchDeltas[l - 1];
            Activation activation = _activations[l - 1];
            for (int s = 0; s < n; s++)
            {
                for (int i = 0; i < inputCount; i++)
                {
                    float sum = 0f;
                    for (int j = 0; j < units; j++)
                    {
                        sum += w[(j * inputCount) + i] * d[(s * units) + j];
                    }

                    previous[(s * inputCount) + i] = sum * Derivative(activation, x[(s * inputCount) + i]);
                }
            }
        }

        return loss;
    }

    /// <summary>
    /// Plain SGD on the mean of <paramref name="batchSize"/> samples' summed gradients: <c>p -= (learningRate /
    /// batchSize) · g</c> (what <c>Sgd.Step</c> computes), then clears the gradients.
    /// </summary>
    public void Step(float learningRate, int batchSize = 1)
    {
        learningRate /= batchSize;
        for (int l = 0; l < _weights.Length; l++)
        {
            float[] w = _weights[l];
            float[] gw = _weightGradients[l];
            for (int i = 0; i < w.Length; i++)
            {
                w[i] -= learningRate * gw[i];
                gw[i] = 0f;
            }

            float[] b = _biases[l];
            float[] gb = _biasGradients[l];
            for (int i = 0; i < b.Length; i++)
            {
                b[i] -= learningRate * gb[i];
                gb[i] = 0f;
            }
        }
    }

    /// <summary>
    /// Adam as textbook code (PyTorch's <c>torch.optim.Adam</c> defaults: β1 0.9, β2 0.999, ε 1e-8) on the mean of
    /// <paramref name="batchSize"/> samples' summed gradients, then clears the gradients. The moment arrays are
    /// allocated on the first call. For the training-throughput benchmark.
    /// </summary>
    public void AdamStep(float learningRate, int batchSize)
    {
        const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;
        if (_adamFirst is null)
        {
            _adamFirst = new float[_weights.Length * 2][];
            _adamSecond = new float[_weights.Length * 2][];
            for (int l = 0; l < _weights.Length; l++)
            {
                _adamFirst[2 * l] = new float[_weights[l].Length];
                _adamSecond[2 * l] = new float[_weights[l].Length];
                _adamFirst[(2 * l) + 1] = new float[_biases[l].Length];
                _adamSecond[(2 * l) + 1] = new float[_biases[l].Length];
            }
        }

        _adamSteps++;
        float stepSize = learningRate / (1f - MathF.Pow(Beta1, _adamSteps));
        float secondCorrection = MathF.Sqrt(1f - MathF.Pow(Beta2, _adamSteps));
        float scale = 1f / batchSize;
        for (int l = 0; l < _weights.Length; l++)
        {
            Update(_weights[l], _weightGradients[l], _adamFirst[2 * l], _adamSecond![2 * l]);
            Update(_biases[l], _biasGradients[l], _adamFirst[(2 * l) + 1], _adamSecond[(2 * l) + 1]);
        }

        void Update(float[] p, float[] g, float[] m, float[] v)
        {
            for (int i = 0; i < p.Length; i++)
            {
                float gradient = g[i] * scale;
                m[i] = (Beta1 * m[i]) + ((1f - Beta1) * gradient);
                v[i] = (Beta2 * v[i]) + ((1f - Beta2) * gradient * gradient);
                p[i] -= stepSize * m[i] / ((MathF.Sqrt(v[i]) / secondCorrection) + Epsilon);
                g[i] = 0f;
            }
        }
    }

    /// <summary>Copies the parameters out in NetGen's layout (for verification).</summary>
    public void CopyParametersTo(Span<float> destination) => Flatten(_weights, _biases, destination);

    /// <summary>Copies the accumulated gradients out in NetGen's layout (for verification).</summary>
    public void CopyGradientsTo(Span<float> destination) => Flatten(_weightGradients, _biasGradients, destination);

    /// <summary>
    /// The loss of one sample from the last layer's outputs <paramref name="y"/>, and its gradient with respect to the
    /// last layer's pre-activations (the fused loss gradients) into <paramref name="delta"/>.
    /// </summary>
    private float LossAndDelta(ReadOnlySpan<float> y, ReadOnlySpan<float> target, Span<float> delta)
    {
        float loss = 0f;
        if (_loss == Loss.CrossEntropy)
        {
            // -Σ t ln y from the softmax outputs, as written by hand (NetGen goes through log-sum-exp; they agree
            // to rounding unless a probability underflows).
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
        }
        else if (_loss == Loss.BinaryCrossEntropy)
        {
            for (int i = 0; i < y.Length; i++)
            {
                loss -= (target[i] * MathF.Max(MathF.Log(y[i]), -100f)) + ((1f - target[i]) * MathF.Max(MathF.Log(1f - y[i]), -100f));
                delta[i] = (y[i] - target[i]) / y.Length;
            }

            loss /= y.Length;
        }
        else
        {
            throw new NotSupportedException($"The naive network implements {Loss.CrossEntropy} and {Loss.BinaryCrossEntropy}.");
        }

        return loss;
    }

    private void RunLayers(float[] input)
    {
        float[] x = input;
        for (int l = 0; l < _weights.Length; l++)
        {
            float[] w = _weights[l];
            float[] b = _biases[l];
            float[] z = _outputs[l];
            int inputs = x.Length;
            for (int j = 0; j < z.Length; j++)
            {
                float sum = b[j];
                for (int i = 0; i < inputs; i++)
                {
                    sum += w[(j * inputs) + i] * x[i];
                }

                z[j] = sum;
            }

            Activate(_activations[l], z);
            x = z;
        }
    }

    /// <summary>
    /// Allocates the buffers of <see cref="ForwardBatch"/> and <see cref="BackwardBatch"/> for batches of up to
    /// <paramref name="n"/> samples now (they would otherwise be allocated by the first call with a larger batch).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_batchOutputs), nameof(_batchDeltas))]
    public void ReserveBatch(int n)
    {
        if (_batchOutputs is null || _batchDeltas is null || _batchCapacity < n)
        {
            _batchCapacity = n;
            _batchOutputs = new float[_weights.Length][];
            _batchDeltas = new float[_weights.Length][];
            for (int l = 0; l < _weights.Length; l++)
            {
                _batchOutputs[l] = new float[n * _biases[l].Length];
                _batchDeltas[l] = new float[n * _biases[l].Length];
            }
        }
    }

    /// <summary>Runs the layers on <paramref name="n"/> samples into the batch buffers, growing them if needed.</summary>
    private void RunLayersBatch(ReadOnlySpan<float> inputs, int n)
    {
        ReserveBatch(n);
        ReadOnlySpan<float> x = inputs;
        for (int l = 0; l < _weights.Length; l++)
        {
            float[] w = _weights[l];
            float[] b = _biases[l];
            float[] z = _batchOutputs[l];
            int units = b.Length;
            int inputCount = w.Length / units;
            for (int s = 0; s < n; s++)
            {
                for (int j = 0; j < units; j++)
                {
                    float sum = b[j];
                    for (int i = 0; i < inputCount; i++)
                    {
                        sum += w[(j * inputCount) + i] * x[(s * inputCount) + i];
                    }

                    z[(s * units) + j] = sum;
                }

                Activate(_activations[l], z.AsSpan(s * units, units));
            }

            x = z;
        }
    }

    internal static void Activate(Activation activation, Span<float> z)
    {
        switch (activation)
        {
            case Activation.Identity:
                break;
            case Activation.Step:
                for (int i = 0; i < z.Length; i++)
                {
                    z[i] = z[i] > 0f ? 1f : 0f;
                }

                break;
            case Activation.Sigmoid:
                for (int i = 0; i < z.Length; i++)
                {
                    float e = MathF.Exp(-MathF.Abs(z[i])); // never overflows
                    z[i] = z[i] >= 0f ? 1f / (1f + e) : e / (1f + e);
                }

                break;
            case Activation.Tanh:
                for (int i = 0; i < z.Length; i++)
                {
                    z[i] = MathF.Tanh(z[i]);
                }

                break;
            case Activation.ReLU:
                for (int i = 0; i < z.Length; i++)
                {
                    z[i] = z[i] > 0f ? z[i] : 0f;
                }

                break;
            case Activation.LeakyReLU:
                for (int i = 0; i < z.Length; i++)
                {
                    z[i] = z[i] > 0f ? z[i] : 0.01f * z[i];
                }

                break;
            case Activation.Softmax:
                float max = z[0];
                for (int i = 1; i < z.Length; i++)
                {
                    max = MathF.Max(max, z[i]);
                }

                float sum = 0f;
                for (int i = 0; i < z.Length; i++)
                {
                    z[i] = MathF.Exp(z[i] - max);
                    sum += z[i];
                }

                for (int i = 0; i < z.Length; i++)
                {
                    z[i] /= sum;
                }

                break;
            default:
                throw new NotSupportedException($"Unknown activation {activation}.");
        }
    }

    /// <summary>The activation's derivative from its output <paramref name="y"/> (hidden layers only).</summary>
    internal static float Derivative(Activation activation, float y) => activation switch
    {
        Activation.Identity or Activation.Step => 1f,
        Activation.Sigmoid => y * (1f - y),
        Activation.Tanh => 1f - (y * y),
        Activation.ReLU => y > 0f ? 1f : 0f,
        Activation.LeakyReLU => y > 0f ? 1f : 0.01f,
        _ => throw new NotSupportedException($"{activation} has no element-wise derivative here."),
    };

    private static void Flatten(float[][] weights, float[][] biases, Span<float> destination)
    {
        int offset = 0;
        for (int l = 0; l < weights.Length; l++)
        {
            weights[l].CopyTo(destination.Slice(offset));
            offset += weights[l].Length;
            biases[l].CopyTo(destination.Slice(offset));
            offset += biases[l].Length;
        }
    }
}
