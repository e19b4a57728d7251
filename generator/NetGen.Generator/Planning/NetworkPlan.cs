using System;
using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>How a layer's products are emitted.</summary>
internal enum LayerShape
{
    /// <summary>Straight-line scalar code: every multiply-add spelled out with constant indices.</summary>
    Unrolled,

    /// <summary>
    /// Vector code with the input dimension unrolled, once per vector width in <see cref="LayerPlan.Widths"/>: a
    /// constant-bound loop over groups of four rows, each pass with multiply-adds into four registers, one horizontal
    /// reduction per group and a scalar tail for inputs beyond a multiple of the width. The widest width the machine
    /// accelerates runs (<c>Vector512/256/128.IsHardwareAccelerated</c> are constants to the JIT and Native AOT, which
    /// compile that branch alone), with the <see cref="Loop"/> kernels as the path for machines without vectors.
    /// </summary>
    UnrolledSimd,

    /// <summary>Calls to the runtime's vectorised dense kernels over constant-length slices.</summary>
    Loop,
}

/// <summary>The vector widths an <see cref="LayerShape.UnrolledSimd"/> layer has code for.</summary>
[Flags]
internal enum VectorWidths
{
    None = 0,

    /// <summary><c>Vector128</c>, 4 floats: SSE (default Native AOT, x64 without AVX2), Arm64 NEON, WebAssembly SIMD.</summary>
    Vector128 = 1,

    /// <summary><c>Vector256</c>, 8 floats: AVX2.</summary>
    Vector256 = 2,

    /// <summary><c>Vector512</c>, 16 floats: AVX-512.</summary>
    Vector512 = 4,
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
/// <param name="Widths">The vector widths of an <see cref="LayerShape.UnrolledSimd"/> layer; <see cref="VectorWidths.None"/> otherwise.</param>
internal sealed record LayerPlan(LayerSpec Layer, int Number, int WeightOffset, int BiasOffset, LayerShape Shape, bool KeepOutputInLocals, VectorWidths Widths = VectorWidths.None)
{
    public int WeightCount => Layer.Inputs * Layer.Units;

    /// <summary>For a recurrent layer, its two products and its place in the state; null for a dense layer.</summary>
    public RecurrentPlan? Recurrent { get; init; }

    /// <summary>What the layer is part of, for a product of a recurrent layer (e.g. <c>input product</c>); null for a layer.</summary>
    public string? Role { get; init; }

    /// <summary>
    /// Whether the <c>Vector512</c> code of this <see cref="LayerShape.UnrolledSimd"/> product is a call of
    /// <c>DenseKernels.MultiplyAddRowBlocks</c> (sixteen rows a pass, one transposing reduction per sixteen rows) instead
    /// of groups of four rows with a horizontal sum each: a recurrent layer's product whose rows and inputs are multiples
    /// of 16 and whose weights fit the L1 cache (<c>NetworkPlanner.RunsInRowBlocks</c>).
    /// </summary>
    public bool Vector512RowBlocks { get; init; }

    /// <summary>
    /// Whether straight-line code applies the layer's activation four units at a time with <c>Vector128</c>
    /// (<see cref="NetworkPlanner.ActivatesInVectorGroups"/>); false for other shapes, which activate whole spans.
    /// </summary>
    public bool ActivatesInVectorGroups { get; init; }
}

/// <summary>
/// A recurrent layer's plan. Each step computes two products, each emitted like a dense layer without activation in
/// the shape the planner chose for it, then fuses the gates in one pass (<c>RecurrentKernels</c>).
/// <c>Backward</c> runs the products' transposes and the weight gradients over all steps with the kernels.
/// </summary>
/// <param name="InputProduct"><c>W_ih x + b_ih</c>: <c>[gates · units, inputs]</c>.</param>
/// <param name="HiddenProduct"><c>W_hh h + b_hh</c>: <c>[gates · units, units]</c>.</param>
/// <param name="StateOffset">Where the layer's state (hidden, then an LSTM's cell state) starts in the network's state.</param>
/// <param name="HasInputDelta">
/// Whether <c>Backward</c> computes the gradient with respect to the layer's inputs: only when a recurrent layer is
/// below it (a network's input needs no gradient).
/// </param>
/// <param name="ColumnsOffset">
/// Where the transpose of <c>W_ih</c> starts in the stack scratch <c>columns</c> when the input product runs by columns
/// (<c>DenseKernels.MultiplyAddColumns</c>; each call of <c>Forward</c>, <c>Step</c> or <c>Backward</c> transposes the
/// weights once), or -1 when it runs in <see cref="InputProduct"/>'s shape.
/// </param>
internal sealed record RecurrentPlan(LayerPlan InputProduct, LayerPlan HiddenProduct, int StateOffset, bool HasInputDelta, int ColumnsOffset = -1)
{
    public bool InputByColumns => ColumnsOffset >= 0;
}

/// <summary>The network with a code shape per layer: the emitter's whole input.</summary>
/// <param name="Network">The network.</param>
/// <param name="Layers">Every layer's plan, in order.</param>
/// <param name="ParameterCount">The length of <c>Parameters</c>.</param>
internal sealed record NetworkPlan(NetworkSpec Network, EquatableArray<LayerPlan> Layers, int ParameterCount)
{
    /// <summary>
    /// Whether <c>Backward</c>'s loss head is straight-line code over locals (the output layer is unrolled scalar code),
    /// rather than calls over spans.
    /// </summary>
    public bool ScalarLossHead { get; init; }

    /// <summary>
    /// Whether the loss head applies the output layer's activation itself (cross-entropy fuses the softmax), so that
    /// <c>Backward</c>'s forward pass leaves the output layer's pre-activations.
    /// </summary>
    public bool LossHeadActivates { get; init; }

    /// <summary>A sequence network's state floats (every recurrent layer's hidden state, and an LSTM's cell state); 0 otherwise.</summary>
    public int StateLength { get; init; }

    /// <summary>A sequence network's <c>Backward</c> workspace per step (<see cref="LayerSpec.WorkspaceFloatsPerStep"/> summed); 0 otherwise.</summary>
    public int WorkspaceFloatsPerStep { get; init; }

    /// <summary>The floats of the transposed input weights of the recurrent layers whose input product runs by columns.</summary>
    public int ColumnsLength { get; init; }

    /// <summary>The largest gate block of the recurrent layers: the stack scratch a step needs for each product.</summary>
    public int MaxGateRows { get; init; }

    /// <summary>
    /// The samples a block of <c>ForwardBatch</c>, <c>PredictBatch</c> and <c>BackwardBatch</c> takes through the dense
    /// layers (<c>BatchKernels</c>, feature-major, one block for every layer since each layer's output block is the next
    /// one's input); 0 when the batch members run one sample at a time (<see cref="NetworkPlanner.BatchBlockFor"/>).
    /// </summary>
    public int BatchBlock { get; init; }

    /// <summary>
    /// The samples whose outputs <c>PredictBatch</c> keeps on the stack at a time: whole blocks, up to
    /// <see cref="NetworkPlanner.MaxPredictBatchStackFloats"/> floats (at least one block).
    /// </summary>
    public int PredictBatchSamples => BatchBlock * System.Math.Max(1, NetworkPlanner.MaxPredictBatchStackFloats / (BatchBlock * Network.Outputs));

    /// <summary>
    /// The fewest samples a block runs (the last one padded with zeros, at the cost of a full block); fewer left over run
    /// one at a time (<see cref="NetworkPlanner.MinBatchBlockSamplesFor"/>).
    /// </summary>
    public int MinBatchBlockSamples { get; init; }

    /// <summary>The recurrent layers (first, in order).</summary>
    public System.Collections.Generic.IEnumerable<LayerPlan> RecurrentLayers => System.Linq.Enumerable.Where(Layers, layer => layer.Recurrent is not null);

    /// <summary>The dense layers (after the recurrent ones, in order).</summary>
    public System.Collections.Generic.IEnumerable<LayerPlan> DenseLayers => System.Linq.Enumerable.Where(Layers, layer => layer.Recurrent is null);
}
