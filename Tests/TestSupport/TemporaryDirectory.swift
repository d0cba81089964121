import Glibc

/// A fresh directory from mkdtemp(3), removed with everything in it after `body`.
@discardableResult
public func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = makeTemporaryDirectory()
    defer { removeRecursively(path) }
    return try body(path)
}

@discardableResult
public func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = makeTemporaryDirectory()
    defer { removeRecursively(path) }
    return try await body(path)
}

public func makeTemporaryDirectory() -> String {
    var template = Array("/tmp/continuity-sqlite-tests-XXXXXX".utf8CString)
    let result = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(result != nil, "mkdtemp failed")
    return String(cString: result!)
}

public func removeRecursively(_ path: String) {
    if let dir = opendir(path) {
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            removeRecursively(path + "/" + name)
        }
        closedir(dir)
        rmdir(path)
    } else {
        unlink(path)
    }
}
