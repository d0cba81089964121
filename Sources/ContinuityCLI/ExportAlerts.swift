import App
import API
import Continuity
import Glibc
import HTTP
import Store

extension Commands {
    /// `continuity export-alerts` (SPEC §5) for cron. Steps, each safe to be killed after:
    /// 1. write the events after the consumer's cursor to a temporary file beside FILE, fsync;
    /// 2. in one transaction: move the cursor and record the temporary file as pending;
    /// 3. rename it to FILE, fsync the directory; 4. clear pending.
    /// A later run finishes a pending export first (rename if the temporary file is still
    /// there). So nothing is exported twice and nothing skipped. A lock file per consumer keeps
    /// two overlapping runs apart (exit 75, try again later).
    static func exportAlerts(_ a: Arguments) throws -> Int32 {
        let consumer = try a.required("consumer"), out = try a.required("out")
        guard consumer.utf8.count <= 64, consumer.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "/") }) else {
            throw UsageError("--consumer must be 1-64 printable characters without '/'")
        }
        let format = a["format"] ?? "ndjson"
        guard format == "ndjson" || format == "csv" else { throw UsageError("--format must be ndjson or csv") }
        let env = try Environment(configPath: a["config"])

        let lockPath = env.settings.databasePath + ".export-" + consumer + ".lock"
        let lock = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw SystemError("open \(lockPath)", errno) }
        defer { close(lock) }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            printError("another export for consumer '\(consumer)' is running; try again later")
            return Exit.tempFail
        }

        let store = try env.openStore()
        defer { store.database.close() }

        // Finish a run that was killed after step 2.
        var state = try store.exportState(consumer: consumer)
        if let tmp = state.pendingTmp, let pendingOut = state.pendingOut {
            if access(tmp, F_OK) == 0 {
                guard access(pendingOut, F_OK) != 0 else {
                    printError("\(pendingOut) exists; move it away so the interrupted export can be completed")
                    return Exit.cantCreate
                }
                try place(tmp, at: pendingOut)
                try store.finishExport(consumer: consumer)
                printError("completed an interrupted export into \(pendingOut)")
            } else if access(pendingOut, F_OK) == 0 {
                try store.finishExport(consumer: consumer)
            } else {
                try store.abandonExport(consumer: consumer)
                printError("an interrupted export's file was lost; its events are exported again")
            }
            state = try store.exportState(consumer: consumer)
        }

        guard access(out, F_OK) != 0 else {
            printError("\(out) exists; an export never overwrites a file its consumer may not have read yet")
            return Exit.cantCreate
        }
        let events = try store.alertEvents(scope: .all, after: state.lastSeq, limit: Int.max)
        var bytes: [UInt8] = format == "csv" ? Array(EventFormat.csv(events).utf8) : EventFormat.ndjson(events)
        if a.switches.contains("gzip") {
            guard let z = Gzip.compress(bytes) else { throw SystemError("gzip", 0) }
            bytes = z
        }
        let tmpPrefix = ".continuity-export-" + consumer + ".tmp-"
        removeStaleTemporaries(in: directory(of: out), prefix: tmpPrefix)
        let tmp = directory(of: out) + "/" + tmpPrefix + "\(getpid())"
        try writeDurably(bytes, to: tmp)
        syncDirectory(of: tmp)
        Fault.point("export-after-write")
        let last = events.last?.seq ?? state.lastSeq
        guard try store.beginExport(consumer: consumer, from: state.lastSeq, to: last, tmp: tmp, out: out) else {
            unlink(tmp)
            printError("the cursor of '\(consumer)' moved during the export; nothing written")
            return Exit.tempFail
        }
        Fault.point("export-after-begin")
        try place(tmp, at: out)
        Fault.point("export-after-rename")
        try store.finishExport(consumer: consumer)
        print(events.count)
        return Exit.ok
    }

    /// Temporary files of this consumer's earlier runs that were killed before recording
    /// them (we hold the consumer's lock and nothing is pending, so none is in use).
    static func removeStaleTemporaries(in dir: String, prefix: String) {
        guard let d = opendir(dir) else { return }
        defer { closedir(d) }
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            // Only `<prefix><pid>`: another consumer's name may start with this prefix too.
            let rest = name.dropFirst(prefix.count)
            if name.hasPrefix(prefix), !rest.isEmpty, rest.allSatisfy(\.isNumber) { unlink(dir + "/" + name) }
        }
    }

    static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw SystemError("create \(path)", errno) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                unlink(path)
                throw SystemError("write \(path)", e)
            }
            offset += n
        }
        guard fsync(fd) == 0 else { throw SystemError("fsync \(path)", errno) }
    }

    /// rename(2) is atomic; fsync of the directory makes the new name durable.
    static func place(_ tmp: String, at out: String) throws {
        guard rename(tmp, out) == 0 else { throw SystemError("rename \(tmp) to \(out)", errno) }
        syncDirectory(of: out)
    }

    /// A new or renamed directory entry is durable only once the directory is fsynced.
    static func syncDirectory(of path: String) {
        let dir = open(directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

}

struct SystemError: Error, CustomStringConvertible {
    let call: String
    let code: Int32
    init(_ call: String, _ code: Int32) { self.call = call; self.code = code }
    var description: String { "\(call) failed: \(String(cString: strerror(code))) (errno \(code))" }

}

/// Crash points for the tests that kill an export halfway (`CTY_FAULT=<point>` makes the
/// process kill itself with SIGKILL there). Not a configuration key: tests only.
enum Fault {
    static let armed: String? = getenv("CTY_FAULT").map { String(cString: $0) }
    static func point(_ name: String) {
        if armed == name { kill(getpid(), SIGKILL) }
    }
}
