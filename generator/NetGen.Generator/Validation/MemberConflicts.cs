using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emitting;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Validation;

/// <summary>
/// The user's members that would not compile beside the members generated for a planned network (NG0025): without
/// this check they would surface as CS0102, CS0111, CS0542 or CS8862 inside the generated file, or change what its
/// code means. A network with a conflict gets the diagnostic, at the user's member, and no generated file.
/// </summary>
/// <remarks>
/// C#'s rules, for a generated member <c>G</c> and a member <c>U</c> of the type with the same name:
/// <list type="bullet">
/// <item>two methods (or constructors) conflict only when their signatures are the same: the same parameter types, each
/// by value or by reference alike (CS0111, or CS0663 for <c>ref</c> against <c>out</c>), and no type parameters.
/// Any other overload compiles, and the generated code's own calls still bind to the generated method (its parameter
/// types are exactly the arguments'; a generic, optional-parameter, <c>params</c> or <c>in</c> overload loses the
/// tie-break), so it is no conflict;</item>
/// <item>anything else with the same name conflicts (CS0102): a field, property, constant, event or nested type, or a
/// method named like a generated non-method, or the other way round;</item>
/// <item>a member inherited from a base class conflicts by the same rules: the generated member would hide it (CS0108,
/// CS0114: warnings in the generated file, errors under <c>TreatWarningsAsErrors</c>);</item>
/// <item>no member may have its type's name (CS0542), so a network named like a generated member conflicts;</item>
/// <item>a primary constructor conflicts with the generated constructors of a trainable network, which do not call it
/// (CS8862); so does a base class without a single accessible constructor that takes no arguments, which they call
/// (CS7036, CS0122, CS0121);</item>
/// <item>a nested type named <c>var</c> or <c>nuint</c>, or any member named <c>nameof</c>, changes the meaning of the
/// generated code (<see cref="GeneratedMembers.ContextualKeywords"/>).</item>
/// </list>
/// </remarks>
internal static class MemberConflicts
{
    /// <summary>The plan, or null and the diagnostics when a member of the user's type conflicts with a generated one.</summary>
    public static Result<NetworkPlan> Check(NetworkPlan plan)
    {
        TypeSpec type = plan.Network.Type;
        if (type.Members.Count == 0)
        {
            return new Result<NetworkPlan>(plan, EquatableArray<DiagnosticInfo>.Empty);
        }

        try
        {
            var diagnostics = new List<DiagnosticInfo>();
            IReadOnlyList<GeneratedMember> generated = GeneratedMembers.Of(plan);
            foreach (UserMember member in type.Members)
            {
                if (Problem(member, generated, type.Name) is { } problem)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberConflict, member.Tree, member.Span, type.Name, problem));
                }
            }

            return new Result<NetworkPlan>(diagnostics.Count == 0 ? plan : null, diagnostics.ToEquatableArray());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Never throw (CS8785 would hide every network): report it on the first member that was to be checked.
            UserMember first = type.Members[0];
            return new Result<NetworkPlan>(null, new[] { DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, first.Tree, first.Span, type.Name, exception.GetType().Name + ": " + exception.Message) }.ToEquatableArray());
        }
    }

    /// <summary>The rest of NG0025's message for <paramref name="member"/> (after "Network 'X' "), or null when it compiles beside <paramref name="generated"/>.</summary>
    private static string? Problem(UserMember member, IReadOnlyList<GeneratedMember> generated, string typeName)
    {
        switch (member.Kind)
        {
            case MemberKind.TypeName:
                GeneratedMember? named = generated.FirstOrDefault(g => g.Name == member.Name && g.Kind is not (MemberKind.Constructor or MemberKind.ExplicitImplementation));
                return named is null
                    ? null
                    : $"has the name of the {Describe(named.Kind)} '{named.Display(typeName)}' that NetGen generates for it, and a member cannot have its type's name; rename the type";

            case MemberKind.BaseWithoutDefaultConstructor:
                GeneratedMember[] calling = generated.Where(g => g.Kind == MemberKind.Constructor).ToArray();
                return calling.Length == 0
                    ? null
                    : $"derives from '{member.InheritedFrom}', which has no single accessible constructor without arguments for the constructors NetGen generates ({string.Join(", ", calling.Select(c => "'" + c.Display(typeName) + "'"))}) to call; give '{member.InheritedFrom}' one";

            case MemberKind.PrimaryConstructor:
                GeneratedMember[] constructors = generated.Where(g => g.Kind == MemberKind.Constructor).ToArray();
                return constructors.Length == 0
                    ? null
                    : $"has a primary constructor, which the constructors NetGen generates for it ({string.Join(", ", constructors.Select(c => "'" + c.Display(typeName) + "'"))}) would have to call; remove the parameter list, the generated constructors set up the network";
        }

        if (member.Kind != MemberKind.Constructor && GeneratedMembers.ContextualKeywords.Contains(member.Name)
            && (member.Name == "nameof" || member.Kind == MemberKind.Type))
        {
            return member.InheritedFrom is null
                ? $"declares the {Describe(member.Kind)} '{member.Display}', which changes the meaning of '{member.Name}' in the code NetGen generates for it; rename it"
                : $"inherits the {Describe(member.Kind)} '{member.Display}' from '{member.InheritedFrom}', which changes the meaning of '{member.Name}' in the code NetGen generates for it; rename it in '{member.InheritedFrom}'";
        }

        GeneratedMember? conflict = generated.FirstOrDefault(g => Conflicts(g, member));
        if (conflict is null)
        {
            return null;
        }

        string mine = $"the {Describe(member.Kind)} '{member.Display}'";
        string theirs = $"the {Describe(conflict.Kind)} '{conflict.Display(typeName)}'";
        if (member.InheritedFrom is { } baseType)
        {
            return $"inherits {mine} from '{baseType}', which {theirs} that NetGen generates for it would hide; rename or remove it in '{baseType}'";
        }

        return conflict.Kind == member.Kind && (conflict.IsCallable || conflict.Kind == MemberKind.ExplicitImplementation)
            ? $"declares {mine}, which NetGen generates for it too; rename or remove yours"
            : $"declares {mine}, and NetGen generates {theirs} for it; rename or remove yours";
    }

    /// <summary>Whether <paramref name="member"/> cannot be a member of the same type as <paramref name="generated"/> (see the remarks).</summary>
    private static bool Conflicts(GeneratedMember generated, UserMember member)
    {
        if (generated.Kind == MemberKind.Constructor || member.Kind == MemberKind.Constructor)
        {
            return generated.Kind == member.Kind && member.InheritedFrom is null && generated.Parameters.Equals(member.Parameters);
        }

        if (generated.Name != member.Name)
        {
            return false;
        }

        return !(generated.IsCallable && member.IsCallable) || (member.Arity == 0 && generated.Parameters.Equals(member.Parameters));
    }

    private static string Describe(MemberKind kind) => kind switch
    {
        MemberKind.Constant => "constant",
        MemberKind.Field => "field",
        MemberKind.Property => "property",
        MemberKind.Event => "event",
        MemberKind.Method => "method",
        MemberKind.Constructor => "constructor",
        MemberKind.Type => "nested type",
        MemberKind.ExplicitImplementation => "explicit interface implementation",
        _ => "member",
    };
}
