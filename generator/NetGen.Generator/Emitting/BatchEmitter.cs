using System.Globalization;
using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using NetGen.Shared;

namespace NetGen.Generator.Emitting;

/// <summary>
/// Emits the batch members of design §1c: <c>ForwardBatch</c>, <c>PredictBatch</c> and, for a trainable network,
/// <c>BackwardBatch</c>, over <c>n</c> samples stored one after another (a sequence network's: <c>n</c> sequences of one
/// length). The number of samples comes from the outputs, targets or classes; the inputs are checked against it.
/// </summary>
internal static class BatchEmitter
{
    private const string Guard = "global::NetGen.Guard";
    private const string Span = "global::System.Span<float>";
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";

    private const string Batch = "global::NetGen.Numerics.BatchKernels";
    private const string Kernels = "global::NetGen.Numerics.DenseKernels";
    private const string Cells = "global::NetGen.Numerics.RecurrentKernels";

    /// <summary>
    /// Writes the batch members. <paramref name="parameters"/> and <paramref name="gradients"/> are the expressions of the
    /// weights (the instance's buffer or the compiled-in data) and of the gradients (null for a frozen network).
    /// </summary>
    public static void Write(SourceWriter writer, NetworkPlan plan, bool isStatic, string parameters, string? gradients)
    {
        NetworkSpec network = plan.Network;
        bool blocked = plan.BatchBlock > 0;
        string modifier = isStatic ? "static " : string.Empty;
        string inputsDoc = network.IsSequence
            ? "/// <param name=\"inputs\"><c>n</c> sequences of one length, one after another: <c>n × steps × <see cref=\"InputCount\"/></c> values (steps ≥ 1).</param>"
            : "/// <param name=\"inputs\"><c>n × <see cref=\"InputCount\"/></c> values, one sample after another.</param>";

        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// Runs the network on <c>n</c> samples stored one after another: the outputs of <c>n</c> calls of <see cref=\"Forward\"/>.");
        writer.WriteLine("/// Allocation-free and safe to call concurrently.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine(inputsDoc);
        writer.WriteLine("/// <param name=\"outputs\">Receives <c>n × <see cref=\"OutputCount\"/></c> values; its length gives <c>n</c>.</param>");
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length.</exception>");
        writer.OpenBlock($"public {modifier}void ForwardBatch({ReadOnlySpan} inputs, {Span} outputs)");
        writer.WriteLine($"int samples = {Guard}.Samples(outputs, OutputCount, nameof(outputs));");
        WriteInputCheck(writer, network, "outputs", backward: false, declarePerSample: !blocked || network.IsSequence);
        if (blocked && !network.IsSequence)
        {
            // Too few samples for a block go straight to Forward: a batch of one is no slower than Forward (through the
            // blocked pass's method a digits-size batch of one took 1.09x Forward's time, paired).
            writer.OpenBlock($"if (samples < {plan.MinBatchBlockSamples})");
            writer.OpenBlock("for (int s = 0; s < samples; s++)");
            writer.WriteLine("Forward(inputs.Slice(s * InputCount, InputCount), outputs.Slice(s * OutputCount, OutputCount));");
            writer.CloseBlock();
            writer.WriteLine();
            writer.WriteLine("return;");
            writer.CloseBlock();
            writer.WriteLine();
            writer.WriteLine("NetGenForwardBatch(inputs, outputs, samples);");
        }
        else if (blocked)
        {
            writer.WriteLine("NetGenForwardBatch(inputs, outputs, samples, perSample);");
        }
        else
        {
            writer.OpenBlock("for (int s = 0; s < samples; s++)");
            writer.WriteLine("Forward(inputs.Slice(s * perSample, perSample), outputs.Slice(s * OutputCount, OutputCount));");
            writer.CloseBlock();
        }

        writer.CloseBlock();
        writer.WriteLine();

        writer.WriteLine("/// <summary>Runs the network on <c>n</c> samples and writes each one's predicted class, as <see cref=\"Predict\"/> does.</summary>");
        writer.WriteLine(inputsDoc);
        writer.WriteLine("/// <param name=\"classes\">Receives the <c>n</c> predicted classes; its length gives <c>n</c>.</param>");
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"inputs\"/> has the wrong length.</exception>");
        writer.OpenBlock($"public {modifier}void PredictBatch({ReadOnlySpan} inputs, global::System.Span<int> classes)");
        writer.WriteLine("int samples = classes.Length;");
        WriteInputCheck(writer, network, "classes", backward: false);
        if (blocked)
        {
            // Whole blocks' outputs at a time, up to 16 KB on the stack (each call of NetGenForwardBatch clears its
            // blocks' buffers once), then each sample's class as Predict decides it.
            int chunk = plan.PredictBatchSamples;
            writer.WriteLine($"{Span} y = stackalloc float[{chunk} * OutputCount];");
            writer.OpenBlock($"for (int s = 0; s < samples; s += {chunk})");
            writer.WriteLine($"int count = global::System.Math.Min({chunk}, samples - s);");
            writer.WriteLine(network.IsSequence
                ? "NetGenForwardBatch(inputs.Slice(s * perSample, count * perSample), y.Slice(0, count * OutputCount), count, perSample);"
                : "NetGenForwardBatch(inputs.Slice(s * perSample, count * perSample), y.Slice(0, count * OutputCount), count);");
            writer.OpenBlock("for (int t = 0; t < count; t++)");
            writer.WriteLine($"classes[s + t] = {NetworkEmitter.ClassOf(network, "y.Slice(t * OutputCount, OutputCount)")};");
            writer.CloseBlock();
            writer.CloseBlock();
        }
        else
        {
            writer.OpenBlock("for (int s = 0; s < samples; s++)");
            writer.WriteLine("classes[s] = Predict(inputs.Slice(s * perSample, perSample));");
            writer.CloseBlock();
        }

        writer.CloseBlock();
        writer.WriteLine();

        if (blocked)
        {
            WriteBlockedForward(writer, plan, modifier, parameters);
        }

        if (gradients is null)
        {
            return;
        }

        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// Runs the forward pass on <c>n</c> samples, <b>adds</b> the sum of their gradients to <see cref=\"Gradients\"/> and returns");
        writer.WriteLine("/// the sum of their losses: within float rounding, what <c>n</c> calls of <see cref=\"Backward\"/> give. Allocation-free;");
        writer.WriteLine("/// not thread-safe (it writes the instance's gradients).");
        writer.WriteLine("/// </summary>");
        writer.WriteLine(network.IsSequence
            ? "/// <param name=\"inputs\"><c>n</c> sequences of one length, one after another: <c>n × steps × <see cref=\"InputCount\"/></c> values (1 ≤ steps ≤ <see cref=\"MaxSteps\"/>).</param>"
            : inputsDoc);
        writer.WriteLine("/// <param name=\"targets\"><c>n × <see cref=\"OutputCount\"/></c> target values; its length gives <c>n</c>.</param>");
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length.</exception>");
        writer.OpenBlock($"public float BackwardBatch({ReadOnlySpan} inputs, {ReadOnlySpan} targets)");
        writer.WriteLine($"int samples = {Guard}.Samples(targets, OutputCount, nameof(targets));");
        WriteInputCheck(writer, network, "targets", backward: true);
        writer.WriteLine("float loss = 0f;");
        writer.WriteLine("int s = 0;");
        if (blocked && !network.IsSequence)
        {
            WriteBlockedBackward(writer, plan, parameters, gradients);
        }

        writer.OpenBlock("for (; s < samples; s++)");
        writer.WriteLine("loss += Backward(inputs.Slice(s * perSample, perSample), targets.Slice(s * OutputCount, OutputCount));");
        writer.CloseBlock();
        writer.WriteLine("return loss;");
        writer.CloseBlock();
        writer.WriteLine();
    }

    /// <summary>
    /// The private <c>NetGenForwardBatch</c> that <c>ForwardBatch</c> and <c>PredictBatch</c> share, arguments checked:
    /// blocks of samples through every layer with <c>BatchKernels</c>, the samples past the last block at least half
    /// full one at a time through <c>Forward</c>.
    /// </summary>
    private static void WriteBlockedForward(SourceWriter writer, NetworkPlan plan, string modifier, string parameters)
    {
        bool sequence = plan.Network.IsSequence;
        writer.WriteLine(sequence
            ? "/// <summary><see cref=\"ForwardBatch\"/> with its arguments checked: <paramref name=\"samples\"/> sequences of <paramref name=\"perSample\"/> values.</summary>"
            : "/// <summary><see cref=\"ForwardBatch\"/> with its arguments checked: <paramref name=\"samples\"/> samples.</summary>");
        writer.OpenBlock(sequence
            ? $"private {modifier}void NetGenForwardBatch({ReadOnlySpan} inputs, {Span} outputs, int samples, int perSample)"
            : $"private {modifier}void NetGenForwardBatch({ReadOnlySpan} inputs, {Span} outputs, int samples)");
        writer.WriteLine("int s = 0;");
        writer.OpenBlock($"if (samples >= {plan.MinBatchBlockSamples})");
        writer.WriteLine($"{ReadOnlySpan} p = {parameters};");
        if (sequence)
        {
            DeclareRecurrentBlocks(writer, plan);
        }

        var layers = DeclareBlocks(writer, plan, backward: false, declareInput: !sequence);
        WriteBlockLoop(writer, plan);
        if (sequence)
        {
            string last = WriteRecurrentBlocks(writer, plan);
            WriteBlockForward(writer, plan, layers, applyOutputActivation: true, keepSampleMajor: false, samples: null, first: last);
        }
        else
        {
            WriteBlockForward(writer, plan, layers, applyOutputActivation: true, keepSampleMajor: false, "inputs.Slice(s * InputCount, count * InputCount)");
        }

        writer.WriteLine($"{Span} o = outputs.Slice(s * OutputCount, count * OutputCount);");
        writer.WriteLine($"{Batch}.FromBlock({OutputBlock(layers)}, OutputCount, o);");
        WritePerSampleSoftmax(writer, plan, "o");
        writer.CloseBlock();
        writer.CloseBlock();
        writer.WriteLine();
        writer.OpenBlock("for (; s < samples; s++)");
        writer.WriteLine(sequence
            ? "Forward(inputs.Slice(s * perSample, perSample), outputs.Slice(s * OutputCount, OutputCount));"
            : "Forward(inputs.Slice(s * InputCount, InputCount), outputs.Slice(s * OutputCount, OutputCount));");
        writer.CloseBlock();
        writer.CloseBlock();
        writer.WriteLine();
    }

    /// <summary>
    /// <c>BackwardBatch</c>'s blocks: the forward pass keeping each hidden layer's activations in both layouts, the loss
    /// head per sample, then per layer the weight gradients summed over the block (<c>DenseKernels.AccumulateOuterProducts</c>,
    /// sample-major) and the deltas of the layer below (<c>BatchKernels.MultiplyTransposed</c>, feature-major).
    /// </summary>
    private static void WriteBlockedBackward(SourceWriter writer, NetworkPlan plan, string parameters, string gradients)
    {
        writer.OpenBlock($"if (samples >= {plan.MinBatchBlockSamples})");
        writer.WriteLine($"{ReadOnlySpan} p = {parameters};");
        writer.WriteLine($"{Span} g = {gradients};");
        var layers = DeclareBlocks(writer, plan, backward: true);
        int last = layers.Count - 1;
        LayerPlan output = layers[last];
        WriteBlockLoop(writer, plan);
        writer.WriteLine($"{ReadOnlySpan} input = inputs.Slice(s * InputCount, count * InputCount);");
        WriteBlockForward(writer, plan, layers, applyOutputActivation: !plan.LossHeadActivates, keepSampleMajor: true, "input");
        writer.WriteLine($"{Batch}.FromBlock({OutputBlock(layers)}, OutputCount, y.Slice(0, count * OutputCount));");

        // The loss head per sample, over the sample-major outputs.
        bool softmaxFirst = !plan.LossHeadActivates && output.Layer.Activation == Activation.Softmax;
        writer.OpenBlock("for (int t = 0; t < count; t++)");
        writer.WriteLine($"{Span} yt = y.Slice(t * OutputCount, OutputCount);");
        if (softmaxFirst)
        {
            writer.WriteLine("global::NetGen.Numerics.Activations.Softmax(yt);");
        }

        LossEmitter.EmitSpanHead(writer, plan.Network.Loss, output.Layer.Activation, VectorRef.Span("yt"), VectorRef.Span($"d{output.Number}.Slice(t * OutputCount, OutputCount)"), "targets.Slice((s + t) * OutputCount, OutputCount)", "loss +=");
        writer.CloseBlock();
        writer.WriteLine();

        // Backward, last layer first: weight gradients from the sample-major deltas and inputs of the block's samples,
        // the deltas below through the transposed product over the feature-major block.
        if (last > 0)
        {
            writer.WriteLine($"{Batch}.ToBlock(d{output.Number}.Slice(0, count * OutputCount), OutputCount, e{output.Number});");
        }

        for (int i = last; i >= 0; i--)
        {
            LayerPlan layer = layers[i];
            int units = layer.Layer.Units;
            string sampleInput = i > 0 ? $"a{layers[i - 1].Number}.Slice(0, count * {layers[i - 1].Layer.Units})" : "input";
            writer.WriteLine($"// Layer {layer.Number} gradients, summed over the block");
            writer.WriteLine($"{Kernels}.AccumulateOuterProducts(g.Slice({layer.WeightOffset}, {layer.WeightCount}), g.Slice({layer.BiasOffset}, {units}), d{layer.Number}.Slice(0, count * {units}), {sampleInput}, count);");
            if (i == 0)
            {
                continue;
            }

            LayerPlan below = layers[i - 1];
            writer.WriteLine($"{Batch}.MultiplyTransposed(p.Slice({layer.WeightOffset}, {layer.WeightCount}), e{layer.Number}, e{below.Number}, {plan.BatchBlock});");
            DenseEmitter.EmitSpanDerivative(writer, below.Layer.Activation, VectorRef.Span($"h{below.Number}"), VectorRef.Span($"e{below.Number}"));
            writer.WriteLine($"{Batch}.FromBlock(e{below.Number}, {below.Layer.Units}, d{below.Number}.Slice(0, count * {below.Layer.Units}));");
        }

        writer.CloseBlock();
        writer.CloseBlock();
        writer.WriteLine();
    }

    /// <summary>The stack buffers of the blocks, feature-major (<c>x</c>, <c>h1</c>, …) and, for <c>BackwardBatch</c>, sample-major.</summary>
    private static System.Collections.Generic.List<LayerPlan> DeclareBlocks(SourceWriter writer, NetworkPlan plan, bool backward, bool declareInput = true)
    {
        int block = plan.BatchBlock;
        var layers = plan.DenseLayers.ToList();
        if (declareInput)
        {
            writer.WriteLine($"// Blocks of {block} samples, feature-major: each feature's values for the block's samples side by side.");
            writer.WriteLine($"{Span} x = stackalloc float[InputCount * {block}];");
        }

        foreach (LayerPlan layer in layers)
        {
            int units = layer.Layer.Units;
            string n = layer.Number.ToString(CultureInfo.InvariantCulture);
            writer.WriteLine($"{Span} h{n} = stackalloc float[{units} * {block}];");
            if (!backward)
            {
                continue;
            }

            // Sample-major activations (the output layer's, y) and deltas, and the feature-major deltas e that the
            // transposed products pass down (none in a network of one layer).
            writer.WriteLine($"{Span} {(layer == layers[layers.Count - 1] ? "y" : "a" + n)} = stackalloc float[{units} * {block}];");
            writer.WriteLine($"{Span} d{n} = stackalloc float[{units} * {block}];");
            if (layers.Count > 1)
            {
                writer.WriteLine($"{Span} e{n} = stackalloc float[{units} * {block}];");
            }
        }

        return layers;
    }

    /// <summary>
    /// The blocks of a sequence network's recurrent layers: a step's input block <c>x</c>, and per layer its two gate
    /// blocks and its state now (<c>h</c>, an LSTM's <c>c</c>) and next, each <c>[rows, block]</c>. A gate kernel of
    /// <c>RecurrentKernels</c> works element by element on gate blocks of <c>units</c> floats each, so it takes a block's
    /// gates as those of one layer of <c>units × block</c> units.
    /// </summary>
    private static void DeclareRecurrentBlocks(SourceWriter writer, NetworkPlan plan)
    {
        int block = plan.BatchBlock;
        writer.WriteLine($"// Blocks of {block} sequences, feature-major: each feature's values for the block's sequences side by side.");
        writer.WriteLine($"{Span} x = stackalloc float[InputCount * {block}];");
        foreach (LayerPlan layer in plan.RecurrentLayers)
        {
            int n = layer.Number;
            LayerSpec spec = layer.Layer;
            writer.WriteLine($"{Span} gates{n} = stackalloc float[{spec.GateRows} * {block}];");
            writer.WriteLine($"{Span} hiddenGates{n} = stackalloc float[{spec.GateRows} * {block}];");
            writer.WriteLine($"{Span} h{n} = stackalloc float[{spec.Units} * {block}];");
            writer.WriteLine($"{Span} next{n} = stackalloc float[{spec.Units} * {block}];");
            if (spec.Kind == LayerKind.Lstm)
            {
                writer.WriteLine($"{Span} c{n} = stackalloc float[{spec.Units} * {block}];");
                writer.WriteLine($"{Span} nextCell{n} = stackalloc float[{spec.Units} * {block}];");
            }
        }
    }

    /// <summary>
    /// A block of sequences through the recurrent layers, step by step from the zero state: each step's input block,
    /// then per layer its two products over the block and its gates. Returns the last layer's hidden-state block.
    /// </summary>
    private static string WriteRecurrentBlocks(SourceWriter writer, NetworkPlan plan)
    {
        int block = plan.BatchBlock;
        var layers = plan.RecurrentLayers.ToList();
        foreach (LayerPlan layer in layers)
        {
            writer.WriteLine($"h{layer.Number}.Clear();");
            if (layer.Layer.Kind == LayerKind.Lstm)
            {
                writer.WriteLine($"c{layer.Number}.Clear();");
            }
        }

        writer.OpenBlock("for (int t = 0; t < perSample / InputCount; t++)");
        writer.WriteLine($"{Batch}.ToBlock(inputs.Slice((s * perSample) + (t * InputCount)), count, perSample, InputCount, x);");
        string input = "x";
        foreach (LayerPlan layer in layers)
        {
            int n = layer.Number;
            LayerSpec spec = layer.Layer;
            RecurrentPlan recurrent = layer.Recurrent!;
            writer.WriteLine($"// Layer {n}: {RecurrentEmitter.Describe(spec)}, {spec.Inputs} -> {spec.Units}");
            writer.WriteLine($"{Batch}.MultiplyAdd(p.Slice({recurrent.InputProduct.WeightOffset}, {recurrent.InputProduct.WeightCount}), p.Slice({recurrent.InputProduct.BiasOffset}, {spec.GateRows}), {input}, gates{n}, {block});");
            writer.WriteLine($"{Batch}.MultiplyAdd(p.Slice({recurrent.HiddenProduct.WeightOffset}, {recurrent.HiddenProduct.WeightCount}), p.Slice({recurrent.HiddenProduct.BiasOffset}, {spec.GateRows}), h{n}, hiddenGates{n}, {block});");
            writer.WriteLine(spec.Kind switch
            {
                LayerKind.Gru => $"{Cells}.Gru(gates{n}, hiddenGates{n}, h{n}, next{n});",
                LayerKind.Lstm => $"{Cells}.Lstm(gates{n}, hiddenGates{n}, c{n}, nextCell{n}, next{n});",
                _ => $"{Cells}.Rnn{spec.Activation}(gates{n}, hiddenGates{n}, next{n});",
            });
            writer.WriteLine($"next{n}.CopyTo(h{n});");
            if (spec.Kind == LayerKind.Lstm)
            {
                writer.WriteLine($"nextCell{n}.CopyTo(c{n});");
            }

            input = $"h{n}";
        }

        writer.CloseBlock();
        writer.WriteLine();
        return input;
    }

    /// <summary>The feature-major block of the output layer's values.</summary>
    private static string OutputBlock(System.Collections.Generic.List<LayerPlan> layers) => $"h{layers[layers.Count - 1].Number}";

    /// <summary>A softmax output layer's activation, per sample of the sample-major outputs <paramref name="outputs"/> of the block.</summary>
    private static void WritePerSampleSoftmax(SourceWriter writer, NetworkPlan plan, string outputs)
    {
        if (plan.Network.OutputLayer.Activation != Activation.Softmax)
        {
            return;
        }

        writer.OpenBlock("for (int t = 0; t < count; t++)");
        writer.WriteLine($"global::NetGen.Numerics.Activations.Softmax({outputs}.Slice(t * OutputCount, OutputCount));");
        writer.CloseBlock();
    }

    /// <summary>Opens the loop over blocks: <c>count</c> samples from <c>s</c>, the last block padded with zeros.</summary>
    private static void WriteBlockLoop(SourceWriter writer, NetworkPlan plan)
    {
        writer.OpenBlock($"for (; samples - s >= {plan.MinBatchBlockSamples}; s += {plan.BatchBlock})");
        writer.WriteLine($"int count = global::System.Math.Min({plan.BatchBlock}, samples - s);");
    }

    /// <summary>
    /// A block's forward pass through the dense layers from the sample-major <paramref name="samples"/> (an expression),
    /// or when that is null from the feature-major block <paramref name="first"/>, to the feature-major output block; hidden layers also write
    /// their sample-major activations (<c>a1</c>, …) when <c>BackwardBatch</c> needs them for the weight gradients.
    /// </summary>
    private static void WriteBlockForward(SourceWriter writer, NetworkPlan plan, System.Collections.Generic.List<LayerPlan> layers, bool applyOutputActivation, bool keepSampleMajor, string? samples, string first = "x")
    {
        if (samples is not null)
        {
            writer.WriteLine($"{Batch}.ToBlock({samples}, InputCount, x);");
        }

        string input = first;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerPlan layer = layers[i];
            string h = $"h{layer.Number}";
            bool isOutput = i == layers.Count - 1;
            writer.WriteLine($"// Layer {layer.Number}: {layer.Layer.Inputs} -> {layer.Layer.Units}, {layer.Layer.Activation}");
            writer.WriteLine($"{Batch}.MultiplyAdd(p.Slice({layer.WeightOffset}, {layer.WeightCount}), p.Slice({layer.BiasOffset}, {layer.Layer.Units}), {input}, {h}, {plan.BatchBlock});");

            // A softmax needs each sample's outputs together: applied per sample after the block returns to samples.
            Activation activation = layer.Layer.Activation;
            if (activation != Activation.Softmax && (!isOutput || applyOutputActivation))
            {
                DenseEmitter.EmitSpanActivation(writer, activation, VectorRef.Span(h));
            }

            if (keepSampleMajor && !isOutput)
            {
                writer.WriteLine($"{Batch}.FromBlock({h}, {layer.Layer.Units}, a{layer.Number}.Slice(0, count * {layer.Layer.Units}));");
            }

            input = h;
        }
    }

    /// <summary>How the batch members take a layer, as the header's table names it: in blocks of samples, or one at a time.</summary>
    public static string Describe(NetworkPlan plan)
        => plan.Network.IsSequence
            ? (plan.BatchBlock > 0 ? $"{plan.BatchBlock} sequences" : "per sequence")
            : (plan.BatchBlock > 0 ? $"{plan.BatchBlock} samples" : "per sample");

    /// <summary>How the batch members run, under the header's table.</summary>
    public static void WriteHeaderNote(SourceWriter writer, NetworkPlan plan)
    {
        writer.WriteLine("//");
        if (plan.BatchBlock > 0 && plan.Network.IsSequence)
        {
            writer.WriteLine($"//   ForwardBatch and PredictBatch take the sequences in blocks of {plan.BatchBlock} (the \"batch\" column), step by step through");
            writer.WriteLine("//   every layer with BatchKernels (feature-major blocks, each weight broadcast once per vector of sequences) and the");
            writer.WriteLine($"//   gate kernels over whole blocks; fewer than {plan.MinBatchBlockSamples} sequences left over run one at a time. BackwardBatch runs one");
            writer.WriteLine("//   sequence at a time (backpropagation through time per sequence).");
        }
        else if (plan.BatchBlock > 0)
        {
            writer.WriteLine($"//   ForwardBatch, PredictBatch and BackwardBatch take the samples in blocks of {plan.BatchBlock} through every layer");
            writer.WriteLine("//   (the \"batch\" column; BatchKernels: feature-major blocks, each weight broadcast once per vector of samples,");
            writer.WriteLine("//   sixteen rows a pass with Vector512, eight with Vector<T>, scalar code without vectors); fewer than");
            writer.WriteLine($"//   {plan.MinBatchBlockSamples} samples left over run one at a time, through Forward and Backward.");
        }
        else if (plan.Network.Target.Portable)
        {
            writer.WriteLine(plan.Network.IsSequence
                ? "//   ForwardBatch, PredictBatch and BackwardBatch run one sequence at a time (the portable code has no batch blocks)."
                : "//   ForwardBatch, PredictBatch and BackwardBatch run one sample at a time (the portable code has no batch blocks).");
        }
        else
        {
            writer.WriteLine(plan.Network.IsSequence
                ? "//   ForwardBatch, PredictBatch and BackwardBatch run one sequence at a time."
                : "//   ForwardBatch, PredictBatch and BackwardBatch run one sample at a time: straight-line code already keeps it all in registers.");
        }
    }

    /// <summary>Checks <c>inputs</c> against the number of samples and declares <c>perSample</c>, its values per sample.</summary>
    private static void WriteInputCheck(SourceWriter writer, NetworkSpec network, string countedBy, bool backward, bool declarePerSample = true)
    {
        if (network.IsSequence)
        {
            string maxSteps = backward ? "MaxSteps" : "int.MaxValue";
            writer.WriteLine($"int perSample = {Guard}.BatchSteps(inputs, samples, InputCount, {maxSteps}, nameof(inputs), nameof({countedBy})) * InputCount;");
        }
        else
        {
            writer.WriteLine($"{Guard}.BatchInputs(inputs, samples, InputCount, nameof(inputs), nameof({countedBy}));");
            if (declarePerSample)
            {
                writer.WriteLine("const int perSample = InputCount;");
            }
        }
    }
}
