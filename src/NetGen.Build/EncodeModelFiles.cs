using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security;
using System.Text;
using Microsoft.Build.Framework;
using NetGen.Shared;

namespace NetGen.Build;

/// <summary>
/// MSBuild task that turns binary model files (ONNX <c>.onnx</c>, NetGen weight files <c>.ngw</c>) into text files that
/// hold their bytes in base64, for the NetGen source generator. Roslyn hands a generator its AdditionalFiles only as
/// decoded text, which does not keep arbitrary bytes, and a generator must not read files itself; the package's
/// <c>build/net8.0/NetGen.targets</c> therefore runs this task before compilation and gives the compiler the encoded
/// files in place of the originals.
/// </summary>
/// <remarks>
/// <para>
/// Each file of <see cref="Files"/> becomes <c>&lt;file name&gt;.&lt;hash&gt;.netgen</c> in
/// <see cref="OutputDirectory"/>, where the hash is the 32-bit FNV-1a hash of the UTF-8 bytes of the file's full path,
/// as 8 lower-case hex digits (two <c>iris.onnx</c> in different folders get different names). The encoded file is
/// UTF-8 without byte order mark, every line ends with <c>\n</c>:
/// </para>
/// <code>
/// netgen-model-file 1
/// path: &lt;full path of the original file&gt;
/// bytes: &lt;decimal byte count&gt;
/// &lt;empty line&gt;
/// &lt;base64 of the file, lines of at most 76 characters, none for an empty file&gt;
/// </code>
/// <para>
/// A file that cannot be read (it does not exist, is a directory, access is denied, ...) does not fail the build: its
/// encoded file has an <c>error: &lt;reason&gt;</c> line in place of <c>bytes:</c> and no body, and the generator
/// reports it where the file is named. Only a failure to write the encoded file is an MSBuild error.
/// </para>
/// <para>
/// An encoded file is written only when its content changes, so an unchanged model keeps its timestamp and does not
/// make the compiler run again.
/// </para>
/// </remarks>
public sealed class EncodeModelFiles : ITask
{
    /// <summary>The first line of every encoded file: the format's name and version.</summary>
    public const string FormatHeader = ModelFileText.FormatHeader;

    /// <summary>The metadata of each <see cref="EncodedFiles"/> item that holds the original file's full path.</summary>
    public const string SourceMetadataName = "NetGenSource";

    /// <summary>The extension of the encoded files.</summary>
    public const string EncodedExtension = ".netgen";

    /// <summary>The longest line of base64 in an encoded file (as in MIME).</summary>
    public const int LineLength = ModelFileText.LineLength;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <inheritdoc />
    public IBuildEngine? BuildEngine { get; set; }

    /// <inheritdoc />
    public ITaskHost? HostObject { get; set; }

    /// <summary>The model files to encode (their <c>FullPath</c> metadata names the file).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The directory for the encoded files, created if needed.</summary>
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary>
    /// One item per distinct file of <see cref="Files"/>, in their order: the encoded file's full path, with the
    /// original item's custom metadata and <see cref="SourceMetadataName"/> set to the original file's full path.
    /// </summary>
    [Output]
    public ITaskItem[] EncodedFiles { get; private set; } = Array.Empty<ITaskItem>();

    /// <summary>Writes the encoded files and sets <see cref="EncodedFiles"/>; false (with an error logged) if one cannot be written.</summary>
    public bool Execute()
    {
        var encoded = new List<ITaskItem>(Files.Length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string target = OutputDirectory;
        try
        {
            string directory = Path.GetFullPath(OutputDirectory);
            Directory.CreateDirectory(directory);
            foreach (ITaskItem file in Files)
            {
                string source = file.GetMetadata("FullPath");
                if (!seen.Add(source))
                {
                    continue; // the same file listed twice: one encoded file
                }

                target = Path.Combine(directory, EncodedFileName(source));
                bool written = WriteIfChanged(target, Encode(source));
                Log(MessageImportance.Low, $"NetGen: {source} -> {target} ({(written ? "written" : "unchanged")})");

                var item = new EncodedFile(target);
                foreach (DictionaryEntry metadata in file.CloneCustomMetadata())
                {
                    item.SetMetadata((string)metadata.Key, (string?)metadata.Value ?? string.Empty);
                }

                item.SetMetadata(SourceMetadataName, source);
                encoded.Add(item);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException or ArgumentException or NotSupportedException)
        {
            // At the task in NetGen.targets, as MSBuild's own tasks report their errors.
            BuildEngine?.LogErrorEvent(new BuildErrorEventArgs(
                subcategory: null, code: null, file: BuildEngine.ProjectFileOfTaskNode,
                lineNumber: BuildEngine.LineNumberOfTaskNode, columnNumber: BuildEngine.ColumnNumberOfTaskNode, endLineNumber: 0, endColumnNumber: 0,
                message: $"NetGen could not write '{target}': {e.Message}",
                helpKeyword: null, senderName: nameof(EncodeModelFiles)));
            return false;
        }

        EncodedFiles = encoded.ToArray();
        return true;
    }

    /// <summary>The encoded file's name for the file at <paramref name="fullPath"/>: <c>&lt;file name&gt;.&lt;8 hex digits&gt;.netgen</c>.</summary>
    public static string EncodedFileName(string fullPath)
    {
        uint hash = 2166136261; // FNV-1a, 32 bits
        foreach (byte b in Encoding.UTF8.GetBytes(fullPath))
        {
            hash = unchecked((hash ^ b) * 16777619);
        }

        return Path.GetFileName(fullPath) + "." + hash.ToString("x8", CultureInfo.InvariantCulture) + EncodedExtension;
    }

    /// <summary>The encoded file's text for the file at <paramref name="fullPath"/> (an <c>error:</c> line if it cannot be read).</summary>
    public static string Encode(string fullPath)
    {
        try
        {
            return ModelFileText.Encode(fullPath, File.ReadAllBytes(fullPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException or ArgumentException or NotSupportedException)
        {
            return ModelFileText.EncodeError(fullPath, Reason(fullPath, e));
        }
    }

    /// <summary>Why the file could not be read, as one line.</summary>
    private static string Reason(string fullPath, Exception e)
    {
        if (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "the file does not exist";
        }

        if (Directory.Exists(fullPath))
        {
            return "the path is a directory, not a file";
        }

        return string.Join(" ", e.Message.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries)).Trim();
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> unless the file already holds exactly that; true if it wrote.</summary>
    private static bool WriteIfChanged(string path, string text)
    {
        byte[] content = Utf8NoBom.GetBytes(text);
        if (File.Exists(path) && SameBytes(File.ReadAllBytes(path), content))
        {
            return false;
        }

        File.WriteAllBytes(path, content);
        return true;
    }

    private static bool SameBytes(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    private void Log(MessageImportance importance, string message)
        => BuildEngine?.LogMessageEvent(new BuildMessageEventArgs(message, helpKeyword: null, senderName: nameof(EncodeModelFiles), importance));

    /// <summary>An output item: an item spec and custom metadata (MSBuild adds the well-known metadata when it takes the item).</summary>
    private sealed class EncodedFile(string itemSpec) : ITaskItem
    {
        private readonly Dictionary<string, string> metadata = new(StringComparer.OrdinalIgnoreCase);

        public string ItemSpec { get; set; } = itemSpec;

        public ICollection MetadataNames => metadata.Keys;

        public int MetadataCount => metadata.Count;

        public string GetMetadata(string metadataName)
            => metadata.TryGetValue(metadataName, out string? value) ? value : string.Empty;

        public void SetMetadata(string metadataName, string metadataValue) => metadata[metadataName] = metadataValue;

        public void RemoveMetadata(string metadataName) => metadata.Remove(metadataName);

        /// <summary>As ITaskItem asks: keeps the destination's own metadata and records its original item spec.</summary>
        public void CopyMetadataTo(ITaskItem destinationItem)
        {
            foreach (KeyValuePair<string, string> entry in metadata)
            {
                if (destinationItem.GetMetadata(entry.Key).Length == 0)
                {
                    destinationItem.SetMetadata(entry.Key, entry.Value);
                }
            }

            if (destinationItem.GetMetadata("OriginalItemSpec").Length == 0)
            {
                destinationItem.SetMetadata("OriginalItemSpec", ItemSpec);
            }
        }

        public IDictionary CloneCustomMetadata() => new Dictionary<string, string>(metadata, StringComparer.OrdinalIgnoreCase);
    }
}
