/// An error that can say, for a log line, what locates its fault (a code, the SQL text, a
/// table and column) — never personal data. An internal error's log line carries these
/// fields beside the request id, while the client only gets the request id.
public protocol Diagnosable: Error {
    var diagnostics: [String: String] { get }
}
