using K8sHost.ApiMachinery.Validation;
using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Auth;

/// <summary>A caller the token stands for, and the tenant the token is bound to (null: the default tenant).</summary>
public sealed record AuthenticatedUser(UserInfo User, Tenant? Tenant);

public enum CredentialState
{
    /// <summary>The request carries no credential this authenticator understands.</summary>
    None,
    Valid,
    /// <summary>A credential that names nobody: 401, never anonymous.</summary>
    Invalid,
}

/// <summary>What an authenticator made of a request's credential; Warning is sent to the client as a Warning header.</summary>
public sealed record AuthenticationOutcome(CredentialState State, AuthenticatedUser? Caller = null, string? Warning = null,
    string Authenticator = "")
{
    public static readonly AuthenticationOutcome NoCredential = new(CredentialState.None);
    public static readonly AuthenticationOutcome InvalidToken = new(CredentialState.Invalid);
}

/// <summary>
/// Bearer-token authentication: the generated admin token plus kube-apiserver's static token file
/// (CSV lines: token,user,uid[,"group1,group2"[,organization,project]]). kube-apiserver ignores columns after the
/// groups, so the two tenant columns keep the file compatible. Unknown tokens are not users.
/// </summary>
public sealed class TokenAuthenticator
{
    private readonly Dictionary<string, AuthenticatedUser> _tokens = new(StringComparer.Ordinal);

    public void Add(string token, UserInfo user, Tenant? tenant = null) => _tokens[token] = new AuthenticatedUser(user, tenant);

    /// <summary>
    /// kube-apiserver's bearer-token rules: no Authorization header or another scheme is no credential; "Bearer " with
    /// an empty token (also the malformed "Bearer  x" with two spaces, which only earns a warning) is no credential;
    /// any other token either names a user or is invalid (401 even when anonymous requests are allowed).
    /// </summary>
    public AuthenticationOutcome Authenticate(string? authorizationHeader)
    {
        if (string.IsNullOrEmpty(authorizationHeader)) return AuthenticationOutcome.NoCredential;
        var parts = authorizationHeader.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase)) return AuthenticationOutcome.NoCredential;
        var token = parts[1];
        if (token.Length == 0)
            return parts.Length == 3
                ? AuthenticationOutcome.NoCredential with { Warning = ExtraSpaceWarning }
                : AuthenticationOutcome.NoCredential;
        return _tokens.TryGetValue(token, out var user)
            ? new AuthenticationOutcome(CredentialState.Valid, user, Authenticator: "token")
            : AuthenticationOutcome.InvalidToken;
    }

    public const string ExtraSpaceWarning =
        "the provided Authorization header contains extra space before the bearer token, and is ignored";

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
