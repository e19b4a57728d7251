using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>How a layer's products are emitted.</summary>
internal enum LayerShape
{
    /// <summary>Straight-line scalar code: every multiply-add spelled out with constant indices.</summary>
    Unrolled,

    /// <summary>
    /// <c>Vector256</c> code with the input dimension unrolled: a constant-bound loop over groups of four rows, each
    /// pass with fused multiply-adds into four registers, one horizontal reduction per group and a scalar tail for
    /// inputs beyond a multiple of 8. Guarded by <c>Vector256.IsHardwareAccelerated</c>, with the <see cref="Loop"/>
    /// kernels as the portable path.
    /// </summary>
    UnrolledSimd,

    /// <summary>Calls to the runtime's vectorised dense kernels over constant-length slices.</summary>
    Loop,
}

/// <summary>A layer with its place in the parameter block and the code shape chosen for it.</summary>
/// <param name="Number">1-based layer number, as users count layers.</param>
/// <param name="WeightOffset">Index of <c>W[0, 0]</c> in <c>Parameters</c>.</param>
/// <param name="BiasOffset">Index of <c>b[0]</c> in <c>Parameters</c>.</param>
/// <param name="Shape">The code shape.</param>
/// <param name="KeepOutputInLocals">
/// Whether the layer's activations (and, in <c>Backward</c>, its deltas) live in locals rather than a stack span:
/// only when this layer and the one reading it are both unrolled scalar code, since vectors and loops need spans.
/// </param>
internal sealed record LayerPlan(LayerSpec Layer, int Number, int WeightOffset, int BiasOffset, LayerShape Shape, bool KeepOutputInLocals)
{
    public int WeightCount => Layer.Inputs * Layer.Units;
}

/// <summary>The network with a code shape per layer: the emitter's whole input.</summary>
internal sealed record NetworkPlan(NetworkSpec Network, EquatableArray<LayerPlan> Layers, int ParameterCount);
