import CZlib

/// gzip through the system zlib (SPEC §8).
public enum Gzip {
    /// The gzip member for `bytes` (deflateInit2 with windowBits 31 = 15 + gzip header), or nil
    /// if zlib fails.
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8]? {
        var stream = z_stream()
        let initStatus = deflateInit2_(&stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY,
                                       ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else { return nil }
        defer { deflateEnd(&stream) }

        let bound = Int(deflateBound(&stream, uLong(bytes.count)))
        var output = [UInt8](repeating: 0, count: bound)
        var input = bytes
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }

    /// Inflates a gzip member (used by tests to check round trips).
    public static func decompress(_ bytes: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, 31, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var input = bytes
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let ok: Bool = input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = uInt(inBuf.count)
            while true {
                let (status, produced): (Int32, Int) = chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, outBuf.count - Int(stream.avail_out))
                }
                result.append(contentsOf: chunk[0..<produced])
                if status == Z_STREAM_END { return true }
                if status != Z_OK { return false }
            }
        }
        return ok ? result : nil
    }

    /// Whether an `Accept-Encoding` value accepts gzip (RFC 9110 §12.5.3): an explicit `gzip`
    /// (or `x-gzip`) entry decides by its q-value; otherwise `*` does; otherwise no.
    public static func isAccepted(by acceptEncoding: String?) -> Bool {
        guard let acceptEncoding else { return false }
        var gzipQ: Bool?
        var starQ: Bool?
        for item in acceptEncoding.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let first = parts.first else { continue }
            let coding = String(String(first).trimmingOWS).asciiLowercased
            var positive = true
            for parameter in parts.dropFirst() {
                let pair = String(parameter).trimmingOWS
                guard pair.count >= 2, asciiLower(pair.utf8.first!) == UInt8(ascii: "q"),
                      let eq = pair.firstIndex(of: "=") else { continue }
                positive = qValueIsPositive(pair[pair.index(after: eq)...].trimmingCharacters())
            }
            if coding == "gzip" || coding == "x-gzip" { gzipQ = positive }
            else if coding == "*" { starQ = positive }
        }
        return gzipQ ?? starQ ?? false
    }

    /// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (RFC 9110 §12.4.2).
    static func qValueIsPositive(_ text: Substring) -> Bool {
        text.contains { $0 >= "1" && $0 <= "9" }
    }
}

private extension Substring {
    func trimmingCharacters() -> Substring { String(self).trimmingOWS }
}
