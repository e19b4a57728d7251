using System;
using System.Globalization;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using NetGen.Shared;

namespace NetGen.Generator.Emitting;

/// <summary>
/// Emits one recurrent layer (GRU, LSTM, RNN): its step method (the two products in the shapes the planner chose, then
/// the gates fused in one pass by <c>RecurrentKernels</c>), the calls that run it step by step, and its part of
/// backpropagation through time. The kinds differ only in their state (an LSTM also carries a cell state), in what
/// <c>Backward</c> keeps (a GRU keeps its recurrent products), and in their kernels; this class switches on the kind
/// in those places alone.
/// </summary>
internal static class RecurrentEmitter
{
    private const string Span = "global::System.Span<float>";
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    private const string Kernels = "global::NetGen.Numerics.DenseKernels";
    private const string Cells = "global::NetGen.Numerics.RecurrentKernels";

    /// <summary>The private method of one step of the layer.</summary>
    public static void EmitStepMethod(SourceWriter writer, LayerPlan plan)
    {
        LayerSpec layer = plan.Layer;
        RecurrentPlan recurrent = plan.Recurrent!;
        bool lstm = layer.Kind == LayerKind.Lstm;
        writer.WriteLine($"/// <summary>One step of layer {plan.Number} ({Describe(layer)}, {layer.Inputs} -> {layer.Units}).</summary>");
        writer.OpenBlock(lstm
            ? $"private static void NetGenLayer{plan.Number}({ReadOnlySpan} p, {ReadOnlySpan} columns, {ReadOnlySpan} input, {ReadOnlySpan} hidden, {ReadOnlySpan} cell, {Span} next, {Span} nextCell, {Span} gates, {Span} hiddenGates, bool backwards)"
            : $"private static void NetGenLayer{plan.Number}({ReadOnlySpan} p, {ReadOnlySpan} columns, {ReadOnlySpan} input, {ReadOnlySpan} hidden, {Span} next, {Span} gates, {Span} hiddenGates, bool backwards)");
        writer.WriteLine(recurrent.InputByColumns
            ? $"{Kernels}.MultiplyAddColumns(columns.Slice({recurrent.ColumnsOffset}, {layer.GateRows * layer.Inputs}), p.Slice({recurrent.InputProduct.BiasOffset}, {layer.GateRows}), input, gates); // by columns"
            : $"NetGenLayer{plan.Number}Input(p, input, gates);");
        writer.WriteLine(recurrent.HiddenProduct.Shape == LayerShape.UnrolledSimd
            ? $"NetGenLayer{plan.Number}Hidden(p, hidden, hiddenGates, backwards);"
            : $"NetGenLayer{plan.Number}Hidden(p, hidden, hiddenGates);");
        writer.WriteLine("// The gates, fused in one pass");
        writer.WriteLine(layer.Kind switch
        {
            LayerKind.Gru => $"{Cells}.Gru(gates, hiddenGates, hidden, next);",
            LayerKind.Lstm => $"{Cells}.Lstm(gates, hiddenGates, cell, nextCell, next);",
            _ => $"{Cells}.Rnn{layer.Activation}(gates, hiddenGates, next);",
        });
        writer.CloseBlock();
        if (!recurrent.InputByColumns)
        {
            EmitProductMethod(writer, recurrent.InputProduct, $"NetGenLayer{plan.Number}Input", "input", "gates", backwards: false);
        }

        EmitProductMethod(writer, recurrent.HiddenProduct, $"NetGenLayer{plan.Number}Hidden", "hidden", "hiddenGates", backwards: recurrent.HiddenProduct.Shape == LayerShape.UnrolledSimd);
    }

    /// <summary>
    /// One of the step's products in a method of its own: the JIT inlines into a method only up to a limit of locals, and
    /// a spelled-out product of hundreds of multiply-adds beside the vector code of the other would leave that code's
    /// helpers (<c>Simd256.MultiplyAdd</c>, ...) as calls, several times slower (callgrind: 28,000 instructions a GRU(32)
    /// step with one method, 5,000 with one per product).
    /// </summary>
    /// <remarks>
    /// An unrolled SIMD recurrent product also takes <c>backwards</c>, which reverses the order in which it reads its rows
    /// (the same results): the steps alternate it, so that each starts on the weights the step before ended with, which
    /// are still in the L1 cache when the weights do not all fit there (an LSTM(64)'s 64 KB <c>W_hh</c>: 0.85 of the time
    /// of the same order every step for the input and recurrent products together, paired, in a scratch program).
    /// </remarks>
    private static void EmitProductMethod(SourceWriter writer, LayerPlan product, string name, string input, string output, bool backwards)
    {
        writer.WriteLine();
        writer.OpenBlock(backwards
            ? $"private static void {name}({ReadOnlySpan} p, {ReadOnlySpan} {input}, {Span} {output}, bool backwards)"
            : $"private static void {name}({ReadOnlySpan} p, {ReadOnlySpan} {input}, {Span} {output})");
        SequenceEmitter.CheckLength(writer, "p", "ParameterCount");
        SequenceEmitter.CheckLength(writer, input, N(product.Layer.Inputs));
        SequenceEmitter.CheckLength(writer, output, N(product.Layer.Units));
        DenseEmitter.EmitForward(writer, product, VectorRef.Span(input), VectorRef.Span(output), applyActivation: false, backwards ? "backwards" : null);
        writer.CloseBlock();
    }

    /// <summary>A streaming step's call of the layer's step method, in place on the network's state span <c>state</c>.</summary>
    public static void EmitStepCall(SourceWriter writer, LayerPlan plan, StepInput input)
    {
        LayerSpec layer = plan.Layer;
        int offset = plan.Recurrent!.StateOffset;
        string source = input.Below is null ? input.Span : $"{input.Span}.Slice({input.Offset}, {input.Below.Layer.Units})";
        string hidden = $"state.Slice({offset}, {layer.Units})";
        string scratch = $"gates.Slice(0, {layer.GateRows}), hiddenGates.Slice(0, {layer.GateRows})";
        if (layer.Kind == LayerKind.Lstm)
        {
            string cell = $"state.Slice({offset + layer.Units}, {layer.Units})";
            writer.WriteLine($"NetGenLayer{plan.Number}(p, columns, {source}, {hidden}, {cell}, {hidden}, {cell}, {scratch}, backwards);");
        }
        else
        {
            writer.WriteLine($"NetGenLayer{plan.Number}(p, columns, {source}, {hidden}, {hidden}, {scratch}, backwards);");
        }
    }

    /// <summary>
    /// <c>Backward</c>'s forward pass of the layer over every step, keeping in the workspace (from offset
    /// <c>o</c>) its states <c>h0 … hT</c> (and cell states), its gates, a GRU's recurrent products, and room for the
    /// gradients of the gates and of the input.
    /// </summary>
    public static void EmitForwardThroughTime(SourceWriter writer, LayerPlan plan, StepInput input)
    {
        LayerSpec layer = plan.Layer;
        RecurrentPlan recurrent = plan.Recurrent!;
        int n = plan.Number;
        int units = layer.Units;
        int rows = layer.GateRows;
        writer.WriteLine($"// Layer {n} ({Describe(layer)}, {layer.Inputs} -> {units}) over every step, keeping states and gates");
        Slice(writer, $"h{n}", $"(steps + 1) * {units}");
        if (layer.Kind == LayerKind.Lstm)
        {
            Slice(writer, $"c{n}", $"(steps + 1) * {units}");
        }

        Slice(writer, $"gates{n}", $"steps * {rows}");
        if (layer.KeepsHiddenGates)
        {
            Slice(writer, $"hiddenGates{n}", $"steps * {rows}");
            Slice(writer, $"dHiddenGates{n}", $"steps * {rows}");
        }

        Slice(writer, $"dGates{n}", $"steps * {rows}");
        if (recurrent.HasInputDelta)
        {
            Slice(writer, $"dInput{n}", $"steps * {layer.Inputs}");
        }

        writer.WriteLine($"h{n}.Slice(0, {units}).Clear();");
        if (layer.Kind == LayerKind.Lstm)
        {
            writer.WriteLine($"c{n}.Slice(0, {units}).Clear();");
        }

        writer.OpenBlock("for (int t = 0; t < steps; t++)");
        string source = InputAt(input, "t");
        string hiddenGates = layer.KeepsHiddenGates ? $"hiddenGates{n}.Slice(t * {rows}, {rows})" : $"scratch.Slice(0, {rows})";
        string gates = $"gates{n}.Slice(t * {rows}, {rows})";
        writer.WriteLine(layer.Kind == LayerKind.Lstm
            ? $"NetGenLayer{n}(p, columns, {source}, h{n}.Slice(t * {units}, {units}), c{n}.Slice(t * {units}, {units}), h{n}.Slice((t + 1) * {units}, {units}), c{n}.Slice((t + 1) * {units}, {units}), {gates}, {hiddenGates}, (t & 1) != 0);"
            : $"NetGenLayer{n}(p, columns, {source}, h{n}.Slice(t * {units}, {units}), h{n}.Slice((t + 1) * {units}, {units}), {gates}, {hiddenGates}, (t & 1) != 0);");
        writer.CloseBlock();
        writer.WriteLine();
    }

    /// <summary>
    /// The layer's backpropagation through time: from the last step to the first, the gates' gradients (from the
    /// hidden state's gradient, which the dense head gives at the last step and the layer above at every step) and the
    /// previous hidden state's; then the weight and bias gradients summed over all steps at once, and the input's
    /// gradient at every step for the layer below.
    /// </summary>
    public static void EmitBackwardThroughTime(SourceWriter writer, LayerPlan plan, StepInput input, LayerPlan? above)
    {
        LayerSpec layer = plan.Layer;
        RecurrentPlan recurrent = plan.Recurrent!;
        int n = plan.Number;
        int units = layer.Units;
        int rows = layer.GateRows;
        int inputs = layer.Inputs;
        int inputWeights = plan.WeightOffset;
        int hiddenWeights = recurrent.HiddenProduct.WeightOffset;
        writer.WriteLine($"// Layer {n} ({Describe(layer)}): backpropagation through time");
        if (above is not null)
        {
            writer.WriteLine($"{Span} dh{n} = stackalloc float[{units}];");
            writer.WriteLine($"dh{n}.Clear();");
        }

        if (layer.Kind == LayerKind.Lstm)
        {
            writer.WriteLine($"{Span} dc{n} = stackalloc float[{units}];");
            writer.WriteLine($"dc{n}.Clear();");
        }

        string dGates = $"dGates{n}.Slice(t * {rows}, {rows})";
        string dHidden = layer.KeepsHiddenGates ? $"dHiddenGates{n}.Slice(t * {rows}, {rows})" : dGates;
        writer.OpenBlock("for (int t = steps - 1; t >= 0; t--)");
        if (above is not null)
        {
            writer.WriteLine($"{Kernels}.MultiplyAddTo(1f, dInput{above.Number}.Slice(t * {units}, {units}), dh{n});");
        }

        writer.WriteLine(layer.Kind switch
        {
            LayerKind.Gru => $"global::NetGen.Numerics.RecurrentKernels.GruBackward(dh{n}, gates{n}.Slice(t * {rows}, {rows}), hiddenGates{n}.Slice(t * {rows}, {rows}), h{n}.Slice(t * {units}, {units}), {dGates}, {dHidden});",
            LayerKind.Lstm => $"global::NetGen.Numerics.RecurrentKernels.LstmBackward(dh{n}, dc{n}, gates{n}.Slice(t * {rows}, {rows}), c{n}.Slice(t * {units}, {units}), c{n}.Slice((t + 1) * {units}, {units}), {dGates});",
            _ => $"global::NetGen.Numerics.RecurrentKernels.Rnn{layer.Activation}Backward(dh{n}, h{n}.Slice((t + 1) * {units}, {units}), {dGates});",
        });
        writer.OpenBlock("if (t > 0)");
        writer.WriteLine($"{Kernels}.MultiplyTransposedAdd(p.Slice({hiddenWeights}, {rows * units}), {dHidden}, dh{n}, (t & 1) != 0);");
        writer.CloseBlock();
        writer.CloseBlock();
        writer.WriteLine();

        string allInputs = input.Below is null ? input.Span : $"h{input.Below.Number}.Slice({input.Below.Layer.Units}, steps * {input.Below.Layer.Units})";
        writer.WriteLine($"{Kernels}.AccumulateOuterProducts(g.Slice({inputWeights}, {rows * inputs}), g.Slice({plan.BiasOffset}, {rows}), dGates{n}.Slice(0, steps * {rows}), {allInputs}, steps);");
        writer.WriteLine($"{Kernels}.AccumulateOuterProducts(g.Slice({hiddenWeights}, {rows * units}), g.Slice({recurrent.HiddenProduct.BiasOffset}, {rows}), {(layer.KeepsHiddenGates ? "dHiddenGates" : "dGates")}{n}.Slice(0, steps * {rows}), h{n}.Slice(0, steps * {units}), steps);");
        if (recurrent.HasInputDelta)
        {
            writer.OpenBlock("for (int t = 0; t < steps; t++)");
            writer.WriteLine($"{Kernels}.MultiplyTransposed(p.Slice({inputWeights}, {rows * inputs}), {dGates}, dInput{n}.Slice(t * {inputs}, {inputs}));");
            writer.CloseBlock();
        }

        writer.WriteLine();
    }

    /// <summary>The layer's kind as the header and comments name it: <c>GRU</c>, <c>LSTM</c>, <c>RNN, Tanh</c>.</summary>
    public static string Describe(LayerSpec layer) => layer.Kind switch
    {
        LayerKind.Gru => "GRU",
        LayerKind.Lstm => "LSTM",
        LayerKind.Rnn => "RNN, " + layer.Activation,
        _ => throw new ArgumentOutOfRangeException(nameof(layer)),
    };

    /// <summary>The layer's input at step <paramref name="t"/>: the sequence's step, or the layer below's hidden state after it.</summary>
    private static string InputAt(StepInput input, string t)
    {
        if (input.Below is null)
        {
            return $"{input.Span}.Slice({t} * InputCount, InputCount)";
        }

        int units = input.Below.Layer.Units;
        return $"{input.Span}.Slice(({t} + 1) * {units}, {units})";
    }

    /// <summary>Takes the next <paramref name="length"/> floats of the workspace as <paramref name="name"/>.</summary>
    private static void Slice(SourceWriter writer, string name, string length)
    {
        writer.WriteLine($"{Span} {name} = workspace.Slice(o, {length});");
        writer.WriteLine($"o += {length};");
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
