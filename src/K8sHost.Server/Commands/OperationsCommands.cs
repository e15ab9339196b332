using K8sHost.Storage;
using K8sHost.Storage.Sqlite;

namespace K8sHost.Server.Commands;

/// <summary>
/// The operator's subcommands of the server executable (k3s style): `snapshot save|restore|info`, `migrate` and
/// `defrag`. Program.cs hands the arguments here before any server flag parsing; anything else starts the server.
/// </summary>
public static class OperationsCommands
{
    public const string Usage = """
        usage:
          K8sHost.Server snapshot save FILE [--data-dir D] [--storage sqlite://PATH]
          K8sHost.Server snapshot restore FILE --data-dir D [--force]
          K8sHost.Server snapshot info FILE
          K8sHost.Server migrate --from URL --to URL [--data-dir D]
          K8sHost.Server defrag [--data-dir D] [--storage sqlite://PATH]
        """;

    private static readonly string[] Names = ["snapshot", "migrate", "defrag"];

    /// <summary>The exit code when <paramref name="args"/> name a subcommand; null when they are server flags.</summary>
    public static async Task<int?> TryRunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        if (args.Length == 0 || !Names.Contains(args[0])) return null;
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        try
        {
            var rest = args.Skip(1).ToArray();
            switch (args[0])
            {
                case "snapshot": Snapshot(rest, stdout); break;
                case "defrag": Defrag(rest, stdout); break;
                case "migrate": await StoreMigration.RunAsync(CommandArgs.Parse(rest), stdout, CancellationToken.None); break;
            }
            return 0;
        }
        catch (Exception e) when (e is CommandException or SnapshotException or StoreUnavailableException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"k8shost {args[0]}: {e.Message}");
            if (e is CommandException) stderr.WriteLine(Usage);
            return 1;
        }
    }

    private static void Snapshot(string[] args, TextWriter stdout)
    {
        var a = CommandArgs.Parse(args, "--force");
        if (a.Positionals.Count != 2) throw new CommandException("snapshot needs an action (save, restore, info) and a FILE");
        var file = Path.GetFullPath(a.Positionals[1]);
        switch (a.Positionals[0])
        {
            case "save":
                {
                    a.Only("--data-dir", "--storage");
                    var db = DatabasePath(a);
                    var info = SqliteSnapshots.Save(db, file);
                    stdout.WriteLine($"Snapshot saved to {file}: revision {info.Revision}, {info.Keys} keys, {info.Size} bytes (sha256 {info.Sha256})");
                    break;
                }
            case "restore":
                {
                    a.Only("--data-dir", "--storage", "--force");
                    a.Required("--data-dir");
                    var db = DatabasePath(a);
                    var info = SqliteSnapshots.Restore(file, db, a.Switch("--force"));
                    stdout.WriteLine($"Restored revision {info.Revision} ({info.Keys} keys) into {db}");
                    break;
                }
            case "info":
                {
                    a.Only();
                    var info = SqliteSnapshots.Verify(file);
                    stdout.WriteLine($"file:            {file}");
                    stdout.WriteLine($"revision:        {info.Revision}");
                    stdout.WriteLine($"compactRevision: {info.CompactRevision}");
                    stdout.WriteLine($"keys:            {info.Keys}");
                    stdout.WriteLine($"createdAt:       {info.CreatedAt:O}");
                    stdout.WriteLine($"size:            {info.Size}");
                    stdout.WriteLine($"sha256:          {info.Sha256} (verified)");
                    break;
                }
            default:
                throw new CommandException($"unknown snapshot action \"{a.Positionals[0]}\"");
        }
    }

    private static void Defrag(string[] args, TextWriter stdout)
    {
        var a = CommandArgs.Parse(args);
        a.Only("--data-dir", "--storage");
        if (a.Positionals.Count != 0) throw new CommandException($"unexpected argument \"{a.Positionals[0]}\"");
        var db = DatabasePath(a);
        var (before, after) = SqliteMaintenance.Defragment(db);
        stdout.WriteLine($"Defragmented {db}");
        stdout.WriteLine($"before: database {before.Database} bytes, WAL {before.Wal} bytes");
        stdout.WriteLine($"after:  database {after.Database} bytes, WAL {after.Wal} bytes");
    }

    // The embedded store's file, found as the server finds it: --storage sqlite://… or <data-dir>/state.db.
    private static string DatabasePath(CommandArgs a)
    {
        var storage = a.Flag("--storage") ?? "sqlite://";
        if (!storage.StartsWith("sqlite://", StringComparison.OrdinalIgnoreCase))
            throw new CommandException($"snapshots and defrag are for the embedded store (sqlite://); for {storage} use the backend's own tools");
        return SqliteStoreDriver.ResolvePath(storage, a.Flag("--data-dir") ?? "./data");
    }
}
