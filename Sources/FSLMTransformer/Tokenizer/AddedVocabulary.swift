/// A token declared in `added_tokens`: matched in the text before pre-tokenization and never
/// split. Special tokens can be skipped when decoding.
struct AddedToken: Sendable {
    let id: Int
    let content: String
    let special: Bool
    /// Matches only when not inside a word.
    let singleWord: Bool
    /// Takes the white space on its left (right) along with it.
    let lstrip: Bool
    let rstrip: Bool
    /// Matched against the normalized text (true) or the raw input (false).
    let normalized: Bool

    init(_ field: JSONField) throws(TokenizerError) {
        id = try field.required("id").int()
        content = try field.required("content").string()
        special = try field.bool("special", default: false)
        singleWord = try field.bool("single_word", default: false)
        lstrip = try field.bool("lstrip", default: false)
        rstrip = try field.bool("rstrip", default: false)
        normalized = try field.bool("normalized", default: !special)
    }
}

/// A stretch of input after added tokens are taken out: plain text, or one added token.
enum Segment: Sendable, Equatable {
    case text(TextPiece)
    case token(Int)
}

/// Finds added tokens in text: leftmost match, longest at a position (Aho-Corasick
/// leftmost-longest), then the `single_word`, `lstrip` and `rstrip` rules.
struct AddedTokenMatcher: Sendable {
    private struct Pattern: Sendable {
        let scalars: [Unicode.Scalar]
        let token: AddedToken
    }
    /// Patterns by first scalar, longest first.
    private let patterns: [Unicode.Scalar: [Pattern]]

    var isEmpty: Bool { patterns.isEmpty }

    init(_ tokens: [(pattern: [Unicode.Scalar], token: AddedToken)]) {
        var patterns: [Unicode.Scalar: [Pattern]] = [:]
        for (pattern, token) in tokens where !pattern.isEmpty {
            patterns[pattern[0], default: []].append(Pattern(scalars: pattern, token: token))
        }
        // Longest first; among equal lengths the first declared wins.
        for key in patterns.keys {
            patterns[key] = patterns[key]!.enumerated().sorted {
                $0.element.scalars.count != $1.element.scalars.count ? $0.element.scalars.count > $1.element.scalars.count : $0.offset < $1.offset
            }.map(\.element)
        }
        self.patterns = patterns
    }

    /// The longest pattern at `position`.
    private func longest(in text: [Unicode.Scalar], at position: Int) -> Pattern? {
        guard let candidates = patterns[text[position]] else { return nil }
        for candidate in candidates where candidate.scalars.count <= text.count - position {
            var matches = true
            for offset in 1..<candidate.scalars.count where text[position + offset] != candidate.scalars[offset] {
                matches = false
                break
            }
            if matches { return candidate }
        }
        return nil
    }

    /// Splits `piece` around the added tokens in it.
    func split(_ piece: TextPiece) -> [Segment] {
        let text = piece.scalars
        if patterns.isEmpty || text.isEmpty { return text.isEmpty ? [] : [.text(piece)] }
        var segments: [Segment] = []
        var startOffset = 0
        var position = 0
        func appendText(_ range: Range<Int>) {
            if !range.isEmpty {
                segments.append(.text(TextPiece(scalars: Array(text[range]), atStart: piece.atStart && range.lowerBound == 0)))
            }
        }
        while position < text.count {
            guard let match = longest(in: text, at: position) else {
                position += 1
                continue
            }
            var start = position
            var stop = position + match.scalars.count
            // The search goes on from the end of the match itself, even when single_word rejects
            // it or rstrip takes white space after it (a later match can then start inside that
            // white space, as in the Rust library).
            position = stop
            let token = match.token
            if token.singleWord {
                let wordBefore = start > 0 && text[start - 1].isRegexWord
                let wordAfter = stop < text.count && text[stop].isRegexWord
                if wordBefore || wordAfter { continue }
            }
            if token.lstrip {
                var newStart = start
                while newStart > 0 && text[newStart - 1].isWhiteSpace { newStart -= 1 }
                start = max(newStart, startOffset)
            }
            if token.rstrip {
                while stop < text.count && text[stop].isWhiteSpace { stop += 1 }
            }
            if startOffset < start { appendText(startOffset..<start) }
            segments.append(.token(token.id))
            startOffset = stop
        }
        if startOffset < text.count { appendText(startOffset..<text.count) }
        return segments
    }
}

/// The added tokens of a tokenizer and the two passes that take them out of the input.
struct AddedVocabulary: Sendable {
    let tokens: [AddedToken]
    let byID: [Int: AddedToken]
    let specialIDs: Set<Int>
    /// Tokens with `normalized: false`, matched on the raw input.
    private let rawMatcher: AddedTokenMatcher
    /// Tokens with `normalized: true`, matched (in their normalized form) on normalized text.
    private let normalizedMatcher: AddedTokenMatcher

    init(_ tokens: [AddedToken], normalizer: (any Normalizer)?) {
        self.tokens = tokens
        var byID: [Int: AddedToken] = [:]
        for token in tokens { byID[token.id] = token }
        self.byID = byID
        specialIDs = Set(tokens.filter(\.special).map(\.id))
        // Special tokens first, then the others, as the Rust library orders its patterns.
        let ordered = tokens.filter(\.special) + tokens.filter { !$0.special }
        rawMatcher = AddedTokenMatcher(ordered.filter { !$0.normalized }.map { (Array($0.content.unicodeScalars), $0) })
        normalizedMatcher = AddedTokenMatcher(ordered.filter(\.normalized).map { token in
            let scalars = Array(token.content.unicodeScalars)
            return (normalizer?.normalize(scalars) ?? scalars, token)
        })
    }

    /// The input as normalized text and added tokens.
    func extractAndNormalize(_ text: [Unicode.Scalar], normalizer: (any Normalizer)?) -> [Segment] {
        var segments: [Segment] = []
        for segment in rawMatcher.split(TextPiece(scalars: text, atStart: true)) {
            guard case .text(var piece) = segment else {
                segments.append(segment)
                continue
            }
            if let normalizer { piece.scalars = normalizer.normalize(piece.scalars) }
            segments.append(contentsOf: normalizedMatcher.split(piece))
        }
        return segments
    }
}
