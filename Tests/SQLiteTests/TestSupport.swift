import Glibc
@testable import SQLite
import TestSupport

func writeFile(_ path: String, _ text: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0, "cannot create \(path)")
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    precondition(written == bytes.count)
    close(fd)
}

func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

func fileSize(_ path: String) -> Int {
    var info = stat()
    guard stat(path, &info) == 0 else { return -1 }
    return Int(info.st_size)
}

func isDirectory(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0 else { return false }
    return (info.st_mode & S_IFMT) == S_IFDIR
}

/// A connection on `dir/test.sqlite` with a small table for most tests.
func makeConnection(in dir: String, name: String = "test.sqlite", options: ConnectionOptions = ConnectionOptions()) throws -> Connection {
    try Connection(path: dir + "/" + name, options: options)
}

/// Runs `body`, expecting it to throw a SQLiteError, and returns that error.
func expectSQLiteError(_ body: () throws -> Void) -> SQLiteError? {
    do {
        try body()
        return nil
    } catch let error as SQLiteError {
        return error
    } catch {
        return nil
    }
}
