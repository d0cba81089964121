import Testing
import Hashing

/// NIST FIPS 180-2 / CSRC example vectors for SHA-256.
private let nistVectors: [(message: String, digest: String)] = [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
]

@Test(arguments: nistVectors.indices)
func sha256_ofNISTMessage_matchesPublishedDigest(index: Int) {
    let vector = nistVectors[index]
    #expect(SHA256.hex(SHA256.hash(vector.message)) == vector.digest)
    #expect(SHA256.hex(SHA256.hash(Array(vector.message.utf8))) == vector.digest)
}

@Test func sha256_ofOneMillionA_matchesPublishedDigest() {
    let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(SHA256.hex(SHA256.hash(message))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
}

@Test func sha256_digest_isAlways32Bytes() {
    for length in [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000] {
        #expect(SHA256.hash([UInt8](repeating: 7, count: length)).count == 32)
    }
}

@Test(arguments: [1, 3, 7, 55, 56, 63, 64, 65, 127, 1000])
func streamingInOddSizedPieces_equalsOneShot(pieceSize: Int) {
    // Lengths around the 55/56/64-byte padding boundaries exercise both padding branches.
    for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1001] {
        let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) }
        var hasher = SHA256Hasher()
        var start = 0
        while start < message.count {
            let end = min(start + pieceSize, message.count)
            hasher.update(message[start..<end])
            start = end
        }
        #expect(hasher.finalize() == SHA256.hash(message), "length \(length), pieces of \(pieceSize)")
    }
}

@Test func hex_isLowercaseTwoDigitsPerByte() {
    #expect(SHA256.hex([]) == "")
    #expect(SHA256.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
}
