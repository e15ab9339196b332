using K8sHost.ApiMachinery.Validation;
using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Auth;

/// <summary>A caller the token stands for, and the tenant the token is bound to (null: the default tenant).</summary>
public sealed record AuthenticatedUser(UserInfo User, Tenant? Tenant);

/// <summary>
/// Bearer-token authentication: the generated admin token plus kube-apiserver's static token file
/// (CSV lines: token,user,uid[,"group1,group2"[,organization,project]]). kube-apiserver ignores columns after the
/// groups, so the two tenant columns keep the file compatible. Unknown tokens are not users.
/// </summary>
public sealed class TokenAuthenticator
{
    private readonly Dictionary<string, AuthenticatedUser> _tokens = new(StringComparer.Ordinal);

    public void Add(string token, UserInfo user, Tenant? tenant = null) => _tokens[token] = new AuthenticatedUser(user, tenant);

    public AuthenticatedUser? Authenticate(string? authorizationHeader)
    {
        const string prefix = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return null;
        var token = authorizationHeader[prefix.Length..].Trim();
        return token.Length > 0 && _tokens.TryGetValue(token, out var user) ? user : null;
    }

    /// <summary>Loads a token file; throws with a one-line reason naming the bad line.</summary>
    public void LoadTokenFile(string path)
    {
        var lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = SplitCsv(line);
            if (fields.Count < 3 || fields[0].Length == 0 || fields[1].Length == 0)
                throw new InvalidOperationException($"{path}:{lineNo}: expected token,user,uid[,\"group1,group2\"]");
            var groups = fields.Count > 3 && fields[3].Length > 0
                ? fields[3].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList()
                : new List<string>();
            groups.Add("system:authenticated");
            Tenant? tenant = null;
            if (fields.Count > 4)
            {
                if (fields.Count < 6 || !IsSegment(fields[4]) || !IsSegment(fields[5]))
                    throw new InvalidOperationException($"{path}:{lineNo}: organization and project must both be DNS-1123 labels");
                tenant = new Tenant(fields[4], fields[5]);
            }
            Add(fields[0], new UserInfo(fields[1], groups, fields[2]), tenant);
        }
    }

    // Tenant names become storage key segments, so they follow the namespace rule (no '/' or other separators).
    private static bool IsSegment(string s) => NameRules.IsDns1123Label(s).Count == 0;

    // CSV with double-quoted fields (the groups column contains commas).
    private static List<string> SplitCsv(string line)
    {
        var result = new List<string>();
        var cur = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var ch in line)
        {
            if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { result.Add(cur.ToString().Trim()); cur.Clear(); }
            else cur.Append(ch);
        }
        result.Add(cur.ToString().Trim());
        return result;
    }
}
