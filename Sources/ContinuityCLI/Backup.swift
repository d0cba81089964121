import App
import Glibc
import POSIX

extension Commands {
    /// `continuity backup FILE` (SPEC §5, §10): a consistent copy of the live database while the
    /// server runs, verified, placed atomically with mode 0600. Steps, each safe to be killed
    /// after: copy into a temporary file beside FILE (created 0600), integrity_check it, fsync
    /// it, rename it to FILE, fsync the directory. A copy that fails the check is removed and
    /// FILE is left as it was.
    static func backup(_ a: Arguments) throws -> Int32 {
        let out = a.positionals[0]
        let env = try Environment(configPath: a["config"])
        let source = env.settings.databasePath
        guard access(source, F_OK) == 0 else {
            printError("no database at \(source) (set [database] path or CONTINUITY_DATABASE_PATH)")
            return Exit.noInput
        }
        if let same = sameFile(source, out), same {
            throw UsageError("FILE is the database itself; back it up to another file", command: "backup")
        }
        var info = stat()
        if stat(out, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw UsageError("\(out) is a directory; name the backup file", command: "backup")
        }
        let started = monotonicSeconds()
        let tmp = directory(of: out) + "/." + baseName(of: out) + ".tmp-\(getpid())"
        // Created here with 0600, so SQLite opens a file only the service's user can read (and
        // gives its journal the same mode).
        let fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError("create \(tmp)", errno) }
        close(fd)
        var placed = false
        defer { if !placed { unlink(tmp) } }

        let progress = Progress("backup")
        let summary = try env.backupDatabase(into: tmp) { done, total in progress.update(done, of: total, unit: "pages") }
        progress.finish()
        guard summary.integrity == "ok" else {
            printError("the copy fails integrity_check, so \(out) was not written: \(summary.integrity)")
            return Exit.dataError
        }
        let copyFD = open(tmp, O_RDONLY | O_CLOEXEC)
        guard copyFD >= 0 else { throw SystemError("open \(tmp)", errno) }
        let synced = fsync(copyFD)
        let syncError = errno
        close(copyFD)
        guard synced == 0 else { throw SystemError("fsync \(tmp)", syncError) }
        try place(tmp, at: out)
        placed = true
        let milliseconds = Int((monotonicSeconds() - started) * 1000)
        let tenthsOfMiB = Int((Double(summary.bytes) / 104_857.6).rounded())
        print("backed up \(source) to \(out): \(summary.pages) pages of \(summary.pageSize) bytes "
              + "(\(tenthsOfMiB / 10).\(tenthsOfMiB % 10) MiB) in \(milliseconds) ms; integrity_check ok; mode 0600")
        return Exit.ok
    }

    /// Whether two paths name the same file (nil when either does not exist).
    static func sameFile(_ a: String, _ b: String) -> Bool? {
        var x = stat(), y = stat()
        guard stat(a, &x) == 0, stat(b, &y) == 0 else { return nil }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
