using NetGen.Generator.Model;

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

    public static void Write(SourceWriter writer, NetworkSpec network, bool isStatic)
    {
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
        WriteInputCheck(writer, network, "outputs", backward: false);
        writer.OpenBlock("for (int s = 0; s < samples; s++)");
        writer.WriteLine("Forward(inputs.Slice(s * perSample, perSample), outputs.Slice(s * OutputCount, OutputCount));");
        writer.CloseBlock();
        writer.CloseBlock();
        writer.WriteLine();

        writer.WriteLine("/// <summary>Runs the network on <c>n</c> samples and writes each one's predicted class, as <see cref=\"Predict\"/> does.</summary>");
        writer.WriteLine(inputsDoc);
        writer.WriteLine("/// <param name=\"classes\">Receives the <c>n</c> predicted classes; its length gives <c>n</c>.</param>");
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"inputs\"/> has the wrong length.</exception>");
        writer.OpenBlock($"public {modifier}void PredictBatch({ReadOnlySpan} inputs, global::System.Span<int> classes)");
        writer.WriteLine("int samples = classes.Length;");
        WriteInputCheck(writer, network, "classes", backward: false);
        writer.OpenBlock("for (int s = 0; s < samples; s++)");
        writer.WriteLine("classes[s] = Predict(inputs.Slice(s * perSample, perSample));");
        writer.CloseBlock();
        writer.CloseBlock();
        writer.WriteLine();

        if (isStatic)
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
        writer.OpenBlock("for (int s = 0; s < samples; s++)");
        writer.WriteLine("loss += Backward(inputs.Slice(s * perSample, perSample), targets.Slice(s * OutputCount, OutputCount));");
        writer.CloseBlock();
        writer.WriteLine("return loss;");
        writer.CloseBlock();
        writer.WriteLine();
    }

    /// <summary>Checks <c>inputs</c> against the number of samples and declares <c>perSample</c>, its values per sample.</summary>
    private static void WriteInputCheck(SourceWriter writer, NetworkSpec network, string countedBy, bool backward)
    {
        if (network.IsSequence)
        {
            string maxSteps = backward ? "MaxSteps" : "int.MaxValue";
            writer.WriteLine($"int perSample = {Guard}.BatchSteps(inputs, samples, InputCount, {maxSteps}, nameof(inputs), nameof({countedBy})) * InputCount;");
        }
        else
        {
            writer.WriteLine($"{Guard}.BatchInputs(inputs, samples, InputCount, nameof(inputs), nameof({countedBy}));");
            writer.WriteLine("const int perSample = InputCount;");
        }
    }
}
