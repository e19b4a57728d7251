#if !NET8_0_OR_GREATER
// The few runtime types and helpers the library's shared code uses that netstandard2.1 (Unity, Mono) lacks: attributes
// the compiler recognises by name (init accessors, [CallerArgumentExpression], the trimming annotations, which mean
// nothing there) and the argument checks of .NET 8 as static extension members of the exception types, so that calls
// such as ArgumentNullException.ThrowIfNull(x) compile unchanged. Internal, compiled into the netstandard2.1 build only.
using System;
using System.Runtime.CompilerServices;

namespace System.Runtime.CompilerServices
{
    /// <summary>Lets the compiler emit <c>init</c> accessors (records, init-only properties).</summary>
    internal static class IsExternalInit
    {
    }

    /// <summary>The compiler passes the text of the argument named by the constructor's parameter.</summary>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    internal sealed class CallerArgumentExpressionAttribute : Attribute
    {
        /// <summary>Names the parameter whose argument's text is passed.</summary>
        public CallerArgumentExpressionAttribute(string parameterName) => ParameterName = parameterName;

        /// <summary>The parameter whose argument's text is passed.</summary>
        public string ParameterName { get; }
    }
}

namespace System.Diagnostics.CodeAnalysis
{
    /// <summary>The trimming annotation of .NET 5 and later; no effect in the netstandard2.1 build.</summary>
    [AttributeUsage(AttributeTargets.All, Inherited = false)]
    internal sealed class DynamicallyAccessedMembersAttribute : Attribute
    {
        /// <summary>Names the members kept.</summary>
        public DynamicallyAccessedMembersAttribute(DynamicallyAccessedMemberTypes memberTypes) => MemberTypes = memberTypes;

        /// <summary>The members kept.</summary>
        public DynamicallyAccessedMemberTypes MemberTypes { get; }
    }

    /// <summary>The kinds of members of <see cref="DynamicallyAccessedMembersAttribute"/>.</summary>
    [Flags]
    internal enum DynamicallyAccessedMemberTypes
    {
        /// <summary>None.</summary>
        None = 0,

        /// <summary>The public parameterless constructor.</summary>
        PublicParameterlessConstructor = 1,

        /// <summary>The public constructors.</summary>
        PublicConstructors = 3,

        /// <summary>The non-public constructors.</summary>
        NonPublicConstructors = 4,

        /// <summary>The public methods.</summary>
        PublicMethods = 8,

        /// <summary>The public properties.</summary>
        PublicProperties = 512,

        /// <summary>Every member.</summary>
        All = -1,
    }
}

namespace NetGen
{
    /// <summary>The argument checks of .NET 8 (<c>ThrowIfNull</c>, <c>ThrowIfNegative</c>, ...) for the netstandard2.1 build.</summary>
    internal static class ArgumentCheckPolyfills
    {
        extension(ArgumentNullException)
        {
            /// <summary>Throws <see cref="ArgumentNullException"/> if <paramref name="argument"/> is null.</summary>
            public static void ThrowIfNull(object? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
            {
                if (argument is null)
                {
                    throw new ArgumentNullException(paramName);
                }
            }
        }

        extension(ArgumentException)
        {
            /// <summary>Throws if <paramref name="argument"/> is null or empty.</summary>
            public static void ThrowIfNullOrEmpty(string? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
            {
                if (argument is null)
                {
                    throw new ArgumentNullException(paramName);
                }

                if (argument.Length == 0)
                {
                    throw new ArgumentException("The value cannot be an empty string.", paramName);
                }
            }
        }

        extension(ArgumentOutOfRangeException)
        {
            /// <summary>Throws if <paramref name="value"/> is negative.</summary>
            public static void ThrowIfNegative(int value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
            {
                if (value < 0)
                {
                    throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} ('{value}') must be a non-negative value.");
                }
            }

            /// <summary>Throws if <paramref name="value"/> is negative or zero.</summary>
            public static void ThrowIfNegativeOrZero(int value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
            {
                if (value <= 0)
                {
                    throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} ('{value}') must be a non-negative and non-zero value.");
                }
            }

            /// <summary>Throws if <paramref name="value"/> is less than <paramref name="other"/>.</summary>
            public static void ThrowIfLessThan(int value, int other, [CallerArgumentExpression(nameof(value))] string? paramName = null)
            {
                if (value < other)
                {
                    throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} ('{value}') must be greater than or equal to '{other}'.");
                }
            }

            /// <summary>Throws if <paramref name="value"/> is greater than or equal to <paramref name="other"/>.</summary>
            public static void ThrowIfGreaterThanOrEqual(int value, int other, [CallerArgumentExpression(nameof(value))] string? paramName = null)
            {
                if (value >= other)
                {
                    throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} ('{value}') must be less than '{other}'.");
                }
            }
        }
    }
}
#endif
