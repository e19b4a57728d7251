using System;
using System.Numerics.Tensors;
using NetGen.Benchmarks.Networks;

namespace NetGen.Benchmarks.Reference;

/// <summary>
/// Forward pass with <see cref="TensorPrimitives"/> (System.Numerics.Tensors), what a developer reaches for when the
/// naive loops are too slow: one vectorised <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
/// per output unit over the row-major <c>W</c>, <see cref="TensorPrimitives.Add(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
/// for the bias, and the library's vectorised activations and softmax. <see cref="ForwardBatch"/> runs a batch layer by
/// layer in blocks of <see cref="BlockSamples"/> samples, so that each weight row is read from cache once per block.
/// </summary>
public sealed class TensorPrimitivesNetwork
{
    private readonly Activation[] _activations;
    private readonly float[][] _weights;
    private readonly float[][] _biases;
    private readonly float[][] _outputs;
    private float[][] _batchOutputs = []; // ForwardBatch: each hidden layer's activations, [n, units] sample-major
    private int _batchCapacity;

    /// <summary>Builds the network with a copy of <paramref name="parameters"/> (NetGen layout).</summary>
    public TensorPrimitivesNetwork(NetworkSpec spec, ReadOnlySpan<float> parameters)
    {
        if (parameters.Length != spec.ParameterCount)
        {
            throw new ArgumentException($"Expected {spec.ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        }

        int layers = spec.Layers.Count;
        _activations = new Activation[layers];
        _weights = new float[layers][];
        _biases = new float[layers][];
        _outputs = new float[layers][];
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
            _outputs[l] = new float[units];
        }
    }

    /// <summary>Runs the network on one sample.</summary>
    public void Forward(float[] input, float[] output)
    {
        ReadOnlySpan<float> x = input;
        for (int l = 0; l < _weights.Length; l++)
        {
            ReadOnlySpan<float> w = _weights[l];
            Span<float> z = l == _weights.Length - 1 ? output : _outputs[l];
            int inputs = x.Length;
            for (int j = 0; j < z.Length; j++)
            {
                z[j] = TensorPrimitives.Dot(w.Slice(j * inputs, inputs), x);
            }

            TensorPrimitives.Add(z, _biases[l], z);
            Activate(_activations[l], z);
            x = z;
        }
    }

    /// <summary>
    /// Allocates the buffers of <see cref="ForwardBatch"/> for batches of up to <paramref name="n"/> samples now (they
    /// would otherwise be allocated by the first call with a larger batch).
    /// </summary>
    public void ReserveBatch(int n)
    {
        if (_batchCapacity < n)
        {
            _batchCapacity = n;
            _batchOutputs = new float[_weights.Length - 1][];
            for (int l = 0; l < _batchOutputs.Length; l++)
            {
                _batchOutputs[l] = new float[n * _biases[l].Length];
            }
        }
    }

    /// <summary>The samples of one block of <see cref="ForwardBatch"/>: their inputs to a layer stay in the L1 cache (8 × 784 floats: 25 KB).</summary>
    public const int BlockSamples = 8;

    /// <summary>
    /// Runs the network on <c>n</c> samples stored one after another (<c>n</c> = <c>outputs.Length / Outputs</c>):
    /// per layer, the samples in blocks of <see cref="BlockSamples"/>, and for each unit its weight row
    /// <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> each sample of the block; then the
    /// bias per sample and the activation over the whole layer (softmax per sample). The batch buffers are allocated by
    /// the first call with a larger <c>n</c> (or by <see cref="ReserveBatch"/>).
    /// </summary>
    public void ForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        int last = _weights.Length - 1;
        int n = outputs.Length / _biases[last].Length;
        ReserveBatch(n);
        ReadOnlySpan<float> x = inputs;
        for (int l = 0; l <= last; l++)
        {
            ReadOnlySpan<float> w = _weights[l];
            ReadOnlySpan<float> b = _biases[l];
            int units = b.Length;
            int inputCount = w.Length / units;
            Span<float> z = l == last ? outputs : _batchOutputs[l].AsSpan(0, n * units);
            for (int first = 0; first < n; first += BlockSamples)
            {
                int end = Math.Min(n, first + BlockSamples);
                for (int j = 0; j < units; j++)
                {
                    ReadOnlySpan<float> row = w.Slice(j * inputCount, inputCount);
                    for (int s = first; s < end; s++)
                    {
                        z[(s * units) + j] = TensorPrimitives.Dot(row, x.Slice(s * inputCount, inputCount));
                    }
                }
            }

            for (int s = 0; s < n; s++)
            {
                Span<float> sample = z.Slice(s * units, units);
                TensorPrimitives.Add(sample, b, sample);
                if (_activations[l] == Activation.Softmax)
                {
                    Activate(Activation.Softmax, sample);
                }
            }

            if (_activations[l] != Activation.Softmax)
            {
                Activate(_activations[l], z);
            }

            x = z;
        }
    }

    private static void Activate(Activation activation, Span<float> z)
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
                TensorPrimitives.Sigmoid(z, z);
                break;
            case Activation.Tanh:
                TensorPrimitives.Tanh(z, z);
                break;
            case Activation.ReLU:
                TensorPrimitives.Max(z, 0f, z);
                break;
            case Activation.LeakyReLU:
                for (int i = 0; i < z.Length; i++)
                {
                    z[i] = z[i] > 0f ? z[i] : 0.01f * z[i];
                }

                break;
            case Activation.Softmax:
                // TensorPrimitives.SoftMax exponentiates the values as given; subtract the maximum first so that
                // large logits cannot overflow (what NetGen, PyTorch and ONNX Runtime do).
                TensorPrimitives.Subtract(z, TensorPrimitives.Max(z), z);
                TensorPrimitives.SoftMax(z, z);
                break;
            default:
                throw new NotSupportedException($"Unknown activation {activation}.");
        }
    }
}
