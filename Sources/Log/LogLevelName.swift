import Logging

/// The level named by `s` (`trace` … `critical`, any case, `warn` for `warning`), or nil.
public func parseLogLevel(_ s: String) -> Logger.Level? {
    var name = Substring(s)
    while name.first == " " || name.first == "\t" { name.removeFirst() }
    while name.last == " " || name.last == "\t" { name.removeLast() }
    let lower = name.lowercased()
    if lower == "warn" { return .warning }
    return Logger.Level(rawValue: lower)
}
