internal import Foundation

/// The first stage: rewrites the text before it is split (`normalizer` in tokenizer.json).
/// Works on unicode scalars, as the Rust library works on `char`s.
protocol Normalizer: Sendable {
    func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar]
}

enum NormalizerFactory {
    static let known = ["NFC", "NFD", "NFKC", "NFKD", "Lowercase", "Prepend", "Replace", "Strip", "StripAccents",
                        "ByteLevel", "Sequence"]

    /// The normalizer `field` describes; an unknown `type` is an error naming the field.
    static func make(_ field: JSONField) throws(TokenizerError) -> any Normalizer {
        switch try field.type(of: "normalizer", known: known) {
        case "NFC": return UnicodeNormalizer(form: .nfc)
        case "NFD": return UnicodeNormalizer(form: .nfd)
        case "NFKC": return UnicodeNormalizer(form: .nfkc)
        case "NFKD": return UnicodeNormalizer(form: .nfkd)
        case "Lowercase": return LowercaseNormalizer()
        case "Prepend": return PrependNormalizer(prefix: Array(try field.required("prepend").string().unicodeScalars))
        case "Replace":
            return ReplaceNormalizer(pattern: try SplitPattern.read(field.required("pattern")),
                                     content: Array(try field.required("content").string().unicodeScalars))
        case "Strip":
            return StripNormalizer(left: try field.bool("strip_left", default: true), right: try field.bool("strip_right", default: true))
        case "StripAccents": return StripAccentsNormalizer()
        case "ByteLevel": return ByteLevelNormalizer()
        default:
            let items = try field.required("normalizers").elements()
            var normalizers: [any Normalizer] = []
            for item in items { normalizers.append(try make(item)) }
            return SequenceNormalizer(normalizers: normalizers)
        }
    }
}

/// NFC, NFD, NFKC or NFKD (Foundation's Unicode tables).
struct UnicodeNormalizer: Normalizer {
    enum Form: Sendable { case nfc, nfd, nfkc, nfkd }
    let form: Form

    func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        // ASCII is invariant under all four forms.
        if text.allSatisfy({ $0.isASCII }) { return text }
        let string = text.string
        let normalized = switch form {
        case .nfc: string.precomposedStringWithCanonicalMapping
        case .nfd: string.decomposedStringWithCanonicalMapping
        case .nfkc: string.precomposedStringWithCompatibilityMapping
        case .nfkd: string.decomposedStringWithCompatibilityMapping
        }
        return Array(normalized.unicodeScalars)
    }
}

/// Each scalar's full lowercase mapping, with no context (as Rust's `char::to_lowercase`).
struct LowercaseNormalizer: Normalizer {
    func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        for scalar in text {
            if scalar.isASCII {
                out.append(scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(scalar.value + 0x20)! : scalar)
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }
}

/// Puts `prefix` before non-empty text (SentencePiece's `▁`).
struct PrependNormalizer: Normalizer {
    let prefix: [Unicode.Scalar]
    func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        text.isEmpty ? text : prefix + text
    }
}

/// Replaces every match of a string or regex pattern with `content`.
struct ReplaceNormalizer: Normalizer {
    let pattern: TokenizerRegex
    let content: [Unicode.Scalar]

    func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        Self.replace(text, pattern, content)
    }

    static func replace(_ text: [Unicode.Scalar], _ pattern: TokenizerRegex, _ content: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let matches = pattern.matches(in: text)
        if matches.isEmpty { return text }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var last = 0
        for match in matches {
            out.append(contentsOf: text[last..<match.lowerBound])
            out.append(contentsOf: content)
            last = match.upperBound
        }
        out.append(contentsOf: text[last...])
        return out
    }
}

/// Removes white space (White_Space) at either end.
struct StripNormalizer: Normalizer {
    let left: Bool
    let right: Bool

    func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var start = 0, end = text.count
        if left { while start < end, text[start].isWhiteSpace { start += 1 } }
        if right { while end > start, text[end - 1].isWhiteSpace { end -= 1 } }
        return Array(text[start..<end])
    }
}

/// Drops combining marks (meaningful after NFD or NFKD).
struct StripAccentsNormalizer: Normalizer {
    func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        text.filter { $0.isASCII || !$0.isMark }
    }
}

/// Each UTF-8 byte as its byte-level scalar (GPT-2's alphabet).
struct ByteLevelNormalizer: Normalizer {
    func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        ByteLevelAlphabet.encode(text)
    }
}

struct SequenceNormalizer: Normalizer {
    let normalizers: [any Normalizer]
    func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        normalizers.reduce(text) { $1.normalize($0) }
    }
}
