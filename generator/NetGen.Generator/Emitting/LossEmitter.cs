using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emitting;

/// <summary>
/// Emits <c>Backward</c>'s loss head: <c>float loss</c> and the gradient with respect to the last layer's
/// pre-activations. Over spans it calls the runtime's <c>Losses</c>; for an unrolled output layer, whose outputs are
/// locals, it writes the same formulas as straight-line code (no loops, no argument checks, values in registers).
/// </summary>
internal static class LossEmitter
{
    private const string Losses = "global::NetGen.Numerics.Losses";
    private const string MathF = "global::System.MathF";

    /// <summary>
    /// The loss head over spans: <paramref name="result"/> (<c>float loss =</c>, or <c>loss +=</c> in a batch's loop over
    /// samples) the loss of <paramref name="y"/> against <paramref name="target"/>, and the delta.
    /// </summary>
    public static void EmitSpanHead(SourceWriter writer, Loss loss, Activation output, VectorRef y, VectorRef delta, string target = "target", string result = "float loss =")
    {
        switch (loss)
        {
            case Loss.CrossEntropy:
                writer.WriteLine($"{result} {Losses}.CrossEntropyWithSoftmax({y.Name}, {target}, {delta.Name});");
                break;
            case Loss.BinaryCrossEntropy:
                writer.WriteLine($"{result} {Losses}.BinaryCrossEntropyWithSigmoid({y.Name}, {target}, {delta.Name});");
                break;
            default:
                writer.WriteLine($"{result} {Losses}.MeanSquaredError({y.Name}, {target}, {delta.Name});");
                DenseEmitter.EmitSpanDerivative(writer, output, y, delta);
                break;
        }
    }

    /// <summary>The same heads as <see cref="EmitSpanHead"/>, over locals: <paramref name="y"/> holds the logits for cross-entropy, the outputs otherwise.</summary>
    public static void EmitScalarHead(SourceWriter writer, Loss loss, Activation output, int count, VectorRef y, VectorRef delta)
    {
        IEnumerable<int> all = Enumerable.Range(0, count);
        switch (loss)
        {
            case Loss.CrossEntropy:
                VectorRef e = DenseEmitter.EmitShiftedExponentials(writer, count, y);
                writer.WriteLine($"float targetSum = {string.Join(" + ", all.Select(j => $"target[{j}]"))};");
                writer.WriteLine("float inverse = 1f / sum;");
                writer.WriteLine($"float loss = (targetSum * {MathF}.Log(sum)) - ({string.Join(" + ", all.Select(j => $"(target[{j}] * ({y[j]} - max))"))});");
                foreach (int j in all)
                {
                    writer.WriteLine($"{delta.Assign(j)} = ({e[j]} * inverse * targetSum) - target[{j}];");
                }

                break;
            case Loss.BinaryCrossEntropy:
                writer.WriteLine($"float loss = -({string.Join(" + ", all.Select(j => $"(target[{j}] * {Losses}.ClampedLog({y[j]})) + ((1f - target[{j}]) * {Losses}.ClampedLog(1f - {y[j]}))"))}) * (1f / {count});");
                foreach (int j in all)
                {
                    writer.WriteLine($"{delta.Assign(j)} = ({y[j]} - target[{j}]) * (1f / {count});");
                }

                break;
            default:
                foreach (int j in all)
                {
                    writer.WriteLine($"float r_{j} = {y[j]} - target[{j}];");
                }

                writer.WriteLine($"float loss = ({string.Join(" + ", all.Select(j => $"(r_{j} * r_{j})"))}) / {count};");
                if (output == Activation.Softmax)
                {
                    // Jacobian-vector product: d_j = y_j (g_j - Σ_k g_k y_k) with g = 2 r / n.
                    writer.WriteLine($"float dot = {string.Join(" + ", all.Select(j => $"(2f / {count} * r_{j} * {y[j]})"))};");
                    foreach (int j in all)
                    {
                        writer.WriteLine($"{delta.Assign(j)} = {y[j]} * ((2f / {count} * r_{j}) - dot);");
                    }
                }
                else
                {
                    foreach (int j in all)
                    {
                        writer.WriteLine($"{delta.Assign(j)} = {DenseEmitter.ScaleByDerivative(output, y[j], $"2f / {count} * r_{j}")};");
                    }
                }

                break;
        }
    }
}
