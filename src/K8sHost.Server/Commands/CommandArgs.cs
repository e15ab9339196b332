namespace K8sHost.Server.Commands;

/// <summary>
/// The arguments of one subcommand: positionals in order and "--name value" / "--name=value" / bare "--switch" flags.
/// Subcommands take few flags, so they are parsed here rather than through the server's configuration binding.
/// </summary>
public sealed class CommandArgs
{
    private readonly Dictionary<string, string?> _flags = new(StringComparer.Ordinal);

    private CommandArgs(List<string> positionals) => Positionals = positionals;

    public IReadOnlyList<string> Positionals { get; }

    /// <param name="switches">Flags that take no value.</param>
    public static CommandArgs Parse(IEnumerable<string> args, params string[] switches)
    {
        var positionals = new List<string>();
        var result = new CommandArgs(positionals);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var a = e.Current;
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2)
            {
                positionals.Add(a);
                continue;
            }
            var eq = a.IndexOf('=');
            if (eq > 0) result._flags[a[..eq]] = a[(eq + 1)..];
            else if (switches.Contains(a)) result._flags[a] = "true";
            else result._flags[a] = e.MoveNext() ? e.Current : throw new CommandException($"flag {a} needs a value");
        }
        return result;
    }

    public string? Flag(string name) => _flags.GetValueOrDefault(name);

    public bool Switch(string name) => _flags.TryGetValue(name, out var v) && v is "true" or "";

    public string Required(string name) =>
        _flags.GetValueOrDefault(name) is { Length: > 0 } v ? v : throw new CommandException($"{name} is required");

    /// <summary>Fails on any flag not in <paramref name="known"/>, so a typo is not silently ignored.</summary>
    public void Only(params string[] known)
    {
        foreach (var f in _flags.Keys)
            if (!known.Contains(f)) throw new CommandException($"unknown flag {f} (allowed: {string.Join(", ", known)})");
    }
}

/// <summary>A subcommand's usage or operational error: printed as one line, exit code 1.</summary>
public sealed class CommandException(string message) : Exception(message);
