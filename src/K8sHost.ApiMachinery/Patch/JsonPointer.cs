using K8sHost.ApiMachinery.Errors;

namespace K8sHost.ApiMachinery.Patch;

/// <summary>RFC 6901 JSON pointers: "" is the whole document, "/a/b~1c" is a → "b/c".</summary>
internal static class JsonPointer
{
    public static string[] Parse(string pointer)
    {
        if (pointer.Length == 0) return [];
        if (pointer[0] != '/') throw Invalid($"JSONPointer should start with a slash: \"{pointer}\"");
        var parts = pointer[1..].Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            var p = parts[i];
            if (!p.Contains('~')) continue;
            var sb = new System.Text.StringBuilder(p.Length);
            for (var j = 0; j < p.Length; j++)
            {
                if (p[j] != '~') { sb.Append(p[j]); continue; }
                if (j + 1 < p.Length && p[j + 1] == '0') sb.Append('~');
                else if (j + 1 < p.Length && p[j + 1] == '1') sb.Append('/');
                else throw Invalid($"invalid JSON pointer escape in \"{pointer}\"");
                j++;
            }
            parts[i] = sb.ToString();
        }
        return parts;
    }

    private static ApiError Invalid(string message) => new(422, "Invalid", message);
}
