/// The command line's grammar as a table (SPEC §5): each command is its words, its positional
/// arguments and its options; one parser reads argv against the table, and the same table
/// writes every `--help`. Unknown commands and options get a did-you-mean; extra arguments,
/// missing values and missing required options are usage errors (exit 64).
struct CommandSpec: Sendable {
    /// `["token", "create"]`.
    let words: [String]
    /// Placeholders of the positional arguments, all required: `["FILE"]`.
    let positionals: [String]
    let options: [OptionSpec]
    /// One line for the overview.
    let summary: String
    /// A paragraph for the command's own `--help`.
    let details: String

    var name: String { words.joined(separator: " ") }

    init(_ words: [String], _ positionals: [String] = [], _ options: [OptionSpec] = [], summary: String, details: String) {
        self.words = words
        self.positionals = positionals
        self.options = options + [OptionSpec.config]
        self.summary = summary
        self.details = details
    }

    func option(_ name: String) -> OptionSpec? { options.first { $0.name == name } }

    /// `continuity token create --name NAME --role ROLE [--team TEAM] [--config FILE]`.
    var synopsis: String {
        var parts = ["continuity"] + words + positionals
        for o in options {
            let text = "--" + o.name + (o.value.map { " " + $0 } ?? "")
            parts.append(o.required ? text : "[" + text + "]")
        }
        return parts.joined(separator: " ")
    }

    var help: String {
        var lines = ["usage: " + synopsis, "", details, "", "options:"]
        let width = options.map { $0.name.count + ($0.value?.count ?? -1) + 1 }.max() ?? 0
        for o in options + [OptionSpec("help", help: "show this help and exit")] {
            let left = "--" + o.name + (o.value.map { " " + $0 } ?? "")
            lines.append("  " + left + String(repeating: " ", count: max(1, width + 5 - left.count)) + o.help)
        }
        return lines.joined(separator: "\n")
    }
}

struct OptionSpec: Sendable {
    let name: String
    /// The value's placeholder (`FILE`), or nil for a switch such as `--gzip`.
    let value: String?
    let required: Bool
    let help: String

    init(_ name: String, _ value: String? = nil, required: Bool = false, help: String) {
        self.name = name
        self.value = value
        self.required = required
        self.help = help
    }

    static let config = OptionSpec("config", "FILE", help: "configuration file (default: config/continuity.conf if present)")
}

/// What one command was given, checked against its spec.
struct Arguments: Equatable {
    var positionals: [String] = []
    var options: [String: String] = [:]
    var switches: Set<String> = []

    subscript(_ name: String) -> String? { options[name] }

    func required(_ name: String) throws -> String {
        guard let v = options[name] else { throw UsageError("--\(name) is required") }
        return v
    }
}

enum ParsedCommandLine: Equatable {
    case run(command: String, Arguments)
    /// `--help` of one command (nil: the overview).
    case help(command: String?)
    case version
}

struct UsageError: Error, CustomStringConvertible, Equatable {
    let description: String
    /// The command whose usage to point at, if known.
    var command: String?
    init(_ d: String, command: String? = nil) {
        description = d
        self.command = command
    }
}

struct CommandLineParser: Sendable {
    let commands: [CommandSpec]

    func spec(_ name: String) -> CommandSpec? { commands.first { $0.name == name } }

    func parse(_ argv: [String]) throws(UsageError) -> ParsedCommandLine {
        guard let first = argv.first else { throw UsageError("no command given") }
        switch first {
        case "--help", "-h": return .help(command: nil)
        case "--version":
            guard argv.count == 1 else { throw UsageError("--version takes no arguments") }
            return .version
        case "help":
            guard argv.count > 1 else { return .help(command: nil) }
            return .help(command: try command(for: Array(argv.dropFirst())).spec.name)
        default: break
        }
        let (spec, rest) = try command(for: argv)
        var a = Arguments()
        var it = rest.makeIterator()
        var onlyPositionals = false
        while let word = it.next() {
            if !onlyPositionals && (word == "--help" || word == "-h") { return .help(command: spec.name) }
            if !onlyPositionals && word == "--" {
                onlyPositionals = true
            } else if !onlyPositionals && word.hasPrefix("-") && word != "-" {
                var name = String(word.drop { $0 == "-" })
                var value: String?
                if let eq = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                guard word.hasPrefix("--"), let option = spec.option(name) else {
                    throw UsageError("unknown option \(word) for '\(spec.name)'"
                                     + didYouMean(name, among: spec.options.map(\.name), prefix: "--"), command: spec.name)
                }
                guard a.options[name] == nil && !a.switches.contains(name) else {
                    throw UsageError("--\(name) is given twice", command: spec.name)
                }
                if let placeholder = option.value {
                    guard let v = value ?? it.next() else { throw UsageError("--\(name) needs a value (\(placeholder))", command: spec.name) }
                    a.options[name] = v
                } else {
                    guard value == nil else { throw UsageError("--\(name) takes no value", command: spec.name) }
                    a.switches.insert(name)
                }
            } else {
                a.positionals.append(word)
            }
        }
        if a.positionals.count > spec.positionals.count {
            let extra = a.positionals[spec.positionals.count...].map { "'\($0)'" }.joined(separator: " ")
            throw UsageError("unexpected argument\(a.positionals.count - spec.positionals.count > 1 ? "s" : "") \(extra) for '\(spec.name)'",
                             command: spec.name)
        }
        if a.positionals.count < spec.positionals.count {
            throw UsageError("'\(spec.name)' needs \(spec.positionals[a.positionals.count...].joined(separator: " "))", command: spec.name)
        }
        for o in spec.options where o.required && a.options[o.name] == nil {
            throw UsageError("'\(spec.name)' needs --\(o.name) \(o.value ?? "")", command: spec.name)
        }
        return .run(command: spec.name, a)
    }

    /// The command named by the first one or two words, and the words after them.
    private func command(for argv: [String]) throws(UsageError) -> (spec: CommandSpec, rest: ArraySlice<String>) {
        let first = argv[0]
        let group = commands.filter { $0.words[0] == first }
        if group.isEmpty {
            let names = Array(Set(commands.map { $0.words[0] })).sorted()
            throw UsageError("unknown command '\(first)'" + didYouMean(first, among: names))
        }
        if let single = group.first(where: { $0.words.count == 1 }) { return (single, argv.dropFirst()) }
        let subs = group.map { $0.words[1] }
        guard argv.count > 1, let spec = group.first(where: { $0.words[1] == argv[1] }) else {
            if argv.count > 1 {
                throw UsageError("unknown command '\(first) \(argv[1])'" + didYouMean(argv[1], among: subs, prefix: first + " "))
            }
            throw UsageError("'\(first)' needs one of: " + subs.joined(separator: ", "))
        }
        return (spec, argv.dropFirst(2))
    }

    /// The overview of every command (`continuity --help`).
    var overview: String {
        let names = commands.map { ($0.words + $0.positionals).joined(separator: " ") }
        let width = names.map(\.count).max() ?? 0
        var lines = ["usage: continuity <command> [options]", ""]
        for (name, c) in zip(names, commands) {
            lines.append("  " + name + String(repeating: " ", count: width + 3 - name.count) + c.summary)
        }
        lines += ["", "Every command takes --config FILE (default: config/continuity.conf if present) and --help.",
                  "continuity --version prints the version."]
        return lines.joined(separator: "\n")
    }
}

/// ", did you mean 'migrate'?" for the candidate closest to `word` (edit distance at most 2,
/// or a prefix of three letters or more), else "".
func didYouMean(_ word: String, among candidates: [String], prefix: String = "") -> String {
    let scored = candidates.map { ($0, editDistance(word, $0)) }
    let near = scored.filter { $0.1 <= 2 || (word.count >= 3 && $0.0.hasPrefix(word)) }
    guard let best = near.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return "" }
    return "; did you mean '\(prefix)\(best.0)'?"
}

/// Levenshtein distance over characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in stride(from: 1, through: b.count, by: 1) {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

/// sysexits.h codes, so cron and scripts can tell failures apart.
enum Exit {
    static let ok: Int32 = 0
    static let failure: Int32 = 1       // healthcheck: the server did not answer 200
    static let usage: Int32 = 64        // EX_USAGE
    static let dataError: Int32 = 65    // EX_DATAERR
    static let noInput: Int32 = 66      // EX_NOINPUT: the input file or database does not exist
    static let software: Int32 = 70     // EX_SOFTWARE: an internal error
    static let cantCreate: Int32 = 73   // EX_CANTCREAT
    static let ioError: Int32 = 74      // EX_IOERR
    static let tempFail: Int32 = 75     // EX_TEMPFAIL: try again later (locked database)
    static let config: Int32 = 78       // EX_CONFIG
}
