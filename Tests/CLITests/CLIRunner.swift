import Foundation
import Testing

/// Runs the real `continuity` executable (built by `swift test` into the same folder as the
/// test bundle) against a database in a temporary folder.
struct CLI {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        get throws {
            let candidates = [Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL]
                .map { $0.appendingPathComponent("continuity") }
                + [packageRoot.appendingPathComponent(".build/debug/continuity")]
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
                throw CLIError("the continuity executable was not built (run `swift build` first)")
            }
            return found
        }
    }

    let folder: URL
    var database: String { folder.appendingPathComponent("c.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    struct Result {
        var status: Int32
        var reason: Process.TerminationReason
        var stdout: String
        var stderr: String
    }

    @discardableResult
    func run(_ args: [String], environment extra: [String: String?] = [:], in directory: URL = CLI.packageRoot,
             executable: URL? = nil) throws -> Result {
        let p = Process()
        p.executableURL = try executable ?? CLI.binary
        p.arguments = executable == nil ? args : Array(args.dropFirst())
        p.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CONTINUITY_") && $0.key != "CTY_FAULT" }
        env["CONTINUITY_DATABASE_PATH"] = database
        env["CONTINUITY_LOG_LEVEL"] = "error"
        for (k, v) in extra { env[k] = v }  // nil unsets
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, reason: p.terminationReason,
                      stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
