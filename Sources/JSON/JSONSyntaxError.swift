/// Why a document is not strict RFC 8259 JSON, and where.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 0-based byte offset of the offending byte (the input length for an early end).
    public let offset: Int
    /// 1-based line: 1 + the number of `\n` bytes before `offset`.
    public let line: Int
    /// 1-based column in Unicode scalars (UTF-8 lead bytes) since the last `\n`.
    public let column: Int
    /// A short phrase, e.g. "unexpected ','" or "duplicate key \"id\"".
    public let message: String

    public init(offset: Int, line: Int, column: Int, message: String) {
        self.offset = offset
        self.line = line
        self.column = column
        self.message = message
    }

    /// Locates `offset` in `bytes` to fill in line and column.
    init(message: String, offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        var line = 1
        var column = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        self.init(offset: offset, line: line, column: column, message: message)
    }

    /// "unexpected ',' at line 1, column 9 (byte 8)"
    public var description: String {
        "\(message) at line \(line), column \(column) (byte \(offset))"
    }
}
