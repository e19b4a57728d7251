namespace UnityEngine
{
    /// <summary>
    /// A stand-in for Unity's base class, enough to compile and play docs/unity.md's MonoBehaviour outside Unity: Unity
    /// calls its private Start once and Update every frame, as Checks.UnityPageSample does.
    /// </summary>
    public class MonoBehaviour
    {
    }
}
