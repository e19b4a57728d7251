using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;
using NetGen.Shared;

namespace NetGen.Generator.Onnx;

/// <summary>
/// Handles one node: reads its inputs from <see cref="OnnxImport.Values"/>, records its outputs and the layers it
/// makes; returns null, or why the graph cannot be imported (a sentence naming the node).
/// </summary>
internal delegate string? OperatorHandler(OnnxImport import, OnnxNode node);

/// <summary>
/// One walk over a graph's nodes in order. Static values (weights, shapes, the zero initial state) are folded as they
/// come (<see cref="StaticOperators"/>); the data from the graph input goes through a single chain of layers
/// (<see cref="DenseOperators"/>, <see cref="RecurrentOperators"/>, <see cref="SequenceOperators"/>), each operator
/// handled by the handler its table names. Never throws for a graph it cannot import: it returns a failure.
/// </summary>
internal sealed class OnnxImport
{
    /// <summary>The operators that take the data, by op_type (static inputs only: <see cref="StaticOperators"/> first).</summary>
    private static readonly Dictionary<string, OperatorHandler> FlowOperators = DenseOperators.Handlers
        .Concat(RecurrentOperators.Handlers)
        .Concat(SequenceOperators.Handlers)
        .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    private OnnxImport(OnnxGraph graph) => Graph = graph;

    public OnnxGraph Graph { get; }

    /// <summary>What is known about each value, by name.</summary>
    public Dictionary<string, OnnxValue> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>The layers so far, in order.</summary>
    public List<PendingLayer> Layers { get; } = new();

    /// <summary>The step of the chain whose data the next layer must take (see <see cref="Flow.Generation"/>).</summary>
    public int Generation { get; private set; }

    /// <summary>The name of the chain's latest data, for messages.</summary>
    public string Current { get; private set; } = string.Empty;

    /// <summary>The graph input.</summary>
    public OnnxValueInfo Input { get; private set; } = null!;

    /// <summary>For a sequence network, the input's batch and time axes (set by the first recurrent layer), else -1.</summary>
    public int BatchAxis { get; set; } = -1;

    public int TimeAxis { get; set; } = -1;

    public int RecurrentLayerCount => Layers.Count(layer => layer is PendingRecurrent);

    public PendingLayer? LastLayer => Layers.Count > 0 ? Layers[Layers.Count - 1] : null;

    /// <summary>Maps <paramref name="graph"/> to NetGen's layers and parameters, or a failure naming the node.</summary>
    public static ImportedNetwork Map(OnnxGraph graph)
    {
        var import = new OnnxImport(graph);
        ImportedNetwork? network = null;
        string? error = import.Start() ?? import.Walk(graph.Nodes) ?? import.Finish(out network);
        return error != null ? ImportedNetwork.Failure(error) : network!;
    }

    /// <summary>The handlers' common failure: a node that does not take the chain's latest data.</summary>
    public string NotAChain(OnnxNode node) =>
        $"node '{node.DisplayName}' (operator '{node.OpType}') does not take the previous node's output '{Current}'; NetGen imports a single chain of layers";

    /// <summary>The data at input <paramref name="index"/>, if it is the chain's latest; otherwise null and <see cref="NotAChain"/>.</summary>
    public Flow? CurrentFlow(OnnxNode node, int index, out string? error)
    {
        if (index < node.Inputs.Count && Values.TryGetValue(node.Inputs[index], out OnnxValue? value) && value is Flow flow && flow.Generation == Generation)
        {
            error = null;
            return flow;
        }

        error = NotAChain(node);
        return null;
    }

    /// <summary>Records a node's output that is a new step of the chain: a layer, an activation, a folded bias.</summary>
    public void Advance(OnnxNode node, IReadOnlyList<FlowAxis> axes, int output = 0)
    {
        Generation++;
        Record(node, new Flow(axes, Generation), output);
    }

    /// <summary>Records a node's output that is the same data seen another way (a shape operator, a no-op).</summary>
    public void Record(OnnxNode node, OnnxValue value, int output = 0)
    {
        if (output < node.Outputs.Count && node.Outputs[output].Length > 0)
        {
            Values[node.Outputs[output]] = value;
            if (value is Flow flow && flow.Generation == Generation)
            {
                Current = node.Outputs[output];
            }
        }
    }

    /// <summary>The float values of a static input (a weight), or null and why not.</summary>
    public float[]? Floats(string name, out long[] dims, out string? problem)
    {
        dims = Array.Empty<long>();
        switch (name.Length > 0 && Values.TryGetValue(name, out OnnxValue? value) ? value : null)
        {
            case StoredTensor stored:
                dims = stored.Tensor.Dims.ToArray();
                return stored.Tensor.TryGetFloats(out problem);
            case StaticTensor<float> computed:
                dims = computed.Dims;
                problem = null;
                return computed.Values;
            default:
                problem = $"'{name}' is not a constant (initializer); NetGen imports fixed weights only";
                return null;
        }
    }

    /// <summary>The integers of a static input (axes, indices), all known at compile time, or null and why not.</summary>
    public long[]? Ints(string name, out string? problem)
    {
        StaticTensor<Dim>? tensor = StaticOperators.AsInts(this, name, out problem);
        if (tensor == null)
        {
            return null;
        }

        if (tensor.Values.Any(v => !v.IsKnownNumber))
        {
            problem = $"'{name}' depends on the input's size";
            return null;
        }

        return tensor.Values.Select(v => v.Value).ToArray();
    }

    /// <summary>Runs <paramref name="nodes"/> (the graph's, or an If branch's) through the handlers.</summary>
    public string? Walk(IEnumerable<OnnxNode> nodes)
    {
        foreach (OnnxNode node in nodes)
        {
            string? error = Visit(node);
            if (error != null)
            {
                return error;
            }
        }

        return null;
    }

    private string? Visit(OnnxNode node)
    {
        string where = $"node '{node.DisplayName}'";
        if (node.Domain.Length > 0 && node.Domain != "ai.onnx")
        {
            return $"{where} uses operator '{node.OpType}' of domain '{node.Domain}', which NetGen cannot import";
        }

        foreach (string input in node.Inputs)
        {
            if (Values.TryGetValue(input, out OnnxValue? value) && value is RefusedValue refused)
            {
                return $"{where}: {refused.Reason}";
            }
        }

        if (StaticOperators.TryFold(this, node, out string? error))
        {
            return error;
        }

        if (node.OpType != "Add" && LastLayer is PendingDense { AwaitsAdd: true } awaiting)
        {
            awaiting.AwaitsAdd = false; // MatMul without a bias
        }

        if (FlowOperators.TryGetValue(node.OpType, out OperatorHandler? handler))
        {
            return handler(this, node);
        }

        bool takesOldData = node.Inputs.Exists(i => Values.TryGetValue(i, out OnnxValue? v) && v is Flow flow && flow.Generation != Generation);
        return takesOldData ? NotAChain(node) : $"{where} uses operator '{node.OpType}', which NetGen cannot import{Hint(node)}";
    }

    /// <summary>The graph input as the chain's first data; initializers as static values.</summary>
    private string? Start()
    {
        foreach (KeyValuePair<string, OnnxTensor> initializer in Graph.Initializers)
        {
            Values[initializer.Key] = new StoredTensor(initializer.Value);
        }

        OnnxValueInfo? input = Graph.Inputs.Find(i => !Graph.Initializers.ContainsKey(i.Name));
        if (input == null)
        {
            return "the graph has no input";
        }

        if (input.Shape == null || input.Shape.Count < 2)
        {
            return $"graph input '{input.Name}' needs a shape [batch, features...]";
        }

        Input = input;
        bool sequence = Graph.Nodes.Exists(n => RecurrentOperators.Handlers.ContainsKey(n.OpType));
        for (int i = 1; i < input.Shape.Count && !sequence; i++)
        {
            if (input.Shape[i] < 1)
            {
                return $"graph input '{input.Name}' has a dimension {i} of unknown size; only the batch (first) may vary";
            }
        }

        if (!sequence && input.Shape.Skip(1).Aggregate(1L, (product, d) => Math.Min(product * d, (long)int.MaxValue + 1)) > int.MaxValue)
        {
            return $"graph input '{input.Name}' is too large";
        }

        var axes = new List<FlowAxis>();
        if (input.Shape.Count == 2 && input.Shape[1] >= 1)
        {
            axes.Add(new FlowAxis(AxisRole.Batch, Dim.InputAxis(0, input.Shape[0])));
            axes.Add(new FlowAxis(AxisRole.Features, Dim.Of(input.Shape[1])));
        }
        else
        {
            for (int i = 0; i < input.Shape.Count; i++)
            {
                axes.Add(new FlowAxis(AxisRole.Input, Dim.InputAxis(i, input.Shape[i]), i));
            }
        }

        Values[input.Name] = new Flow(axes, Generation);
        Current = input.Name;
        return null;
    }

    private string? Finish(out ImportedNetwork? network)
    {
        network = null;
        if (Layers.Count == 0)
        {
            return "the graph has no dense layer (Gemm or MatMul+Add)";
        }

        if (Graph.Outputs.Count != 1 || !Values.TryGetValue(Graph.Outputs[0].Name, out OnnxValue? output)
            || output is not Flow flow || flow.Generation != Generation)
        {
            return $"the graph's output is not the end of the chain of supported nodes ('{Current}')";
        }

        if (!flow.IsVector)
        {
            return $"the graph's output '{Graph.Outputs[0].Name}' has the axes {flow.Describe()}, not [batch, features]: "
                + "NetGen's sequence networks output what their dense layers make of the last step (take out[:, -1] or h_n[-1] in PyTorch)";
        }

        var dense = Layers.OfType<PendingDense>().ToList();
        for (int l = 0; l < dense.Count - 1; l++)
        {
            if (dense[l].Activation == Activation.Softmax)
            {
                return $"node '{dense[l].ActivationNode}': Softmax on layer {l + 1} of {dense.Count}; NetGen allows Softmax only on the last layer";
            }
        }

        var parameters = new List<float>();
        var specs = Layers.Select(layer => layer.ToSpec(parameters)).ToArray();
        network = new ImportedNetwork(null, Layers[0].Inputs, new EquatableArray<LayerSpec>(specs), new EquatableArray<float>(parameters.ToArray()));
        return null;
    }

    /// <summary>PyTorch exports GELU (which NetGen does not have) as Div, Erf, Add and Mul: say so rather than leave "Div".</summary>
    private string Hint(OnnxNode node)
        => node.OpType is "Div" or "Erf" or "Mul" or "Add" && Graph.Nodes.Exists(n => n.OpType == "Erf")
            ? "; with the graph's Erf node, this is how PyTorch exports GELU, an activation NetGen does not have"
            : string.Empty;
}

/// <summary>A layer being read: its sizes, and (<see cref="ToSpec"/>) its parameters in NetGen's layout.</summary>
internal abstract class PendingLayer
{
    public int Inputs { get; set; }

    public int Units { get; set; }

    /// <summary>The layer's spec; appends its parameters, in NetGen's order, to <paramref name="parameters"/>.</summary>
    public abstract LayerSpec ToSpec(List<float> parameters);
}

/// <summary>A dense layer: Gemm, or MatMul with the Add after it, and its activation.</summary>
internal sealed class PendingDense : PendingLayer
{
    public double[] Weights { get; set; } = Array.Empty<double>(); // [units, inputs]

    public double[] Bias { get; set; } = Array.Empty<double>();

    public Activation? Activation { get; set; }

    /// <summary>After MatMul: an Add right after it is the bias.</summary>
    public bool AwaitsAdd { get; set; }

    public string ActivationNode { get; set; } = string.Empty;

    public override LayerSpec ToSpec(List<float> parameters)
    {
        parameters.AddRange(Weights.Select(w => (float)w));
        parameters.AddRange(Bias.Select(b => (float)b));
        return LayerSpec.Dense(Inputs, Units, Activation ?? NetGen.Activation.Identity);
    }
}

/// <summary>A GRU, LSTM or RNN operator, its parameters already in PyTorch's layout and gate order.</summary>
internal sealed class PendingRecurrent : PendingLayer
{
    public LayerKind Kind { get; set; }

    public Activation Activation { get; set; } = Activation.Identity;

    /// <summary>weight_ih, weight_hh, bias_ih, bias_hh.</summary>
    public float[] Parameters { get; set; } = Array.Empty<float>();

    public override LayerSpec ToSpec(List<float> parameters)
    {
        parameters.AddRange(Parameters);
        return LayerSpec.Recurrent(Kind, Inputs, Units, Activation);
    }
}
