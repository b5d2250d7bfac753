/// Turns token strings back into text (`decoder` in tokenizer.json). Like the Rust library's
/// `decode_chain`, each step maps the list of token strings to a new list; the text is the
/// concatenation of the last list.
protocol TokenDecoder: Sendable {
    func decodeChain(_ tokens: [String]) -> [String]
    /// What one token contributes in the middle of a text, for `Tokenizer.tokenBytes`: the
    /// per-token rewrite of this step, without the start-of-text rules (Metaspace dropping
    /// the first `▁`, Strip).
    func decodeInside(_ token: String) -> String
}

enum TokenDecoderFactory {
    static let known = ["ByteLevel", "Replace", "ByteFallback", "Fuse", "Strip", "Metaspace", "BPEDecoder", "Sequence"]

    static func make(_ field: JSONField) throws(TokenizerError) -> any TokenDecoder {
        switch try field.type(of: "decoder", known: known) {
        case "ByteLevel": return ByteLevelDecoder()
        case "Replace":
            return ReplaceDecoder(pattern: try SplitPattern.read(field.required("pattern")),
                                  content: Array(try field.required("content").string().unicodeScalars))
        case "ByteFallback": return ByteFallbackDecoder()
        case "Fuse": return FuseDecoder()
        case "Strip":
            let contentField = try field.required("content")
            let content = Array(try contentField.string().unicodeScalars)
            guard content.count == 1 else { throw contentField.error("expected a single character") }
            return StripDecoder(content: content[0], start: try field.int("start") ?? 0, stop: try field.int("stop") ?? 0)
        case "Metaspace":
            let pre = try MetaspacePreTokenizer(field)
            return MetaspaceDecoder(replacement: pre.replacement, dropsFirst: pre.prependScheme != .never)
        case "BPEDecoder":
            return BPESuffixDecoder(suffix: try field.string("suffix") ?? "</w>")
        default:
            var items: [any TokenDecoder] = []
            for item in try field.required("decoders").elements() { items.append(try make(item)) }
            return SequenceDecoder(decoders: items)
        }
    }
}

/// Byte-level tokens back to bytes, then UTF-8 (invalid sequences become U+FFFD).
struct ByteLevelDecoder: TokenDecoder {
    func decodeChain(_ tokens: [String]) -> [String] {
        var bytes: [UInt8] = []
        for token in tokens { bytes.append(contentsOf: ByteLevelAlphabet.decode(token)) }
        return [String(decoding: bytes, as: UTF8.self)]
    }

    func decodeInside(_ token: String) -> String {
        String(decoding: ByteLevelAlphabet.decode(token), as: UTF8.self)
    }
}

/// Replaces a pattern in each token (SentencePiece: `▁` → space).
struct ReplaceDecoder: TokenDecoder {
    let pattern: TokenizerRegex
    let content: [Unicode.Scalar]

    func decodeChain(_ tokens: [String]) -> [String] { tokens.map(decodeInside) }

    func decodeInside(_ token: String) -> String {
        ReplaceNormalizer.replace(Array(token.unicodeScalars), pattern, content).string
    }
}

/// Runs of `<0xXX>` tokens become the text their bytes spell, or one U+FFFD per byte when the
/// bytes are not valid UTF-8.
struct ByteFallbackDecoder: TokenDecoder {
    static func byte(of token: String) -> UInt8? {
        let utf8 = Array(token.utf8)
        guard utf8.count == 6, utf8[0] == UInt8(ascii: "<"), utf8[1] == UInt8(ascii: "0"), utf8[2] == UInt8(ascii: "x"),
              utf8[5] == UInt8(ascii: ">") else { return nil }
        return UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
    }

    func decodeChain(_ tokens: [String]) -> [String] {
        var out: [String] = []
        var pending: [UInt8] = []
        func flush() {
            guard !pending.isEmpty else { return }
            let text = String(decoding: pending, as: UTF8.self)
            if text.utf8.elementsEqual(pending) {
                out.append(text)
            } else {
                out.append(contentsOf: Array(repeating: "\u{FFFD}", count: pending.count))
            }
            pending.removeAll()
        }
        for token in tokens {
            if let byte = Self.byte(of: token) {
                pending.append(byte)
            } else {
                flush()
                out.append(token)
            }
        }
        flush()
        return out
    }

    func decodeInside(_ token: String) -> String { token }
}

/// All tokens into one.
struct FuseDecoder: TokenDecoder {
    func decodeChain(_ tokens: [String]) -> [String] { [tokens.joined()] }
    func decodeInside(_ token: String) -> String { token }
}

/// Removes up to `start` leading and `stop` trailing `content` characters from each token.
struct StripDecoder: TokenDecoder {
    let content: Unicode.Scalar
    let start: Int
    let stop: Int

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { token in
            let scalars = Array(token.unicodeScalars)
            var lower = 0
            while lower < min(start, scalars.count) && scalars[lower] == content { lower += 1 }
            var upper = scalars.count
            var removed = 0
            while removed < stop && upper > lower && scalars[upper - 1] == content { upper -= 1; removed += 1 }
            return Array(scalars[lower..<upper]).string
        }
    }

    func decodeInside(_ token: String) -> String { token }
}

/// `▁` back to spaces; in the first token they are dropped (unless `prepend_scheme` is never).
struct MetaspaceDecoder: TokenDecoder {
    let replacement: Unicode.Scalar
    let dropsFirst: Bool

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { index, token in
            var out = String.UnicodeScalarView()
            for scalar in token.unicodeScalars {
                if scalar == replacement {
                    if !(index == 0 && dropsFirst) { out.append(" ") }
                } else {
                    out.append(scalar)
                }
            }
            return String(out)
        }
    }

    func decodeInside(_ token: String) -> String {
        String(String.UnicodeScalarView(token.unicodeScalars.map { $0 == replacement ? " " : $0 }))
    }
}

/// Original BPE: the end-of-word suffix becomes a space (nothing on the last token).
struct BPESuffixDecoder: TokenDecoder {
    let suffix: String

    func decodeChain(_ tokens: [String]) -> [String] {
        guard !suffix.isEmpty else { return tokens }
        let pattern = TokenizerRegex.literal(suffix)
        return tokens.enumerated().map { index, token in
            ReplaceNormalizer.replace(Array(token.unicodeScalars), pattern, index == tokens.count - 1 ? [] : [" "]).string
        }
    }

    func decodeInside(_ token: String) -> String {
        suffix.isEmpty ? token : ReplaceNormalizer.replace(Array(token.unicodeScalars), .literal(suffix), [" "]).string
    }
}

struct SequenceDecoder: TokenDecoder {
    let decoders: [any TokenDecoder]

    func decodeChain(_ tokens: [String]) -> [String] {
        decoders.reduce(tokens) { $1.decodeChain($0) }
    }

    func decodeInside(_ token: String) -> String {
        decoders.reduce(token) { $1.decodeInside($0) }
    }
}
