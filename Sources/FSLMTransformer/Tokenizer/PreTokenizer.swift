/// A stretch of text that the model tokenizes on its own, after pre-tokenization.
struct TextPiece: Sendable, Equatable {
    var scalars: [Unicode.Scalar]
    /// Whether the piece starts at the start of the input (Metaspace's `prepend_scheme: first`).
    var atStart: Bool
}

/// The second stage: splits normalized text into pieces (`pre_tokenizer` in tokenizer.json).
protocol PreTokenizer: Sendable {
    func split(_ piece: TextPiece) -> [TextPiece]
}

extension PreTokenizer {
    func split(_ pieces: [TextPiece]) -> [TextPiece] {
        pieces.flatMap { split($0) }
    }
}

enum PreTokenizerFactory {
    static let known = ["ByteLevel", "Split", "Digits", "Metaspace", "Whitespace", "WhitespaceSplit", "CharDelimiterSplit",
                        "Punctuation", "BertPreTokenizer", "Sequence"]

    static func make(_ field: JSONField) throws(TokenizerError) -> any PreTokenizer {
        switch try field.type(of: "pre-tokenizer", known: known) {
        case "ByteLevel":
            return ByteLevelPreTokenizer(addPrefixSpace: try field.bool("add_prefix_space", default: true),
                                         useRegex: try field.bool("use_regex", default: true))
        case "Split":
            return SplitPreTokenizer(pattern: try SplitPattern.read(field.required("pattern")),
                                     behavior: try SplitBehavior.read(field.required("behavior")),
                                     invert: try field.bool("invert", default: false))
        case "Digits":
            return DigitsPreTokenizer(individualDigits: try field.bool("individual_digits", default: false))
        case "Metaspace":
            return try MetaspacePreTokenizer(field)
        case "Whitespace":
            return WhitespacePreTokenizer()
        case "WhitespaceSplit":
            return PredicatePreTokenizer(behavior: .removed) { $0.isWhiteSpace }
        case "CharDelimiterSplit":
            let delimiterField = try field.required("delimiter")
            let delimiter = Array(try delimiterField.string().unicodeScalars)
            guard delimiter.count == 1 else { throw delimiterField.error("expected a single character") }
            return PredicatePreTokenizer(behavior: .removed) { $0 == delimiter[0] }
        case "Punctuation":
            let behavior = try field["behavior"].map { f throws(TokenizerError) in try SplitBehavior.read(f) } ?? .isolated
            return PredicatePreTokenizer(behavior: behavior) { $0.isPunctuation }
        case "BertPreTokenizer":
            return SequencePreTokenizer(preTokenizers: [
                PredicatePreTokenizer(behavior: .removed) { $0.isWhiteSpace },
                PredicatePreTokenizer(behavior: .isolated) { $0.isPunctuation },
            ])
        default:
            var items: [any PreTokenizer] = []
            for item in try field.required("pretokenizers").elements() { items.append(try make(item)) }
            return SequencePreTokenizer(preTokenizers: items)
        }
    }
}

/// `{"String": "…"}` (a literal) or `{"Regex": "…"}`.
enum SplitPattern {
    static func read(_ field: JSONField) throws(TokenizerError) -> TokenizerRegex {
        if let literal = field["String"] { return .literal(try literal.string()) }
        if let regex = field["Regex"] { return try TokenizerRegex.compile(try regex.string(), field: regex) }
        throw field.error("expected {\"String\": …} or {\"Regex\": …}")
    }
}

/// What happens to the matched delimiters when splitting.
enum SplitBehavior: String, Sendable, CaseIterable {
    case removed = "Removed"
    case isolated = "Isolated"
    case mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext"
    case contiguous = "Contiguous"

    static func read(_ field: JSONField) throws(TokenizerError) -> SplitBehavior {
        let name = try field.string()
        guard let behavior = SplitBehavior(rawValue: name) else {
            throw field.error("unknown split behavior '\(name)' (expected one of \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return behavior
    }

    /// The pieces of `piece` given `parts`: ranges covering it in order, each flagged when it is a
    /// delimiter (a match). Empty pieces are dropped.
    func apply(_ piece: TextPiece, _ parts: [(range: Range<Int>, isMatch: Bool)]) -> [TextPiece] {
        var merged: [Range<Int>] = []
        switch self {
        case .removed:
            merged = parts.filter { !$0.isMatch }.map(\.range)
        case .isolated:
            merged = parts.map(\.range)
        case .mergedWithPrevious:
            var previousMatch = false
            for part in parts {
                if part.isMatch && !previousMatch, let last = merged.last {
                    merged[merged.count - 1] = last.lowerBound..<part.range.upperBound
                } else {
                    merged.append(part.range)
                }
                previousMatch = part.isMatch
            }
        case .mergedWithNext:
            var previousMatch = false
            for part in parts.reversed() {
                if part.isMatch && !previousMatch, let last = merged.last {
                    merged[merged.count - 1] = part.range.lowerBound..<last.upperBound
                } else {
                    merged.append(part.range)
                }
                previousMatch = part.isMatch
            }
            merged.reverse()
        case .contiguous:
            var previousMatch = false
            for (index, part) in parts.enumerated() {
                if index > 0 && part.isMatch == previousMatch, let last = merged.last {
                    merged[merged.count - 1] = last.lowerBound..<part.range.upperBound
                } else {
                    merged.append(part.range)
                }
                previousMatch = part.isMatch
            }
        }
        return merged.compactMap { range in
            range.isEmpty ? nil : TextPiece(scalars: Array(piece.scalars[range]), atStart: piece.atStart && range.lowerBound == 0)
        }
    }

    /// Matches of a regex, with the gaps between them, covering `count` scalars.
    static func parts(matches: [Range<Int>], count: Int, invert: Bool = false) -> [(range: Range<Int>, isMatch: Bool)] {
        if count == 0 { return [(0..<0, invert)] }
        var parts: [(range: Range<Int>, isMatch: Bool)] = []
        var previous = 0
        for match in matches {
            if previous != match.lowerBound { parts.append((previous..<match.lowerBound, invert)) }
            parts.append((match, !invert))
            previous = match.upperBound
        }
        if previous != count { parts.append((previous..<count, invert)) }
        return parts
    }

    /// Each scalar that passes `test` as a match of its own, with the gaps between.
    static func parts(_ scalars: [Unicode.Scalar], where test: (Unicode.Scalar) -> Bool) -> [(range: Range<Int>, isMatch: Bool)] {
        if scalars.isEmpty { return [(0..<0, false)] }
        var parts: [(range: Range<Int>, isMatch: Bool)] = []
        var previous = 0
        for (index, scalar) in scalars.enumerated() where test(scalar) {
            if previous < index { parts.append((previous..<index, false)) }
            parts.append((index..<index + 1, true))
            previous = index + 1
        }
        if previous < scalars.count { parts.append((previous..<scalars.count, false)) }
        return parts
    }
}

/// GPT-2's pre-tokenizer: optionally a leading space, the GPT-2 regex split, then every UTF-8
/// byte as its byte-level scalar.
struct ByteLevelPreTokenizer: PreTokenizer {
    let addPrefixSpace: Bool
    let useRegex: Bool

    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    // The pattern is fixed and known to parse.
    static let gpt2Regex = try! ScalarRegex(gpt2Pattern)

    func split(_ piece: TextPiece) -> [TextPiece] {
        var piece = piece
        if addPrefixSpace && piece.scalars.first != " " { piece.scalars.insert(" ", at: 0) }
        var pieces = [piece]
        if useRegex {
            let matches = Self.gpt2Regex.matches(in: piece.scalars)
            pieces = SplitBehavior.isolated.apply(piece, SplitBehavior.parts(matches: matches, count: piece.scalars.count))
        }
        for index in pieces.indices { pieces[index].scalars = ByteLevelAlphabet.encode(pieces[index].scalars) }
        return pieces
    }
}

/// Splits on a string or regex pattern.
struct SplitPreTokenizer: PreTokenizer {
    let pattern: TokenizerRegex
    let behavior: SplitBehavior
    let invert: Bool

    func split(_ piece: TextPiece) -> [TextPiece] {
        let matches = pattern.matches(in: piece.scalars)
        return behavior.apply(piece, SplitBehavior.parts(matches: matches, count: piece.scalars.count, invert: invert))
    }
}

/// Splits numbers off (Rust `char::is_numeric`: Nd, Nl, No); each digit alone with `individual_digits`.
struct DigitsPreTokenizer: PreTokenizer {
    let individualDigits: Bool

    func split(_ piece: TextPiece) -> [TextPiece] {
        (individualDigits ? SplitBehavior.isolated : .contiguous).apply(piece, SplitBehavior.parts(piece.scalars) { $0.isNumeric })
    }
}

/// Splits around scalars that pass a test (white space, punctuation).
struct PredicatePreTokenizer: PreTokenizer {
    let behavior: SplitBehavior
    let test: @Sendable (Unicode.Scalar) -> Bool

    func split(_ piece: TextPiece) -> [TextPiece] {
        behavior.apply(piece, SplitBehavior.parts(piece.scalars, where: test))
    }
}

/// Words and runs of punctuation (`\w+|[^\w\s]+`); white space is dropped.
struct WhitespacePreTokenizer: PreTokenizer {
    static let regex = try! ScalarRegex(#"\w+|[^\w\s]+"#)

    func split(_ piece: TextPiece) -> [TextPiece] {
        let matches = Self.regex.matches(in: piece.scalars)
        return SplitBehavior.removed.apply(piece, SplitBehavior.parts(matches: matches, count: piece.scalars.count, invert: true))
    }
}

/// SentencePiece style: spaces become `▁`, a `▁` is put in front, and the text splits before each `▁`.
struct MetaspacePreTokenizer: PreTokenizer {
    enum PrependScheme: String { case always, first, never }
    let replacement: Unicode.Scalar
    let prependScheme: PrependScheme
    let splits: Bool

    init(_ field: JSONField) throws(TokenizerError) {
        let replacementField = try field.required("replacement")
        let scalars = Array(try replacementField.string().unicodeScalars)
        guard scalars.count == 1 else { throw replacementField.error("expected a single character") }
        replacement = scalars[0]
        if let schemeField = field["prepend_scheme"] {
            let name = try schemeField.string()
            guard let scheme = PrependScheme(rawValue: name) else {
                throw schemeField.error("unknown prepend_scheme '\(name)' (expected always, first or never)")
            }
            prependScheme = scheme
        } else {
            prependScheme = try field.bool("add_prefix_space", default: true) ? .always : .never
        }
        splits = try field.bool("split", default: true)
    }

    func split(_ piece: TextPiece) -> [TextPiece] {
        var piece = piece
        piece.scalars = piece.scalars.map { $0 == " " ? replacement : $0 }
        let prepend = switch prependScheme {
        case .always: true
        case .first: piece.atStart
        case .never: false
        }
        if prepend && piece.scalars.first != replacement { piece.scalars.insert(replacement, at: 0) }
        guard splits else { return [piece] }
        let delimiter = replacement
        return SplitBehavior.mergedWithNext.apply(piece, SplitBehavior.parts(piece.scalars) { $0 == delimiter })
    }
}

struct SequencePreTokenizer: PreTokenizer {
    let preTokenizers: [any PreTokenizer]

    func split(_ piece: TextPiece) -> [TextPiece] {
        var pieces = [piece]
        for preTokenizer in preTokenizers { pieces = preTokenizer.split(pieces) }
        return pieces
    }
}
