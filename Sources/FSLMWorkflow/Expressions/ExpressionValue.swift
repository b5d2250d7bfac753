/// A value inside a `when` expression: a literal, an input, or a stage's output or status.
///
/// The synthesized `Hashable` conformance is structural; the evaluator's `==` follows the
/// looser rules documented on ``ExpressionEvaluator``.
public enum ExpressionValue: Sendable, Hashable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case list([ExpressionValue])
    case null

    /// The value's kind for messages: "a string", "a number", "a boolean", "a list" or "null".
    public var kindDescription: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .list: "a list"
        case .null: "null"
        }
    }

    /// The number this value stands for: a number, or a string that spells a number literal
    /// (`-?digits(.digits)?`) once surrounding whitespace is trimmed.
    var numericValue: Double? {
        switch self {
        case .number(let n): n
        case .string(let s): Self.number(spelledBy: s)
        default: nil
        }
    }

    /// `==` semantics: equal kinds compare directly (strings by Unicode scalars, lists element
    /// by element); a number equals a string that spells the same number; null equals only null.
    func isEqual(to other: ExpressionValue) -> Bool {
        switch (self, other) {
        case (.string(let a), .string(let b)): a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        case (.list(let a), .list(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.isEqual(to: $1) }
        case (.number(let n), .string(let s)), (.string(let s), .number(let n)):
            Self.number(spelledBy: s) == n
        default: false
        }
    }

    /// Ordering semantics for `< <= > >=`: numeric when both sides are numbers or numeric
    /// strings, by Unicode scalars when both are strings; nil when the two cannot be ordered.
    func isLess(than other: ExpressionValue) -> Bool? {
        if let a = numericValue, let b = other.numericValue { return a < b }
        if case .string(let a) = self, case .string(let b) = other {
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
        }
        return nil
    }

    /// The number `text` spells as `-?digits(.digits)?`, ignoring surrounding whitespace.
    static func number(spelledBy text: String) -> Double? {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return nil }
        let body = scalars[first...last]
        let unsigned = body.first == "-" ? body.dropFirst() : body
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let isDigits = { (part: ArraySlice<Unicode.Scalar>) in !part.isEmpty && part.allSatisfy(isASCIIDigit) }
        guard parts.allSatisfy(isDigits) else { return nil }
        var spelled = ""
        spelled.unicodeScalars.append(contentsOf: body)
        return Double(spelled)
    }
}

/// True for `0`...`9`.
func isASCIIDigit(_ scalar: Unicode.Scalar) -> Bool {
    ("0"..."9").contains(scalar)
}

extension String {
    /// Whether `needle` occurs in this string, comparing Unicode scalars (not canonical equivalence).
    func containsScalars(of needle: String) -> Bool {
        let haystack = Array(unicodeScalars), needle = Array(needle.unicodeScalars)
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
