using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Onnx;

namespace NetGen.Onnx.Tests;

/// <summary>
/// Reads an exported model back with the generator's protobuf reader (linked source: the same code that reads
/// [OnnxNetwork] files at compile time), for tests about the graph's shape rather than its numbers.
/// </summary>
internal static class OnnxModelText
{
    internal sealed record Node(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
        IReadOnlyDictionary<string, long> Ints, IReadOnlyDictionary<string, string[]> Strings);

    public static IReadOnlyList<Node> Nodes(byte[] model) => OnnxGraph.ReadModel(model).Nodes
        .Select(n => new Node(n.Name, n.OpType, n.Inputs, n.Outputs,
            n.Attributes.Values.Where(a => a.HasInt).ToDictionary(a => a.Name, a => a.I),
            n.Attributes.Values.Where(a => a.Strings.Count > 0).ToDictionary(a => a.Name, a => a.Strings.ToArray())))
        .ToList();
}
