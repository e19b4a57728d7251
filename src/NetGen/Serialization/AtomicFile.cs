using System;
using System.IO;

namespace NetGen.Serialization;

/// <summary>
/// Replaces a file all at once: the new contents go to a temporary file in the same directory, which is flushed to
/// disk and then renamed over the target. Readers see the old file or the new one, never a half-written one, and a
/// failed write leaves the old file as it was and no temporary file behind.
/// </summary>
/// <remarks>
/// The rename is <c>File.Move(source, destination, overwrite: true)</c> with overwrite, atomic on the same volume on Windows
/// and POSIX systems. The temporary file is named <c>.{file name}.{random}.tmp</c>. The containing directory itself
/// is not flushed (.NET has no API for that), so after a power cut right after the rename a journaling file system
/// may come back with the old file; it will not come back with a torn one.
/// </remarks>
/// <example>
/// <code>
/// AtomicFile.Write("model.log", stream =&gt; JsonSerializer.Serialize(stream, history));
/// </code>
/// </example>
public static class AtomicFile
{
    /// <summary>Replaces (or creates) the file at <paramref name="path"/> with <paramref name="contents"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="IOException">The file could not be written or renamed; the old file is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">Access was denied; the old file is unchanged.</exception>
    public static void Write(string path, ReadOnlySpan<byte> contents)
    {
        string temporary = CreateTemporary(path, out string target, out FileStream stream);
        try
        {
            using (stream)
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    /// <summary>
    /// Replaces (or creates) the file at <paramref name="path"/> with what <paramref name="write"/> writes to the
    /// stream it is given. If <paramref name="write"/> throws, the exception propagates and the old file is unchanged.
    /// </summary>
    /// <param name="path">The file to replace.</param>
    /// <param name="write">Writes the new contents; it must not dispose the stream.</param>
    /// <exception cref="ArgumentNullException"><paramref name="write"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="IOException">The file could not be written or renamed; the old file is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">Access was denied; the old file is unchanged.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temporary = CreateTemporary(path, out string target, out FileStream stream);
        try
        {
            using (stream)
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    private static string CreateTemporary(string path, out string target, out FileStream stream)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        target = Path.GetFullPath(path);
        string name = Path.GetFileName(target);
        if (name.Length == 0)
        {
            throw new ArgumentException($"'{path}' names a directory, not a file.", nameof(path));
        }

        string directory = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        string temporary = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        return temporary;
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original exception matters more.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
