/// RFC 4180 CSV: quoted fields (separators, quotes doubled as `""` and line breaks inside),
/// CRLF or LF line ends, an optional UTF-8 byte-order mark, and `,` or `;` as separator
/// (whichever occurs more often outside quotes in the header line; `,` on a tie).
struct CSVReader {
    struct Record: Equatable {
        /// The line the record starts on (1-based, counting every line break, also inside quotes).
        var line: Int
        var fields: [String]
        /// Why the record is malformed (a stray quote, an unterminated quote, bad UTF-8); nil if fine.
        var problem: String?
    }

    let separator: UInt8
    let records: [Record]

    init(_ bytes: [UInt8]) {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        let body = bytes[start...]
        separator = CSVReader.detectSeparator(body)
        records = CSVReader.parse(body, separator: separator)
    }

    static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), semicolon = UInt8(ascii: ";")
    static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    static func detectSeparator(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        var commas = 0, semicolons = 0, quoted = false
        for b in bytes {
            if b == quote { quoted.toggle() }
            else if quoted { continue }
            else if b == lf || b == cr { break }
            else if b == comma { commas += 1 }
            else if b == semicolon { semicolons += 1 }
        }
        return semicolons > commas ? semicolon : comma
    }

    /// Records in order; lines that are entirely empty are left out.
    static func parse(_ bytes: ArraySlice<UInt8>, separator: UInt8) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var problem: String?
        var blank = true    // nothing but an empty, unquoted field so far: an empty line
        var i = bytes.startIndex
        let end = bytes.endIndex

        func endField() {
            if let s = String(validating: field, as: UTF8.self) { fields.append(s) } else {
                fields.append("")
                if problem == nil { problem = "field \(fields.count) is not valid UTF-8" }
            }
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            endField()
            if !blank || problem != nil {
                records.append(Record(line: recordLine, fields: fields, problem: problem))
            }
            fields.removeAll()
            problem = nil
            blank = true
        }

        while i < end {
            let b = bytes[i]
            if b != cr && b != lf { blank = false }
            if b == quote && field.isEmpty {
                // A quoted field: up to the closing quote; `""` is one quote.
                i += 1
                var closed = false
                while i < end {
                    let q = bytes[i]
                    if q == quote {
                        if i + 1 < end, bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                        i += 1
                        closed = true
                        break
                    }
                    if q == lf { line += 1 }
                    field.append(q)
                    i += 1
                }
                if !closed {
                    problem = problem ?? "a quoted field is not closed before the end of the file"
                    continue
                }
                // Only a separator or a line end may follow the closing quote.
                if i < end, bytes[i] != separator, bytes[i] != cr, bytes[i] != lf {
                    problem = problem ?? "text after the closing quote of field \(fields.count + 1)"
                    while i < end, bytes[i] != separator, bytes[i] != cr, bytes[i] != lf { i += 1 }
                }
                continue
            }
            if b == separator {
                endField()
                i += 1
            } else if b == cr || b == lf {
                endRecord()
                i += (b == cr && i + 1 < end && bytes[i + 1] == lf) ? 2 : 1
                line += 1
                recordLine = line
            } else {
                if b == quote { problem = problem ?? "a quote inside unquoted field \(fields.count + 1) (quote the whole field and double the quote)" }
                field.append(b)
                i += 1
            }
        }
        if !blank || problem != nil { endRecord() }
        return records
    }
}
