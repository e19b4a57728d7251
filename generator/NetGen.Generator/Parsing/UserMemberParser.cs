using System.Linq;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Emitting;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Reads the members of a network type that could conflict with generated ones (NG0025) into plain data: its own
/// members, primary constructor and name, and what it inherits, when they bear a name NetGen may generate.
/// </summary>
internal static class UserMemberParser
{
    /// <summary>How NG0025 shows a user's member: name, and a method's parameter types, e.g. <c>Forward(ReadOnlySpan&lt;float&gt;, Span&lt;float&gt;)</c>.</summary>
    private static readonly SymbolDisplayFormat MemberFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameOnly,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeExplicitInterface,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeParamsRefOut,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    /// <summary>
    /// The type's own members, primary constructor and name, and the members it inherits from base classes, that bear a
    /// name NetGen may generate (<see cref="GeneratedMembers.MayBeGenerated"/>): whether they conflict depends on the
    /// planned network, so <see cref="Validation.MemberConflicts"/> decides after planning. Usually none.
    /// </summary>
    public static EquatableArray<UserMember> Parse(INamedTypeSymbol type, TypeDeclarationSyntax declaration, Compilation compilation, CancellationToken cancellationToken)
    {
        var members = new List<UserMember>();
        if (GeneratedMembers.MayBeGenerated(type.Name))
        {
            members.Add(new UserMember(type.Name, MemberKind.TypeName, EquatableArray<string>.Empty, 0, type.Name, null, declaration.SyntaxTree, declaration.Identifier.Span));
        }

        foreach (ISymbol member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor)
            {
                if (constructor.IsImplicitlyDeclared || constructor.IsStatic)
                {
                    continue; // a default constructor, or a record's copy constructor
                }

                // A primary constructor is declared by the type declaration itself (its parameter list).
                TypeDeclarationSyntax? primary = constructor.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().FirstOrDefault();
                if (primary is not null)
                {
                    SyntaxNode site = primary.ChildNodes().OfType<ParameterListSyntax>().FirstOrDefault() ?? (SyntaxNode)primary;
                    TextSpan span = site == primary ? primary.Identifier.Span : site.Span;
                    members.Add(new UserMember(GeneratedMembers.Constructor, MemberKind.PrimaryConstructor, Parameters(constructor, cancellationToken), 0, constructor.ToDisplayString(MemberFormat), null, primary.SyntaxTree, span));
                    continue;
                }
            }

            if (Describe(member, cancellationToken) is { } described && GeneratedMembers.MayBeGenerated(described.Name))
            {
                Location location = member.Locations.FirstOrDefault(l => l.IsInSource) ?? declaration.Identifier.GetLocation();
                members.Add(described with { Tree = location.SourceTree, Span = location.SourceSpan });
            }
        }

        // Members of base classes that a generated member would hide: reported at the base class in the base list.
        SyntaxNode baseSite = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>()
            .Select(d => (SyntaxNode?)d.BaseList?.Types.FirstOrDefault()).FirstOrDefault(t => t is not null) ?? declaration;
        TextSpan baseSpan = baseSite == declaration ? declaration.Identifier.Span : baseSite.Span;
        if (type.BaseType is { SpecialType: not SpecialType.System_Object } direct && direct.TypeKind == TypeKind.Class)
        {
            // Generated constructors call the base class's constructor without arguments (base()): it must exist, be
            // accessible, and be the only one that applies.
            int applicable = direct.InstanceConstructors.Count(c => compilation.IsSymbolAccessibleWithin(c, type)
                && c.Parameters.All(p => p.IsOptional || p.IsParams));
            bool parameterless = direct.InstanceConstructors.Count(c => c.Parameters.Length == 0 && compilation.IsSymbolAccessibleWithin(c, type)) == 1;
            if (!parameterless && applicable != 1)
            {
                members.Add(new UserMember(GeneratedMembers.Constructor, MemberKind.BaseWithoutDefaultConstructor, EquatableArray<string>.Empty, 0, direct.ToDisplayString(MemberFormat), direct.ToDisplayString(MemberFormat), baseSite.SyntaxTree, baseSpan));
            }
        }

        for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
        {
            foreach (ISymbol member in baseType.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor }
                    || member.IsImplicitlyDeclared
                    || !GeneratedMembers.MayBeGenerated(member.Name)
                    || !compilation.IsSymbolAccessibleWithin(member, type))
                {
                    continue; // (explicit implementations are not inherited as members, so their names need no care here)
                }

                if (Describe(member, cancellationToken) is { } described)
                {
                    members.Add(described with { InheritedFrom = baseType.ToDisplayString(MemberFormat), Tree = baseSite.SyntaxTree, Span = baseSpan });
                }
            }
        }

        return members.ToEquatableArray();
    }

    /// <summary>
    /// A member with its kind and, for a method or constructor, its signature (no location yet); null for kinds that
    /// cannot conflict (operators, ...). Also how <c>GeneratedMembersTests</c> reads the members of emitted code.
    /// </summary>
    internal static UserMember? Describe(ISymbol member, CancellationToken cancellationToken)
    {
        MemberKind kind;
        EquatableArray<string> parameters = EquatableArray<string>.Empty;
        int arity = 0;
        switch (member)
        {
            case IFieldSymbol field:
                kind = field.IsConst ? MemberKind.Constant : MemberKind.Field;
                break;
            case IPropertySymbol property:
                kind = property.ExplicitInterfaceImplementations.Length > 0 ? MemberKind.ExplicitImplementation : MemberKind.Property;
                break;
            case IEventSymbol @event:
                kind = @event.ExplicitInterfaceImplementations.Length > 0 ? MemberKind.ExplicitImplementation : MemberKind.Event;
                break;
            case INamedTypeSymbol:
                kind = MemberKind.Type;
                break;
            case IMethodSymbol { MethodKind: MethodKind.ExplicitInterfaceImplementation }:
                kind = MemberKind.ExplicitImplementation;
                break;
            case IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.Constructor } method:
                kind = method.MethodKind == MethodKind.Constructor ? MemberKind.Constructor : MemberKind.Method;
                parameters = Parameters(method, cancellationToken);
                arity = method.Arity;
                break;
            default:
                return null; // operators, conversions, accessors, destructors: never named like a generated member
        }

        // An explicit implementation's own name spells the interface as its declaration does (INetwork.X, global::...):
        // name it by the interface member it implements instead.
        ISymbol? implemented = member switch
        {
            IPropertySymbol property => property.ExplicitInterfaceImplementations.FirstOrDefault(),
            IEventSymbol @event => @event.ExplicitInterfaceImplementations.FirstOrDefault(),
            IMethodSymbol method => method.ExplicitInterfaceImplementations.FirstOrDefault(),
            _ => null,
        };
        string name = kind == MemberKind.ExplicitImplementation && implemented is not null
            ? implemented.ContainingType.ToDisplayString() + "." + implemented.Name
            : member.Name;
        return new UserMember(name, kind, parameters, arity, member.ToDisplayString(MemberFormat), null, null, default);
    }

    /// <summary>
    /// A method's parameter types as <see cref="GeneratedMembers"/> spells them: fully qualified, <c>ref </c> before any
    /// by-reference parameter, and <c>State</c> for a type written as the simple name <c>State</c>, which in the
    /// generated type binds to the generated nested <c>State</c> (or cannot be found yet, before generation).
    /// </summary>
    private static EquatableArray<string> Parameters(IMethodSymbol method, CancellationToken cancellationToken)
        => method.Parameters.Select(parameter =>
        {
            bool simpleState = parameter.Type is IErrorTypeSymbol { Name: "State" }
                || parameter.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<ParameterSyntax>().Any(p => p.Type is IdentifierNameSyntax { Identifier.ValueText: "State" });
            string type = simpleState ? "State" : parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            return (parameter.RefKind == RefKind.None ? string.Empty : "ref ") + type;
        }).ToEquatableArray();
}
