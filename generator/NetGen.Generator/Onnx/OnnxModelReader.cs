using System;
using System.Collections.Generic;
using NetGen.Generator.Model;
using NetGen.Shared;

namespace NetGen.Generator.Onnx;

/// <summary>
/// Reads an ONNX model (protobuf, no package dependency) and maps a chain of Gemm / MatMul+Add, activations,
/// Flatten, Identity, Dropout and BatchNormalization (folded into the preceding dense layer) to dense layers.
/// </summary>
internal static class OnnxModelReader
{
    /// <summary>Never throws: every problem, including a truncated or corrupt file, is a failed result.</summary>
    public static ImportedNetwork Read(byte[] data)
    {
        try
        {
            if (data == null || data.Length == 0)
            {
                return ImportedNetwork.Corrupt("the file is empty");
            }

            OnnxGraph graph = OnnxGraph.ReadModel(data);
            return Map(graph);
        }
        catch (OnnxFormatException e)
        {
            return ImportedNetwork.Corrupt($"the file is truncated or not a valid ONNX model: {e.Message}");
        }
        catch (Exception e)
        {
            return ImportedNetwork.Corrupt($"the file could not be read as an ONNX model ({e.GetType().Name}: {e.Message})");
        }
    }

    private sealed class PendingLayer
    {
        public int Inputs;
        public int Units;
        public double[] Weights = Array.Empty<double>(); // [units, inputs]
        public double[] Bias = Array.Empty<double>();
        public Activation? Activation;
        public bool AwaitsAdd; // after MatMul
        public bool HasBias;
        public string ActivationNode = string.Empty;
    }

    private static ImportedNetwork Map(OnnxGraph graph)
    {
        OnnxValueInfo? input = graph.Inputs.Find(i => !graph.Initializers.ContainsKey(i.Name));
        if (input == null)
        {
            return ImportedNetwork.Failure("the graph has no input");
        }

        if (input.Shape == null || input.Shape.Count < 2)
        {
            return ImportedNetwork.Failure($"graph input '{input.Name}' needs a shape [batch, features...]");
        }

        long inputCount = 1;
        for (int i = 1; i < input.Shape.Count; i++)
        {
            if (input.Shape[i] < 1)
            {
                return ImportedNetwork.Failure($"graph input '{input.Name}' has a dimension {i} of unknown size; only the batch (first) may vary");
            }

            inputCount *= input.Shape[i];
        }

        if (inputCount > int.MaxValue)
        {
            return ImportedNetwork.Failure($"graph input '{input.Name}' is too large");
        }

        var layers = new List<PendingLayer>();
        string current = input.Name;
        int width = (int)inputCount;
        bool flat = input.Shape.Count == 2;

        foreach (OnnxNode node in graph.Nodes)
        {
            string where = $"node '{node.DisplayName}'";
            if (node.Domain.Length > 0 && node.Domain != "ai.onnx")
            {
                return ImportedNetwork.Failure($"{where} uses operator '{node.OpType}' of domain '{node.Domain}', which NetGen cannot import");
            }

            if (node.OpType == "Constant" && node.Inputs.Count == 0)
            {
                // A constant beside the chain: some exporters store weights this way, and PyTorch writes literals
                // (x * 2, unsqueeze's axes, GELU's divisor) so. Its tensor serves as an initializer; stepping over the
                // node means that an unsupported operator using it is the one reported.
                if (node.Outputs.Count == 1 && node.Attributes.TryGetValue("value", out OnnxAttribute? value) && value.T != null)
                {
                    graph.Initializers[node.Outputs[0]] = value.T;
                }

                continue;
            }

            PendingLayer? last = layers.Count > 0 ? layers[layers.Count - 1] : null;
            if (last != null && last.AwaitsAdd && node.OpType != "Add")
            {
                last.AwaitsAdd = false;
            }

            if (node.OpType == "Add")
            {
                // MatMul + Add: one operand is the MatMul's output, the other the bias.
                if (node.Inputs.Count == 2 && !graph.Initializers.ContainsKey(node.Inputs[0]) && !graph.Initializers.ContainsKey(node.Inputs[1]))
                {
                    return ImportedNetwork.Failure($"{where} adds two computed values ('{node.Inputs[0]}' and '{node.Inputs[1]}'), as a residual (skip) connection does; NetGen imports a single chain of layers");
                }

                if (last == null || !last.AwaitsAdd || node.Inputs.Count != 2)
                {
                    return ImportedNetwork.Failure($"{where} uses operator 'Add' other than as the bias of a MatMul, which NetGen cannot import");
                }

                int data = node.Inputs[0] == current ? 0 : node.Inputs[1] == current ? 1 : -1;
                if (data < 0)
                {
                    return NotAChain(where, node, current);
                }

                float[]? bias = Constant(graph, node.Inputs[1 - data], out string? problem);
                if (bias == null || (bias.Length != last.Units && bias.Length != 1))
                {
                    return ImportedNetwork.Failure($"{where}: {problem ?? $"the bias has {bias!.Length} values for {last.Units} units"}");
                }

                for (int u = 0; u < last.Units; u++)
                {
                    last.Bias[u] += bias[bias.Length == 1 ? 0 : u];
                }

                last.AwaitsAdd = false;
                last.HasBias = true;
                current = node.Outputs[0];
                continue;
            }

            if (node.Inputs.Count == 0 || node.Inputs[0] != current || node.Outputs.Count == 0)
            {
                return NotAChain(where, node, current);
            }

            switch (node.OpType)
            {
                case "Gemm":
                case "MatMul":
                {
                    if (!flat)
                    {
                        return ImportedNetwork.Failure($"{where}: its input has more than two dimensions; put a Flatten first");
                    }

                    bool gemm = node.OpType == "Gemm";
                    if (gemm && node.Int("transA", 0) != 0)
                    {
                        return ImportedNetwork.Failure($"{where}: Gemm with transA = 1 is not a dense layer over a batch of samples");
                    }

                    if (node.Inputs.Count < 2)
                    {
                        return ImportedNetwork.Failure($"{where} has no weight input");
                    }

                    OnnxTensor? b = graph.Initializers.TryGetValue(node.Inputs[1], out OnnxTensor? t) ? t : null;
                    float[]? weights = Constant(graph, node.Inputs[1], out string? problem);
                    if (weights == null || b == null)
                    {
                        return ImportedNetwork.Failure($"{where}: {problem}");
                    }

                    bool transB = gemm && node.Int("transB", 0) != 0;
                    if (b.Dims.Count != 2)
                    {
                        return ImportedNetwork.Failure($"{where}: the weight '{b.Name}' has {b.Dims.Count} dimensions, not 2");
                    }

                    long inputs = transB ? b.Dims[1] : b.Dims[0];
                    long units = transB ? b.Dims[0] : b.Dims[1];
                    if (inputs != width || units < 1 || units > int.MaxValue)
                    {
                        return ImportedNetwork.Failure($"{where}: the weight '{b.Name}' has shape [{string.Join(", ", b.Dims)}] but the layer receives {width} values");
                    }

                    double alpha = gemm ? node.Float("alpha", 1f) : 1.0;
                    var layer = new PendingLayer { Inputs = width, Units = (int)units };
                    layer.Weights = new double[layer.Units * (long)layer.Inputs];
                    layer.Bias = new double[layer.Units];
                    for (int u = 0; u < layer.Units; u++)
                    {
                        for (int i = 0; i < layer.Inputs; i++)
                        {
                            float w = transB ? weights[u * layer.Inputs + i] : weights[i * layer.Units + u];
                            layer.Weights[u * layer.Inputs + i] = alpha * w;
                        }
                    }

                    if (gemm && node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
                    {
                        float[]? c = Constant(graph, node.Inputs[2], out problem);
                        if (c == null || (c.Length != layer.Units && c.Length != 1))
                        {
                            return ImportedNetwork.Failure($"{where}: {problem ?? $"the bias has {c!.Length} values for {layer.Units} units"}");
                        }

                        double beta = node.Float("beta", 1f);
                        for (int u = 0; u < layer.Units; u++)
                        {
                            layer.Bias[u] = beta * c[c.Length == 1 ? 0 : u];
                        }

                        layer.HasBias = true;
                    }

                    layer.AwaitsAdd = !gemm;
                    layers.Add(layer);
                    width = layer.Units;
                    break;
                }

                case "BatchNormalization":
                {
                    if (last == null || last.Activation != null)
                    {
                        return ImportedNetwork.Failure($"{where}: BatchNormalization can only be folded directly after a dense layer (Gemm or MatMul+Add)");
                    }

                    if (node.Inputs.Count < 5)
                    {
                        return ImportedNetwork.Failure($"{where}: BatchNormalization needs scale, bias, mean and variance");
                    }

                    var p = new float[4][];
                    for (int k = 0; k < 4; k++)
                    {
                        p[k] = Constant(graph, node.Inputs[k + 1], out string? problem)!;
                        if (p[k] == null || p[k].Length != last.Units)
                        {
                            return ImportedNetwork.Failure($"{where}: {problem ?? $"'{node.Inputs[k + 1]}' has {p[k].Length} values for {last.Units} units"}");
                        }
                    }

                    double epsilon = node.Float("epsilon", 1e-5f);
                    for (int u = 0; u < last.Units; u++)
                    {
                        double scale = p[0][u] / Math.Sqrt(p[3][u] + epsilon);
                        for (int i = 0; i < last.Inputs; i++)
                        {
                            last.Weights[u * last.Inputs + i] *= scale;
                        }

                        last.Bias[u] = (last.Bias[u] - p[2][u]) * scale + p[1][u];
                    }

                    last.HasBias = true;
                    break;
                }

                case "Relu":
                case "LeakyRelu":
                case "Sigmoid":
                case "Tanh":
                case "Softmax":
                {
                    if (last == null)
                    {
                        return ImportedNetwork.Failure($"{where}: operator '{node.OpType}' before any dense layer; NetGen's activations belong to a layer");
                    }

                    if (last.Activation != null)
                    {
                        return ImportedNetwork.Failure($"{where}: operator '{node.OpType}' follows another activation ({last.Activation}); NetGen has one activation per layer");
                    }

                    Activation kind;
                    switch (node.OpType)
                    {
                        case "Relu": kind = Activation.ReLU; break;
                        case "Sigmoid": kind = Activation.Sigmoid; break;
                        case "Tanh": kind = Activation.Tanh; break;
                        case "Softmax":
                            long axis = node.Int("axis", -1);
                            if (axis != -1 && axis != 1)
                            {
                                return ImportedNetwork.Failure($"{where}: Softmax over axis {axis}; NetGen's Softmax is over the features (axis 1)");
                            }

                            kind = Activation.Softmax;
                            break;
                        default:
                            float alpha = node.Float("alpha", ActivationConstants.LeakyReLUSlope);
                            if (Math.Abs(alpha - ActivationConstants.LeakyReLUSlope) > 1e-7)
                            {
                                return ImportedNetwork.Failure($"{where}: LeakyRelu with alpha = {alpha.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}; NetGen's LeakyReLU has slope 0.01 only");
                            }

                            kind = Activation.LeakyReLU;
                            break;
                    }

                    last.Activation = kind;
                    last.ActivationNode = node.DisplayName;
                    break;
                }

                case "Flatten":
                    if (node.Int("axis", 1) != 1)
                    {
                        return ImportedNetwork.Failure($"{where}: Flatten with axis {node.Int("axis", 1)}; only axis 1 (keep the batch) is a no-op for NetGen");
                    }

                    flat = true;
                    break;

                case "Identity":
                case "Dropout":
                    break; // inference: no-op (Dropout's optional mask output is not used)

                default:
                    return ImportedNetwork.Failure($"{where} uses operator '{node.OpType}', which NetGen cannot import{Hint(graph, node)}");
            }

            current = node.Outputs[0];
        }

        if (layers.Count == 0)
        {
            return ImportedNetwork.Failure("the graph has no dense layer (Gemm or MatMul+Add)");
        }

        if (graph.Outputs.Count != 1 || graph.Outputs[0].Name != current)
        {
            return ImportedNetwork.Failure($"the graph's output is not the end of the chain of supported nodes ('{current}')");
        }

        for (int l = 0; l < layers.Count - 1; l++)
        {
            if (layers[l].Activation == Activation.Softmax)
            {
                return ImportedNetwork.Failure($"node '{layers[l].ActivationNode}': Softmax on layer {l + 1} of {layers.Count}; NetGen allows Softmax only on the last layer");
            }
        }

        var specs = new LayerSpec[layers.Count];
        var parameters = new List<float>();
        for (int l = 0; l < layers.Count; l++)
        {
            PendingLayer layer = layers[l];
            specs[l] = new LayerSpec(layer.Inputs, layer.Units, layer.Activation ?? Activation.Identity);
            foreach (double w in layer.Weights)
            {
                parameters.Add((float)w);
            }

            foreach (double b in layer.Bias)
            {
                parameters.Add((float)b);
            }
        }

        return new ImportedNetwork(null, (int)inputCount, new EquatableArray<LayerSpec>(specs), new EquatableArray<float>(parameters.ToArray()));
    }

    private static float[]? Constant(OnnxGraph graph, string name, out string? problem)
    {
        if (!graph.Initializers.TryGetValue(name, out OnnxTensor? tensor))
        {
            problem = $"'{name}' is not a constant (initializer); NetGen imports fixed weights only";
            return null;
        }

        return tensor.TryGetFloats(out problem);
    }

    /// <summary>PyTorch exports GELU (which NetGen does not have) as Div, Erf, Add and Mul: say so rather than leave "Div".</summary>
    private static string Hint(OnnxGraph graph, OnnxNode node)
        => node.OpType is "Div" or "Erf" or "Mul" or "Add" && graph.Nodes.Exists(n => n.OpType == "Erf")
            ? "; with the graph's Erf node, this is how PyTorch exports GELU, an activation NetGen does not have"
            : string.Empty;

    private static ImportedNetwork NotAChain(string where, OnnxNode node, string current) =>
        ImportedNetwork.Failure($"{where} (operator '{node.OpType}') does not take the previous node's output '{current}'; NetGen imports a single chain of layers");
}
