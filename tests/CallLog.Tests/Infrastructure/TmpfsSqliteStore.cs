using System.Diagnostics;

namespace CallLog.Tests.Infrastructure;

/// <summary>
/// A SQLite file on a small tmpfs of its own, which a test can fill up or make read-only. Mounting needs
/// root (CAP_SYS_ADMIN); elsewhere the tests that use it are skipped, saying so.
/// </summary>
public sealed class TmpfsSqliteStore : TestStore
{
    private string? _mount;

    public const int SizeMiB = 16;

    /// <summary>The mount point: the store's directory.</summary>
    public string Mount => _mount ?? throw new InvalidOperationException("not mounted");

    protected override async Task<string> CreateAsync()
    {
        var mount = PathFor("disk");
        Directory.CreateDirectory(mount);
        if (await RunAsync("mount", "-t", "tmpfs", "-o", $"size={SizeMiB}m", "tmpfs", mount) is { } problem)
        {
            throw new StoreUnavailableException($"a tmpfs for a full or read-only disk cannot be mounted here ({problem}); these tests need root");
        }
        _mount = mount;
        return Path.Combine(mount, "calllog.db");
    }

    public override string CallsSchemaSql => SqliteStore.SchemaSql;

    public override string CallsIndexIdentitySql => SqliteStore.IndexIdentitySql;

    public override Task<System.Data.Common.DbConnection> OpenConnectionAsync() => SqliteStore.OpenAsync(Db);

    /// <summary>Writes zeros into a file on the tmpfs until the disk is full; deleting the file frees the space.</summary>
    public async Task<string> FillAsync()
    {
        var filler = Path.Combine(Mount, "filler");
        await using var file = new FileStream(filler, FileMode.Create, FileAccess.Write);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                await file.WriteAsync(block);
                await file.FlushAsync();
            }
        }
        catch (IOException)
        {
            // No space left on device: full.
        }
        return filler;
    }

    public async Task RemountAsync(bool readOnly)
    {
        if (await RunAsync("mount", "-o", readOnly ? "remount,ro" : "remount,rw", Mount) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_mount is not null)
        {
            await RunAsync("umount", "-l", _mount);
        }
        await base.DisposeAsync();
    }

    /// <summary>Runs a system command; null when it succeeded, its error otherwise.</summary>
    private static async Task<string?> RunAsync(string program, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var process = Process.Start(info)!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? null : $"{program} exited {process.ExitCode}: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"{program}: {ex.Message}";
        }
    }
}
