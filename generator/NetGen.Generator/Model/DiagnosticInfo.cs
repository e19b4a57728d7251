using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Model;

/// <summary>
/// A diagnostic waiting to be reported, comparable by value. It keeps the syntax tree and span rather than a
/// <see cref="Location"/>, and rebuilds a real source location when reported, so that <c>#pragma warning disable</c>
/// and editorconfig severities apply (CommunityToolkit.Mvvm's pattern).
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, SyntaxTree? SyntaxTree, TextSpan Span, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SyntaxNode? node, params object[] arguments)
        => Create(descriptor, node?.SyntaxTree, node?.Span ?? default, arguments);

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SyntaxTree? tree, TextSpan span, params object[] arguments)
        => new(descriptor, tree, span, arguments.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty).ToEquatableArray());

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SyntaxToken token, params object[] arguments)
        => Create(descriptor, token.Parent, arguments) with { Span = token.Span };

    public Diagnostic ToDiagnostic()
        => Diagnostic.Create(Descriptor, SyntaxTree is null ? Location.None : Location.Create(SyntaxTree, Span), Arguments.Cast<object>().ToArray());
}

/// <summary>A parse result: the model (null when nothing should be generated) and the diagnostics beside it.</summary>
internal sealed record Result<T>(T? Value, EquatableArray<DiagnosticInfo> Diagnostics)
    where T : class;
