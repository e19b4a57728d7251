using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Model;

/// <summary>What kind of member a generated or a user's member is, as far as C#'s rules on member names care.</summary>
internal enum MemberKind
{
    Constant,
    Field,
    Property,
    Event,
    Method,
    Constructor,

    /// <summary>A nested type.</summary>
    Type,

    /// <summary>An explicit interface implementation, named by the interface (<c>NetGen.INetwork.InputCount</c>).</summary>
    ExplicitImplementation,

    /// <summary>A primary constructor (<c>partial class Net(int seed)</c>, <c>partial record Net(...)</c>).</summary>
    PrimaryConstructor,

    /// <summary>The network type's own name, which no member of it may have (CS0542).</summary>
    TypeName,

    /// <summary>
    /// A base class without exactly one accessible constructor that takes no arguments, which generated constructors
    /// call implicitly (CS7036, CS0122, CS0121).
    /// </summary>
    BaseWithoutDefaultConstructor,
}

/// <summary>
/// A member of the user's network type (declared on any of its partial declarations, or inherited from a base class)
/// whose name is one that NetGen may generate: the parser records these, and <c>MemberConflicts</c> compares them with
/// the members the planned network gets. Plain data with the location as tree and span, like <see cref="DiagnosticInfo"/>.
/// </summary>
/// <param name="Name">The member's name (for an explicit implementation, the interface's full name, a dot, the member's name).</param>
/// <param name="Kind">The kind of member.</param>
/// <param name="Parameters">
/// For a method or constructor, its parameters' types as <see cref="Emitting.GeneratedMembers"/> spells them
/// (<c>global::System.ReadOnlySpan&lt;float&gt;</c>, <c>int</c>, <c>ref State</c>); empty otherwise.
/// </param>
/// <param name="Arity">A method's number of type parameters (a generic method never has a generated one's signature).</param>
/// <param name="Display">The member as messages show it, e.g. <c>Forward(ReadOnlySpan&lt;float&gt;, Span&lt;float&gt;)</c>.</param>
/// <param name="InheritedFrom">The base class it is inherited from, or null for the type's own member.</param>
/// <param name="Tree">Where to report a conflict: the member's name, the primary constructor's parameter list, the base class.</param>
/// <param name="Span">The span in <paramref name="Tree"/>.</param>
internal sealed record UserMember(
    string Name,
    MemberKind Kind,
    EquatableArray<string> Parameters,
    int Arity,
    string Display,
    string? InheritedFrom,
    SyntaxTree? Tree,
    TextSpan Span)
{
    /// <summary>A method or constructor: overloads by its parameter types.</summary>
    public bool IsCallable => Kind is MemberKind.Method or MemberKind.Constructor;
}
