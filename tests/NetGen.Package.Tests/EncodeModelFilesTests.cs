using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using NetGen.Build;

namespace NetGen.Package.Tests;

/// <summary>
/// The build step's task (<see cref="EncodeModelFiles"/>) run directly, with a fake build engine, in a temporary
/// directory: the cases the package consumer build (<c>PackageConsumerTests</c>) does not cover.
/// </summary>
public sealed class EncodeModelFilesTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "netgen-encode-tests-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeBuildEngine engine = new();

    public EncodeModelFilesTests() => Directory.CreateDirectory(root);

    private string OutputDirectory => Path.Combine(root, "obj", "netgen");

    [Fact]
    public void SameNameInTwoFoldersGivesTwoEncodedFilesAndEachItemKeepsItsMetadata()
    {
        string first = Write("a/iris.onnx", [1, 2, 3]);
        string second = Write("b/iris.onnx", [4, 5]);

        ITaskItem[] encoded = Run(new FakeItem(first, ("Purpose", "first")), new FakeItem(second), new FakeItem(first));

        Assert.Equal(2, encoded.Length); // the file listed twice is encoded once
        Assert.Equal([first, second], encoded.Select(e => e.GetMetadata("NetGenSource")));
        Assert.Equal(["first", ""], encoded.Select(e => e.GetMetadata("Purpose")));
        Assert.All(encoded, e => Assert.Equal(OutputDirectory, Path.GetDirectoryName(e.ItemSpec)));
        Assert.All(encoded, e => Assert.StartsWith("iris.onnx.", Path.GetFileName(e.ItemSpec), StringComparison.Ordinal));
        Assert.NotEqual(encoded[0].ItemSpec, encoded[1].ItemSpec);
        Assert.Equal($"netgen-model-file 1\npath: {second}\nbytes: 2\n\nBAU=\n", File.ReadAllText(encoded[1].ItemSpec));
        Assert.Equal(["netgen-model-file 1", "path: " + first, "bytes: 3", "", "AQID", ""], File.ReadAllText(encoded[0].ItemSpec).Split('\n'));
        Assert.Empty(engine.Errors);
    }

    [Fact]
    public void EncodedFileIsRewrittenOnlyWhenItsContentChanges()
    {
        string model = Write("model.ngw", [1, 2, 3]);
        string encoded = Run(new FakeItem(model)).Single().ItemSpec;
        var old = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(encoded, old);

        Run(new FakeItem(model));
        Assert.Equal(old, File.GetLastWriteTimeUtc(encoded));

        File.WriteAllBytes(model, [1, 2, 3, 4]);
        Run(new FakeItem(model));
        Assert.NotEqual(old, File.GetLastWriteTimeUtc(encoded));
        Assert.Contains("\nbytes: 4\n", File.ReadAllText(encoded), StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFileHasNoBodyAndADirectoryGetsAnErrorLine()
    {
        string empty = Write("empty.onnx", []);
        string directory = Path.Combine(root, "folder.onnx");
        Directory.CreateDirectory(directory);

        ITaskItem[] encoded = Run(new FakeItem(empty), new FakeItem(directory));

        Assert.Equal($"netgen-model-file 1\npath: {empty}\nbytes: 0\n\n", File.ReadAllText(encoded[0].ItemSpec));
        Assert.Equal($"netgen-model-file 1\npath: {directory}\nerror: the path is a directory, not a file\n", File.ReadAllText(encoded[1].ItemSpec));
        Assert.Empty(engine.Errors);
    }

    [Fact]
    public void OutputDirectoryThatCannotBeMadeFailsTheTaskWithAnError()
    {
        string model = Write("model.onnx", [1]);
        string blocker = Write("obj/netgen", []); // a file where the directory should be

        var task = new EncodeModelFiles { BuildEngine = engine, Files = [new FakeItem(model)], OutputDirectory = blocker };

        Assert.False(task.Execute());
        string error = Assert.Single(engine.Errors);
        Assert.Contains(blocker, error, StringComparison.Ordinal);
        Assert.Empty(task.EncodedFiles);
    }

    [Theory]
    [InlineData("a", "a.e40c292c.netgen")]          // FNV-1a 32-bit test vectors
    [InlineData("foobar", "foobar.bf9cf968.netgen")]
    public void EncodedFileNameIsTheNameAndTheFnv1aHashOfTheFullPath(string path, string expected)
        => Assert.Equal(expected, EncodeModelFiles.EncodedFileName(path));

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Write(string relativePath, byte[] bytes)
    {
        string path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private ITaskItem[] Run(params ITaskItem[] files)
    {
        var task = new EncodeModelFiles { BuildEngine = engine, Files = files, OutputDirectory = OutputDirectory };
        Assert.True(task.Execute(), string.Join("\n", engine.Errors));
        return task.EncodedFiles;
    }

    /// <summary>An input item as MSBuild gives it: <c>FullPath</c> and custom metadata.</summary>
    private sealed class FakeItem(string path, params (string Name, string Value)[] metadata) : ITaskItem
    {
        private readonly Dictionary<string, string> custom = metadata.ToDictionary(m => m.Name, m => m.Value, StringComparer.OrdinalIgnoreCase);

        public string ItemSpec { get; set; } = path;

        public ICollection MetadataNames => custom.Keys;

        public int MetadataCount => custom.Count;

        public string GetMetadata(string metadataName)
            => metadataName == "FullPath" ? Path.GetFullPath(ItemSpec) : custom.GetValueOrDefault(metadataName, "");

        public void SetMetadata(string metadataName, string metadataValue) => custom[metadataName] = metadataValue;

        public void RemoveMetadata(string metadataName) => custom.Remove(metadataName);

        public void CopyMetadataTo(ITaskItem destinationItem) => throw new NotSupportedException();

        public IDictionary CloneCustomMetadata() => new Dictionary<string, string>(custom, StringComparer.OrdinalIgnoreCase);
    }

    private sealed class FakeBuildEngine : IBuildEngine
    {
        public List<string> Errors { get; } = [];

        public bool ContinueOnError => false;

        public int LineNumberOfTaskNode => 0;

        public int ColumnNumberOfTaskNode => 0;

        public string ProjectFileOfTaskNode => "";

        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => throw new NotSupportedException();

        public void LogCustomEvent(CustomBuildEventArgs e)
        {
        }

        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e.Message ?? "");

        public void LogMessageEvent(BuildMessageEventArgs e)
        {
        }

        public void LogWarningEvent(BuildWarningEventArgs e) => Errors.Add("warning: " + e.Message);
    }
}
