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

    /// <summary>
    /// The reference vector width of unrolled SIMD code, 8 floats (<c>Vector256</c>): the thresholds below are counted
    /// in it. Such a layer also gets <c>Vector128</c> code, and <c>Vector512</c> code where that pays
    /// (<see cref="WidthsFor"/>).
    /// </summary>
    public const int SimdWidth = 8;

    /// <summary>
    /// Rows shorter than two vectors stay scalar when small enough: one multiply-add per row cannot pay for the
    /// horizontal reduction, and scalar output layers keep their values in registers (a softmax among them).
    /// </summary>
    public const int MinSimdInputs = 2 * SimdWidth;

    /// <summary>
    /// Unrolled work allowed in one method, counted in emitted multiply-add statements of the code one machine runs: a
    /// whole 8-wide vector one, or three per scalar multiply-add (<c>Backward</c> also spells out the weight and input
    /// gradients of scalar layers; vector layers use the kernels there). A vector layer costs one pass of its row loop,
    /// not the whole layer. RyuJIT compiles methods of about 37 KB of IL or more without optimisation (MinOpts); one
    /// statement is about 20 bytes of IL, so 768 of them stay near 15 KB, where methods are known to be optimised.
    /// </summary>
    public const int MaxUnrolledStatementsPerMethod = 768;

    /// <summary>
    /// Statements allowed in one method over all its vector widths together. The JIT imports only the branch of the
    /// machine's width, but it decides on MinOpts from the whole method's IL (60,000 bytes, 20,000 instructions, 8,000
    /// local-variable references: about 2,000 statements of four references each), dead branches included. A vector
    /// layer with all three widths costs about 3.5 times its <c>Vector256</c> statements here.
    /// </summary>
    public const int MaxEmittedStatementsPerMethod = 1536;

    /// <summary>
    /// The widest input an unrolled vector layer takes, in full 8-wide vectors: its input is loaded into locals once,
    /// before the row loop (16 vectors and four accumulators are about what AVX2's 16 registers hold). Wider layers
    /// use the kernels, whose code size does not grow with the input: spelled out, a 784-input row group is 13 KB of
    /// IL that the JIT must fully optimise on the first call (methods with <c>stackalloc</c> cannot tier up).
    /// </summary>
    public const int MaxSimdInputVectors = 16;

    /// <summary>
    /// The narrowest input that gets <c>Vector512</c> code, in 16-float vectors; inputs must also be a multiple of 16
    /// (a 512-bit layer with a scalar tail of up to 15 products loses to the 256-bit code).
    /// </summary>
    public const int MinVector512InputVectors = 2;

    /// <summary>
    /// Unrolled scalar layers of at least this many Sigmoid or Tanh units apply the activation four units at a time
    /// with <c>Vector128</c> code (<see cref="ActivatesInVectorGroups"/>); a single unit calls the scalar function.
    /// </summary>
    public const int MinVectorActivationUnits = 2;

    public static NetworkPlan Plan(NetworkSpec network)
    {
        var shapes = new LayerShape[network.Layers.Count];
        var widths = new VectorWidths[shapes.Length];
        long budget = MaxUnrolledStatementsPerMethod;
        long emitted = MaxEmittedStatementsPerMethod;
        for (int i = 0; i < shapes.Length; i++)
        {
            LayerSpec layer = network.Layers[i];
            long scalarStatements = 3 * layer.MultiplyAdds;
            VectorWidths vectorWidths = WidthsFor(layer);
            long vectorStatements = VectorStatements(layer, SimdWidth);
            long allWidthsStatements = VectorStatements(layer, 4) + vectorStatements + ((vectorWidths & VectorWidths.Vector512) != 0 ? VectorStatements(layer, 16) : 0);
            if (layer.Inputs < MinSimdInputs && layer.MultiplyAdds <= MaxUnrolledLayerMultiplyAdds && scalarStatements <= budget && scalarStatements <= emitted)
            {
                shapes[i] = LayerShape.Unrolled;
                budget -= scalarStatements;
                emitted -= scalarStatements;
            }
            else if (layer.Inputs >= SimdWidth && layer.Inputs / SimdWidth <= MaxSimdInputVectors && vectorStatements <= budget && allWidthsStatements <= emitted)
            {
                shapes[i] = LayerShape.UnrolledSimd;
                widths[i] = vectorWidths;
                budget -= vectorStatements;
                emitted -= allWidthsStatements;
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
            layers.Add(new LayerPlan(layer, i + 1, offset, offset + weights, shapes[i], inLocals, widths[i]));
            offset += weights + layer.Units;
        }

        return new NetworkPlan(network, layers.ToEquatableArray(), offset);
    }

    /// <summary>Whether straight-line code applies <paramref name="activation"/> to its units in groups of four vector lanes.</summary>
    public static bool ActivatesInVectorGroups(Activation activation, int units)
        => activation is Activation.Sigmoid or Activation.Tanh && units >= MinVectorActivationUnits;

    /// <summary>
    /// The widths an unrolled vector layer gets: always <c>Vector256</c> and <c>Vector128</c>; <c>Vector512</c> when the
    /// input is a multiple of 16 floats and at least <see cref="MinVector512InputVectors"/> such vectors.
    /// </summary>
    public static VectorWidths WidthsFor(LayerSpec layer)
    {
        VectorWidths widths = VectorWidths.Vector128 | VectorWidths.Vector256;
        if (layer.Inputs % 16 == 0 && layer.Inputs / 16 >= MinVector512InputVectors)
        {
            widths |= VectorWidths.Vector512;
        }

        return widths;
    }

    /// <summary>The multiply-add statements of one pass of a vector layer at <paramref name="lanes"/> floats per vector.</summary>
    private static long VectorStatements(LayerSpec layer, int lanes)
        => VectorRowsEmitted(layer.Units) * ((long)(layer.Inputs / lanes) + (layer.Inputs % lanes));

    /// <summary>The rows a vector layer spells out: one pass of four (a loop repeats it), plus the rows left over.</summary>
    private static int VectorRowsEmitted(int units) => (units >= 4 ? 4 : 0) + (units % 4);
}
