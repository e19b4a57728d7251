namespace NetGen.Onnx;

/// <summary>Optional metadata of an exported ONNX model. Every property has a default; none changes the computation.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>The graph's name; <see langword="null"/> (default) uses the network class's name (or <c>netgen</c> without one).</summary>
    public string? GraphName { get; set; }

    /// <summary>The model's <c>producer_name</c>; default <c>NetGen</c>.</summary>
    public string ProducerName { get; set; } = "NetGen";

    /// <summary>The model's <c>producer_version</c>; <see langword="null"/> (default) uses the NetGen runtime library's version.</summary>
    public string? ProducerVersion { get; set; }

    /// <summary>The model's <c>doc_string</c>; <see langword="null"/> (default) uses the architecture text, e.g. <c>4-8(ReLU)-3(Softmax), CrossEntropy</c>.</summary>
    public string? DocString { get; set; }
}
