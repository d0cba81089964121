import Glibc
@testable import Config

/// The package root, found from this file's location (Tests/ConfigTests/…).
let packageRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

let shippedConfigPath = packageRoot + "/config/continuity.conf"

/// Parses `text` over the defaults.
func makeSettings(_ text: String, file: String = "test.conf") throws -> Settings {
    var settings = Settings()
    try ConfigLoader.parse(text: text, file: file, into: &settings)
    return settings
}

/// The error `body` throws, as a `ConfigError`, or nil when it does not throw one.
func configError(_ body: () throws -> Void) -> ConfigError? {
    do {
        try body()
        return nil
    } catch let error as ConfigError {
        return error
    } catch {
        return nil
    }
}

/// Writes `text` to a new temporary file and answers its path.
func makeTemporaryFile(_ text: String) -> String {
    var template = Array("/tmp/continuity-config-XXXXXX.conf".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 5) }
    precondition(fd >= 0, "mkstemps failed")
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    precondition(written == bytes.count)
    close(fd)
    return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}
