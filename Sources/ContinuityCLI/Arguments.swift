/// `--name value` flags and positionals of one subcommand; unknown flags are errors.
struct Arguments {
    var positionals: [String] = []
    var options: [String: String] = [:]
    var switches: Set<String> = []

    /// `valued`: flags that take a value; `flags`: flags that do not.
    init(_ args: ArraySlice<String>, valued: Set<String>, flags: Set<String> = []) throws {
        var it = args.makeIterator()
        while let a = it.next() {
            if a.hasPrefix("--") {
                var name = String(a.dropFirst(2))
                var value: String?
                if let eq = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                if flags.contains(name) {
                    switches.insert(name)
                } else if valued.contains(name) {
                    guard let v = value ?? it.next() else { throw UsageError("--\(name) needs a value") }
                    options[name] = v
                } else {
                    throw UsageError("unknown option --\(name)")
                }
            } else {
                positionals.append(a)
            }
        }
    }

    subscript(_ name: String) -> String? { options[name] }

    func required(_ name: String) throws -> String {
        guard let v = options[name] else { throw UsageError("--\(name) is required") }
        return v
    }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// sysexits.h codes, so cron and scripts can tell failures apart.
enum Exit {
    static let ok: Int32 = 0
    static let usage: Int32 = 64        // EX_USAGE
    static let dataError: Int32 = 65    // EX_DATAERR
    static let software: Int32 = 70     // EX_SOFTWARE
    static let cantCreate: Int32 = 73   // EX_CANTCREAT
    static let ioError: Int32 = 74      // EX_IOERR
    static let tempFail: Int32 = 75     // EX_TEMPFAIL: try again later (locked database)
    static let config: Int32 = 78       // EX_CONFIG
}
