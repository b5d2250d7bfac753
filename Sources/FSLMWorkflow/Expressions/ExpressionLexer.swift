/// A syntax error in an expression, carried as the diagnostic to report.
struct ExpressionSyntaxError: Error {
    var diagnostic: Diagnostic
}

/// Splits the text of a `when` expression into tokens, offsets counted in Unicode scalars.
struct ExpressionLexer {
    private let text: String
    private let origin: ScalarOrigin
    private let scalars: [Unicode.Scalar]
    private var position = 0

    private init(text: String, origin: ScalarOrigin) {
        self.text = text
        self.origin = origin
        self.scalars = Array(text.unicodeScalars)
    }

    /// The tokens of `text`, ending with `.end` placed just after the last token.
    static func tokenize(_ text: String, origin: ScalarOrigin) throws(ExpressionSyntaxError) -> [ExpressionToken] {
        var lexer = ExpressionLexer(text: text, origin: origin)
        var tokens: [ExpressionToken] = []
        var end = 0
        while true {
            lexer.skipWhitespace()
            guard let scalar = lexer.peek() else { break }
            let start = lexer.position
            tokens.append(ExpressionToken(kind: try lexer.token(startingWith: scalar), offset: start))
            end = lexer.position
        }
        tokens.append(ExpressionToken(kind: .end, offset: end))
        return tokens
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        position + ahead < scalars.count ? scalars[position + ahead] : nil
    }

    private mutating func skipWhitespace() {
        while let s = peek(), s.properties.isWhitespace { position += 1 }
    }

    private func error(_ message: String, at offset: Int) -> ExpressionSyntaxError {
        ExpressionSyntaxError(
            diagnostic: .error(.expressionSyntax, message, at: origin.location(ofOffset: offset, in: text)))
    }

    private mutating func token(startingWith scalar: Unicode.Scalar) throws(ExpressionSyntaxError)
        -> ExpressionToken.Kind
    {
        if scalar == "\"" || scalar == "'" { return .literal(.string(try string(quote: scalar))) }
        if isASCIIDigit(scalar) || (scalar == "-" && peek(1).map(isASCIIDigit) == true) { return try number() }
        if Self.isWordStart(scalar) { return word() }
        let start = position
        position += 1
        let next = peek()
        switch scalar {
        case "(": return .leftParen
        case ")": return .rightParen
        case "[": return .leftBracket
        case "]": return .rightBracket
        case ",": return .comma
        case "=":
            guard next == "=" else { throw error("expected '==' to compare values, found '='", at: start) }
            position += 1
            return .comparison(.equal)
        case "!":
            guard next == "=" else { return .not }
            position += 1
            return .comparison(.notEqual)
        case "<", ">":
            let orEqual = next == "="
            if orEqual { position += 1 }
            switch (scalar == "<", orEqual) {
            case (true, false): return .comparison(.less)
            case (true, true): return .comparison(.lessOrEqual)
            case (false, false): return .comparison(.greater)
            case (false, true): return .comparison(.greaterOrEqual)
            }
        case "&", "|":
            guard next == scalar else { throw error("expected '\(scalar)\(scalar)', found '\(scalar)'", at: start) }
            position += 1
            return scalar == "&" ? .and : .or
        case "-":
            throw error("expected a digit after '-'", at: start)
        default:
            throw error("unexpected character '\(scalar.escaped(asASCII: false))'", at: start)
        }
    }

    /// A quoted string with escapes `\" \' \\ \n \t`; the position is at the opening quote.
    private mutating func string(quote: Unicode.Scalar) throws(ExpressionSyntaxError) -> String {
        let start = position
        position += 1
        var value = String.UnicodeScalarView()
        while let scalar = peek() {
            position += 1
            switch scalar {
            case quote:
                return String(value)
            case "\\":
                switch peek() {
                case "\"": value.append("\"")
                case "'": value.append("'")
                case "\\": value.append("\\")
                case "n": value.append("\n")
                case "t": value.append("\t")
                case nil: throw error("unterminated string", at: start)
                case let other?:
                    throw error(
                        "unknown escape sequence '\\\(other.escaped(asASCII: false))'; "
                            + "valid escapes are \\\" \\' \\\\ \\n \\t",
                        at: position - 1)
                }
                position += 1
            default:
                value.append(scalar)
            }
        }
        throw error("unterminated string", at: start)
    }

    /// `-?digits(.digits)?`; the position is at the sign or first digit.
    private mutating func number() throws(ExpressionSyntaxError) -> ExpressionToken.Kind {
        let start = position
        if peek() == "-" { position += 1 }
        while let s = peek(), isASCIIDigit(s) { position += 1 }
        if peek() == "." {
            guard let digit = peek(1), isASCIIDigit(digit) else {
                throw error("expected a digit after '.' in a number", at: position)
            }
            position += 1
            while let s = peek(), isASCIIDigit(s) { position += 1 }
        }
        var spelled = ""
        spelled.unicodeScalars.append(contentsOf: scalars[start..<position])
        return .literal(.number(Double(spelled)!))  // ASCII digits with an optional sign and fraction always parse
    }

    /// A name or dotted path (`[letter_][letter digit _ - .]*`), or a keyword.
    private mutating func word() -> ExpressionToken.Kind {
        let start = position
        while let s = peek(), Self.isWordStart(s) || isASCIIDigit(s) || s == "-" || s == "." { position += 1 }
        var word = ""
        word.unicodeScalars.append(contentsOf: scalars[start..<position])
        switch word {
        case "true": return .literal(.bool(true))
        case "false": return .literal(.bool(false))
        case "null": return .literal(.null)
        case "in": return .comparison(.in)
        case "contains": return .comparison(.contains)
        case "matches": return .matches
        default: return .word(word)
        }
    }

    private static func isWordStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic
    }
}
