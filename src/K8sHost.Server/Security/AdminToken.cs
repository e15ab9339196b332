using System.Security.Cryptography;

namespace K8sHost.Server.Security;

/// <summary>The admin bearer token: generated once into &lt;data-dir&gt;/admin.token and reused across restarts.</summary>
public static class AdminToken
{
    public static string LoadOrCreate(string dataDir)
    {
        var path = Path.Combine(dataDir, "admin.token");
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length >= 32) return existing;
        }
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, token);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(tmp, path, overwrite: true);
        return token;
    }
}
