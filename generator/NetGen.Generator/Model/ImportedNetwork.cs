namespace NetGen.Generator.Model;

/// <summary>The outcome of reading a model file (ONNX or a NetGen weight file): an MLP in NetGen's terms, or why it is not one.</summary>
/// <param name="Error">Null on success; otherwise a sentence naming the problem (and the node, where there is one).</param>
/// <param name="Inputs">Inputs per sample.</param>
/// <param name="Layers">The dense layers in order.</param>
/// <param name="Parameters">Per layer W ([units, inputs], row-major) then b: NetGen's (and nn.Linear's) layout.</param>
/// <param name="Loss">The loss the file records (NetGen weight files do; ONNX models do not).</param>
/// <param name="IsCorrupt">For a failure: the file is damaged or not a model at all, rather than a model NetGen cannot import.</param>
internal sealed record ImportedNetwork(string? Error, int Inputs, EquatableArray<LayerSpec> Layers, EquatableArray<float> Parameters, Loss? Loss = null, bool IsCorrupt = false)
{
    public bool Succeeded => Error == null;

    /// <summary>The means of the standardizer a weight file carries (inputs are standardised before <c>Forward</c>), or empty.</summary>
    public EquatableArray<float> InputMeans { get; init; } = EquatableArray<float>.Empty;

    /// <summary>The standard deviations of that standardizer, or empty.</summary>
    public EquatableArray<float> InputStandardDeviations { get; init; } = EquatableArray<float>.Empty;

    /// <summary>A well-formed model outside what NetGen imports (an operator, a shape, a pattern).</summary>
    public static ImportedNetwork Failure(string error) => new(error, 0, EquatableArray<LayerSpec>.Empty, EquatableArray<float>.Empty);

    /// <summary>A file that is truncated, damaged or not a model of the expected format.</summary>
    public static ImportedNetwork Corrupt(string error) => Failure(error) with { IsCorrupt = true };
}
