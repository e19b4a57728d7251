using System.Buffers.Binary;
using System.IO;
using System.Text;
using NetGen.Data;
using NetGen.Serialization;
using static NetGen.Tests.Serialization.WeightFileTestSupport;

namespace NetGen.Tests.Serialization;

public sealed class WeightFileTests
{
    [Fact]
    public void Round_trip_through_bytes_is_bit_identical()
    {
        var saved = new N4_6ReLU_3Softmax_Ce(seed: 1);
        saved.Parameters[0] = -0f;
        saved.Parameters[1] = float.Epsilon; // subnormal
        saved.Parameters[2] = float.MaxValue;
        saved.Parameters[3] = float.MinValue;
        Standardizer standardizer = FourFeatureStandardizer();

        byte[] file = WeightFile.Serialize(saved, standardizer);
        var loaded = new N4_6ReLU_3Softmax_Ce(seed: 2);
        Assert.NotEqual(Bits(saved.Parameters), Bits(loaded.Parameters));
        Standardizer? back = WeightFile.Load(loaded, file);

        Assert.Equal(Bits(saved.Parameters), Bits(loaded.Parameters));
        Assert.NotNull(back);
        Assert.Equal(Bits(standardizer.Means), Bits(back.Means));
        Assert.Equal(Bits(standardizer.StandardDeviations), Bits(back.StandardDeviations));
    }

    [Fact]
    public void Round_trip_without_standardizer_returns_null()
    {
        var saved = new N5_3Tanh_Mse(seed: 3);
        var loaded = new N5_3Tanh_Mse(seed: 4);
        Assert.Null(WeightFile.Load(loaded, WeightFile.Serialize(saved)));
        Assert.Equal(Bits(saved.Parameters), Bits(loaded.Parameters));
    }

    [Fact]
    public void Round_trip_through_files_is_bit_identical_and_predictions_agree()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("net.ngw");
        var saved = new N4_6ReLU_3Softmax_Ce(seed: 5);
        Standardizer standardizer = new([1f, 2, 3, 4], [0.5f, 1, 2, 4]);
        WeightFile.SaveFile(saved, path, standardizer);

        var loaded = new N4_6ReLU_3Softmax_Ce(seed: 6);
        Standardizer? back = WeightFile.LoadFile(loaded, path);

        Assert.Equal(Bits(saved.Parameters), Bits(loaded.Parameters));
        Assert.Equal(standardizer.Means.ToArray(), back!.Means.ToArray());
        float[] input = [1.5f, 2, 2.5f, 3];
        back.Apply(input);
        float[] expected = new float[3];
        float[] actual = new float[3];
        saved.Forward(input, expected);
        loaded.Forward(input, actual);
        Assert.Equal(Bits(expected), Bits(actual));
        Assert.Equal(["net.ngw"], directory.Entries());
        Assert.Equal(WeightFile.Serialize(saved, standardizer), File.ReadAllBytes(path));
    }

    [Fact]
    public void Streams_are_read_up_to_the_end_of_one_file_so_files_can_follow_each_other()
    {
        var first = new N4_3ReLU_Mse(seed: 1);
        var second = new N5_3Tanh_Mse(seed: 2);
        using var stream = new MemoryStream();
        WeightFile.Save(first, stream);
        WeightFile.Save(second, stream, new Standardizer([0f, 0, 0, 0, 0], [1f, 1, 1, 1, 1]));
        stream.WriteByte(0xAB);
        stream.Position = 0;

        var firstLoaded = new N4_3ReLU_Mse(seed: 3);
        var secondLoaded = new N5_3Tanh_Mse(seed: 4);
        Assert.Null(WeightFile.Load(firstLoaded, stream));
        Assert.NotNull(WeightFile.Load(secondLoaded, stream));
        Assert.Equal(0xAB, stream.ReadByte());
        Assert.Equal(Bits(first.Parameters), Bits(firstLoaded.Parameters));
        Assert.Equal(Bits(second.Parameters), Bits(secondLoaded.Parameters));
    }

    [Fact]
    public void Non_seekable_streams_that_return_a_few_bytes_at_a_time_load_too()
    {
        var saved = new N300_257LeakyReLU_10Softmax_Ce(seed: 1); // about 300 KB: the read buffer grows several times
        byte[] file = WeightFile.Serialize(saved);
        var loaded = new N300_257LeakyReLU_10Softmax_Ce(seed: 2);
        using var stream = new TrickleStream(file, chunk: 4093);
        WeightFile.Load(loaded, stream);
        Assert.Equal(Bits(saved.Parameters), Bits(loaded.Parameters));

        using var truncated = new TrickleStream(file.AsSpan(0, file.Length - 1).ToArray(), chunk: 1000);
        var exception = Assert.Throws<WeightFileException>(() => WeightFile.Load(loaded, truncated));
        Assert.Equal(WeightFileError.Truncated, exception.Reason);
    }

    [Fact]
    public void The_layout_matches_docs_weights_format()
    {
        var net = new N4_3ReLU_Mse(seed: 1);
        Standardizer standardizer = new([1f, 2, 3, 4], [5f, 6, 7, 8]);
        byte[] file = WeightFile.Serialize(net, standardizer);
        byte[] architecture = Encoding.UTF8.GetBytes(N4_3ReLU_Mse.Architecture);
        int padded = (architecture.Length + 3) & ~3;
        int parameters = 28 + padded + 4;
        int standardizerAt = parameters + (4 * 15);

        Assert.Equal([0x89, 0x4E, 0x47, 0x57, 0x0D, 0x0A, 0x1A, 0x0A], file[..8]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(10)));
        Assert.Equal((ulong)file.Length, BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(12)));
        Assert.Equal(Crc32.Compute(file.AsSpan(0, 20)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(20)));
        Assert.Equal((uint)architecture.Length, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(24)));
        Assert.Equal(architecture, file[28..(28 + architecture.Length)]);
        Assert.All(file[(28 + architecture.Length)..(28 + padded)], b => Assert.Equal(0, b));
        Assert.Equal(15u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(parameters - 4)));
        for (int i = 0; i < 15; i++)
        {
            Assert.Equal(net.Parameters[i], BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(parameters + (4 * i))));
        }

        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(standardizerAt)));
        Assert.Equal(1f, BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(standardizerAt + 4)));
        Assert.Equal(8f, BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(standardizerAt + 4 + 28)));
        Assert.Equal(standardizerAt + 4 + 32 + 4, file.Length);
        Assert.Equal(Crc32.Compute(file.AsSpan(0, file.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(file.Length - 4)));
        Assert.Equal(WeightFile.Magic.ToArray(), file[..8]);

        byte[] bare = WeightFile.Serialize(net);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(bare.AsSpan(10)));
        Assert.Equal(parameters + (4 * 15) + 4, bare.Length);
    }

    [Fact]
    public void The_example_in_docs_weights_format_is_what_is_written()
    {
        var net = new N1_1Identity_Mse();
        net.Parameters[0] = 0.5f;
        net.Parameters[1] = -0.25f;
        byte[] expected = Convert.FromHexString(
            "894E47570D0A1A0A0100010058000000" +
            "000000009146F0661F000000312D3128" +
            "4964656E74697479292C204D65616E53" +
            "7175617265644572726F720002000000" +
            "0000003F000080BE0100000000004040" +
            "00000040D9FC5B09");

        Assert.Equal(expected, WeightFile.Serialize(net, new Standardizer([3f], [2f])));
    }

    [Fact]
    public void Saving_refuses_non_finite_weights_and_a_standardizer_of_the_wrong_width()
    {
        var net = new N4_3ReLU_Mse(seed: 1);
        using var stream = new MemoryStream();
        var wrongWidth = Assert.Throws<ArgumentException>(() => WeightFile.Save(net, stream, new Standardizer([0f], [1f])));
        Assert.Contains("1 features but the network has 4 inputs", wrongWidth.Message, StringComparison.Ordinal);

        net.Parameters[7] = float.NaN;
        var nan = Assert.Throws<ArgumentException>(() => WeightFile.Save(net, stream));
        Assert.Contains("Parameter 7 of the network is NaN", nan.Message, StringComparison.Ordinal);
        net.Parameters[7] = float.NegativeInfinity;
        Assert.Throws<ArgumentException>(() => WeightFile.Serialize(net));
        Assert.Equal(0, stream.Length);
        Assert.Throws<ArgumentNullException>(() => WeightFile.Save(net, null!));
        Assert.Throws<ArgumentNullException>(() => WeightFile.Serialize<N4_3ReLU_Mse>(null!));
    }
}

/// <summary>A read-only, non-seekable stream that hands out at most <c>chunk</c> bytes per read.</summary>
internal sealed class TrickleStream(byte[] data, int chunk) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = Math.Min(Math.Min(count, chunk), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
