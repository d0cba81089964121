#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// A swift-log handler that writes one line per record to stderr, plain or JSON (SPEC §7).
///
/// Each line goes out in a single `write(2)`, so lines from different threads do not
/// interleave (for lines up to PIPE_BUF bytes that is guaranteed by POSIX on pipes; in
/// practice it holds for terminals and files opened with O_APPEND too).
public struct StderrLogHandler: LogHandler {
    public let label: String
    public let format: LogFormat
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    /// 2 in production; tests point it at a pipe.
    let fileDescriptor: Int32

    public init(label: String, format: LogFormat, level: Logger.Level) {
        self.init(label: label, format: format, level: level, fileDescriptor: 2)
    }

    init(label: String, format: LogFormat, level: Logger.Level,
         metadataProvider: Logger.MetadataProvider? = nil, fileDescriptor: Int32) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.fileDescriptor = fileDescriptor
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        writeLine(line(for: event, timestamp: LogTimestamp.now()))
    }

    /// The line for `event`: handler metadata, then the provider's, then the call's, later
    /// ones winning on equal keys.
    func line(for event: LogEvent, timestamp: String) -> String {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, new in new }
        }
        if let own = event.metadata, !own.isEmpty {
            merged.merge(own) { _, new in new }
        }
        if let error = event.error {
            merged["error"] = .string(String(describing: error))
        }
        return LogLine.format(format, timestamp: timestamp, level: event.level, label: label,
                              message: event.message.description, metadata: merged)
    }

    /// One `write(2)` for the whole line; repeated only if the kernel took part of it.
    /// Logging must never fail the caller, so errors other than EINTR drop the line.
    private func writeLine(_ line: String) {
        var line = line
        line.withUTF8 { bytes in
            guard var next = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                let written = write(fileDescriptor, next, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                next += written
                remaining -= written
            }
        }
    }
}
