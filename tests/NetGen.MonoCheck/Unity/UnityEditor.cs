using System.IO;

namespace UnityEditor
{
    /// <summary>A stand-in for Unity's editor base class of asset postprocessors (src/NetGen.Unity/Editor/NetGenModelFiles.cs).</summary>
    public class AssetPostprocessor
    {
    }

    /// <summary>A stand-in for the two calls of Unity's asset database the editor script makes, on the files themselves.</summary>
    public static class AssetDatabase
    {
        /// <summary>Unity imports the file; here it already is on disk.</summary>
        public static void ImportAsset(string path)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException("ImportAsset of a missing file", path);
            }
        }

        /// <summary>Unity deletes the asset and its .meta file.</summary>
        public static bool DeleteAsset(string path)
        {
            File.Delete(path);
            return true;
        }
    }
}
