/// GPT-2's byte-to-unicode table: every byte gets a printable scalar, so byte-level tokens are
/// strings. Printable Latin-1 bytes stand for themselves; the other 68 bytes map to U+0100
/// onwards in byte order (space is `Ġ`, newline `Ċ`).
enum ByteLevelAlphabet {
    /// `scalars[byte]`.
    static let scalars: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 0x100
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte a scalar stands for, indexed by scalar value (below U+0144), 0xFFFF for none.
    private static let bytesByScalar: [UInt16] = {
        var table = [UInt16](repeating: 0xFFFF, count: 0x144)
        for (byte, scalar) in scalars.enumerated() { table[Int(scalar.value)] = UInt16(byte) }
        return table
    }()

    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = Int(scalar.value)
        guard value < bytesByScalar.count else { return nil }
        let byte = bytesByScalar[value]
        return byte == 0xFFFF ? nil : UInt8(byte)
    }

    /// The byte-level form of `text`: each UTF-8 byte as its scalar.
    static func encode(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        for scalar in text {
            if scalar.value < 0x80 {
                out.append(scalars[Int(scalar.value)])
            } else {
                for byte in UTF8.encode(scalar)! { out.append(scalars[Int(byte)]) }
            }
        }
        return out
    }

    /// The bytes a token stands for: each scalar's byte when every scalar is in the alphabet,
    /// else the token's own UTF-8 (as the `ByteLevel` decoder does).
    static func decode(_ token: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard let byte = byte(for: scalar) else { return Array(token.utf8) }
            out.append(byte)
        }
        return out
    }
}
