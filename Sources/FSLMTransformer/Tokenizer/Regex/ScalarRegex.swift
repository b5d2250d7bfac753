/// A pattern fslm's own regex engine cannot read (it then falls back to NSRegularExpression).
struct RegexSyntaxError: Error, Sendable {
    let message: String
}

/// A regular expression over unicode scalars that matches as Oniguruma (the engine of the Rust
/// `tokenizers` library) does: leftmost match, first alternative that succeeds, greedy
/// quantifiers with backtracking. `\s` is White_Space, `\p{…}` are general categories, `.`
/// excludes only `\n`, `^`/`$` are line anchors (Ruby syntax).
///
/// It reads the syntax tokenizer.json patterns use: alternation, groups (capturing, `(?:…)`,
/// named), inline flags `i` and `m`, lookahead and lookbehind, atomic groups, greedy, lazy and
/// possessive quantifiers, classes with ranges, escapes, `\p{…}` and POSIX brackets, anchors
/// and `\b`. Backreferences, `(?x)`, class intersections and scripts (`\p{Han}`) are refused
/// with a `RegexSyntaxError`.
struct ScalarRegex: Sendable {
    let pattern: String
    private let root: RegexNode

    init(_ pattern: String) throws(RegexSyntaxError) {
        self.pattern = pattern
        var parser = RegexParser(pattern: Array(pattern.unicodeScalars))
        root = try parser.parse()
    }

    /// A regex matching exactly `literal`.
    init(literal: [Unicode.Scalar]) {
        pattern = literal.string
        root = .sequence(literal.map { .scalar($0) })
    }

    /// The non-overlapping matches, left to right, as Oniguruma's search loop finds them: an
    /// empty match right where the previous match ended is skipped.
    func matches(in text: [Unicode.Scalar]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        text.withUnsafeBufferPointer { buffer in
            let matcher = RegexMatcher(text: buffer)
            var from = 0
            var lastEnd = -1
            while from <= buffer.count {
                guard let match = matcher.firstMatch(root, from: from) else { break }
                if match.isEmpty && match.lowerBound == lastEnd {
                    from = match.lowerBound + 1
                    continue
                }
                found.append(match)
                lastEnd = match.upperBound
                from = match.isEmpty ? match.upperBound + 1 : match.upperBound
            }
        }
        return found
    }
}
