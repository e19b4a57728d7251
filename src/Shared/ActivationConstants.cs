namespace NetGen.Shared;

/// <summary>
/// Numbers that define NetGen's activations, for both the runtime (which computes them) and the generator (whose ONNX
/// reader accepts a model only when its operators compute the same). Shared source (src/Shared).
/// </summary>
internal static class ActivationConstants
{
    /// <summary>The negative slope of <c>LeakyReLU</c>, PyTorch's default: <c>x &gt; 0 ? x : 0.01 x</c>.</summary>
    public const float LeakyReLUSlope = 0.01f;
}
