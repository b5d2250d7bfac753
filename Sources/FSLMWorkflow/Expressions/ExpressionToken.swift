/// One token of a `when` expression.
struct ExpressionToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// A string, number, `true`, `false` or `null`.
        case literal(ExpressionValue)
        /// A name or dotted path, e.g. `inputs.topic` (validated by the parser).
        case word(String)
        /// `== != < <= > >= in contains`
        case comparison(Expression.ComparisonOperator)
        case matches
        case and, or, not
        case leftParen, rightParen, leftBracket, rightBracket, comma
        /// After the last token.
        case end
    }

    var kind: Kind
    /// Offset of the token's first Unicode scalar in the expression text.
    var offset: Int

    /// How messages name the token: `'=='`, `'inputs.x'`, "a string", "the end of the expression".
    var description: String {
        switch kind {
        case .literal(.bool(let b)): "'\(b)'"
        case .literal(.null): "'null'"
        case .literal(let value): value.kindDescription
        case .word(let w): "'\(w)'"
        case .comparison(let op): "'\(op.rawValue)'"
        case .matches: "'matches'"
        case .and: "'&&'"
        case .or: "'||'"
        case .not: "'!'"
        case .leftParen: "'('"
        case .rightParen: "')'"
        case .leftBracket: "'['"
        case .rightBracket: "']'"
        case .comma: "','"
        case .end: "the end of the expression"
        }
    }
}
