using System.Collections.Generic;
using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>
/// Decides each layer's code shape. This is the one place that choice is made; the emitter only follows it.
/// </summary>
internal static class NetworkPlanner
{
    /// <summary>Largest layer (multiply-adds) that is unrolled into straight-line scalar code.</summary>
    public const int MaxUnrolledLayerMultiplyAdds = 128;

    /// <summary>The vector width of unrolled SIMD code: 8 floats (<c>Vector256</c>).</summary>
    public const int SimdWidth = 8;

    /// <summary>
    /// Rows shorter than two vectors stay scalar when small enough: one multiply-add per row cannot pay for the
    /// horizontal reduction, and scalar output layers keep their values in registers (a softmax among them).
    /// </summary>
    public const int MinSimdInputs = 2 * SimdWidth;

    /// <summary>
    /// Unrolled work allowed in one method, counted in emitted multiply-add statements: a whole 8-wide vector one, or
    /// three per scalar multiply-add (<c>Backward</c> also spells out the weight and input gradients of scalar
    /// layers; vector layers use the kernels there). A vector layer costs one pass of its row loop, not the whole
    /// layer. RyuJIT compiles methods of about 37 KB of IL or more without optimisation (MinOpts); one statement is
    /// about 20 bytes of IL, so 768 of them stay near 15 KB, where methods are known to be optimised.
    /// </summary>
    public const int MaxUnrolledStatementsPerMethod = 768;

    /// <summary>
    /// The widest input an unrolled vector layer takes, in full 8-wide vectors: its input is loaded into locals once,
    /// before the row loop (16 vectors and four accumulators are about what AVX2's 16 registers hold). Wider layers
    /// use the kernels, whose code size does not grow with the input: spelled out, a 784-input row group is 13 KB of
    /// IL that the JIT must fully optimise on the first call (methods with <c>stackalloc</c> cannot tier up).
    /// </summary>
    public const int MaxSimdInputVectors = 16;

    /// <summary>
    /// Unrolled scalar layers of at least this many Sigmoid or Tanh units apply the activation four units at a time
    /// with <c>Vector128</c> code (<see cref="ActivatesInVectorGroups"/>); a single unit calls the scalar function.
    /// </summary>
    public const int MinVectorActivationUnits = 2;

    public static NetworkPlan Plan(NetworkSpec network)
    {
        var shapes = new LayerShape[network.Layers.Count];
        long budget = MaxUnrolledStatementsPerMethod;
        for (int i = 0; i < shapes.Length; i++)
        {
            LayerSpec layer = network.Layers[i];
            long scalarStatements = 3 * layer.MultiplyAdds;
            long vectorStatements = VectorRowsEmitted(layer.Units) * ((long)(layer.Inputs / SimdWidth) + (layer.Inputs % SimdWidth));
            if (layer.Inputs < MinSimdInputs && layer.MultiplyAdds <= MaxUnrolledLayerMultiplyAdds && scalarStatements <= budget)
            {
                shapes[i] = LayerShape.Unrolled;
                budget -= scalarStatements;
            }
            else if (layer.Inputs >= SimdWidth && layer.Inputs / SimdWidth <= MaxSimdInputVectors && vectorStatements <= budget)
            {
                shapes[i] = LayerShape.UnrolledSimd;
                budget -= vectorStatements;
            }
            else
            {
                shapes[i] = LayerShape.Loop;
            }
        }

        var layers = new List<LayerPlan>(shapes.Length);
        int offset = 0;
        for (int i = 0; i < shapes.Length; i++)
        {
            LayerSpec layer = network.Layers[i];
            bool isLast = i == shapes.Length - 1;
            bool inLocals = !isLast && shapes[i] == LayerShape.Unrolled && shapes[i + 1] == LayerShape.Unrolled;
            int weights = layer.Inputs * layer.Units;
            layers.Add(new LayerPlan(layer, i + 1, offset, offset + weights, shapes[i], inLocals));
            offset += weights + layer.Units;
        }

        return new NetworkPlan(network, layers.ToEquatableArray(), offset);
    }

    /// <summary>Whether straight-line code applies <paramref name="activation"/> to its units in groups of four vector lanes.</summary>
    public static bool ActivatesInVectorGroups(ActivationKind activation, int units)
        => activation is ActivationKind.Sigmoid or ActivationKind.Tanh && units >= MinVectorActivationUnits;

    /// <summary>The rows a vector layer spells out: one pass of four (a loop repeats it), plus the rows left over.</summary>
    private static int VectorRowsEmitted(int units) => (units >= 4 ? 4 : 0) + (units % 4);
}
