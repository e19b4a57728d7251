using System.Buffers.Binary;
using System.IO;
using System.Text;
using NetGen.Data;
using NetGen.Serialization;
using static NetGen.Tests.Serialization.WeightFileTestSupport;

namespace NetGen.Tests.Serialization;

/// <summary>
/// Every damaged or mismatched file is rejected with a <see cref="WeightFileException"/> that says what is wrong, and
/// the network keeps its weights.
/// </summary>
public sealed class WeightFileRejectionTests
{
    public static TheoryData<bool> WithAndWithoutStandardizer => new(true, false);

    [Theory]
    [MemberData(nameof(WithAndWithoutStandardizer))]
    public void Every_single_byte_corruption_is_rejected_and_leaves_the_weights_untouched(bool withStandardizer)
    {
        var source = new N2_4Sigmoid_1Sigmoid_Bce(seed: 1);
        byte[] file = WeightFile.Serialize(source, withStandardizer ? new Standardizer([1f, 2], [3f, 4]) : null);
        var target = new N2_4Sigmoid_1Sigmoid_Bce(seed: 2);
        int[] before = Bits(target.Parameters);

        int rejected = 0;
        for (int offset = 0; offset < file.Length; offset++)
        {
            foreach (byte mask in new byte[] { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFF, 0x5A })
            {
                byte[] corrupt = (byte[])file.Clone();
                corrupt[offset] ^= mask;
                var exception = Assert.Throws<WeightFileException>(() => WeightFile.Load(target, corrupt));
                if (offset < 8)
                {
                    Assert.Equal(WeightFileError.NotAWeightFile, exception.Reason);
                    Assert.Contains("is not a NetGen weight file", exception.Message, StringComparison.Ordinal);
                }
                else
                {
                    Assert.Equal(WeightFileError.Corrupt, exception.Reason);
                    Assert.Contains(offset < 24 ? "is corrupt: its header checksum" : "is corrupt: its checksum", exception.Message, StringComparison.Ordinal);
                }

                Assert.Null(exception.FileArchitecture);
                Assert.Equal(before, Bits(target.Parameters));
                rejected++;
            }
        }

        Assert.Equal(file.Length * 10, rejected);
        WeightFile.Load(target, file); // the undamaged file still loads
        Assert.Equal(Bits(source.Parameters), Bits(target.Parameters));
    }

    [Theory]
    [MemberData(nameof(WithAndWithoutStandardizer))]
    public void Every_truncation_is_rejected_as_truncated_and_leaves_the_weights_untouched(bool withStandardizer)
    {
        var source = new N2_4Sigmoid_1Sigmoid_Bce(seed: 1);
        byte[] file = WeightFile.Serialize(source, withStandardizer ? new Standardizer([1f, 2], [3f, 4]) : null);
        var target = new N2_4Sigmoid_1Sigmoid_Bce(seed: 2);
        int[] before = Bits(target.Parameters);

        for (int length = 0; length < file.Length; length++)
        {
            byte[] truncated = file[..length];
            var fromBytes = Assert.Throws<WeightFileException>(() => WeightFile.Load(target, truncated));
            var fromStream = Assert.Throws<WeightFileException>(() => WeightFile.Load(target, new MemoryStream(truncated)));
            var fromTrickle = Assert.Throws<WeightFileException>(() => WeightFile.Load(target, new TrickleStream(truncated, 7)));
            foreach (WeightFileException exception in new[] { fromBytes, fromStream, fromTrickle })
            {
                Assert.Equal(WeightFileError.Truncated, exception.Reason);
                Assert.Contains(length == 0 ? "is empty" : "is truncated", exception.Message, StringComparison.Ordinal);
            }

            if (length >= 24)
            {
                Assert.Contains($"it has {length} bytes but its header declares {file.Length}", fromBytes.Message, StringComparison.Ordinal);
                Assert.Contains($"it has {length} bytes but its header declares {file.Length}", fromStream.Message, StringComparison.Ordinal);
            }

            Assert.Equal(before, Bits(target.Parameters));
        }
    }

    [Fact]
    public void Truncated_and_trailing_files_on_disk_are_rejected_naming_the_path()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("net.ngw");
        byte[] file = WeightFile.Serialize(new N4_3ReLU_Mse(seed: 1));
        var target = new N4_3ReLU_Mse(seed: 2);
        int[] before = Bits(target.Parameters);

        File.WriteAllBytes(path, file[..^1]);
        var truncated = Assert.Throws<WeightFileException>(() => WeightFile.LoadFile(target, path));
        Assert.Equal(WeightFileError.Truncated, truncated.Reason);
        Assert.StartsWith($"'{path}' is truncated", truncated.Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, [.. file, 0]);
        var trailing = Assert.Throws<WeightFileException>(() => WeightFile.LoadFile(target, path));
        Assert.Equal(WeightFileError.Corrupt, trailing.Reason);
        Assert.Contains("1 unexpected bytes follow", trailing.Message, StringComparison.Ordinal);

        File.WriteAllText(path, "w1,w2,w3\n0.5,0.25,1\n");
        var text = Assert.Throws<WeightFileException>(() => WeightFile.LoadFile(target, path));
        Assert.Equal(WeightFileError.NotAWeightFile, text.Reason);
        Assert.Equal(before, Bits(target.Parameters));
        Assert.IsAssignableFrom<IOException>(text);
    }

    [Fact]
    public void A_file_for_the_same_parameter_count_but_another_activation_is_rejected_naming_both_architectures()
    {
        Assert.Equal(N4_3ReLU_Mse.ParameterCount, N4_3LeakyReLU_Mse.ParameterCount);
        byte[] file = WeightFile.Serialize(new N4_3ReLU_Mse(seed: 1));
        var target = new N4_3LeakyReLU_Mse(seed: 2);
        int[] before = Bits(target.Parameters);

        var exception = Assert.Throws<WeightFileException>(() => WeightFile.Load(target, file));

        Assert.Equal(WeightFileError.ArchitectureMismatch, exception.Reason);
        Assert.Equal("4-3(ReLU), MeanSquaredError", N4_3ReLU_Mse.Architecture);
        Assert.Equal(
            "The weight data holds weights for the architecture '4-3(ReLU), MeanSquaredError', but this network is '4-3(LeakyReLU), MeanSquaredError'.",
            exception.Message);
        Assert.Equal(N4_3ReLU_Mse.Architecture, exception.FileArchitecture);
        Assert.Equal(N4_3LeakyReLU_Mse.Architecture, exception.ExpectedArchitecture);
        Assert.Equal(before, Bits(target.Parameters));
    }

    [Fact]
    public void A_file_for_another_parameter_count_is_rejected_naming_both_architectures()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("tanh.ngw");
        WeightFile.SaveFile(new N5_3Tanh_Mse(seed: 1), path, new Standardizer([0f, 0, 0, 0, 0], [1f, 1, 1, 1, 1]));
        var target = new N4_6ReLU_3Softmax_Ce(seed: 2);
        int[] before = Bits(target.Parameters);

        var exception = Assert.Throws<WeightFileException>(() => WeightFile.LoadFile(target, path));

        Assert.Equal(WeightFileError.ArchitectureMismatch, exception.Reason);
        Assert.Contains($"'{path}' holds weights for the architecture '{N5_3Tanh_Mse.Architecture}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"but this network is '{N4_6ReLU_3Softmax_Ce.Architecture}'", exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(target.Parameters));
    }

    [Fact]
    public void An_intact_file_of_another_version_or_with_unknown_flags_is_unsupported()
    {
        var target = new N4_3ReLU_Mse(seed: 2);
        int[] before = Bits(target.Parameters);

        byte[] version2 = WeightFile.Serialize(new N4_3ReLU_Mse(seed: 1));
        BinaryPrimitives.WriteUInt16LittleEndian(version2.AsSpan(8), 2);
        var newer = Assert.Throws<WeightFileException>(() => WeightFile.Load(target, Reseal(version2)));
        Assert.Equal(WeightFileError.UnsupportedVersion, newer.Reason);
        Assert.Contains("format version 2; this version of NetGen reads version 1", newer.Message, StringComparison.Ordinal);

        byte[] flags = WeightFile.Serialize(new N4_3ReLU_Mse(seed: 1));
        flags[10] |= 0x02;
        var unknown = Assert.Throws<WeightFileException>(() => WeightFile.Load(target, Reseal(flags)));
        Assert.Equal(WeightFileError.UnsupportedVersion, unknown.Reason);
        Assert.Contains("sets flags 0x0002", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(target.Parameters));
    }

    [Fact]
    public void Inconsistent_contents_behind_valid_checksums_are_malformed()
    {
        var target = new N4_3ReLU_Mse(seed: 2);
        int[] before = Bits(target.Parameters);
        byte[] good = WeightFile.Serialize(new N4_3ReLU_Mse(seed: 1), new Standardizer([0f, 0, 0, 0], [1f, 1, 1, 1]));
        int architectureLength = BinaryPrimitives.ReadInt32LittleEndian(good.AsSpan(24));
        int countAt = 28 + ((architectureLength + 3) & ~3);
        int standardizerAt = countAt + 4 + (4 * 15);

        AssertMalformed(file => BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24), 100_000), "declares 100000 bytes of architecture text");
        AssertMalformed(file => file[28] = 0xFF, "not valid UTF-8");
        // The structure is checked before the file is compared with the network (docs/weights-format.md, steps 8 and 9):
        // a feature count edited alone no longer adds up; a consistent standardizer of the wrong width is tested below.
        AssertMalformed(file => BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(standardizerAt), 3), "its contents end at byte");
        AssertMalformed(
            file => BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(standardizerAt + 4 + 16), -1f),
            "the standard deviation of feature 0 in its standardizer is -1; it must be finite and positive");
        AssertMalformed(file => BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), 10), "declares a length of 10 bytes");
        AssertMalformed(file => file[10] = 0, "its contents end at byte"); // standardizer flag cleared: bytes left over
        if (architectureLength % 4 != 0)
        {
            AssertMalformed(file => file[countAt - 1] = 1, "padding after its architecture text is not zero");
        }

        // Three features, written consistently, for a network of four inputs.
        byte[] narrow = [.. good[..standardizerAt], .. new byte[4 + (8 * 3) + 4]];
        BinaryPrimitives.WriteUInt32LittleEndian(narrow.AsSpan(standardizerAt), 3);
        BinaryPrimitives.WriteSingleLittleEndian(narrow.AsSpan(standardizerAt + 4 + 12), 1f); // deviations 1, 1, 1
        BinaryPrimitives.WriteSingleLittleEndian(narrow.AsSpan(standardizerAt + 4 + 16), 1f);
        BinaryPrimitives.WriteSingleLittleEndian(narrow.AsSpan(standardizerAt + 4 + 20), 1f);
        BinaryPrimitives.WriteUInt64LittleEndian(narrow.AsSpan(12), (ulong)narrow.Length);
        var width = Assert.Throws<WeightFileException>(() => WeightFile.Load(target, Reseal(narrow)));
        Assert.Equal(WeightFileError.Malformed, width.Reason);
        Assert.Contains("its standardizer has 3 features but the network has 4 inputs", width.Message, StringComparison.Ordinal);

        Assert.Equal(before, Bits(target.Parameters));

        void AssertMalformed(Action<byte[]> edit, string expected)
        {
            byte[] file = (byte[])good.Clone();
            edit(file);
            var exception = Assert.Throws<WeightFileException>(() => WeightFile.Load(target, Reseal(file)));
            Assert.Equal(WeightFileError.Malformed, exception.Reason);
            Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Non_finite_stored_weights_are_rejected()
    {
        var target = new N4_3ReLU_Mse(seed: 2);
        int[] before = Bits(target.Parameters);
        byte[] file = WeightFile.Serialize(new N4_3ReLU_Mse(seed: 1));
        int architectureLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(24));
        int parametersAt = 28 + ((architectureLength + 3) & ~3) + 4;
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(parametersAt + (4 * 9)), float.PositiveInfinity);

        var exception = Assert.Throws<WeightFileException>(() => WeightFile.Load(target, Reseal(file)));

        Assert.Equal(WeightFileError.NonFiniteParameter, exception.Reason);
        Assert.Contains("parameter 9 is Infinity", exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, Bits(target.Parameters));
    }

    [Fact]
    public void A_utf8_architecture_is_compared_as_text()
    {
        // The architecture is stored as UTF-8 with its byte length: check the decoder is strict and exact.
        byte[] file = WeightFile.Serialize(new N4_3ReLU_Mse(seed: 1));
        Assert.Equal(Encoding.UTF8.GetByteCount(N4_3ReLU_Mse.Architecture), BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(24)));
    }
}
