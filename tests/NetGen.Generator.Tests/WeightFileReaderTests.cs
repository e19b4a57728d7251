extern alias runtime;

using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen.Generator.Model;
using NetGen.Generator.WeightFiles;
using NetGen.Shared;
using runtime::NetGen;
using runtime::NetGen.Data;
using runtime::NetGen.Serialization;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generator's reader of NetGen weight files (generator/NetGen.Generator/WeightFiles) over files written by the
/// runtime's <see cref="WeightFile"/> (through <see cref="StandIn"/>) and over hand-made files that follow
/// docs/weights-format.md byte for byte: round trips, the documented example, and a clean failure, never an exception,
/// for every truncation, every single-byte change, random damage and every inconsistency behind valid checksums.
/// </summary>
public class WeightFileReaderTests
{
    /// <summary>The 88-byte example of docs/weights-format.md: 1-1(Identity), weight 0.5, bias -0.25, standardizer mean 3, deviation 2.</summary>
    private const string DocumentedExample = """
        89 4E 47 57 0D 0A 1A 0A 01 00 01 00 58 00 00 00
        00 00 00 00 91 46 F0 66 1F 00 00 00 31 2D 31 28
        49 64 65 6E 74 69 74 79 29 2C 20 4D 65 61 6E 53
        71 75 61 72 65 64 45 72 72 6F 72 00 02 00 00 00
        00 00 00 3F 00 00 80 BE 01 00 00 00 00 00 40 40
        00 00 00 40 D9 FC 5B 09
        """;

    private const string Canonical = "(the canonical form is inputs-units(Activation)-..., Loss, e.g. \"4-8(ReLU)-3(Softmax), CrossEntropy\")";

    internal static byte[] Example => Convert.FromHexString(string.Concat(DocumentedExample.Where(Uri.IsHexDigit)));

    /// <summary>Architectures of every activation and loss, and of every padding length (0-3) after the text.</summary>
    public static TheoryData<string, bool> RoundTrips
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (string architecture in new[]
            {
                "1-1(Identity), MeanSquaredError",                                  // A = 31: 1 byte of padding
                "4-8(ReLU)-3(Softmax), CrossEntropy",                               // 34: 2
                "3-2(LeakyReLU)-1(Sigmoid), BinaryCrossEntropy",                    // 45: 3
                "2-4(Tanh)-3(LeakyReLU)-2(Step)-1(Identity), MeanSquaredError",     // 60: 0
                "5-2(Softmax)-3(ReLU), MeanSquaredError",                           // Softmax not last: the generator's concern
                "12-16(LeakyReLU)-10(Softmax), CrossEntropy",
                "10-1(Step), BinaryCrossEntropy",
            })
            {
                data.Add(architecture, false);
                data.Add(architecture, true);
            }

            return data;
        }
    }

    [Fact]
    public void DocumentedExampleDecodes()
    {
        byte[] file = Example;
        Assert.Equal(88, file.Length);

        ImportedNetwork result = Read(file);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(1, result.Inputs);
        Assert.Equal(new[] { new LayerSpec(1, 1, Activation.Identity) }, result.Layers.ToArray());
        Assert.Equal(new[] { 0.5f, -0.25f }, result.Parameters.ToArray());
        Assert.Equal(Loss.MeanSquaredError, result.Loss);
    }

    [Fact]
    public void TheTestsWritersAgreeWithTheDocumentAndTheRuntime()
    {
        // The hand-made files below are realistic: the test's writer of the documented layout gives the runtime's bytes.
        byte[] runtime = StandIn.Save("1-1(Identity), MeanSquaredError", 1, [0.5f, -0.25f], new Standardizer([3f], [2f]));
        Assert.Equal(Example, runtime);
        Assert.Equal(Example, Assemble(Body("1-1(Identity), MeanSquaredError", [0.5f, -0.25f], [3f], [2f]), flags: 1));

        float[] parameters = Parameters(67, seed: 3);
        Assert.Equal(
            StandIn.Save("4-8(ReLU)-3(Softmax), CrossEntropy", 4, parameters, null),
            Assemble(Body("4-8(ReLU)-3(Softmax), CrossEntropy", parameters)));
    }

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void FilesWrittenByTheRuntimeReadBackExactly(string architecture, bool withStandardizer)
    {
        Assert.True(TryParse(architecture, out int inputs, out EquatableArray<LayerSpec> layers, out Loss loss, out string? error), error);
        int count = layers.Sum(l => (int)l.ParameterCount);
        float[] parameters = Parameters(count, seed: architecture.Length);
        Standardizer? standardizer = withStandardizer
            ? new Standardizer(Enumerable.Range(0, inputs).Select(i => i - 1.5f).ToArray(), Enumerable.Range(0, inputs).Select(i => i + 0.25f).ToArray())
            : null;
        byte[] file = StandIn.Save(architecture, inputs, parameters, standardizer);

        ImportedNetwork result = Read(file);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(inputs, result.Inputs);
        Assert.Equal(layers, result.Layers);
        Assert.Equal(loss, result.Loss);
        Assert.Equal(Bits(parameters), Bits(result.Parameters.ToArray())); // bit for bit: -0, subnormals, extremes
        Assert.Equal(result, Read(file)); // compares by value, for the incremental pipeline's cache
        int previous = inputs;
        foreach (LayerSpec layer in result.Layers)
        {
            Assert.Equal(previous, layer.Inputs);
            previous = layer.Units;
        }
    }

    [Fact]
    public void RoundTripsCoverEveryActivationLossAndPadding()
    {
        var activations = new HashSet<Activation>();
        var losses = new HashSet<Loss>();
        var paddings = new HashSet<int>();
        foreach (object[] row in RoundTrips)
        {
            string architecture = (string)row[0];
            Assert.True(TryParse(architecture, out _, out EquatableArray<LayerSpec> layers, out Loss loss, out _));
            activations.UnionWith(layers.Select(l => l.Activation));
            losses.Add(loss);
            paddings.Add((4 - (Encoding.UTF8.GetByteCount(architecture) % 4)) % 4);
        }

        Assert.Equal(Enum.GetValues<Activation>().Length, activations.Count);
        Assert.Equal(Enum.GetValues<Loss>().Length, losses.Count);
        Assert.Equal(4, paddings.Count);
    }

    [Fact]
    public void IsWeightFileChecksTheMagicOrAPrefixOfIt()
    {
        byte[] file = Example;
        Assert.True(WeightFileReader.IsWeightFile(file));
        for (int length = 1; length <= 8; length++)
        {
            Assert.True(WeightFileReader.IsWeightFile(file[..length]), $"a prefix of {length} bytes of the magic");
        }

        Assert.False(WeightFileReader.IsWeightFile(null!));
        Assert.False(WeightFileReader.IsWeightFile([]));
        Assert.False(WeightFileReader.IsWeightFile([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])); // PNG
        Assert.False(WeightFileReader.IsWeightFile(Encoding.ASCII.GetBytes("\nNGW")));
        Assert.False(WeightFileReader.IsWeightFile([0x08, 0x07, 0x12, 0x0B])); // the start of an ONNX model
        byte[] damaged = Example;
        damaged[7] = 0x0D; // "\n" converted to "\r" in transit
        Assert.False(WeightFileReader.IsWeightFile(damaged));
    }

    [Fact]
    public void Crc32IsTheIeeeChecksumOfTheRuntime()
    {
        byte[] check = Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0xCBF43926u, Shared.Crc32.Compute(check));
        Assert.Equal(0u, Shared.Crc32.Compute(check.AsSpan(3, 0)));
        var random = new Random(11);
        for (int length = 0; length < 300; length += 7)
        {
            byte[] data = new byte[length + 5];
            random.NextBytes(data);
            Assert.Equal(runtime::NetGen.Serialization.Crc32.Compute(data.AsSpan(2, length)), Shared.Crc32.Compute(data.AsSpan(2, length)));
        }
    }

    [Fact]
    public void EmptyAndNullDataFail()
    {
        Assert.Equal("the file is empty", Read([]).Error);
        Assert.Equal("the file is empty", Read(null!).Error);
        Assert.Equal(
            "the file is not a NetGen weight file: it does not start with the magic bytes 89 4E 47 57 0D 0A 1A 0A",
            Read(Encoding.ASCII.GetBytes("w1,w2\n0.5,0.25\n")).Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryTruncationFailsAsTruncated(bool withStandardizer)
    {
        byte[] file = StandIn.Save("4-8(ReLU)-3(Softmax), CrossEntropy", 4, Parameters(67, seed: 1), withStandardizer ? new Standardizer([1f, 2, 3, 4], [1f, 2, 3, 4]) : null);
        for (int length = 0; length < file.Length; length++)
        {
            ImportedNetwork result = Read(file[..length]);

            Assert.False(result.Succeeded, $"a prefix of {length} of {file.Length} bytes was read");
            Assert.Equal(
                length == 0 ? "the file is empty"
                : length < 24 ? $"the file is truncated: it has {length} bytes, fewer than the 24-byte header"
                : $"the file is truncated: it has {length} bytes but its header declares {file.Length}",
                result.Error);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EverySingleByteChangeFailsAsNotAWeightFileOrCorrupt(bool withStandardizer)
    {
        byte[] file = withStandardizer ? Example : StandIn.Save("2-3(Tanh)-1(Sigmoid), BinaryCrossEntropy", 2, Parameters(13, seed: 2), null);
        Assert.True(Read(file).Succeeded);
        for (int offset = 0; offset < file.Length; offset++)
        {
            for (int value = 0; value < 256; value++)
            {
                if (value == file[offset])
                {
                    continue;
                }

                byte[] changed = (byte[])file.Clone();
                changed[offset] = (byte)value;

                ImportedNetwork result = Read(changed);

                Assert.False(result.Succeeded, $"byte {offset} changed to 0x{value:X2} was read");
                string expected = offset < 8 ? "the file is not a NetGen weight file: "
                    : offset < 24 ? "the file is corrupt: its header checksum is "
                    : "the file is corrupt: its checksum is ";
                Assert.StartsWith(expected, result.Error, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void RandomDamageNeverThrowsAndNeverReadsOtherData()
    {
        byte[] file = StandIn.Save("4-8(ReLU)-3(Softmax), CrossEntropy", 4, Parameters(67, seed: 4), new Standardizer([0f, 1, 2, 3], [1f, 1, 2, 2]));
        ImportedNetwork original = Read(file);
        Assert.True(original.Succeeded, original.Error);
        var random = new Random(20240611);
        int succeeded = 0;
        for (int trial = 0; trial < 20000; trial++)
        {
            byte[] damaged = Damage(file, random);
            bool reseal = trial % 2 == 1 && damaged.Length >= 28;
            if (reseal)
            {
                // Valid checksums and length over damaged contents: exercises the structural checks behind them.
                BinaryPrimitives.WriteUInt64LittleEndian(damaged.AsSpan(12), (ulong)damaged.Length);
                Reseal(damaged);
            }

            ImportedNetwork result = Read(damaged); // also asserts that no exception reached the safety net
            if (!result.Succeeded)
            {
                Assert.False(string.IsNullOrWhiteSpace(result.Error));
                continue;
            }

            succeeded++;
            if (!reseal)
            {
                Assert.Equal(file, damaged); // CRC-32: only an undamaged file is read
                Assert.Equal(original, result);
            }
            else
            {
                // Whatever was read is self-consistent.
                Assert.Equal(result.Layers.Sum(l => l.ParameterCount), result.Parameters.Count);
                Assert.All(result.Parameters, p => Assert.True(float.IsFinite(p)));
                Assert.True(result.Inputs > 0 && result.Layers.Count > 0 && result.Loss != null);
            }
        }

        Assert.InRange(succeeded, 1, 19999); // some resealed parameter changes are fine; most damage is not
    }

    [Theory]
    [InlineData(0x7FC00000u, 0, "NaN")]
    [InlineData(0xFFC00001u, 33, "NaN")]
    [InlineData(0x7F800000u, 66, "Infinity")]
    [InlineData(0xFF800000u, 40, "-Infinity")]
    public void NonFiniteParameterFailsNamingItsIndex(uint bits, int index, string value)
    {
        byte[] file = StandIn.Save("4-8(ReLU)-3(Softmax), CrossEntropy", 4, Parameters(67, seed: 5), null);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(ParametersOffset(file) + (4 * index)), bits);
        Reseal(file);

        Assert.Equal($"the file is not usable: parameter {index} of 67 is {value}", Read(file).Error);
    }

    [Theory]
    [InlineData("4-8(Swish)-3(Softmax), CrossEntropy", 4)]                       // unknown activation
    [InlineData("4-0(ReLU)-3(Softmax), CrossEntropy", 2)]                        // zero units
    [InlineData("0-8(ReLU)-3(Softmax), CrossEntropy", 0)]                        // zero inputs
    [InlineData("4-8(ReLU)-3(Softmax)", 20)]                                     // no loss
    [InlineData("4-8(ReLU)-3(Softmax), ", 22)]                                   // empty loss
    [InlineData("4-8(ReLU)-3(Softmax), Hinge", 22)]                              // unknown loss
    [InlineData("4-8(ReLU)-3(Softmax), CrossEntropy; more", 34)]                 // trailing garbage
    [InlineData("4", 1)]                                                         // no layer
    [InlineData("４-8(ReLU), CrossEntropy", 0)]                                  // a digit, but not ASCII
    [InlineData("4-8(ReLU)\n, CrossEntropy", 9)]
    // The runtime's NetworkArchitecture.Parse rejects these at the same positions (tests/NetGen.Onnx.Tests/ArchitectureParserTests.cs).
    [InlineData("", 0)]
    [InlineData("4-8(ReLU)", 9)]
    [InlineData("4-8(ReLU),CrossEntropy", 10)]
    [InlineData("4-8(ReLU),  CrossEntropy", 11)]
    [InlineData(" 4-8(ReLU), CrossEntropy", 0)]
    [InlineData("4-8(ReLU), CrossEntropy ", 23)]
    [InlineData("4-8(relu), CrossEntropy", 4)]
    [InlineData("4-8(Relu), CrossEntropy", 4)]
    [InlineData("4-8(4), CrossEntropy", 4)]
    [InlineData("4-8(ReLU), crossentropy", 11)]
    [InlineData("4-8(ReLU), 2", 11)]
    [InlineData("4-8, CrossEntropy", 3)]
    [InlineData("4-(ReLU), CrossEntropy", 2)]
    [InlineData("4-0(ReLU), CrossEntropy", 2)]
    [InlineData("4-08(ReLU), CrossEntropy", 2)]
    [InlineData("-4-8(ReLU), CrossEntropy", 0)]
    [InlineData("+4-8(ReLU), CrossEntropy", 0)]
    [InlineData("4-8(ReLU)--3(Softmax), CrossEntropy", 10)]
    [InlineData("4-8(ReLU)3(Softmax), CrossEntropy", 9)]
    [InlineData("4-8(ReLU-3(Softmax), CrossEntropy", 8)]
    [InlineData("4-99999999999(ReLU), CrossEntropy", 2)]
    [InlineData("4 - 8(ReLU), CrossEntropy", 1)]
    public void InvalidArchitectureTextFailsNamingThePosition(string text, int position)
    {
        Assert.False(TryParse(text, out int inputs, out EquatableArray<LayerSpec> layers, out Loss loss, out string? error));
        Assert.Contains($" at position {position}, found ", error, StringComparison.Ordinal);
        Assert.StartsWith("expected ", error, StringComparison.Ordinal);
        Assert.Equal((0, 0, Loss.MeanSquaredError), (inputs, layers.Count, loss));

        ImportedNetwork result = Read(StandIn.Save(text, 1, [], null));

        Assert.Equal($"the file's architecture text {ArchitectureText.Quote(text)} is invalid: {error} {Canonical}", result.Error);
    }

    [Fact]
    public void ArchitectureMessagesNameTheExpectedAndFoundCharacters()
    {
        Assert.Equal(
            "expected an activation name (one of Identity, Step, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax) at position 4, found 'R'",
            ParseError("2-1(Relu), MeanSquaredError"));
        Assert.Equal(
            "expected a loss name (one of MeanSquaredError, BinaryCrossEntropy, CrossEntropy) at position 11, found 'M'",
            ParseError("2-1(ReLU), MSE"));
        Assert.Equal(
            "expected a layer's number of units (a positive integer without sign or leading zeros) at position 2, found '0'",
            ParseError("4-0(ReLU), CrossEntropy"));
        Assert.Equal(
            "expected a layer's number of units (at most 2147483647) at position 2, found '9'",
            ParseError("4-99999999999(ReLU), CrossEntropy"));
        Assert.Equal("expected '-' and another layer, or ', ' and the loss at position 9, found U+000A", ParseError("4-8(ReLU)\n, CrossEntropy"));
        Assert.Equal("expected the end of the text after the loss at position 23, found ';'", ParseError("4-8(ReLU), CrossEntropy;"));
        Assert.Equal(
            "expected '-' and another layer, or ', ' and the loss at position 9, found the end of the text",
            ParseError("4-8(ReLU)"));

        // In a diagnostic, invisible characters are escaped and a long text is shortened.
        ImportedNetwork control = Read(StandIn.Save("4-8(ReLU)\n, \"CrossEntropy\"", 1, [], null));
        Assert.StartsWith("the file's architecture text \"4-8(ReLU)\\u000A, \\\"CrossEntropy\\\"\" is invalid: ", control.Error, StringComparison.Ordinal);
        string text = "4" + string.Concat(Enumerable.Repeat("-8(ReLU)", 500)) + ", Mse";
        ImportedNetwork longText = Read(StandIn.Save(text, 1, [], null));
        Assert.InRange(longText.Error!.Length, 100, 500);
        Assert.Contains("...", longText.Error, StringComparison.Ordinal);
        Assert.Contains($"at position {text.Length - 3}, found 'M'", longText.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ArchitectureTextParsesEveryNameAndTheLargestSizes()
    {
        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            foreach (Loss loss in Enum.GetValues<Loss>())
            {
                Assert.True(TryParse($"3-2({activation}), {loss}", out int inputs, out EquatableArray<LayerSpec> layers, out Loss parsed, out string? error), error);
                Assert.Equal((3, new LayerSpec(3, 2, activation), loss), (inputs, layers.Single(), parsed));
            }
        }

        // int.MaxValue parameters fit; one more does not.
        Assert.True(TryParse("2147483646-1(Identity), MeanSquaredError", out int wide, out EquatableArray<LayerSpec> one, out _, out _));
        Assert.Equal((2147483646, int.MaxValue), (wide, (int)one.Single().ParameterCount));
        Assert.Equal("the network has more than 2147483647 parameters", ParseError("2147483647-1(Identity), MeanSquaredError"));
        Assert.Equal("the network has more than 2147483647 parameters", ParseError("100000-100000(ReLU), MeanSquaredError"));
        // Many huge layers: the count stops growing once too large rather than overflowing back into range.
        Assert.Equal(
            "the network has more than 2147483647 parameters",
            ParseError("2147483647" + string.Concat(Enumerable.Repeat("-2147483647(ReLU)", 40)) + ", MeanSquaredError"));
        // Syntax is reported before size, as the runtime does.
        Assert.StartsWith("expected ", ParseError("100000-100000(ReLU), Mse"), StringComparison.Ordinal);
        Assert.Equal("there is no architecture text", ParseError(null!));
    }

    [Fact]
    public void ParameterCountDifferentFromTheArchitecturesFailsNamingBoth()
    {
        const string Architecture = "4-8(ReLU)-3(Softmax), CrossEntropy";
        foreach (int count in new[] { 0, 66, 68, 134 })
        {
            ImportedNetwork result = Read(StandIn.Save(Architecture, 4, Parameters(count, seed: count), null));

            Assert.Equal($"the file holds {count} parameters, but its architecture \"{Architecture}\" has 67", result.Error);
        }
    }

    [Fact]
    public void ProblemsAreReportedInTheDocumentsOrder()
    {
        // An invalid architecture comes before the parameter count, which comes before finiteness.
        byte[] file = StandIn.Save("4-8(ReLU), Mse", 4, Parameters(5, seed: 1), null);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(ParametersOffset(file)), float.NaN);
        Assert.StartsWith("the file's architecture text ", Read(Reseal(file)).Error, StringComparison.Ordinal);

        file = StandIn.Save("1-1(Identity), MeanSquaredError", 1, [1f, 2f, 3f], null);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(ParametersOffset(file)), float.NaN);
        Assert.StartsWith("the file holds 3 parameters", Read(Reseal(file)).Error, StringComparison.Ordinal);

        // Structure comes before the architecture: bad padding with an invalid text.
        Assert.Contains(
            "the padding after its architecture text is not zero",
            Read(Assemble(Body("1-1(Identity), Mse", [1f, 2f], padding: 7))).Error,
            StringComparison.Ordinal);

        // The version, checked against the header CRC, comes before the length.
        byte[] newer = Example;
        newer[8] = 2;
        BinaryPrimitives.WriteUInt32LittleEndian(newer.AsSpan(20), runtime::NetGen.Serialization.Crc32.Compute(newer.AsSpan(0, 20)));
        Assert.Equal("the file is in weight-file format version 2; this version of NetGen reads version 1", Read(newer[..30]).Error);
    }

    [Theory]
    [InlineData(2, 1, "the file is in weight-file format version 2; this version of NetGen reads version 1")]
    [InlineData(0, 1, "the file is in weight-file format version 0; this version of NetGen reads version 1")]
    [InlineData(1, 2, "the file sets flags 0x0002, of which only 0x0001 is defined in format version 1")]
    [InlineData(1, 0x8001, "the file sets flags 0x8001, of which only 0x0001 is defined in format version 1")]
    public void OtherVersionsAndUnknownFlagsAreUnsupported(int version, int flags, string expected)
    {
        byte[] file = Assemble(Body("1-1(Identity), MeanSquaredError", [0.5f, -0.25f], [3f], [2f]), flags, version);

        Assert.Equal(expected, Read(file).Error);
    }

    [Fact]
    public void DeclaredLengthMustBePlausibleAndExact()
    {
        byte[] body = Body("1-1(Identity), MeanSquaredError", [0.5f, -0.25f]);
        int length = 24 + body.Length + 4;
        const string Malformed = "the file is malformed although its checksums match: ";
        const string NotWeightFile = "; it was not written by NetGen's WeightFile";

        Assert.Equal($"{Malformed}its header declares a length of 35 bytes, outside [36, 2147483591]{NotWeightFile}", Read(Assemble(body, length: 35)).Error);
        Assert.Equal($"{Malformed}its header declares a length of 0 bytes, outside [36, 2147483591]{NotWeightFile}", Read(Assemble(body, length: 0)).Error);
        Assert.Equal($"{Malformed}its header declares a length of 2147483592 bytes, outside [36, 2147483591]{NotWeightFile}", Read(Assemble(body, length: 2147483592)).Error);
        Assert.Equal($"{Malformed}its header declares a length of 18446744073709551615 bytes, outside [36, 2147483591]{NotWeightFile}", Read(Assemble(body, length: ulong.MaxValue)).Error);
        Assert.Equal($"the file is truncated: it has {length} bytes but its header declares {length + 1}", Read(Assemble(body, length: (ulong)length + 1)).Error);
        Assert.Equal($"the file is corrupt: 1 unexpected bytes follow the {length - 1} bytes its header declares", Read(Assemble(body, length: (ulong)length - 1)).Error);
        Assert.Equal($"the file is corrupt: 4 unexpected bytes follow the {length} bytes its header declares", Read([.. Assemble(body), 0, 0, 0, 0]).Error);
    }

    public static TheoryData<byte[], int, string> MalformedFiles
    {
        get
        {
            const string Arch = "1-1(Identity), MeanSquaredError"; // 31 bytes: 1 byte of padding
            byte[] plain = Body(Arch, [0.5f, -0.25f]);
            byte[] standardized = Body(Arch, [0.5f, -0.25f], [3f], [2f]);
            return new TheoryData<byte[], int, string>
            {
                { Body(Arch, [0.5f, -0.25f], architectureLength: 1000), 0, "it declares 1000 bytes of architecture text, more than its remaining 44 bytes hold" },
                { Body(Arch, [0.5f, -0.25f], architectureLength: uint.MaxValue), 0, "it declares 4294967295 bytes of architecture text, more than its remaining 44 bytes hold" },
                { Body([0x31, 0x2D, 0xFF], [], parameterCount: 0), 0, "its architecture text is not valid UTF-8" },
                { Body([0x31, 0x2D, 0xC0, 0xAF], [], parameterCount: 0), 0, "its architecture text is not valid UTF-8" },       // overlong '/'
                { Body([0x31, 0x2D, 0xED, 0xA0, 0x80], [], parameterCount: 0), 0, "its architecture text is not valid UTF-8" }, // a surrogate
                { Body(Arch, [0.5f, -0.25f], padding: 1), 0, "the padding after its architecture text is not zero" },
                { [5, 0, 0, 0, .. "1-1(I"u8], 0, "the padding after its architecture text is not zero" }, // the padding would run into the checksum
                { Body(Arch, [0.5f, -0.25f], parameterCount: 3), 0, "it declares 3 parameters, more than its remaining 8 bytes hold" },
                { Body(Arch, [0.5f, -0.25f], parameterCount: 0x40000001), 0, "it declares 1073741825 parameters, more than its remaining 8 bytes hold" },
                { plain[..^8], 0, "it declares 2 parameters, more than its remaining 0 bytes hold" },
                { plain[..36], 0, "it ends before the count of its parameters" },
                { [.. plain, 0, 0, 0, 0], 0, "its contents end at byte 72 but its header declares 80 bytes" },
                { plain, 1, "it ends before the count of its standardizer features" },
                { standardized, 0, "its contents end at byte 72 but its header declares 88 bytes" },
                { Body(Arch, [0.5f, -0.25f], [3f], [2f], featureCount: 2), 1, "it declares 2 standardizer features, more than its remaining 8 bytes hold" },
                { Body(Arch, [0.5f, -0.25f], [3f, 4f], [2f, 1f]), 1, "its standardizer has 2 features but its architecture has 1 inputs" },
                { Body(Arch, [0.5f, -0.25f], [], []), 1, "its standardizer has no features" },
                { Body(Arch, [0.5f, -0.25f], [float.NaN], [2f]), 1, "the mean of feature 0 in its standardizer is NaN; it must be finite" },
                { Body(Arch, [0.5f, -0.25f], [float.NegativeInfinity], [2f]), 1, "the mean of feature 0 in its standardizer is -Infinity; it must be finite" },
                { Body(Arch, [0.5f, -0.25f], [3f], [0f]), 1, "the standard deviation of feature 0 in its standardizer is 0; it must be finite and positive" },
                { Body(Arch, [0.5f, -0.25f], [3f], [-0f]), 1, "the standard deviation of feature 0 in its standardizer is -0; it must be finite and positive" },
                { Body(Arch, [0.5f, -0.25f], [3f], [-2f]), 1, "the standard deviation of feature 0 in its standardizer is -2; it must be finite and positive" },
                { Body(Arch, [0.5f, -0.25f], [3f], [float.PositiveInfinity]), 1, "the standard deviation of feature 0 in its standardizer is Infinity; it must be finite and positive" },
                { Body(Arch, [0.5f, -0.25f], [3f], [float.NaN]), 1, "the standard deviation of feature 0 in its standardizer is NaN; it must be finite and positive" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void InconsistentContentsBehindValidChecksumsAreMalformed(byte[] body, int flags, string problem)
    {
        ImportedNetwork result = Read(Assemble(body, flags));

        Assert.Equal($"the file is malformed although its checksums match: {problem}; it was not written by NetGen's WeightFile", result.Error);
    }

    [Fact]
    public void TheSmallestFileParsesButHasNoArchitecture()
    {
        byte[] file = Assemble(new byte[8]);
        Assert.Equal(36, file.Length);

        Assert.Equal(
            $"the file's architecture text \"\" is invalid: expected the number of inputs (a positive integer without sign or leading zeros) at position 0, found the end of the text {Canonical}",
            Read(file).Error);
    }

    [Fact]
    public void StandardizerComesBackBitForBitBesideTheSameNetwork()
    {
        // Subnormal and extreme statistics are valid, and kept exactly (the generated type compiles them in).
        byte[] file = Assemble(Body("2-1(Sigmoid), BinaryCrossEntropy", [1f, 2f, 3f], [-0f, 1e30f], [float.Epsilon, float.MaxValue]), flags: 1);
        ImportedNetwork withStandardizer = Read(file);
        ImportedNetwork without = Read(Assemble(Body("2-1(Sigmoid), BinaryCrossEntropy", [1f, 2f, 3f])));

        Assert.True(withStandardizer.Succeeded, withStandardizer.Error);
        Assert.Equal(without, withStandardizer with { InputMeans = EquatableArray<float>.Empty, InputStandardDeviations = EquatableArray<float>.Empty });
        Assert.Equal([0x80000000u, BitConverter.SingleToUInt32Bits(1e30f)], withStandardizer.InputMeans.Select(BitConverter.SingleToUInt32Bits));
        Assert.Equal([float.Epsilon, float.MaxValue], withStandardizer.InputStandardDeviations);
        Assert.Empty(without.InputMeans);
    }

    /// <summary>Reads through the reader under test, and checks that no exception reached its safety net.</summary>
    private static ImportedNetwork Read(byte[] data)
    {
        ImportedNetwork result = WeightFileReader.Read(data);
        Assert.True(result.Succeeded || !result.Error!.StartsWith("the file could not be read", StringComparison.Ordinal), result.Error);
        Assert.True(result.Succeeded == (result.Error == null));
        return result;
    }

    /// <summary>Parses as the reader does: the shared parser (src/Shared), then the generator's mapping to its model.</summary>
    private static bool TryParse(string text, out int inputs, out EquatableArray<LayerSpec> layers, out Loss loss, out string? error)
    {
        (inputs, layers, loss) = (0, EquatableArray<LayerSpec>.Empty, Loss.MeanSquaredError);
        if (!ArchitectureText.TryParse(text, out ParsedArchitecture? parsed, out error))
        {
            return false;
        }

        (inputs, layers, loss) = (parsed.Inputs, ArchitectureMapping.ToLayerSpecs(parsed.Layers), parsed.Loss);
        return true;
    }

    private static string? ParseError(string text)
    {
        Assert.False(TryParse(text, out _, out _, out _, out string? error));
        return error;
    }

    /// <summary>Random parameters of every magnitude, with -0, the smallest subnormal and the extremes first.</summary>
    private static float[] Parameters(int count, int seed)
    {
        var random = new Random(seed);
        float[] special = [-0f, float.Epsilon, float.MaxValue, float.MinValue, -1.1754942e-38f];
        return Enumerable.Range(0, count)
            .Select(i => i < special.Length ? special[i] : (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 6))))
            .ToArray();
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    private static int ParametersOffset(byte[] file) => 28 + ((BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(24)) + 3) & ~3) + 4;

    /// <summary>Rewrites both checksums, so that an edited file reaches the checks behind them.</summary>
    private static byte[] Reseal(byte[] file)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(20), runtime::NetGen.Serialization.Crc32.Compute(file.AsSpan(0, 20)));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), runtime::NetGen.Serialization.Crc32.Compute(file.AsSpan(0, file.Length - 4)));
        return file;
    }

    private static byte[] Damage(byte[] file, Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                return file[..random.Next(file.Length)];
            case 1:
                byte[] longer = new byte[file.Length + 1 + random.Next(16)];
                file.CopyTo(longer, 0);
                random.NextBytes(longer.AsSpan(file.Length));
                return longer;
            default:
                byte[] changed = (byte[])file.Clone();
                for (int k = 1 + random.Next(4); k > 0; k--)
                {
                    changed[random.Next(changed.Length)] = (byte)random.Next(256);
                }

                return changed;
        }
    }

    /// <summary>
    /// A file of the documented layout around <paramref name="body"/> (the bytes from offset 24 to the file checksum):
    /// magic, version, flags, length (the true one unless given), header CRC, body, file CRC.
    /// </summary>
    private static byte[] Assemble(byte[] body, int flags = 0, int version = 1, ulong? length = null)
    {
        byte[] file = new byte[24 + body.Length + 4];
        new byte[] { 0x89, 0x4E, 0x47, 0x57, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)version);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(10), (ushort)flags);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), length ?? (ulong)file.Length);
        body.CopyTo(file, 24);
        return Reseal(file);
    }

    private static byte[] Body(string architecture, float[] parameters, float[]? means = null, float[]? deviations = null,
        uint? architectureLength = null, uint? parameterCount = null, uint? featureCount = null, byte padding = 0) =>
        Body(Encoding.UTF8.GetBytes(architecture), parameters, means, deviations, architectureLength, parameterCount, featureCount, padding);

    /// <summary>The body of the documented layout, each count the true one unless given, the padding bytes all <paramref name="padding"/>.</summary>
    private static byte[] Body(byte[] architecture, float[] parameters, float[]? means = null, float[]? deviations = null,
        uint? architectureLength = null, uint? parameterCount = null, uint? featureCount = null, byte padding = 0)
    {
        var body = new List<byte>();
        AddUInt32(architectureLength ?? (uint)architecture.Length);
        body.AddRange(architecture);
        while ((24 + body.Count) % 4 != 0)
        {
            body.Add(padding);
        }

        AddUInt32(parameterCount ?? (uint)parameters.Length);
        parameters.ToList().ForEach(AddSingle);
        if (means != null)
        {
            AddUInt32(featureCount ?? (uint)means.Length);
            means.ToList().ForEach(AddSingle);
            deviations!.ToList().ForEach(AddSingle);
        }

        return [.. body];

        void AddUInt32(uint value)
        {
            byte[] bytes = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            body.AddRange(bytes);
        }

        void AddSingle(float value) => AddUInt32(BitConverter.SingleToUInt32Bits(value));
    }

    /// <summary>
    /// A stand-in for a generated network, so that the runtime's <see cref="WeightFile"/> writes the files (this project
    /// compiles generated code only at run time, through Roslyn). <see cref="WeightFile.Serialize"/> reads only the
    /// static <c>Architecture</c>, <c>InputCount</c> and <c>ParameterCount</c> and the instance's parameters, so the
    /// statics are set per file, even to an architecture text the runtime itself would never write.
    /// </summary>
    internal sealed class StandIn : INetwork
    {
        [ThreadStatic]
        private static string? s_architecture;

        [ThreadStatic]
        private static int s_inputs;

        [ThreadStatic]
        private static int s_parameterCount;

        private readonly float[] _parameters;

        private StandIn(float[] parameters) => _parameters = parameters;

        public static int InputCount => s_inputs;

        public static int OutputCount => 1;

        public static int ParameterCount => s_parameterCount;

        public static string Architecture => s_architecture!;

        public static runtime::NetGen.Loss LossFunction => runtime::NetGen.Loss.MeanSquaredError;

        public Span<float> Parameters => _parameters;

        public Span<float> Gradients => Span<float>.Empty;

        public static byte[] Save(string architecture, int inputs, float[] parameters, Standardizer? standardizer)
        {
            (s_architecture, s_inputs, s_parameterCount) = (architecture, inputs, parameters.Length);
            return WeightFile.Serialize(new StandIn(parameters), standardizer);
        }

        public void Forward(ReadOnlySpan<float> input, Span<float> output) => throw new NotSupportedException();

        public void ForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs) => throw new NotSupportedException();

        public float BackwardBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets) => throw new NotSupportedException();

        public void PredictBatch(ReadOnlySpan<float> inputs, Span<int> classes) => throw new NotSupportedException();

        public float Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> target) => throw new NotSupportedException();

        public void ZeroGradients() => throw new NotSupportedException();

        public int Predict(ReadOnlySpan<float> input) => throw new NotSupportedException();
    }
}
