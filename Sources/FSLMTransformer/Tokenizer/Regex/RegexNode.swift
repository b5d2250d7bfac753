/// The syntax tree of a tokenizer regex, as `RegexParser` builds it and `RegexMatcher` runs it.
indirect enum RegexNode: Sendable {
    case scalar(Unicode.Scalar)
    /// A scalar compared case-insensitively; holds the folded form.
    case foldedScalar(Unicode.Scalar)
    case set(ScalarSet)
    case sequence([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, min: Int, max: Int, greedy: Bool)
    case atomic(RegexNode)
    case lookahead(RegexNode, negative: Bool)
    case lookbehind(RegexNode, negative: Bool)
    case assertion(Assertion)

    enum Assertion: Sendable {
        case lineStart, lineEnd, textStart, textEnd, textEndBeforeNewline, wordBoundary, notWordBoundary
    }
}
