using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using NetGen.Shared;

namespace NetGen.Generator.Emitting;

/// <summary>A member the emitters write into a network type.</summary>
/// <param name="Name">Its name (an explicit implementation's: <c>NetGen.INetwork.InputCount</c>; a constructor's: <c>.ctor</c>).</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Parameters">A method's or constructor's parameter types, spelled as <see cref="GeneratedMembers"/> says.</param>
internal sealed record GeneratedMember(string Name, MemberKind Kind, EquatableArray<string> Parameters)
{
    public bool IsCallable => Kind is MemberKind.Method or MemberKind.Constructor;

    /// <summary>The member as messages show it, e.g. <c>Forward(ReadOnlySpan&lt;float&gt;, Span&lt;float&gt;)</c>.</summary>
    public string Display(string typeName) => IsCallable
        ? (Kind == MemberKind.Constructor ? typeName : Name) + "(" + string.Join(", ", Parameters.Select(GeneratedMembers.Short)) + ")"
        : Name;
}

/// <summary>
/// The one list of the members NetGen generates into a network type, per kind of network (trainable or frozen, dense or
/// sequence, with or without compiled-in weights and standardizer) and per plan (a recurrent layer's private methods).
/// The parser records the user's members with these names (<see cref="MayBeGenerated"/>), and
/// <see cref="Validation.MemberConflicts"/> reports those that would not compile beside the generated ones.
/// </summary>
/// <remarks>
/// The emitters write the members as text; <c>GeneratedMembersTests</c> compiles their output for networks of every kind
/// and requires the members it declares to be exactly <see cref="Of"/>'s (names, kinds, parameter types), so this list
/// cannot drift from what is emitted. Parameter types are spelled as Roslyn's fully qualified format spells them
/// (<c>global::System.Span&lt;float&gt;</c>, <c>int</c>, <c>bool</c>), with <c>ref </c> before a by-reference parameter of any
/// kind (C# does not overload on <c>ref</c> against <c>in</c> or <c>out</c>), and the generated nested type
/// <c>State</c> as <c>State</c>.
/// </remarks>
internal static class GeneratedMembers
{
    public const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    public const string Span = "global::System.Span<float>";
    public const string IntSpan = "global::System.Span<int>";
    public const string Constructor = ".ctor";

    /// <summary>
    /// Contextual keywords the generated code uses with their keyword meaning (<c>var x = ...</c>, <c>nuint u</c>,
    /// <c>nameof(input)</c>), which a member of the network type with that name would change: a nested type named
    /// <c>var</c> or <c>nuint</c>, or any member named <c>nameof</c>. Reserved for every network (the emitters use them in
    /// most code shapes); <c>GeneratedMembersTests</c> checks that the emitted code uses no other.
    /// </summary>
    public static readonly IReadOnlyList<string> ContextualKeywords = new[] { "var", "nuint", "nameof" };

    private static readonly Regex RecurrentMethodName = new("^NetGenLayer[1-9][0-9]*(Input|Hidden)?$", RegexOptions.CultureInvariant);

    /// <summary>Every name any network may get, but the per-layer methods (<see cref="RecurrentMethodName"/>): the parser's cheap filter.</summary>
    private static readonly HashSet<string> AnyNetwork = new(
        (from sequence in new[] { false, true }
         from frozen in new[] { false, true }
         from weights in new[] { false, true }
         from member in Members(sequence, frozen, weights, hasStandardizer: weights, CodeTarget.Modern)
         select member.Name)
        .Concat(new[] { "NetGenColumns", "NetGenForwardBatch" })
        .Concat(ContextualKeywords),
        System.StringComparer.Ordinal);

    /// <summary>Whether some network may get a member named <paramref name="name"/> (or, for a constructor, <see cref="Constructor"/>).</summary>
    public static bool MayBeGenerated(string name) => AnyNetwork.Contains(name) || RecurrentMethodName.IsMatch(name);

    /// <summary>The members the emitters write for <paramref name="plan"/>.</summary>
    public static IReadOnlyList<GeneratedMember> Of(NetworkPlan plan)
    {
        NetworkSpec network = plan.Network;
        IEnumerable<GeneratedMember> members = Members(network.IsSequence, network.IsFrozen, network.Weights is not null, network.Weights is { HasStandardizer: true }, network.Target);
        members = members.Concat(BatchMethods(plan));
        return (network.IsSequence ? members.Concat(RecurrentMethods(plan)) : members).ToList();
    }

    /// <summary>The blocked batch pass's private method, when the plan runs batches in blocks (BatchEmitter).</summary>
    private static IEnumerable<GeneratedMember> BatchMethods(NetworkPlan plan)
    {
        if (plan.BatchBlock > 0)
        {
            yield return plan.Network.IsSequence
                ? Callable("NetGenForwardBatch", MemberKind.Method, ReadOnlySpan, Span, "int", "int")
                : Callable("NetGenForwardBatch", MemberKind.Method, ReadOnlySpan, Span, "int");
        }
    }

    /// <summary>A parameter type without <c>global::System.</c>, for messages.</summary>
    public static string Short(string parameter) => parameter.Replace("global::System.", string.Empty);

    /// <summary>
    /// The members that depend on the kind of network and the code target only (the portable code has the same names:
    /// its buffers are arrays, and its compiled-in bits are fields, where the modern code has an inline buffer type and
    /// properties).
    /// </summary>
    private static IEnumerable<GeneratedMember> Members(bool sequence, bool frozen, bool hasWeights, bool hasStandardizer, CodeTarget target)
    {
        // NetworkEmitter.WriteConstants, SequenceEmitter.WriteConstants, and the explicit INetwork implementations.
        foreach (string constant in new[] { "InputCount", "OutputCount", "ParameterCount", "Architecture", "LossFunction" })
        {
            yield return Other(constant, MemberKind.Constant);
            if (!frozen)
            {
                yield return Other("NetGen.INetwork." + constant, MemberKind.ExplicitImplementation);
            }
        }

        if (sequence)
        {
            yield return Other("MaxSteps", MemberKind.Constant);
            yield return Other("StateLength", MemberKind.Constant);
            if (!frozen)
            {
                yield return Other("WorkspaceFloatsPerStep", MemberKind.Constant);
            }
        }

        if (!frozen && (sequence || !target.StaticInterfaceMembers))
        {
            yield return Other("NetGen.INetwork.MaxSteps", MemberKind.ExplicitImplementation);
        }

        // NetworkEmitter.WriteStorage and WriteConstructors (trainable), WriteCompiledWeights and WriteStandardizer.
        if (frozen)
        {
            yield return Other("Parameters", MemberKind.Property);
        }
        else
        {
            if (!target.Portable)
            {
                yield return Other("NetGenBuffer", MemberKind.Type);
            }

            yield return Other("_netGenParameters", MemberKind.Field);
            yield return Other("_netGenGradients", MemberKind.Field);
            yield return Other("Parameters", MemberKind.Property);
            yield return Other("Gradients", MemberKind.Property);
            yield return Callable(Constructor, MemberKind.Constructor);
            yield return Callable(Constructor, MemberKind.Constructor, "int");
            if (hasWeights)
            {
                yield return Other("InitialParameters", MemberKind.Property);
            }
        }

        if (hasWeights)
        {
            yield return Other("NetGenWeightBits", target.Portable ? MemberKind.Field : MemberKind.Property);
        }

        if (hasStandardizer)
        {
            yield return Other("InputStandardizer", MemberKind.Property);
            yield return Other("NetGenStandardizerBits", target.Portable ? MemberKind.Field : MemberKind.Property);
        }

        // Forward, Backward (NetworkEmitter, or SequenceEmitter.WriteInference and WriteBackward), ZeroGradients, Predict.
        yield return Callable("Forward", MemberKind.Method, ReadOnlySpan, Span);
        if (!frozen)
        {
            yield return Callable("Backward", MemberKind.Method, ReadOnlySpan, ReadOnlySpan);
            yield return Callable("ZeroGradients", MemberKind.Method);
        }

        yield return Callable("Predict", MemberKind.Method, ReadOnlySpan);

        // Design §1c's batch members (BatchEmitter).
        yield return Callable("ForwardBatch", MemberKind.Method, ReadOnlySpan, Span);
        yield return Callable("PredictBatch", MemberKind.Method, ReadOnlySpan, IntSpan);
        if (!frozen)
        {
            yield return Callable("BackwardBatch", MemberKind.Method, ReadOnlySpan, ReadOnlySpan);
        }

        if (!sequence)
        {
            yield break;
        }

        // SequenceEmitter.WriteInference and WritePrivateMembers.
        yield return Other("State", MemberKind.Type);
        yield return Other("NetGenStateBuffer", MemberKind.Type);
        yield return Callable("Step", MemberKind.Method, "ref State", ReadOnlySpan, Span);
        yield return Callable("NetGenStep", MemberKind.Method, ReadOnlySpan, ReadOnlySpan, ReadOnlySpan, Span, Span, Span, "bool");
        yield return Callable("NetGenHead", MemberKind.Method, ReadOnlySpan, ReadOnlySpan, Span);
        if (!frozen)
        {
            yield return Other("_netGenWorkspace", MemberKind.Field);
            yield return Callable("NetGenWorkspace", MemberKind.Method, "int");
        }
    }

    /// <summary>A sequence network's private methods that depend on its plan (SequenceEmitter, RecurrentEmitter.EmitStepMethod).</summary>
    private static IEnumerable<GeneratedMember> RecurrentMethods(NetworkPlan plan)
    {
        if (plan.ColumnsLength > 0)
        {
            yield return Callable("NetGenColumns", MemberKind.Method, ReadOnlySpan, Span);
        }

        foreach (LayerPlan layer in plan.RecurrentLayers)
        {
            string name = "NetGenLayer" + layer.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return layer.Layer.Kind == LayerKind.Lstm
                ? Callable(name, MemberKind.Method, ReadOnlySpan, ReadOnlySpan, ReadOnlySpan, ReadOnlySpan, ReadOnlySpan, Span, Span, Span, Span, "bool")
                : Callable(name, MemberKind.Method, ReadOnlySpan, ReadOnlySpan, ReadOnlySpan, ReadOnlySpan, Span, Span, Span, "bool");
            if (!layer.Recurrent!.InputByColumns)
            {
                yield return Callable(name + "Input", MemberKind.Method, ReadOnlySpan, ReadOnlySpan, Span);
            }

            yield return layer.Recurrent.HiddenProduct.Shape == LayerShape.UnrolledSimd
                ? Callable(name + "Hidden", MemberKind.Method, ReadOnlySpan, ReadOnlySpan, Span, "bool")
                : Callable(name + "Hidden", MemberKind.Method, ReadOnlySpan, ReadOnlySpan, Span);
        }
    }

    private static GeneratedMember Other(string name, MemberKind kind) => new(name, kind, EquatableArray<string>.Empty);

    private static GeneratedMember Callable(string name, MemberKind kind, params string[] parameters) => new(name, kind, parameters.ToEquatableArray());
}
