import SQLite

/// What `continuity backup` copied (SPEC §5, §10).
public struct BackupResult: Sendable {
    public var pages: Int
    public var pageSize: Int
    public var bytes: Int
    /// `integrity_check` of the copy: "ok", or what it found.
    public var integrity: String
}

extension Environment {
    /// Copies the live database into `file` (which must exist, created 0600 by the caller) with
    /// SQLite's online backup API while the server may be writing, then checks the copy with
    /// `integrity_check`. The CLI keeps the file steps (temporary name, fsync, rename); the
    /// database steps live here, with the rest of the composition root.
    public func backupDatabase(into file: String, progress: (Int, Int) -> Void) throws -> BackupResult {
        let database = try Connection(path: settings.databasePath, options: {
            var o = ConnectionOptions()
            o.readOnly = true
            o.busyTimeoutMilliseconds = Int32(settings.databaseBusyTimeoutMs)
            return o
        }())
        defer { database.close() }
        let summary = try database.backup(into: file, progress: progress)
        let copy = try Connection(path: file, options: { var o = ConnectionOptions(); o.readOnly = true; return o }())
        defer { copy.close() }
        return BackupResult(pages: summary.pages, pageSize: summary.pageSize, bytes: summary.bytes,
                            integrity: try copy.integrityCheck())
    }
}
