#if !NET8_0_OR_GREATER
// The few runtime types and helpers the library's shared code uses that netstandard2.1 (Unity, Mono) lacks: attributes
// the compiler recognises by name (init accessors, [CallerArgumentExpression], the trimming annotations, which mean
// nothing there) and the argument checks of .NET 8 as static extension members of the exception types, so that calls
// such as ArgumentNullException.ThrowIfNull(x) compile unchanged. Internal, compiled into the netstandard2.1 build only.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;

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
            public static void ThrowIfNull([System.Diagnostics.CodeAnalysis.NotNull] object? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
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

    /// <summary>The .NET 8 members of other BCL types that the library uses, for the netstandard2.1 build.</summary>
    internal static class BclPolyfills
    {
        extension(Array)
        {
            /// <summary>The largest number of elements an array may hold (.NET's <c>Array.MaxLength</c>).</summary>
            public static int MaxLength => 0x7FFFFFC7;

            /// <summary>Sets every element of <paramref name="array"/> to its default value.</summary>
            public static void Clear(Array array) => Array.Clear(array, 0, array.Length);
        }

        extension(string)
        {
            /// <summary>Formats <paramref name="formattable"/> with <paramref name="provider"/>.</summary>
            public static string Create(IFormatProvider provider, FormattableString formattable) => formattable.ToString(provider);
        }

        extension(StringBuilder builder)
        {
            /// <summary>Appends <paramref name="formattable"/> formatted with <paramref name="provider"/>.</summary>
            public StringBuilder Append(IFormatProvider provider, FormattableString formattable) => builder.Append(formattable.ToString(provider));
        }

        extension(Enum)
        {
            /// <summary>Whether <paramref name="value"/> is a named constant of <typeparamref name="TEnum"/>.</summary>
            public static bool IsDefined<TEnum>(TEnum value)
                where TEnum : struct, Enum
                => Enum.IsDefined(typeof(TEnum), value);
        }

        extension(Stopwatch)
        {
            /// <summary>The time since the timestamp <paramref name="startingTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
            public static TimeSpan GetElapsedTime(long startingTimestamp)
                => TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - startingTimestamp) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        }

        extension(BinaryPrimitives)
        {
            /// <summary>Writes <paramref name="value"/> as 4 little-endian bytes.</summary>
            public static void WriteSingleLittleEndian(Span<byte> destination, float value)
                => BinaryPrimitives.WriteInt32LittleEndian(destination, BitConverter.SingleToInt32Bits(value));

            /// <summary>Reads 4 little-endian bytes as a float.</summary>
            public static float ReadSingleLittleEndian(ReadOnlySpan<byte> source)
                => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32LittleEndian(source));
        }

        extension(File)
        {
            /// <summary>Moves <paramref name="sourceFileName"/> to <paramref name="destFileName"/>, replacing it if <paramref name="overwrite"/>.</summary>
            public static void Move(string sourceFileName, string destFileName, bool overwrite)
            {
                if (overwrite && File.Exists(destFileName))
                {
                    File.Replace(sourceFileName, destFileName, destinationBackupFileName: null);
                }
                else
                {
                    File.Move(sourceFileName, destFileName);
                }
            }
        }

        extension(Stream stream)
        {
            /// <summary>Reads until <paramref name="minimumBytes"/> bytes are read or the stream ends; returns the bytes read.</summary>
            public int ReadAtLeast(Span<byte> buffer, int minimumBytes, bool throwOnEndOfStream = true)
            {
                int total = 0;
                while (total < minimumBytes)
                {
                    int read = stream.Read(buffer.Slice(total));
                    if (read == 0)
                    {
                        if (throwOnEndOfStream)
                        {
                            throw new EndOfStreamException();
                        }

                        break;
                    }

                    total += read;
                }

                return total;
            }
        }

        extension<T>(List<T> list)
        {
            /// <summary>Appends the elements of <paramref name="source"/>.</summary>
            public void AddRange(ReadOnlySpan<T> source)
            {
                list.Capacity = Math.Max(list.Capacity, list.Count + source.Length);
                foreach (T item in source)
                {
                    list.Add(item);
                }
            }
        }
    }
}
#endif
