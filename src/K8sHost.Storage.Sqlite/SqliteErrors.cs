using Microsoft.Data.Sqlite;

namespace K8sHost.Storage.Sqlite;

/// <summary>Turns engine and IO failures into the one exception the API layer maps to 503.</summary>
internal static class SqliteErrors
{
    public static bool IsStoreFailure(Exception ex) =>
        ex is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException;

    public static StoreUnavailableException Unavailable(Exception ex) =>
        ex as StoreUnavailableException ?? new StoreUnavailableException("sqlite: " + OneLine(ex.Message), ex);

    public static StoreUnavailableException Closed() => new("sqlite: the store is closed");

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
