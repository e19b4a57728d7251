using System.IO;
using NetGen.Data;
using NetGen.Serialization;
using static NetGen.Tests.Serialization.WeightFileTestSupport;

namespace NetGen.Tests.Serialization;

/// <summary>Saving replaces a file all at once; a failed save leaves the old file intact and no temporary file behind.</summary>
public sealed class AtomicSaveTests
{
    [Fact]
    public void Saving_over_an_existing_file_replaces_it()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("net.ngw");
        var first = new N4_3ReLU_Mse(seed: 1);
        var second = new N4_3ReLU_Mse(seed: 2);
        WeightFile.SaveFile(first, path);
        WeightFile.SaveFile(second, path, new Standardizer([1f, 2, 3, 4], [1f, 1, 1, 1]));

        var loaded = new N4_3ReLU_Mse(seed: 3);
        Assert.NotNull(WeightFile.LoadFile(loaded, path));
        Assert.Equal(Bits(second.Parameters), Bits(loaded.Parameters));
        Assert.Equal(["net.ngw"], directory.Entries());
    }

    [Fact]
    public void A_writer_that_throws_leaves_the_old_file_and_no_temporary_file()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("net.ngw");
        WeightFile.SaveFile(new N4_3ReLU_Mse(seed: 1), path);
        byte[] old = File.ReadAllBytes(path);
        byte[] replacement = WeightFile.Serialize(new N4_3ReLU_Mse(seed: 2));

        var exception = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(replacement, 0, replacement.Length / 2);
            Assert.Equal(2, directory.Entries().Length); // the half-written temporary file exists beside the old one
            throw new IOException("disk full");
        }));

        Assert.Equal("disk full", exception.Message);
        Assert.Equal(old, File.ReadAllBytes(path));
        Assert.Equal(["net.ngw"], directory.Entries());
    }

    [Fact]
    public void A_writer_that_disposes_the_stream_fails_cleanly()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("data.bin");
        File.WriteAllBytes(path, [1, 2, 3]);

        Assert.Throws<ObjectDisposedException>(() => AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(9);
            stream.Dispose();
        }));

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["data.bin"], directory.Entries());
    }

    [Fact]
    public void A_missing_directory_fails_without_creating_anything()
    {
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "missing", "net.ngw");

        Assert.Throws<DirectoryNotFoundException>(() => WeightFile.SaveFile(new N4_3ReLU_Mse(seed: 1), path));

        Assert.Empty(directory.Entries());
    }

    [Fact]
    public void A_rename_that_fails_leaves_what_was_there_and_no_temporary_file()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("net.ngw");
        Directory.CreateDirectory(path); // a directory where the file should go: the final rename fails
        File.WriteAllText(Path.Combine(path, "keep.txt"), "kept");

        Exception exception = Assert.ThrowsAny<Exception>(() => WeightFile.SaveFile(new N4_3ReLU_Mse(seed: 1), path));

        Assert.True(exception is IOException or UnauthorizedAccessException, exception.ToString());
        Assert.Equal(["net.ngw"], directory.Entries());
        Assert.Equal("kept", File.ReadAllText(Path.Combine(path, "keep.txt")));
    }

    [Fact]
    public void Invalid_weights_fail_before_the_disk_is_touched()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("net.ngw");
        var net = new N4_3ReLU_Mse(seed: 1);
        WeightFile.SaveFile(net, path);
        byte[] old = File.ReadAllBytes(path);
        net.Parameters[0] = float.NaN;

        Assert.Throws<ArgumentException>(() => WeightFile.SaveFile(net, path));

        Assert.Equal(old, File.ReadAllBytes(path));
        Assert.Equal(["net.ngw"], directory.Entries());
    }

    [Fact]
    public void Bad_paths_are_rejected()
    {
        var net = new N4_3ReLU_Mse(seed: 1);
        Assert.Throws<ArgumentException>(() => WeightFile.SaveFile(net, ""));
        Assert.Throws<ArgumentNullException>(() => WeightFile.SaveFile(net, null!));
        Assert.Throws<ArgumentException>(() => AtomicFile.Write(Path.GetTempPath(), [1]));
        Assert.Throws<ArgumentNullException>(() => AtomicFile.Write("x", (Action<Stream>)null!));
    }
}
