// NetGen's Unity package, Editor/NetGenModelFiles.cs (tools/unity/make-package.sh copies it there). Unity has no MSBuild
// build step to hand binary model files to the generator, so this editor script does its work: next to every .ngw and
// .onnx file under Assets it keeps the file's text form (NetGen.Serialization.ModelFileEncoding), named so that Unity
// passes it to the generator as an additional file. C# 9; tests/NetGen.MonoCheck compiles and runs it against
// stand-ins for the two Unity editor APIs it uses.
using System;
using System.IO;
using NetGen.Serialization;
using UnityEditor;

namespace NetGen.Unity.Editor
{
    /// <summary>
    /// Writes <c>iris_ngw.NetGen.Generator.additionalfile</c> next to <c>Assets/Models/iris.ngw</c> when the model file is
    /// imported, changed or moved, and deletes it with the model file, so that <c>[WeightsFile("Models/iris.ngw")]</c>
    /// and <c>[OnnxNetwork(...)]</c> find their model (docs/unity.md, "Models compiled in").
    /// </summary>
    public sealed class NetGenModelFiles : AssetPostprocessor
    {
        /// <summary>Called by Unity after assets were imported, deleted or moved.</summary>
        private static void OnPostprocessAllAssets(string[] importedAssets, string[] deletedAssets, string[] movedAssets, string[] movedFromAssetPaths)
        {
            foreach (string path in importedAssets)
            {
                Update(path);
            }

            foreach (string path in movedAssets)
            {
                Update(path);
            }

            foreach (string path in deletedAssets)
            {
                Remove(path);
            }

            foreach (string path in movedFromAssetPaths)
            {
                Remove(path);
            }
        }

        /// <summary>The text form's asset path for the model file at <paramref name="assetPath"/>.</summary>
        public static string EncodedPath(string assetPath)
            => Path.Combine(Path.GetDirectoryName(assetPath) ?? string.Empty, ModelFileEncoding.UnityFileName(Path.GetFileName(assetPath))).Replace('\\', '/');

        /// <summary>Whether <paramref name="assetPath"/> is a model file NetGen reads.</summary>
        public static bool IsModelFile(string assetPath)
            => assetPath.EndsWith(".ngw", StringComparison.OrdinalIgnoreCase) || assetPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

        /// <summary>Writes the text form of the model file at <paramref name="assetPath"/> if it is one and the text changed.</summary>
        public static void Update(string assetPath)
        {
            if (!IsModelFile(assetPath) || !File.Exists(assetPath))
            {
                return;
            }

            string encodedPath = EncodedPath(assetPath);
            string text = ModelFileEncoding.Encode(assetPath.Replace('\\', '/'), File.ReadAllBytes(assetPath));
            if (File.Exists(encodedPath) && File.ReadAllText(encodedPath) == text)
            {
                return; // unchanged: no import, no recompilation
            }

            File.WriteAllText(encodedPath, text);
            AssetDatabase.ImportAsset(encodedPath);
        }

        /// <summary>Deletes the text form of the model file that was at <paramref name="assetPath"/>.</summary>
        public static void Remove(string assetPath)
        {
            if (IsModelFile(assetPath) && File.Exists(EncodedPath(assetPath)))
            {
                AssetDatabase.DeleteAsset(EncodedPath(assetPath));
            }
        }
    }
}
