import Testing
import Hashing

/// RFC 4648 §10 test vectors, written in the URL-safe alphabet without padding.
private let rfc4648Vectors: [(plain: String, encoded: String)] = [
    ("", ""),
    ("f", "Zg"),
    ("fo", "Zm8"),
    ("foo", "Zm9v"),
    ("foob", "Zm9vYg"),
    ("fooba", "Zm9vYmE"),
    ("foobar", "Zm9vYmFy"),
]

@Test(arguments: rfc4648Vectors.indices)
func base64URL_rfc4648Vector_encodesAndDecodes(index: Int) {
    let v = rfc4648Vectors[index]
    #expect(Base64URL.encode(Array(v.plain.utf8)) == v.encoded)
    #expect(Base64URL.decode(v.encoded) == Array(v.plain.utf8))
}

@Test func base64URL_usesDashAndUnderscore_notPlusAndSlash() {
    // 0xfb 0xff 0xbf encodes to "+/+/" in standard base64.
    #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
    #expect(Base64URL.decode("-_-_") == [0xfb, 0xff, 0xbf])
}

@Test(arguments: [
    [UInt8](),
    [0],
    [0, 0],
    [0, 0, 0],
    [255],
    [255, 255],
    [255, 255, 255, 255],
    Array(0...255),
    Array(repeating: 0x5a, count: 33),
])
func base64URL_roundTrip_returnsTheOriginalBytes(bytes: [UInt8]) {
    let encoded = Base64URL.encode(bytes)
    #expect(!encoded.contains("="))
    #expect(Base64URL.decode(encoded) == bytes)
}

@Test(arguments: [
    "Zg==",      // padding is not accepted
    "Zm9v+",     // standard-alphabet character
    "Zm9v/",
    "Zm 9v",     // whitespace
    "Zm9v\n",
    "Z",         // impossible length 4n+1
    "Zh",        // non-zero trailing bits (canonical form is "Zg")
    "Zm9vYmFy!",
    "é",
])
func base64URL_decode_rejectsInvalidInput(text: String) {
    #expect(Base64URL.decode(text) == nil)
}
