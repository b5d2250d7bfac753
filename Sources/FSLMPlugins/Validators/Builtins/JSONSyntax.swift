/// A strict RFC 8259 syntax check of one JSON text, with messages a model can act on.
///
/// It builds no values: it only says whether the text is exactly one JSON value with
/// optional surrounding whitespace, and if not, what is wrong and where. Positions are
/// 1-based and count characters; a reply with line breaks gets "line L, column C".
/// Nesting is limited to `maxDepth` levels so hostile input cannot exhaust the stack.
struct JSONSyntax {
    static let maxDepth = 200

    /// `nil` when `text` is one valid JSON value, else what is wrong with it
    /// ("unexpected character 'x' at position 7; expected ',' or '}'").
    static func problem(in text: String) -> String? {
        var scanner = JSONSyntax(text)
        do {
            try scanner.document()
            return nil
        } catch {
            return error.message
        }
    }

    private struct Problem: Error { let message: String }

    private let scalars: [Unicode.Scalar]
    private let multiline: Bool
    private var i = 0

    private init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        multiline = text.contains { $0.isNewline }
    }

    private var current: Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }

    private mutating func document() throws(Problem) {
        skipWhitespace()
        if current == nil { throw Problem(message: "it is empty; expected one JSON value") }
        try value(depth: 1)
        skipWhitespace()
        if current != nil {
            let rest = String(String.UnicodeScalarView(scalars[i...]))
            throw Problem(message: "unexpected text after the JSON value at \(place(i)): \(ReplyExcerpt.quoted(rest, limit: 20))")
        }
    }

    private mutating func value(depth: Int) throws(Problem) {
        guard let c = current else { throw endEarly("a value") }
        switch c {
        case "{": try object(depth: depth)
        case "[": try array(depth: depth)
        case "\"": try string()
        case "-", "0"..."9": try number()
        case "'": throw Problem(message: "single quote at \(place(i)); strings need double quotes")
        case _ where Self.isWordScalar(c):
            let start = i
            let word = readWord()
            if word == "true" || word == "false" || word == "null" { return }
            throw Problem(message: "unexpected word '\(ReplyExcerpt.excerpt(word, limit: 20))' at \(place(start)); expected a value (strings need double quotes)")
        default: throw unexpected("a value")
        }
    }

    private mutating func object(depth: Int) throws(Problem) {
        if try opens("}", depth: depth) { return }
        repeat {
            skipWhitespace()
            try key()
            skipWhitespace()
            guard current == ":" else { throw current == nil ? endEarly("':'") : unexpected("':'") }
            i += 1
            skipWhitespace()
            try value(depth: depth + 1)
        } while try !closes("}")
    }

    private mutating func key() throws(Problem) {
        switch current {
        case "\"": try string()
        case nil: throw endEarly("a key in double quotes")
        case "'": throw Problem(message: "single quote at \(place(i)); keys need double quotes")
        case let c? where Self.isWordScalar(c):
            let start = i
            let word = readWord()
            throw Problem(message: "unquoted key '\(ReplyExcerpt.excerpt(word, limit: 20))' at \(place(start)); keys need double quotes")
        default: throw unexpected("a key in double quotes")
        }
    }

    private mutating func array(depth: Int) throws(Problem) {
        if try opens("]", depth: depth) { return }
        repeat {
            skipWhitespace()
            try value(depth: depth + 1)
        } while try !closes("]")
    }

    /// Steps over an opening bracket; true when the container is empty (`close` follows).
    private mutating func opens(_ close: Unicode.Scalar, depth: Int) throws(Problem) -> Bool {
        if depth > Self.maxDepth { throw Problem(message: "nesting deeper than \(Self.maxDepth) levels at \(place(i))") }
        i += 1
        skipWhitespace()
        guard current == close else { return false }
        i += 1
        return true
    }

    /// After an item: a comma (more items follow; none may be missing before `close`) gives
    /// false, `close` gives true.
    private mutating func closes(_ close: Unicode.Scalar) throws(Problem) -> Bool {
        skipWhitespace()
        let comma = i
        switch current {
        case ",":
            i += 1
            skipWhitespace()
            if current == close { throw Problem(message: "extra comma at \(place(comma)) before '\(close)'") }
            return false
        case close?:
            i += 1
            return true
        case nil: throw endEarly("',' or '\(close)'")
        default: throw unexpected("',' or '\(close)'")
        }
    }

    private mutating func string() throws(Problem) {
        let start = i
        i += 1
        while let c = current {
            switch c {
            case "\"": i += 1; return
            case "\\":
                let escape = i
                i += 1
                guard let e = current else { break }
                switch e {
                case "\"", "\\", "/", "b", "f", "n", "r", "t": i += 1
                case "u":
                    i += 1
                    for _ in 0..<4 {
                        guard let h = current, h.properties.isASCIIHexDigit else {
                            throw Problem(message: "invalid \\u escape at \(place(escape)); it needs four hex digits")
                        }
                        i += 1
                    }
                default:
                    throw Problem(message: "invalid escape '\\\(ReplyExcerpt.escaped(String(e)))' at \(place(escape)); valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
                }
            case "\n": throw Problem(message: "line break inside a string at \(place(i)); write it as \\n")
            case _ where c.value < 0x20:
                throw Problem(message: "control character \(ReplyExcerpt.escaped(String(c))) inside a string at \(place(i)); escape it")
            default: i += 1
            }
        }
        throw Problem(message: "the string that starts at \(place(start)) is never closed; expected '\"'")
    }

    private mutating func number() throws(Problem) {
        if current == "-" { i += 1 }
        switch current {
        case "0":
            i += 1
            if let c = current, Self.isDigit(c) {
                throw Problem(message: "number with a leading zero at \(place(i - 1))")
            }
        case let c? where Self.isDigit(c): skipDigits()
        default: throw digitExpected(after: "'-'")
        }
        if current == "." {
            i += 1
            guard let c = current, Self.isDigit(c) else { throw digitExpected(after: "'.'") }
            skipDigits()
        }
        if current == "e" || current == "E" {
            i += 1
            if current == "+" || current == "-" { i += 1 }
            guard let c = current, Self.isDigit(c) else { throw digitExpected(after: "the exponent's 'e'") }
            skipDigits()
        }
    }

    // MARK: - Helpers

    private mutating func skipWhitespace() {
        while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1 }
    }

    private mutating func skipDigits() {
        while let c = current, Self.isDigit(c) { i += 1 }
    }

    /// Letters, digits and `_`: enough of a bare word to name it in a message.
    private mutating func readWord() -> String {
        var word = String.UnicodeScalarView()
        while let c = current, Self.isWordScalar(c) || Self.isDigit(c) || c == "_" { word.append(c); i += 1 }
        return String(word)
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
    private static func isWordScalar(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic }

    private func unexpected(_ expected: String) -> Problem {
        let c = scalars[i]
        let shown = c.properties.isWhitespace || c.value < 0x20 ? ReplyExcerpt.escaped(String(c)) : String(c)
        return Problem(message: "unexpected character '\(shown)' at \(place(i)); expected \(expected)")
    }

    private func endEarly(_ expected: String) -> Problem {
        Problem(message: "it ends too early; expected \(expected)")
    }

    private func digitExpected(after what: String) -> Problem {
        current == nil ? endEarly("a digit after \(what)") : unexpected("a digit after \(what)")
    }

    /// "position 7", or "line 2, column 3" in a reply with line breaks; counts characters.
    private func place(_ index: Int) -> String {
        let before = String(String.UnicodeScalarView(scalars[..<index]))
        guard multiline else { return "position \(before.count + 1)" }
        var line = 1, column = 1
        for ch in before {
            if ch.isNewline { line += 1; column = 1 } else { column += 1 }
        }
        return "line \(line), column \(column)"
    }
}
