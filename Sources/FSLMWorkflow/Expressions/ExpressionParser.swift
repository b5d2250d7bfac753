/// A `when` expression, parsed and checked.
public struct ParsedExpression: Sendable {
    /// The expression text as written in the workflow.
    public var source: String
    /// The syntax tree.
    public var root: Expression
    /// Every path the expression uses, in source order (repeats included).
    public var references: [ExpressionPath]

    /// Parses `text`, locating nodes and errors in the file through `origin`.
    ///
    /// Grammar, loosest binding first: `||`, `&&`, prefix `!`, one non-associative comparison
    /// (`== != < <= > >= in contains matches`), then literals, `[lists]`, paths and parentheses.
    /// Fails with an `expression-syntax` diagnostic, or `invalid-regex` when the string literal
    /// right of `matches` is not a valid regular expression.
    public static func parse(_ text: String, origin: ScalarOrigin) -> Result<ParsedExpression, Diagnostic> {
        do {
            var parser = try ExpressionParser(text: text, origin: origin)
            let root = try parser.parse()
            return .success(ParsedExpression(source: text, root: root, references: parser.references))
        } catch {
            return .failure(error.diagnostic)
        }
    }
}

/// Recursive-descent parser over the tokens of one expression.
struct ExpressionParser {
    private static let pathForms = "'inputs.NAME', 'stages.ID.output' or 'stages.ID.status'"
    /// The most parentheses, lists and `!` that may enclose one another. The parser and the
    /// evaluator recurse once per level, so a hostile condition must not nest without bound.
    static let maxNesting = 100

    private let text: String
    private let origin: ScalarOrigin
    private let tokens: [ExpressionToken]
    private var index = 0
    /// Parentheses, lists and `!` enclosing the token being parsed.
    private var nesting = 0
    /// Paths in the order they were parsed, which is source order.
    private(set) var references: [ExpressionPath] = []

    init(text: String, origin: ScalarOrigin) throws(ExpressionSyntaxError) {
        self.text = text
        self.origin = origin
        self.tokens = try ExpressionLexer.tokenize(text, origin: origin)
    }

    /// The whole expression; every token must be used.
    mutating func parse() throws(ExpressionSyntaxError) -> Expression {
        let root = try disjunction()
        guard current.kind == .end else { throw expected("an operator or the end of the expression", found: current) }
        return root
    }

    // MARK: Grammar

    private mutating func disjunction() throws(ExpressionSyntaxError) -> Expression {
        var left = try conjunction()
        while current.kind == .or {
            let op = advance()
            left = .or(left, try conjunction(), location(of: op))
        }
        return left
    }

    private mutating func conjunction() throws(ExpressionSyntaxError) -> Expression {
        var left = try negation()
        while current.kind == .and {
            let op = advance()
            left = .and(left, try negation(), location(of: op))
        }
        return left
    }

    private mutating func negation() throws(ExpressionSyntaxError) -> Expression {
        guard current.kind == .not else { return try comparison() }
        let op = advance()
        try enterNesting(at: op)
        defer { nesting -= 1 }
        return .not(try negation(), location(of: op))
    }

    private mutating func comparison() throws(ExpressionSyntaxError) -> Expression {
        let left = try primary()
        let op = current
        let node: Expression
        switch op.kind {
        case .comparison(let comparison):
            advance()
            node = .comparison(comparison, left, try primary(), location(of: op))
        case .matches:
            advance()
            node = .matches(left, try pattern(), location(of: op))
        default:
            return left
        }
        switch current.kind {
        case .comparison, .matches:
            throw error(
                "comparisons cannot be chained; join them with '&&' or '||', or add parentheses",
                at: location(of: current))
        default:
            return node
        }
    }

    /// The string literal right of `matches`, compiled.
    private mutating func pattern() throws(ExpressionSyntaxError) -> ExpressionPattern {
        let operand = try primary()
        guard case .literal(.string(let source), let location) = operand else {
            throw error("the right side of 'matches' must be a string literal holding a regular expression",
                        at: operand.location)
        }
        guard let pattern = ExpressionPattern(pattern: source, location: location) else {
            throw ExpressionSyntaxError(
                diagnostic: .error(.invalidRegex, "invalid regular expression '\(source)'", at: location))
        }
        return pattern
    }

    private mutating func primary() throws(ExpressionSyntaxError) -> Expression {
        let token = advance()
        switch token.kind {
        case .literal(let value):
            return .literal(value, location(of: token))
        case .word(let word):
            let path = try path(word, at: location(of: token))
            references.append(path)
            return .path(path)
        case .leftParen:
            try enterNesting(at: token)
            defer { nesting -= 1 }
            let inner = try disjunction()
            let close = advance()
            guard close.kind == .rightParen else { throw expected("')' to close '('", found: close, opened: token) }
            return inner
        case .leftBracket:
            try enterNesting(at: token)
            defer { nesting -= 1 }
            return try list(opened: token)
        default:
            throw expected("a value", found: token)
        }
    }

    /// `[a, b, ...]` after its `[`.
    private mutating func list(opened: ExpressionToken) throws(ExpressionSyntaxError) -> Expression {
        var elements: [Expression] = []
        if current.kind == .rightBracket {
            advance()
            return .list(elements, location(of: opened))
        }
        while true {
            elements.append(try disjunction())
            let separator = advance()
            if separator.kind == .rightBracket { return .list(elements, location(of: opened)) }
            guard separator.kind == .comma else { throw expected("',' or ']'", found: separator, opened: opened) }
        }
    }

    /// Checks `word` is one of the three path forms.
    private func path(_ word: String, at location: SourceLocation) throws(ExpressionSyntaxError) -> ExpressionPath {
        let components = word.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let path = ExpressionPath(components: components, location: location)
        if let empty = components.indices.dropFirst().first(where: { components[$0].isEmpty }) {
            throw error("expected a name after '.' in '\(word)'",
                        at: path.location(ofComponent: empty).advanced(byColumns: -1))
        }
        let root = components[0]
        switch (root, components.count) {
        case ("inputs", 2):
            return path
        case ("inputs", 1):
            throw error("incomplete path 'inputs'; expected 'inputs.NAME'", at: location)
        case ("inputs", _):
            throw error("too many components in '\(word)'; expected 'inputs.NAME'", at: path.location(ofComponent: 2))
        case ("stages", 3):
            let field = components[2]
            guard field == "output" || field == "status" else {
                throw error("unknown stage field '\(field)'; expected 'output' or 'status'",
                            at: path.location(ofComponent: 2),
                            suggesting: EditDistance.suggestion(for: field, among: ["output", "status"]))
            }
            return path
        case ("stages", 1), ("stages", 2):
            throw error("incomplete path '\(word)'; expected 'stages.ID.output' or 'stages.ID.status'", at: location)
        case ("stages", _):
            throw error("too many components in '\(word)'; expected 'stages.ID.output' or 'stages.ID.status'",
                        at: path.location(ofComponent: 3))
        case (_, 1):
            throw error("unknown name '\(root)'; expected a string, a number, 'true', 'false', 'null', "
                            + "a list or a path such as \(Self.pathForms)",
                        at: location,
                        suggesting: EditDistance.suggestion(for: root, among: ["inputs", "stages", "true", "false", "null"]))
        default:
            throw error("unknown path root '\(root)'; expected \(Self.pathForms)",
                        at: location, suggesting: EditDistance.suggestion(for: root, among: ["inputs", "stages"]))
        }
    }

    /// Counts one more level opened by `token`, failing past `maxNesting`.
    private mutating func enterNesting(at token: ExpressionToken) throws(ExpressionSyntaxError) {
        nesting += 1
        guard nesting <= Self.maxNesting else {
            throw error("condition is nested too deeply: more than \(Self.maxNesting) levels of parentheses, "
                            + "lists and '!'", at: location(of: token))
        }
    }

    // MARK: Tokens and errors

    private var current: ExpressionToken { tokens[index] }

    /// Consumes the current token; the final `.end` is never consumed.
    @discardableResult
    private mutating func advance() -> ExpressionToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func location(of token: ExpressionToken) -> SourceLocation {
        origin.location(ofOffset: token.offset, in: text)
    }

    private func error(_ message: String, at location: SourceLocation, suggesting suggestion: String? = nil)
        -> ExpressionSyntaxError
    {
        ExpressionSyntaxError(
            diagnostic: .error(
                .expressionSyntax, message, at: location,
                notes: suggestion.map { [.init("did you mean '\($0)'?")] } ?? [],
                fixIt: suggestion.map { .init(replacement: $0) }))
    }

    /// "expected WHAT, found TOKEN" (or "unexpected end of expression; expected WHAT"), with a
    /// note at the bracket `opened` when one is left unclosed.
    private func expected(_ what: String, found token: ExpressionToken, opened: ExpressionToken? = nil)
        -> ExpressionSyntaxError
    {
        let message = token.kind == .end
            ? "unexpected end of expression; expected \(what)"
            : "expected \(what), found \(token.description)"
        var diagnostic = Diagnostic.error(.expressionSyntax, message, at: location(of: token))
        if let opened { diagnostic.notes = [.init("\(opened.description) opened here", at: location(of: opened))] }
        return ExpressionSyntaxError(diagnostic: diagnostic)
    }
}
