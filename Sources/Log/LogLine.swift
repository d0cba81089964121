import Logging

/// Turns one log record into one line of text, newline included.
///
/// Plain: `2026-11-23T10:00:00.123Z info continuity: message key=value key2="two words"`.
/// JSON:  `{"ts":"…","level":"info","label":"continuity","msg":"…","key":"value"}`.
/// Metadata is sorted by key so lines are stable. A record never spans two lines: control
/// characters in messages and metadata are escaped in both formats.
enum LogLine {
    /// Fields every JSON line starts with; metadata keys that collide get a `_` prefix.
    static let reservedJSONKeys: Set<String> = ["ts", "level", "label", "msg"]

    static func format(
        _ format: LogFormat, timestamp: String, level: Logger.Level, label: String,
        message: String, metadata: Logger.Metadata
    ) -> String {
        switch format {
        case .plain: return plain(timestamp: timestamp, level: level, label: label, message: message, metadata: metadata)
        case .json: return json(timestamp: timestamp, level: level, label: label, message: message, metadata: metadata)
        }
    }

    // MARK: Plain

    static func plain(
        timestamp: String, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> String {
        var line = timestamp
        line.append(" ")
        line.append(level.rawValue)
        line.append(" ")
        appendEscapingControls(label, to: &line)
        line.append(": ")
        appendEscapingControls(message, to: &line)
        for key in metadata.keys.sorted() {
            line.append(" ")
            appendPlainToken(key, to: &line)
            line.append("=")
            appendPlainToken(plainText(metadata[key]!), to: &line)
        }
        line.append("\n")
        return line
    }

    /// Nested metadata is shown as compact JSON, which reads well and is unambiguous.
    static func plainText(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let value): return value.description
        case .array, .dictionary:
            var out = ""
            appendJSON(value, to: &out)
            return out
        }
    }

    /// A key or value, quoted (JSON-style) when it would otherwise be ambiguous.
    static func appendPlainToken(_ text: String, to out: inout String) {
        let needsQuotes = text.isEmpty || text.unicodeScalars.contains {
            $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F
        }
        if needsQuotes {
            appendJSONString(text, to: &out)
        } else {
            out.append(text)
        }
    }

    /// The text as is, except that control characters are written as escapes.
    static func appendEscapingControls(_ text: String, to out: inout String) {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            out.append(text)
            return
        }
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                appendEscape(scalar, to: &out)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }

    // MARK: JSON

    static func json(
        timestamp: String, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> String {
        var line = "{\"ts\":"
        appendJSONString(timestamp, to: &line)
        line.append(",\"level\":")
        appendJSONString(level.rawValue, to: &line)
        line.append(",\"label\":")
        appendJSONString(label, to: &line)
        line.append(",\"msg\":")
        appendJSONString(message, to: &line)
        var used = reservedJSONKeys.union(metadata.keys)
        for key in metadata.keys.sorted() {
            var name = key
            if reservedJSONKeys.contains(key) {
                // Duplicate keys are ambiguous JSON; keep the record's own fields authoritative.
                repeat { name = "_" + name } while used.contains(name)
                used.insert(name)
            }
            line.append(",")
            appendJSONString(name, to: &line)
            line.append(":")
            appendJSON(metadata[key]!, to: &line)
        }
        line.append("}\n")
        return line
    }

    static func appendJSON(_ value: Logger.MetadataValue, to out: inout String) {
        switch value {
        case .string(let text):
            appendJSONString(text, to: &out)
        case .stringConvertible(let value):
            if let number = jsonNumber(value) {
                out.append(number)
            } else {
                appendJSONString(value.description, to: &out)
            }
        case .array(let values):
            out.append("[")
            for (index, element) in values.enumerated() {
                if index > 0 { out.append(",") }
                appendJSON(element, to: &out)
            }
            out.append("]")
        case .dictionary(let dictionary):
            out.append("{")
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { out.append(",") }
                appendJSONString(key, to: &out)
                out.append(":")
                appendJSON(dictionary[key]!, to: &out)
            }
            out.append("}")
        }
    }

    /// Integers, finite floating-point numbers and booleans given as `.stringConvertible` are
    /// written as JSON numbers and literals (`"status":200`), so log queries can compare them;
    /// text stays a string even when it looks like a number (`"\(n)"` metadata is `.string`).
    static func jsonNumber(_ value: any CustomStringConvertible & Sendable) -> String? {
        switch value {
        case let b as Bool: return b ? "true" : "false"
        case let i as any BinaryInteger: return i.description
        // Swift prints `1e-05` and `1.0`, both JSON numbers (RFC 8259 §6); not inf or nan.
        case let d as Double: return d.isFinite ? d.description : nil
        case let f as Float: return f.isFinite ? Double(f).description : nil
        default: return nil
        }
    }

    /// A JSON string literal (RFC 8259 §7): quotes, backslashes and control characters escaped.
    static func appendJSONString(_ text: String, to out: inout String) {
        out.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            default:
                if scalar.value < 0x20 {
                    appendEscape(scalar, to: &out)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }

    /// `\n`, `\r`, `\t`, `\b`, `\f`, or `\u00XX` for any other control character.
    static func appendEscape(_ scalar: Unicode.Scalar, to out: inout String) {
        switch scalar {
        case "\n": out.append("\\n")
        case "\r": out.append("\\r")
        case "\t": out.append("\\t")
        case "\u{08}": out.append("\\b")
        case "\u{0C}": out.append("\\f")
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            out.append("\\u")
            out.append(String(repeating: "0", count: max(0, 4 - hex.count)))
            out.append(hex)
        }
    }
}
