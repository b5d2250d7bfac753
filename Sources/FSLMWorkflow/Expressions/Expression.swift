internal import Foundation

/// The syntax tree of a `when` expression. Every node carries a location: literals, lists and
/// paths where they start, operators where the operator is written.
public indirect enum Expression: Sendable {
    /// A comparison operator (`matches` has its own case).
    public enum ComparisonOperator: String, Sendable, Hashable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case `in` = "in"
        case contains = "contains"
    }

    /// A string, number, `true`, `false` or `null`.
    case literal(ExpressionValue, SourceLocation)
    /// `[a, b, ...]`, located at the `[`.
    case list([Expression], SourceLocation)
    /// `inputs.NAME`, `stages.ID.output` or `stages.ID.status`.
    case path(ExpressionPath)
    /// `!operand`, located at the `!`.
    case not(Expression, SourceLocation)
    /// `left && right`, located at the `&&`.
    case and(Expression, Expression, SourceLocation)
    /// `left || right`, located at the `||`.
    case or(Expression, Expression, SourceLocation)
    /// `left OP right`, located at the operator.
    case comparison(ComparisonOperator, Expression, Expression, SourceLocation)
    /// `subject matches "regex"`, located at `matches`.
    case matches(Expression, ExpressionPattern, SourceLocation)

    /// Where the node is (see the type's description).
    public var location: SourceLocation {
        switch self {
        case .literal(_, let l), .list(_, let l), .not(_, let l), .and(_, _, let l), .or(_, _, let l),
            .comparison(_, _, _, let l), .matches(_, _, let l):
            l
        case .path(let path): path.location
        }
    }
}

/// The regular expression on the right of `matches`, compiled when the expression is parsed.
public struct ExpressionPattern: Sendable {
    /// The pattern as written (after string escapes are resolved).
    public var pattern: String
    /// Where the pattern's string literal starts.
    public var location: SourceLocation
    let regex: NSRegularExpression

    /// Compiles `pattern`, or returns nil if it is not a valid `NSRegularExpression`.
    init?(pattern: String, location: SourceLocation) {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        self.pattern = pattern
        self.location = location
        self.regex = regex
    }

    /// Whether the pattern matches anywhere in `text` (a search, not anchored).
    func isFound(in text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil
    }
}
