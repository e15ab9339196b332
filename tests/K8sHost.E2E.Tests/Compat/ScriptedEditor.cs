namespace K8sHost.E2E.Tests.Compat;

/// <summary>
/// A non-interactive editor for `kubectl edit`: a small sh script that runs sed on the file kubectl hands it, so the
/// real edit flow (GET → editor → strategic merge PATCH) runs without a terminal.
/// </summary>
internal sealed class ScriptedEditor : IDisposable
{
    private readonly string _dir;

    public ScriptedEditor(string sedExpression)
    {
        _dir = Directory.CreateTempSubdirectory("kubectl-editor-").FullName;
        Path = System.IO.Path.Combine(_dir, "editor.sh");
        File.WriteAllText(Path, $"#!/bin/sh\nsed -i '{sedExpression}' \"$1\"\n");
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
