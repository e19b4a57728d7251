using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting;

/// <summary>
/// The members of a sequence network (recurrent layers first, design §1b): <c>State</c>, <c>Forward</c> and
/// <c>Step</c> over the recurrent layers' step methods, <c>Backward</c> with backpropagation through time, and the
/// private methods they share. <c>Forward</c>, <c>Step</c> and <c>Predict</c> run the same private methods, so a
/// streaming step gives exactly the bits <c>Forward</c> gives on the sequence so far.
/// </summary>
internal static class SequenceEmitter
{
    private const string Span = "global::System.Span<float>";
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    private const string Guard = "global::NetGen.Guard";
    private const string Kernels = "global::NetGen.Numerics.DenseKernels";
    private const string StateBufferType = "NetGenStateBuffer";
    private const string StateField = "_netGenValues";
    private const string WorkspaceField = "_netGenWorkspace";

    public static void WriteConstants(SourceWriter writer, NetworkPlan plan)
    {
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// The longest sequence, in steps, that <c>Backward</c> accepts (<c>[Network(MaxSteps = …)]</c>). <c>Forward</c>,");
        writer.WriteLine("/// <c>Step</c> and <c>Predict</c> take sequences of any length.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine($"public const int MaxSteps = {plan.Network.MaxSteps};");
        writer.WriteLine();
        writer.WriteLine("/// <summary>The floats of a <see cref=\"State\"/>: every recurrent layer's hidden state, and an LSTM's cell state.</summary>");
        writer.WriteLine($"public const int StateLength = {plan.StateLength};");
        writer.WriteLine();
        if (plan.Network.IsFrozen)
        {
            return;
        }

        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// The floats <c>Backward</c> keeps per step of a sequence for backpropagation through time (every layer's states,");
        writer.WriteLine("/// gates and their gradients), in a workspace allocated once when a sequence is longer than any before it.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine($"public const int WorkspaceFloatsPerStep = {plan.WorkspaceFloatsPerStep};");
        writer.WriteLine();
    }

    /// <summary>The <c>State</c> type, <c>Forward</c> and <c>Step</c>.</summary>
    public static void WriteInference(SourceWriter writer, NetworkPlan plan, bool isStatic, string parameters)
    {
        string modifier = isStatic ? "static " : string.Empty;
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// The recurrent layers' state between two calls of <see cref=\"Step\"/>: each layer's hidden state (and an LSTM's");
        writer.WriteLine("/// cell state), inline. <c>default(State)</c> is the zero initial state of a new sequence.");
        writer.WriteLine("/// </summary>");
        writer.OpenBlock("public struct State");
        writer.WriteLine($"internal {StateBufferType} {StateField};");
        writer.CloseBlock();
        writer.WriteLine();
        if (plan.Network.Target.Portable)
        {
            // No InlineArray: the floats as fields in a row, read as one span (MemoryMarshal.CreateSpan).
            writer.WriteLine("[global::System.Runtime.InteropServices.StructLayout(global::System.Runtime.InteropServices.LayoutKind.Sequential)]");
            writer.OpenBlock($"internal struct {StateBufferType}");
            for (int i = 0; i < plan.StateLength; i++)
            {
                writer.WriteLine($"internal float _element{i};");
            }

            writer.CloseBlock();
        }
        else
        {
            writer.WriteLine("[global::System.Runtime.CompilerServices.InlineArray(StateLength)]");
            writer.OpenBlock($"internal struct {StateBufferType}");
            writer.WriteLine("private float _element0;");
            writer.CloseBlock();
        }

        writer.WriteLine();

        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// Runs the network on a sequence from the zero initial state and writes the outputs for its last step.");
        writer.WriteLine("/// Allocation-free and safe to call concurrently.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine("/// <param name=\"sequence\"><c>steps × <see cref=\"InputCount\"/></c> values, one step after another (steps ≥ 1).</param>");
        writer.WriteLine("/// <param name=\"output\">Receives exactly <see cref=\"OutputCount\"/> values.</param>");
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length.</exception>");
        writer.OpenBlock($"public {modifier}void Forward({ReadOnlySpan} sequence, {Span} output)");
        writer.WriteLine($"int steps = {Guard}.Steps(sequence, InputCount, int.MaxValue, nameof(sequence));");
        NetworkEmitter.WriteLengthCheck(writer, "output", "OutputCount");
        writer.WriteLine($"{ReadOnlySpan} p = {parameters};");
        WriteColumns(writer, plan);
        writer.WriteLine($"{Span} state = stackalloc float[StateLength];");
        writer.WriteLine("state.Clear();");
        writer.WriteLine($"{Span} gates = stackalloc float[{plan.MaxGateRows}];");
        writer.WriteLine($"{Span} hiddenGates = stackalloc float[{plan.MaxGateRows}];");
        writer.OpenBlock("for (int t = 0; t < steps; t++)");
        writer.WriteLine("NetGenStep(p, columns, sequence.Slice(t * InputCount, InputCount), state, gates, hiddenGates, (t & 1) != 0);");
        writer.CloseBlock();
        writer.WriteLine();
        writer.WriteLine($"NetGenHead(p, state.Slice({LastHiddenOffset(plan)}, {LastRecurrent(plan).Layer.Units}), output);");
        writer.CloseBlock();
        writer.WriteLine();

        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// Runs one time step: advances <paramref name=\"state\"/> by <paramref name=\"features\"/> and writes the outputs for");
        writer.WriteLine("/// the sequence so far, exactly what <see cref=\"Forward\"/> gives on it. Allocation-free, and safe to call");
        writer.WriteLine("/// concurrently with different states.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine("/// <param name=\"state\">The state after the previous steps; <c>default</c> before the first step of a sequence.</param>");
        writer.WriteLine("/// <param name=\"features\">Exactly <see cref=\"InputCount\"/> values: this step's features.</param>");
        writer.WriteLine("/// <param name=\"output\">Receives exactly <see cref=\"OutputCount\"/> values.</param>");
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length.</exception>");
        writer.OpenBlock($"public {modifier}void Step(ref State state, {ReadOnlySpan} features, {Span} output)");
        NetworkEmitter.WriteLengthCheck(writer, "features", "InputCount");
        NetworkEmitter.WriteLengthCheck(writer, "output", "OutputCount");
        writer.WriteLine($"{ReadOnlySpan} p = {parameters};");
        WriteColumns(writer, plan);
        writer.WriteLine(plan.Network.Target.Portable
            ? $"{Span} values = global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref state.{StateField}._element0, StateLength);"
            : $"{Span} values = state.{StateField};");
        writer.WriteLine("NetGenStep(p, columns, features, values, stackalloc float[" + plan.MaxGateRows + "], stackalloc float[" + plan.MaxGateRows + "], false);");
        writer.WriteLine($"NetGenHead(p, values.Slice({LastHiddenOffset(plan)}, {LastRecurrent(plan).Layer.Units}), output);");
        writer.CloseBlock();
        writer.WriteLine();
    }

    /// <summary><c>Backward</c>: the forward pass keeping every step, the dense head and its loss, then each recurrent layer's backpropagation through time, last layer first.</summary>
    public static void WriteBackward(SourceWriter writer, NetworkPlan plan, string parametersField, string gradientsField)
    {
        NetworkSpec network = plan.Network;
        List<LayerPlan> recurrent = plan.RecurrentLayers.ToList();
        LayerPlan top = recurrent[recurrent.Count - 1];
        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// Runs the forward pass on one sequence, <b>adds</b> the gradient of its {network.Loss} loss (backpropagation");
        writer.WriteLine("/// through all its steps) to <see cref=\"Gradients\"/> and returns the loss. Allocation-free once the workspace holds");
        writer.WriteLine("/// a sequence this long (see <see cref=\"WorkspaceFloatsPerStep\"/>); not thread-safe.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine("/// <param name=\"sequence\"><c>steps × <see cref=\"InputCount\"/></c> values, one step after another, 1 ≤ steps ≤ <see cref=\"MaxSteps\"/>.</param>");
        writer.WriteLine("/// <param name=\"target\">Exactly <see cref=\"OutputCount\"/> target values, for the sequence's last step.</param>");
        writer.WriteLine("/// <returns>The sequence's loss.</returns>");
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length, or the sequence is longer than <see cref=\"MaxSteps\"/>.</exception>");
        writer.OpenBlock($"public float Backward({ReadOnlySpan} sequence, {ReadOnlySpan} target)");
        writer.WriteLine($"int steps = {Guard}.Steps(sequence, InputCount, MaxSteps, nameof(sequence));");
        NetworkEmitter.WriteLengthCheck(writer, "target", "OutputCount");
        writer.WriteLine($"{ReadOnlySpan} p = {parametersField};");
        writer.WriteLine($"{Span} g = {gradientsField};");
        WriteColumns(writer, plan);
        writer.WriteLine($"{Span} workspace = NetGenWorkspace(steps);");
        writer.WriteLine($"{Span} scratch = stackalloc float[{plan.MaxGateRows}];");
        writer.WriteLine("int o = 0;");

        // Forward through time, layer by layer, keeping what the backward pass reads.
        foreach (LayerPlan layer in recurrent)
        {
            RecurrentEmitter.EmitForwardThroughTime(writer, layer, InputOf(recurrent, layer));
        }

        // The dense head on the last hidden state; its input delta is the top layer's gradient at the last step.
        int units = top.Layer.Units;
        writer.WriteLine($"// The dense layers on layer {top.Number}'s last hidden state");
        writer.WriteLine($"{ReadOnlySpan} last = h{top.Number}.Slice(steps * {units}, {units});");
        writer.WriteLine($"{Span} dh{top.Number} = stackalloc float[{units}];");
        NetworkEmitter.WriteDenseBackward(writer, plan, plan.DenseLayers.ToList(), VectorRef.Span("last"), Activation.Identity, VectorRef.Span($"dh{top.Number}"));

        // Backpropagation through time, top layer first: each passes its input's delta to the layer below.
        for (int i = recurrent.Count - 1; i >= 0; i--)
        {
            LayerPlan layer = recurrent[i];
            RecurrentEmitter.EmitBackwardThroughTime(writer, layer, InputOf(recurrent, layer), above: i < recurrent.Count - 1 ? recurrent[i + 1] : null);
        }

        writer.WriteLine("return loss;");
        writer.CloseBlock();
        writer.WriteLine();
    }

    /// <summary>The step and head methods <c>Forward</c>, <c>Step</c> and <c>Backward</c> share, and a trainable network's workspace.</summary>
    public static void WritePrivateMembers(SourceWriter writer, NetworkPlan plan, bool trainable)
    {
        List<LayerPlan> recurrent = plan.RecurrentLayers.ToList();
        writer.WriteLine();
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// One time step of every recurrent layer, in place on <paramref name=\"state\"/>; the gates are scratch.");
        writer.WriteLine("/// <paramref name=\"backwards\"/> only changes the order in which a product reads its weights (<c>Forward</c> alternates it");
        writer.WriteLine("/// from step to step, for the cache), never the results: <c>Step</c> gives <c>Forward</c>'s bits.");
        writer.WriteLine("/// </summary>");
        writer.OpenBlock($"private static void NetGenStep({ReadOnlySpan} p, {ReadOnlySpan} columns, {ReadOnlySpan} features, {Span} state, {Span} gates, {Span} hiddenGates, bool backwards)");
        foreach (LayerPlan layer in recurrent)
        {
            RecurrentEmitter.EmitStepCall(writer, layer, InputOf(recurrent, layer, streaming: true));
        }

        writer.CloseBlock();
        writer.WriteLine();

        if (plan.ColumnsLength > 0)
        {
            writer.WriteLine("/// <summary>The transposed input weights of the layers whose input product runs by columns, once a call.</summary>");
            writer.OpenBlock($"private static void NetGenColumns({ReadOnlySpan} p, {Span} columns)");
            foreach (LayerPlan layer in recurrent.Where(layer => layer.Recurrent!.InputByColumns))
            {
                int rows = layer.Layer.GateRows, inputs = layer.Layer.Inputs;
                writer.WriteLine($"{Kernels}.Transpose(p.Slice({layer.WeightOffset}, {rows * inputs}), {rows}, {inputs}, columns.Slice({layer.Recurrent!.ColumnsOffset}, {rows * inputs})); // layer {layer.Number}'s weight_ih");
            }

            writer.CloseBlock();
            writer.WriteLine();
        }

        LayerPlan top = recurrent[recurrent.Count - 1];
        writer.WriteLine("/// <summary>The dense layers on the last recurrent layer's hidden state.</summary>");
        writer.OpenBlock($"private static void NetGenHead({ReadOnlySpan} p, {ReadOnlySpan} hidden, {Span} output)");
        CheckLength(writer, "p", "ParameterCount");
        CheckLength(writer, "hidden", top.Layer.Units.ToString(System.Globalization.CultureInfo.InvariantCulture));
        CheckLength(writer, "output", "OutputCount");
        NetworkEmitter.WriteDenseForward(writer, plan.DenseLayers.ToList(), VectorRef.Span("hidden"), VectorRef.Span("output"));
        writer.CloseBlock();

        foreach (LayerPlan layer in recurrent)
        {
            writer.WriteLine();
            RecurrentEmitter.EmitStepMethod(writer, layer);
        }

        if (trainable)
        {
            writer.WriteLine();
            writer.WriteLine($"private float[]? {WorkspaceField};");
            writer.WriteLine();
            writer.WriteLine("/// <summary>Backward's workspace for <paramref name=\"steps\"/> steps, allocated when a sequence is longer than any before it.</summary>");
            writer.OpenBlock($"private {Span} NetGenWorkspace(int steps)");
            writer.WriteLine("int length = (steps + 1) * WorkspaceFloatsPerStep;");
            writer.WriteLine($"float[]? workspace = {WorkspaceField};");
            writer.OpenBlock("if (workspace is null || workspace.Length < length)");
            writer.WriteLine($"{WorkspaceField} = workspace = new float[length];");
            writer.CloseBlock();
            writer.WriteLine();
            writer.WriteLine($"return new {Span}(workspace, 0, length);");
            writer.CloseBlock();
        }
    }

    /// <summary>
    /// Declares <c>columns</c>, the transposed input weights of the layers whose input product runs by columns (none:
    /// an empty span), transposed once for the whole call.
    /// </summary>
    private static void WriteColumns(SourceWriter writer, NetworkPlan plan)
    {
        if (plan.ColumnsLength == 0)
        {
            writer.WriteLine($"{ReadOnlySpan} columns = default;");
            return;
        }

        writer.WriteLine($"{Span} columns = stackalloc float[{plan.ColumnsLength}];");
        writer.WriteLine("NetGenColumns(p, columns);");
    }

    /// <summary>
    /// Where a recurrent layer reads its input. In <c>Backward</c> (layer-major): the sequence, or the hidden states
    /// the layer below kept; in a streaming step (step-major): the features, or the layer below's state just updated.
    /// </summary>
    private static StepInput InputOf(List<LayerPlan> recurrent, LayerPlan layer, bool streaming = false)
    {
        int index = recurrent.IndexOf(layer);
        if (index == 0)
        {
            return streaming ? new StepInput("features", null, 0) : new StepInput("sequence", null, 0);
        }

        LayerPlan below = recurrent[index - 1];
        return streaming
            ? new StepInput("state", below, below.Recurrent!.StateOffset)
            : new StepInput($"h{below.Number}", below, 0);
    }

    private static LayerPlan LastRecurrent(NetworkPlan plan) => plan.RecurrentLayers.Last();

    /// <summary>The last recurrent layer's hidden state within the state: it comes first in the layer's state.</summary>
    private static int LastHiddenOffset(NetworkPlan plan) => LastRecurrent(plan).Recurrent!.StateOffset;

    /// <summary>
    /// A length check on a private method's span: never fails, but lets the JIT drop the bounds checks of every constant
    /// index into the span that follows.
    /// </summary>
    internal static void CheckLength(SourceWriter writer, string span, string length)
        => writer.WriteLine($"if ({span}.Length != {length}) throw new global::System.ArgumentException(null, nameof({span}));");
}

/// <summary>
/// A recurrent layer's input: a span holding it (the sequence or the features for the first layer), and for a
/// stacked layer the layer below, whose hidden state is the input, at <paramref name="Offset"/> in that span.
/// </summary>
internal sealed record StepInput(string Span, LayerPlan? Below, int Offset);
