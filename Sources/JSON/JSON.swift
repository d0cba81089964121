/// Entry points: strict parsing and compact writing.
///
/// Parsing rules are listed on `JSONParser`; the writer's rules on `serialize(_:)`.
public enum JSON {
    /// Parses one strict RFC 8259 document from UTF-8 bytes. Containers nested deeper
    /// than `maxDepth` (arrays and objects together) are rejected, and so is a leading
    /// UTF-8 byte order mark (RFC 8259 §8.1 forbids adding one; we choose to reject it).
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 512) throws(JSONSyntaxError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in
            try parse(buffer, maxDepth: maxDepth)
        }
    }

    /// Parses a slice (e.g. the body part of a request buffer); offsets in errors count
    /// from the start of the slice.
    public static func parse(_ bytes: ArraySlice<UInt8>, maxDepth: Int = 512) throws(JSONSyntaxError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in
            try parse(buffer, maxDepth: maxDepth)
        }
    }

    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
        do {
            return try parser.parseDocument()
        } catch {
            throw JSONSyntaxError(message: error.message, offset: error.offset, in: buffer)
        }
    }

    /// Parses one strict RFC 8259 document from its text.
    public static func parse(_ text: String, maxDepth: Int = 512) throws(JSONSyntaxError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    /// Compact UTF-8 JSON: no whitespace, object members in insertion order, strings
    /// escaped as `appendEscaped` does. A `.number` whose text is not a valid JSON number
    /// is written as `null`, so the output is always valid JSON.
    public static func serialize(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        JSONWriter.write(value, into: &out)
        return out
    }

    public static func serializeToString(_ value: JSONValue) -> String {
        String(decoding: serialize(value), as: UTF8.self)
    }

    /// Appends `s` as a quoted JSON string: escapes `"`, `\`, control characters (`\n`,
    /// `\t`, `\r`, `\b`, `\f`, others as `\u00XX`) and U+2028/U+2029 (as `\u2028`/`\u2029`,
    /// so the text is also safe inside JavaScript); other Unicode stays raw UTF-8.
    public static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        JSONWriter.appendEscaped(s, to: &out)
    }
}
