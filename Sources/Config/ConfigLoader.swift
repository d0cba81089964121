#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import POSIX

/// Loads `Settings` from built-in defaults, an INI file and `CONTINUITY_*` environment
/// variables, in that order of precedence (SPEC §6).
///
/// The file format: `[section]` headers, `key = value` lines, `#` or `;` comment lines, blank
/// lines. In an unquoted value `#` or `;` starts a comment; a value in double quotes keeps
/// them (`\"` and `\\` escape inside quotes). Unknown sections, keys and
/// `CONTINUITY_*` variables are errors, so a typo never silently leaves a default in place.
public enum ConfigLoader {
    /// Read when no `--config` is given, if it exists.
    public static let defaultPath = "config/continuity.conf"
    public static let environmentPrefix = "CONTINUITY_"

    /// path nil -> "config/continuity.conf" if it exists, else defaults only.
    /// An explicit path that cannot be read is an error.
    public static func load(path: String?, environment: [String: String]) throws -> Settings {
        var settings = Settings()
        if let path {
            try parse(text: readFile(path), file: path, into: &settings)
        } else if access(defaultPath, F_OK) == 0 {
            try parse(text: readFile(defaultPath), file: defaultPath, into: &settings)
        }
        try applyEnvironment(environment, to: &settings)
        try settings.validate()
        return settings
    }

    /// Every key as (section, key, default text, comment).
    public static var keys: [ConfigKey] { table }

    /// Applies the keys in `text` on top of `settings`. Errors name `file` and the line.
    public static func parse(text: String, file: String, into settings: inout Settings) throws {
        _ = try parseAssignments(text: text, file: file, into: &settings)
    }

    /// `parse`, answering the keys the text set, as "section.key", in file order.
    static func parseAssignments(text: String, file: String, into settings: inout Settings) throws -> [String] {
        var assigned: [String] = []
        var section: String?
        var firstSeen: [String: Int] = [:]   // "section.key" -> line number
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so it must be named as a separator of its own.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            func fail(_ reason: String) -> ConfigError { ConfigError("\(file):\(lineNumber): \(reason)") }

            var line = Substring(rawLine)
            if line.last == "\r" { line.removeLast() }
            let content = ConfigValue.trimmed(line)
            if content.isEmpty || content.hasPrefix("#") || content.hasPrefix(";") { continue }

            if content.hasPrefix("[") {
                guard content.hasSuffix("]"), content.count >= 2 else {
                    throw fail("a section header must look like [name], got \(ConfigValue.quoted(content))")
                }
                let name = ConfigValue.trimmed(content.dropFirst().dropLast())
                guard isName(name) else {
                    throw fail("section name \(ConfigValue.quoted(name)) must be lower case letters, digits and _")
                }
                guard sections.contains(name) else {
                    throw fail("unknown section [\(name)]; known sections: \(sections.joined(separator: ", "))")
                }
                section = name
                continue
            }

            guard let equals = content.firstIndex(of: "=") else {
                throw fail("expected 'key = value', a [section] header or a comment, got \(ConfigValue.quoted(content))")
            }
            let name = ConfigValue.trimmed(content[..<equals])
            guard isName(name) else {
                throw fail("key name \(ConfigValue.quoted(name)) must be lower case letters, digits and _")
            }
            guard let section else {
                throw fail("key '\(name)' appears before any [section] header")
            }
            guard let entry = table.first(where: { $0.section == section && $0.key == name }) else {
                throw fail("unknown key '\(name)' in section [\(section)]")
            }
            if let earlier = firstSeen["\(section).\(name)"] {
                throw fail("key '\(name)' in section [\(section)] is already set on line \(earlier)")
            }
            firstSeen["\(section).\(name)"] = lineNumber
            assigned.append("\(section).\(name)")

            let value: String
            do {
                value = try valueText(content[content.index(after: equals)...])
            } catch {
                throw fail("invalid value for '\(name)' in section [\(section)]: \(error.reason)")
            }
            do {
                try entry.apply(value, &settings)
            } catch {
                throw fail("invalid value for '\(name)' in section [\(section)]: \(error.reason)")
            }
        }
        return assigned
    }

    /// Applies `CONTINUITY_<SECTION>_<KEY>` variables; any other `CONTINUITY_` variable is an error.
    public static func applyEnvironment(_ environment: [String: String], to settings: inout Settings) throws {
        // Sorted so that, with several mistakes, the same one is reported every run.
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix(environmentPrefix) {
            guard let entry = table.first(where: { $0.environmentName == name }) else {
                throw ConfigError("environment variable \(name) names no configuration key (expected \(environmentPrefix)<SECTION>_<KEY>, e.g. CONTINUITY_SERVER_PORT)")
            }
            do {
                try entry.apply(value, &settings)
            } catch {
                throw ConfigError("environment variable \(name): invalid value for '\(entry.key)' in section [\(entry.section)]: \(error.reason)")
            }
        }
    }

    /// The process environment, read from `environ`.
    public static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        let start: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ
        guard var cursor = start else { return result }
        while let entry = cursor.pointee {
            let pair = String(cString: entry)
            if let equals = pair.firstIndex(of: "=") {
                let name = String(pair[..<equals])
                // The first definition wins, as with getenv(3).
                if result[name] == nil { result[name] = String(pair[pair.index(after: equals)...]) }
            }
            cursor += 1
        }
        return result
    }

    /// The whole file as UTF-8 text.
    static func readFile(_ path: String) throws -> String {
        let bytes: [UInt8]
        do {
            guard let read = try readWholeFile(path) else {
                throw ConfigError("\(path): cannot open config file: \(String(cString: strerror(ENOENT)))")
            }
            bytes = read
        } catch let e as SystemCallError {
            throw ConfigError("\(path): cannot read config file: \(String(cString: strerror(e.errno)))")
        }
        if bytes.count > 1 << 20 {
            throw ConfigError("\(path): config file is larger than 1 MiB")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError("\(path): config file is not valid UTF-8")
        }
        return text
    }

    /// The value after `=`: trimmed, unquoted, with a trailing comment removed.
    static func valueText(_ raw: Substring) throws(ConfigValue.InvalidValue) -> String {
        let text = Substring(ConfigValue.trimmed(raw))
        guard text.first == "\"" else {
            let end = text.firstIndex(where: { $0 == "#" || $0 == ";" }) ?? text.endIndex
            return ConfigValue.trimmed(text[..<end])
        }
        var value = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let ch = text[index]
            if ch == "\"" {
                let rest = ConfigValue.trimmed(text[text.index(after: index)...])
                guard rest.isEmpty || rest.hasPrefix("#") || rest.hasPrefix(";") else {
                    throw ConfigValue.InvalidValue(reason: "unexpected text after the closing quote: \(ConfigValue.quoted(rest))")
                }
                return value
            }
            if ch == "\\" {
                let next = text.index(after: index)
                guard next < text.endIndex, text[next] == "\"" || text[next] == "\\" else {
                    throw ConfigValue.InvalidValue(reason: "only \\\" and \\\\ may follow a backslash inside quotes")
                }
                value.append(text[next])
                index = text.index(after: next)
                continue
            }
            value.append(ch)
            index = text.index(after: index)
        }
        throw ConfigValue.InvalidValue(reason: "the quoted value has no closing quote")
    }

    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
        }
    }

    static func errnoText() -> String {
        let code = errno
        return "\(String(cString: strerror(code))) (errno \(code))"
    }
}
