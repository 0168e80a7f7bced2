using System.Runtime.InteropServices;

namespace CallLog.Storage;

/// <summary>
/// SQLite's column accessors called on a statement's raw pointer, for the list's row loop alone
/// (<see cref="SqliteRows"/>): through SQLitePCL each call adds and releases a reference on the statement's
/// SafeHandle and makes a full GC transition, and a page of 100 makes about 1,500 such calls (a profile's
/// share is in docs/storage.md). The caller holds one reference on the statement while it uses the pointer.
/// These functions return at once (no I/O, no callbacks into .NET), which is what
/// <see cref="SuppressGCTransitionAttribute"/> asks of them. The library is the e_sqlite3 that SQLitePCL loads.
/// </summary>
internal static unsafe partial class SqliteColumns
{
    private const string Library = "e_sqlite3";

    [LibraryImport(Library, EntryPoint = "sqlite3_column_type")]
    [SuppressGCTransition]
    public static partial int Type(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    [SuppressGCTransition]
    public static partial long Int64(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_blob")]
    [SuppressGCTransition]
    private static partial byte* Blob(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    [SuppressGCTransition]
    private static partial int Bytes(nint statement, int column);

    /// <summary>The column's bytes where SQLite keeps them, valid until the statement steps or resets.</summary>
    public static ReadOnlySpan<byte> Utf8(nint statement, int column)
    {
        // SQLite's order: the pointer first, then its length (sqlite3_column_bytes after sqlite3_column_blob).
        var bytes = Blob(statement, column);
        var length = Bytes(statement, column);
        return bytes is null ? [] : new ReadOnlySpan<byte>(bytes, length);
    }
}
