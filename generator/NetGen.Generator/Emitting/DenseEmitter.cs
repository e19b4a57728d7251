using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting;

/// <summary>
/// Emits one dense layer's forward and backward code in the shape the planner chose (and, in the same shapes, the two
/// products of a recurrent layer's step). Generated code reads parameters through the local span <c>p</c> and writes
/// gradients through <c>g</c>, both of constant length.
/// </summary>
internal static class DenseEmitter
{
    private const string Activations = "global::NetGen.Numerics.Activations";
    private const string Kernels = "global::NetGen.Numerics.DenseKernels";
    private const string FloatMath = "global::NetGen.Numerics.FloatMath";
    private const string Vector128 = "global::System.Runtime.Intrinsics.Vector128";
    private const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";

    /// <summary>
    /// <c>output = activation(W input + b)</c>. With <paramref name="applyActivation"/> false the pre-activations are
    /// left in <paramref name="output"/> (the cross-entropy head applies the softmax itself). <paramref name="backwards"/>
    /// names a bool that reverses the order in which an unrolled SIMD product reads its rows (the same results;
    /// recurrent steps alternate it for the cache).
    /// </summary>
    public static void EmitForward(SourceWriter writer, LayerPlan plan, VectorRef input, VectorRef output, bool applyActivation, string? backwards = null)
    {
        LayerSpec layer = plan.Layer;
        Activation activation = applyActivation ? layer.Activation : Activation.Identity;
        writer.WriteLine(plan.Role is null
            ? $"// Layer {plan.Number}: {layer.Inputs} -> {layer.Units}, {layer.Activation}, {Describe(plan.Shape)}"
            : $"// Layer {plan.Number} {plan.Role}: {layer.Inputs} -> {layer.Units}, {Describe(plan.Shape)}");
        if (plan.Shape == LayerShape.UnrolledSimd)
        {
            // Widest first: a machine that accelerates Vector512 also accelerates the narrower ones.
            string keyword = "if";
            foreach (SimdWidth width in SimdWidth.All)
            {
                if ((plan.Widths & width.Flag) != 0)
                {
                    writer.OpenBlock($"{keyword} ({width.VectorType}.IsHardwareAccelerated)");
                    if (width.Flag == VectorWidths.Vector512 && plan.Vector512RowBlocks)
                    {
                        string order = backwards is null ? string.Empty : $", {backwards}";
                        writer.WriteLine($"{Kernels}.MultiplyAddRowBlocks(p.Slice({plan.WeightOffset}, {plan.WeightCount}), p.Slice({plan.BiasOffset}, {layer.Units}), {input.Name}, {output.Name}{order}); // 16 rows a pass");
                    }
                    else
                    {
                        EmitSimdForward(writer, plan, width, input, output, backwards);
                    }

                    writer.CloseBlock();
                    keyword = "else if";
                }
            }

            writer.OpenBlock("else");
            EmitKernelForward(writer, plan, input, output);
            writer.CloseBlock();
            EmitSpanActivation(writer, activation, output);
            return;
        }

        if (plan.Shape == LayerShape.Loop)
        {
            EmitKernelForward(writer, plan, input, output);
            EmitSpanActivation(writer, activation, output);
            return;
        }

        bool softmax = activation == Activation.Softmax;
        bool grouped = plan.ActivatesInVectorGroups && applyActivation;
        VectorRef sums = softmax ? VectorRef.Locals("z") : grouped ? VectorRef.Locals($"z{plan.Number}") : output;
        for (int j = 0; j < layer.Units; j++)
        {
            var terms = new List<string>(layer.Inputs + 1) { $"p[{plan.BiasOffset + j}]" };
            for (int i = 0; i < layer.Inputs; i++)
            {
                terms.Add($"p[{plan.WeightOffset + (j * layer.Inputs) + i}] * {input[i]}");
            }

            string sum = JoinSum(terms);
            writer.WriteLine($"{sums.Assign(j)} = {(softmax || grouped ? sum : ApplyScalar(activation, sum))};");
        }

        if (softmax)
        {
            EmitScalarSoftmax(writer, layer.Units, sums, output);
        }
        else if (grouped)
        {
            EmitGroupedActivation(writer, activation, layer.Units, sums, output, $"v{plan.Number}");
        }
    }

    /// <summary>
    /// Applies Sigmoid or Tanh to straight-line pre-activations four at a time, through <c>Vector128</c>: one vector
    /// exponential costs about what one scalar <c>expf</c> call does, so this divides the layer's transcendental work
    /// by up to four. The last group is padded with zeros.
    /// </summary>
    private static void EmitGroupedActivation(SourceWriter writer, Activation activation, int count, VectorRef sums, VectorRef output, string prefix)
    {
        for (int first = 0; first < count; first += 4)
        {
            int lanes = Math.Min(4, count - first);
            var arguments = new string[4];
            for (int k = 0; k < 4; k++)
            {
                arguments[k] = k < lanes ? sums[first + k] : "0f";
            }

            string group = $"{prefix}_{first / 4}";
            writer.WriteLine($"var {group} = {FloatMath}.{activation}({Vector128}.Create({string.Join(", ", arguments)}));");
            for (int k = 0; k < lanes; k++)
            {
                writer.WriteLine($"{output.Assign(first + k)} = {group}[{k}];");
            }
        }
    }

    /// <summary>Straight-line softmax over locals: the maximum, the shifted exponentials, one division.</summary>
    private static void EmitScalarSoftmax(SourceWriter writer, int count, VectorRef logits, VectorRef output)
    {
        VectorRef exponentials = EmitShiftedExponentials(writer, count, logits);
        writer.WriteLine("float scale = 1f / sum;");
        for (int j = 0; j < count; j++)
        {
            writer.WriteLine($"{output.Assign(j)} = {exponentials[j]} * scale;");
        }
    }

    /// <summary>
    /// Declares <c>max</c> (the largest logit), <c>e_j = exp(logit_j - max)</c> and <c>sum</c> (their sum): the part
    /// that the softmax activation and the cross-entropy head share.
    /// </summary>
    internal static VectorRef EmitShiftedExponentials(SourceWriter writer, int count, VectorRef logits)
    {
        string max = logits[0];
        for (int j = 1; j < count; j++)
        {
            max = $"global::System.MathF.Max({max}, {logits[j]})";
        }

        writer.WriteLine($"float max = {max};");
        var exponentials = VectorRef.Locals("e");
        var terms = new List<string>(count);
        for (int j = 0; j < count; j++)
        {
            writer.WriteLine($"{exponentials.Assign(j)} = {FloatMath}.Exp({logits[j]} - max);");
            terms.Add(exponentials[j]);
        }

        writer.WriteLine($"float sum = {string.Join(" + ", terms)};");
        return exponentials;
    }

    /// <summary>
    /// Accumulates the layer's weight and bias gradients from <paramref name="delta"/> (d loss / d pre-activation) and
    /// its <paramref name="input"/>; when <paramref name="previousActivation"/> is given (the activation of the layer
    /// that produced the input; Identity for a recurrent layer's hidden state), also writes that layer's delta,
    /// <c>(Wᵀ delta) ⊙ f'(input)</c>, to <paramref name="previousDelta"/>.
    /// </summary>
    public static void EmitBackward(SourceWriter writer, LayerPlan plan, VectorRef input, VectorRef delta, Activation? previousActivation, VectorRef previousDelta)
    {
        LayerSpec layer = plan.Layer;
        writer.WriteLine($"// Layer {plan.Number} gradients, {Describe(plan.Shape == LayerShape.Unrolled ? LayerShape.Unrolled : LayerShape.Loop)}");
        if (plan.Shape != LayerShape.Unrolled)
        {
            writer.WriteLine($"{Kernels}.AccumulateOuterProduct(g.Slice({plan.WeightOffset}, {plan.WeightCount}), g.Slice({plan.BiasOffset}, {layer.Units}), {delta.Name}, {input.Name});");
            if (previousActivation is { } activation)
            {
                writer.WriteLine($"{Kernels}.MultiplyTransposed(p.Slice({plan.WeightOffset}, {plan.WeightCount}), {delta.Name}, {previousDelta.Name});");
                EmitSpanDerivative(writer, activation, input, previousDelta);
            }

            return;
        }

        for (int j = 0; j < layer.Units; j++)
        {
            for (int i = 0; i < layer.Inputs; i++)
            {
                writer.WriteLine($"g[{plan.WeightOffset + (j * layer.Inputs) + i}] += {delta[j]} * {input[i]};");
            }

            writer.WriteLine($"g[{plan.BiasOffset + j}] += {delta[j]};");
        }

        if (previousActivation is not { } previous)
        {
            return;
        }

        for (int i = 0; i < layer.Inputs; i++)
        {
            var terms = new List<string>(layer.Units);
            for (int j = 0; j < layer.Units; j++)
            {
                terms.Add($"p[{plan.WeightOffset + (j * layer.Inputs) + i}] * {delta[j]}");
            }

            writer.WriteLine($"{previousDelta.Assign(i)} = {ScaleByDerivative(previous, input[i], JoinSum(terms))};");
        }
    }

    /// <summary>Multiplies a delta held in a span by the activation's derivative, expressed through its outputs.</summary>
    public static void EmitSpanDerivative(SourceWriter writer, Activation activation, VectorRef outputs, VectorRef delta)
    {
        string? method = activation switch
        {
            Activation.Sigmoid => "MultiplySigmoidDerivative",
            Activation.Tanh => "MultiplyTanhDerivative",
            Activation.ReLU => "MultiplyReLUDerivative",
            Activation.LeakyReLU => "MultiplyLeakyReLUDerivative",
            Activation.Softmax => "MultiplySoftmaxJacobian",
            _ => null, // Identity has derivative 1; Step passes the gradient straight through.
        };
        if (method is not null)
        {
            writer.WriteLine($"{Activations}.{method}({outputs.Name}, {delta.Name});");
        }
    }

    /// <summary>How the header names a recurrent layer's input product that runs over its transposed weights.</summary>
    public const string ByColumns = "by columns over SIMD kernels";

    public static string Describe(LayerShape shape, bool portable = false) => shape switch
    {
        LayerShape.Unrolled => "unrolled scalar",
        LayerShape.UnrolledSimd => "unrolled SIMD",
        LayerShape.Loop => portable ? "loop over scalar kernels" : "loop over SIMD kernels", // the portable runtime's kernels are scalar
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    /// <summary>The widths, widest first: "Vector512, Vector256, Vector128".</summary>
    public static string DescribeWidths(VectorWidths widths)
        => string.Join(", ", SimdWidth.All.Where(width => (widths & width.Flag) != 0).Select(width => width.Name));

    /// <summary>A product's widths as the header lists them, saying which <c>Vector512</c> code runs in 16-row blocks.</summary>
    public static string DescribeWidths(LayerPlan plan)
        => string.Join(", ", SimdWidth.All.Where(width => (plan.Widths & width.Flag) != 0).Select(width =>
            width.Flag == VectorWidths.Vector512 && plan.Vector512RowBlocks ? width.Name + " (16 rows a pass: DenseKernels.MultiplyAddRowBlocks)" : width.Name));

    private static void EmitKernelForward(SourceWriter writer, LayerPlan plan, VectorRef input, VectorRef output)
        => writer.WriteLine($"{Kernels}.MultiplyAdd(p.Slice({plan.WeightOffset}, {plan.WeightCount}), p.Slice({plan.BiasOffset}, {plan.Layer.Units}), {input.Name}, {output.Name});");

    /// <summary>
    /// <c>z = W x + b</c> with vectors of <paramref name="width"/>. The input's full vectors are loaded once into
    /// locals; a constant-bound loop takes four rows per pass, each accumulating in its own register, with one grouped
    /// reduction that also adds the bias; inputs beyond the last full vector are scalar terms; rows beyond the last
    /// group of four are spelled out after the loop. The loop keeps the method's IL (and so its first-call JIT time)
    /// proportional to one group's work rather than the layer's.
    /// </summary>
    /// <remarks>
    /// With <paramref name="backwards"/> (a recurrent product's step parity) the loop takes its groups last first when that
    /// bool is true: the same sums (each row's is its own), in the opposite order through the weights.
    /// </remarks>
    private static void EmitSimdForward(SourceWriter writer, LayerPlan plan, SimdWidth width, VectorRef input, VectorRef output, string? backwards)
    {
        LayerSpec layer = plan.Layer;
        int chunks = layer.Inputs / width.Lanes;
        writer.WriteLine($"ref float w = ref {MemoryMarshal}.GetReference(p);");
        writer.WriteLine($"ref float x = ref {MemoryMarshal}.GetReference({input.Name});");
        writer.WriteLine($"ref float z = ref {MemoryMarshal}.GetReference({output.Name});");
        for (int c = 0; c < chunks; c++)
        {
            writer.WriteLine($"var x{c} = {width.VectorType}.LoadUnsafe(ref x, {c * width.Lanes});");
        }

        for (int i = chunks * width.Lanes; i < layer.Inputs; i++)
        {
            writer.WriteLine($"float x_{i} = {Unsafe}.Add(ref x, {i});");
        }

        int grouped = layer.Units / 4 * 4;
        if (grouped > 4)
        {
            if (backwards is null)
            {
                writer.WriteLine($"// units 0-{grouped - 1}, four per pass");
                writer.OpenBlock($"for (nuint u = 0; u < {grouped}; u += 4)");
            }
            else
            {
                writer.WriteLine($"// units 0-{grouped - 1}, four per pass, last first when {backwards}");
                writer.OpenBlock($"for (nuint n = 0; n < {grouped}; n += 4)");
                writer.WriteLine($"nuint u = {backwards} ? {grouped - 4} - n : n;");
            }

            EmitSimdRows(writer, plan, width, RowIndex.Loop("u"), 4);
            writer.CloseBlock();
        }
        else if (grouped == 4)
        {
            writer.WriteLine("// units 0-3");
            writer.OpenBlock(string.Empty);
            EmitSimdRows(writer, plan, width, RowIndex.Constant(0), 4);
            writer.CloseBlock();
        }

        if (grouped < layer.Units)
        {
            int rows = layer.Units - grouped;
            writer.WriteLine(rows == 1 ? $"// unit {grouped}" : $"// units {grouped}-{layer.Units - 1}");
            writer.OpenBlock(string.Empty);
            EmitSimdRows(writer, plan, width, RowIndex.Constant(grouped), rows);
            writer.CloseBlock();
        }
    }

    /// <summary>
    /// The rows <c>first .. first + rows - 1</c> of a vector layer: weights are read relative to <c>row</c>, the first
    /// of those rows.
    /// </summary>
    private static void EmitSimdRows(SourceWriter writer, LayerPlan plan, SimdWidth width, RowIndex first, int rows)
    {
        LayerSpec layer = plan.Layer;
        int chunks = layer.Inputs / width.Lanes;
        int tail = chunks * width.Lanes;
        writer.WriteLine($"ref float row = ref {Unsafe}.Add(ref w, {first.Offset(plan.WeightOffset, layer.Inputs)});");
        for (int c = 0; c < chunks; c++)
        {
            for (int r = 0; r < rows; r++)
            {
                string weights = $"{width.VectorType}.LoadUnsafe(ref row, {(r * layer.Inputs) + (c * width.Lanes)})";
                writer.WriteLine(c == 0 ? $"var a{r} = {weights} * x0;" : $"a{r} = {width.Helper}.MultiplyAdd({weights}, x{c}, a{r});");
            }
        }

        // The products of the inputs past the last full vector, per row.
        var tails = new List<string>[rows];
        for (int r = 0; r < rows; r++)
        {
            tails[r] = new List<string>();
            for (int i = tail; i < layer.Inputs; i++)
            {
                tails[r].Add($"{Unsafe}.Add(ref row, {(r * layer.Inputs) + i}) * x_{i}");
            }
        }

        if (rows == 4)
        {
            string sums = $"{width.Helper}.Sum4(a0, a1, a2, a3) + {Vector128}.LoadUnsafe(ref w, {first.Offset(plan.BiasOffset, 1)})";
            if (tail < layer.Inputs)
            {
                sums += $"\n    + {Vector128}.Create({string.Join(", ", tails.Select(terms => string.Join(" + ", terms)))})";
            }

            writer.WriteLine($"{Vector128}.StoreUnsafe({sums}, ref z, {first.Offset(0, 1)});");
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            var terms = new List<string> { $"{width.VectorType}.Sum(a{r})", $"{Unsafe}.Add(ref w, {first.Offset(plan.BiasOffset + r, 1)})" };
            terms.AddRange(tails[r]);
            writer.WriteLine($"{Unsafe}.Add(ref z, {first.Offset(r, 1)}) = {string.Join(" + ", terms)};");
        }
    }

    /// <summary>The first row of a group of vector rows: a constant, or the row loop's variable.</summary>
    private readonly struct RowIndex
    {
        private readonly int _constant;
        private readonly string? _variable;

        private RowIndex(int constant, string? variable)
        {
            _constant = constant;
            _variable = variable;
        }

        public static RowIndex Constant(int row) => new(row, null);

        public static RowIndex Loop(string variable) => new(0, variable);

        /// <summary><c>constant + row * scale</c>, folded when the row is a constant.</summary>
        public string Offset(int constant, int scale)
        {
            if (_variable is null)
            {
                return (constant + (_constant * scale)).ToString(CultureInfo.InvariantCulture);
            }

            string scaled = scale == 1 ? _variable : $"({_variable} * {scale})";
            return constant == 0 ? scaled : $"{constant} + {scaled}";
        }
    }

    /// <summary>One vector width of unrolled SIMD code: the vector type, its lanes, and NetGen's helpers for it.</summary>
    private sealed class SimdWidth
    {
        private SimdWidth(VectorWidths flag, int lanes, string name)
        {
            Flag = flag;
            Lanes = lanes;
            Name = name;
            VectorType = "global::System.Runtime.Intrinsics." + name;
            Helper = "global::NetGen.Numerics.Simd" + lanes * 32;
        }

        /// <summary>Every width, widest first: the order of the generated branches.</summary>
        public static SimdWidth[] All { get; } =
        [
            new(VectorWidths.Vector512, 16, "Vector512"),
            new(VectorWidths.Vector256, 8, "Vector256"),
            new(VectorWidths.Vector128, 4, "Vector128"),
        ];

        public VectorWidths Flag { get; }

        public int Lanes { get; }

        /// <summary><c>Vector256</c>, as the header names it.</summary>
        public string Name { get; }

        public string VectorType { get; }

        public string Helper { get; }
    }

    internal static void EmitSpanActivation(SourceWriter writer, Activation activation, VectorRef values)
    {
        if (activation != Activation.Identity)
        {
            writer.WriteLine($"{Activations}.{activation}({values.Name});");
        }
    }

    private static string ApplyScalar(Activation activation, string value) => activation switch
    {
        Activation.Identity => value,
        _ => $"{Activations}.{activation}({value})",
    };

    internal static string ScaleByDerivative(Activation activation, string output, string value) => activation switch
    {
        Activation.Sigmoid or Activation.Tanh or Activation.ReLU or Activation.LeakyReLU
            => $"({value}) * {Activations}.{activation}Derivative({output})",
        _ => value, // Identity: 1; Step: straight-through 1. Softmax is never a hidden layer.
    };

    /// <summary>Joins terms into a sum, one term per line once there are more than four.</summary>
    private static string JoinSum(List<string> terms)
        => terms.Count <= 4 ? string.Join(" + ", terms) : string.Join("\n    + ", terms);
}
