using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace K8sHost.Storage.Sqlite;

/// <summary>
/// Online backup and restore of the embedded store, the way k3s snapshots its SQLite datastore.
/// Save copies the database with SQLite's backup API on its own read connection: the copy is one read transaction,
/// i.e. one consistent revision, and in WAL mode it never blocks the server's writer. The snapshot file is a one-line
/// magic, a one-line JSON header (<see cref="SnapshotInfo"/>) and the database image; the header's length and
/// SHA-256 let restore refuse a truncated or corrupt file before anything is touched.
/// </summary>
public static class SqliteSnapshots
{
    private const string Magic = "K8SHOST-SQLITE-SNAPSHOT 1";
    private const int MaxHeaderBytes = 4096;

    /// <summary>Writes a snapshot of the database at <paramref name="databasePath"/> to <paramref name="snapshotPath"/>.</summary>
    public static SnapshotInfo Save(string databasePath, string snapshotPath, TimeProvider? clock = null)
    {
        if (!File.Exists(databasePath)) throw new SnapshotException($"no store at {databasePath}");
        var image = TempPath(snapshotPath, ".image");
        try
        {
            using (var source = Open(databasePath, SqliteOpenMode.ReadOnly))
            using (var target = Open(image, SqliteOpenMode.ReadWriteCreate))
            {
                source.BackupDatabase(target);
                // The image is read by nobody else: a rollback-journal file is simpler to ship than WAL + shm.
                SqliteSchema.Execute(target, "PRAGMA journal_mode = DELETE;");
            }
            ClearPools();

            var (revision, compact, keys) = Describe(image);
            var size = new FileInfo(image).Length;
            var info = new SnapshotInfo(revision, compact, keys, (clock ?? TimeProvider.System).GetUtcNow(), size, HashOf(image));
            var part = TempPath(snapshotPath, ".part");
            using (var output = new FileStream(part, FileMode.Create, FileAccess.Write))
            {
                output.Write(Encoding.UTF8.GetBytes(Magic + "\n" + JsonSerializer.Serialize(info) + "\n"));
                using (var input = File.OpenRead(image)) input.CopyTo(output);
                output.Flush(flushToDisk: true);
            }
            File.Move(part, snapshotPath, overwrite: true);
            return info;
        }
        catch (SqliteException e)
        {
            throw new SnapshotException($"cannot read the store at {databasePath}: {e.Message}");
        }
        finally
        {
            File.Delete(image);
        }
    }

    /// <summary>Reads and verifies a snapshot file: header, length and checksum.</summary>
    public static SnapshotInfo Verify(string snapshotPath)
    {
        using var input = OpenSnapshot(snapshotPath, out var info, out _);
        using var sha = SHA256.Create();
        var remaining = info.Size;
        var buffer = new byte[81920];
        while (remaining > 0)
        {
            var n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (n == 0) throw new SnapshotException($"{snapshotPath} is truncated: the header promises {info.Size} bytes of data, the file holds {info.Size - remaining}");
            sha.TransformBlock(buffer, 0, n, null, 0);
            remaining -= n;
        }
        sha.TransformFinalBlock([], 0, 0);
        if (input.Read(buffer, 0, 1) != 0) throw new SnapshotException($"{snapshotPath} is corrupt: it has data past the length its header gives");
        if (!string.Equals(Convert.ToHexStringLower(sha.Hash!), info.Sha256, StringComparison.Ordinal))
            throw new SnapshotException($"{snapshotPath} is corrupt: its SHA-256 does not match the one recorded when it was saved");
        return info;
    }

    /// <summary>
    /// Restores a verified snapshot into <paramref name="databasePath"/>. Refuses when a store is already there unless
    /// <paramref name="overwrite"/>, and always when that store is open in another process (a running server).
    /// Nothing at the destination changes unless the whole snapshot checked out.
    /// </summary>
    public static SnapshotInfo Restore(string snapshotPath, string databasePath, bool overwrite)
    {
        var info = Verify(snapshotPath);
        var exists = File.Exists(databasePath);
        if (exists && !overwrite)
            throw new SnapshotException($"a store already exists at {databasePath}; restore into a new data dir, or pass --force to replace it");
        if (exists && IsInUse(databasePath))
            throw new SnapshotException($"the store at {databasePath} is in use by a running server; stop it first");

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        var staged = TempPath(databasePath, ".restore");
        try
        {
            using (var input = OpenSnapshot(snapshotPath, out _, out _))
            using (var output = new FileStream(staged, FileMode.Create, FileAccess.Write))
            {
                CopyExactly(input, output, info.Size);
                output.Flush(flushToDisk: true);
            }
            var (revision, _, _) = Describe(staged);
            if (revision != info.Revision)
                throw new SnapshotException($"{snapshotPath} is corrupt: its data is at revision {revision}, its header says {info.Revision}");
            foreach (var suffix in new[] { "-wal", "-shm", "-journal" }) File.Delete(databasePath + suffix);
            File.Move(staged, databasePath, overwrite: true);
            return info;
        }
        finally
        {
            ClearPools();
            File.Delete(staged);
        }
    }

    /// <summary>
    /// True when another connection (a server) has the database open. Every connection to a WAL database holds a
    /// shared lock on it, so an exclusive lock can only be had when nobody else is there.
    /// </summary>
    public static bool IsInUse(string databasePath)
    {
        if (!File.Exists(databasePath)) return false;
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = databasePath,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
                DefaultTimeout = 1,
            }.ToString());
            connection.Open();
            SqliteSchema.Execute(connection, "PRAGMA busy_timeout = 0;");
            SqliteSchema.Execute(connection, "PRAGMA locking_mode = EXCLUSIVE;");
            SqliteSchema.Execute(connection, "BEGIN EXCLUSIVE; COMMIT;");
            return false;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            return true;
        }
    }

    /// <summary>Revision, compacted revision and live key count of a database file, checked for integrity first.</summary>
    internal static (long Revision, long Compact, long Keys) Describe(string databasePath)
    {
        try
        {
            using var connection = Open(databasePath, SqliteOpenMode.ReadOnly);
            using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA quick_check;";
                var result = check.ExecuteScalar() as string;
                if (result != "ok") throw new SnapshotException($"the database image is damaged: {result}");
            }
            var revision = LogReads.CurrentRevision(connection);
            var compact = LogReads.Meta(connection, null, SqliteSchema.CompactRevision);
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM kv k WHERE deleted = 0 AND revision = (SELECT max(revision) FROM kv WHERE key = k.key);";
            return (revision, compact, (long)count.ExecuteScalar()!);
        }
        catch (SqliteException e)
        {
            throw new SnapshotException($"the database image is damaged: {e.Message}");
        }
        finally
        {
            ClearPools();
        }
    }

    private static FileStream OpenSnapshot(string snapshotPath, out SnapshotInfo info, out long dataOffset)
    {
        if (!File.Exists(snapshotPath)) throw new SnapshotException($"{snapshotPath}: no such file");
        var input = File.OpenRead(snapshotPath);
        try
        {
            var magic = ReadLine(input);
            if (magic != Magic) throw new SnapshotException($"{snapshotPath} is not a K8sHost snapshot (it does not start with \"{Magic}\")");
            var header = ReadLine(input) ?? throw new SnapshotException($"{snapshotPath} is truncated: its header is missing");
            try
            {
                info = JsonSerializer.Deserialize<SnapshotInfo>(header) ?? throw new JsonException("empty header");
            }
            catch (JsonException e)
            {
                throw new SnapshotException($"{snapshotPath} is corrupt: its header does not parse ({e.Message})");
            }
            dataOffset = input.Position;
            return input;
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    // Reads one '\n'-terminated line of at most MaxHeaderBytes; null when the file ends first.
    private static string? ReadLine(Stream input)
    {
        var bytes = new List<byte>();
        while (bytes.Count < MaxHeaderBytes)
        {
            var b = input.ReadByte();
            if (b < 0) return null;
            if (b == '\n') return Encoding.UTF8.GetString([.. bytes]);
            bytes.Add((byte)b);
        }
        return null;
    }

    private static void CopyExactly(Stream input, Stream output, long count)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (n == 0) throw new SnapshotException("the snapshot ended early");
            output.Write(buffer, 0, n);
            count -= n;
        }
    }

    private static string HashOf(string path)
    {
        using var input = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(input));
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static string TempPath(string near, string suffix) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(near))!, $".{Path.GetFileName(near)}{suffix}-{Guid.NewGuid():N}");

    private static void ClearPools() => SqliteConnection.ClearAllPools();
}
