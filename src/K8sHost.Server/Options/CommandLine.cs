using System.Globalization;

namespace K8sHost.Server.Options;

/// <summary>A command line or setting the server refuses (unknown flag or key, stray argument, bad value); one line.</summary>
public sealed class InvalidOptionsException(string message) : Exception(message);

/// <summary>
/// The parsed command line, checked against <see cref="ServerFlags.All"/> before anything is opened: as kube-apiserver
/// (pflag), `--flag value` and `--flag=value`, booleans as `--flag` / `--flag=false`, `-v 2` / `-v=2` / `-v2` for
/// shorthands, `--` ends the flags. Unknown flags and stray words are errors, so a typo cannot silently fall back to
/// a default (e.g. the embedded store instead of the user's etcd).
/// </summary>
public sealed record CommandLine(IReadOnlyDictionary<string, string> Settings, IReadOnlyDictionary<string, string> HostSettings,
    bool Help, bool Version)
{
    public static CommandLine Parse(IReadOnlyList<string> args) => Parse(args, ServerFlags.All);

    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlyList<Flag> flags)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var host = new Dictionary<string, string>(StringComparer.Ordinal);
        var commands = new HashSet<string>(StringComparer.Ordinal);
        var stray = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                stray.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                stray.Add(arg);
                continue;
            }
            var (flag, value) = Match(arg, flags);
            if (value is null)
            {
                if (flag.IsBoolean) value = "true";
                else if (i + 1 < args.Count) value = args[++i];
                else throw new InvalidOptionsException($"flag needs an argument: {flag.Name}");
            }
            var normalized = Normalize(flag, value);
            switch (flag.Kind)
            {
                case FlagKind.Setting: settings[flag.Key] = normalized; break;
                case FlagKind.Host: host[flag.Key] = normalized; break;
                default: if (normalized == "true") commands.Add(flag.Key); else commands.Remove(flag.Key); break;
            }
        }
        if (stray.Count > 0)
            throw new InvalidOptionsException($"\"k8shost\" does not take any arguments, got [{string.Join(' ', stray.Select(s => $"\"{s}\""))}]");
        return new CommandLine(settings, host, commands.Contains("help"), commands.Contains("version"));
    }

    private static (Flag Flag, string? Value) Match(string arg, IReadOnlyList<Flag> flags)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? arg : arg[..eq];
        var value = eq < 0 ? null : arg[(eq + 1)..];
        if (arg.StartsWith("--", StringComparison.Ordinal))
            return (flags.FirstOrDefault(f => f.Name == name) ?? throw new InvalidOptionsException($"unknown flag: {name} (see --help)"), value);
        // A shorthand: -v, -v=2 or -v2.
        var shorthand = arg[..2];
        var flag = flags.FirstOrDefault(f => f.Shorthand == shorthand)
            ?? throw new InvalidOptionsException($"unknown shorthand flag: '{arg[1]}' in {arg} (see --help)");
        if (value is null && arg.Length > 2) value = arg[2..];
        else if (value is not null && name.Length > 2) throw new InvalidOptionsException($"unknown shorthand flag: '{arg[2]}' in {arg} (see --help)");
        return (flag, value);
    }

    /// <summary>Checks the value against the flag's type and writes it the way the configuration binder reads it.</summary>
    private static string Normalize(Flag flag, string value)
    {
        var type = flag.ValueType;
        if (type == typeof(bool))
            return value switch
            {
                "1" or "t" or "T" or "true" or "TRUE" or "True" => "true",
                "0" or "f" or "F" or "false" or "FALSE" or "False" => "false",
                _ => throw Invalid(flag, value, "expected true or false"),
            };
        if (type == typeof(int))
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i.ToString(CultureInfo.InvariantCulture) : throw Invalid(flag, value, "expected an integer");
        if (type == typeof(long))
            return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l.ToString(CultureInfo.InvariantCulture) : throw Invalid(flag, value, "expected an integer");
        if (type == typeof(TimeSpan))
            return GoDuration.TryParse(value, out var t) ? t.ToString("c", CultureInfo.InvariantCulture) : throw Invalid(flag, value, "expected a duration such as 30s, 1m0s or 1h30m");
        if (type.IsEnum)
            return Enum.TryParse(type, value, ignoreCase: true, out var e) && !int.TryParse(value, out _) ? e!.ToString()!
                : throw Invalid(flag, value, "expected one of " + string.Join(", ", Enum.GetNames(type)));
        return value;
    }

    private static InvalidOptionsException Invalid(Flag flag, string value, string why) =>
        new($"invalid argument \"{value}\" for \"{flag.Name}\" flag: {why}");
}
