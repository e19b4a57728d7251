using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Generator.Emitting;

/// <summary>Names from the model as they must be written in C#: a reserved keyword used as a name gets its <c>@</c> back.</summary>
internal static class CSharpNames
{
    /// <summary><paramref name="name"/>, or <c>@name</c> when it is a reserved keyword (<c>class</c>, <c>event</c>, ...).</summary>
    public static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

    /// <summary>A dotted namespace name with each of its names written as an identifier.</summary>
    public static string Namespace(string dotted) => string.Join(".", dotted.Split('.').Select(Identifier));

    /// <summary>A containing type as the model keeps it, <c>keyword name</c>, with its name written as an identifier.</summary>
    public static string ContainingType(string keywordAndName)
    {
        int space = keywordAndName.LastIndexOf(' ');
        return keywordAndName.Substring(0, space + 1) + Identifier(keywordAndName.Substring(space + 1));
    }
}
