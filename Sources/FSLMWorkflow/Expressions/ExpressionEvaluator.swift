/// The outcome of a condition: decided, or unknown because a value it needs is not known yet.
public enum Truth: Sendable, Hashable {
    case `true`, `false`, unknown
}

/// Supplies the values of paths to the evaluator.
public protocol ExpressionEnvironment {
    /// The value at `path`, or nil when it is not known yet (as in a dry run).
    /// Stage statuses are strings such as "succeeded", "failed" or "skipped".
    func value(of path: ExpressionPath) -> ExpressionValue?
}

/// A condition that parsed but cannot be evaluated with the values it met.
public struct ExpressionEvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// The offending operator or operand.
    public var location: SourceLocation

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    /// `file:line:col: message`
    public var description: String { "\(location): \(message)" }
}

/// Evaluates parsed `when` expressions.
///
/// - Unknown values (the environment returns nil) make the result unknown, unless it is decided
///   anyway: `false && x` and `x && false` are false, `true || x` and `x || true` are true, and
///   `!unknown` is unknown. A list literal with an unknown element is unknown as a whole.
///   `&&` and `||` do not evaluate their right side when the left side decides the result.
/// - `&&`, `||` and `!` need booleans; the whole condition must be a boolean (or unknown).
/// - `==` and `!=`: values of the same kind compare directly (strings by Unicode scalars, not
///   canonical equivalence; lists element by element). A number and a string compare
///   numerically when the string spells a number (`-?digits(.digits)?`, surrounding whitespace
///   ignored), so `stages.count.output == 3` works; otherwise they are unequal. `null` equals
///   only `null`.
/// - `< <= > >=`: numerically when both sides are numbers or numeric strings, by Unicode scalars
///   when both are strings; anything else is an error.
/// - `a in b`: `b` is a list holding an element `== a`, or a string containing the string `a`.
///   `a contains b` is `b in a`.
/// - `a matches "re"`: `a` is a string in which the regular expression is found (not anchored).
public enum ExpressionEvaluator {
    /// The truth of `expression` given the values in `environment`.
    public static func evaluate(_ expression: ParsedExpression, in environment: some ExpressionEnvironment)
        throws(ExpressionEvaluationError) -> Truth
    {
        switch try value(of: expression.root, in: environment) {
        case nil: return .unknown
        case .bool(let b)?: return b ? .true : .false
        case let other?:
            throw ExpressionEvaluationError(
                "condition must be true or false, got \(other.kindDescription)", at: expression.root.location)
        }
    }

    /// The value of `expression`, or nil when it is unknown.
    private static func value(of expression: Expression, in environment: some ExpressionEnvironment)
        throws(ExpressionEvaluationError) -> ExpressionValue?
    {
        switch expression {
        case .literal(let value, _):
            return value
        case .path(let path):
            return environment.value(of: path)
        case .list(let items, _):
            var values: [ExpressionValue?] = []
            for item in items { values.append(try value(of: item, in: environment)) }
            guard !values.contains(where: { $0 == nil }) else { return nil }
            return .list(values.compactMap { $0 })
        case .not(let operand, _):
            return try boolean(operand, for: "!", in: environment).map { .bool(!$0) }
        case .and(let left, let right, _):
            return try logical(left, right, decidedBy: false, for: "&&", in: environment)
        case .or(let left, let right, _):
            return try logical(left, right, decidedBy: true, for: "||", in: environment)
        case .comparison(let op, let left, let right, let location):
            let lhs = try value(of: left, in: environment), rhs = try value(of: right, in: environment)
            guard let lhs, let rhs else { return nil }
            return .bool(try compare(lhs, op, rhs, at: location))
        case .matches(let subject, let pattern, let location):
            guard let subject = try value(of: subject, in: environment) else { return nil }
            guard case .string(let text) = subject else {
                throw ExpressionEvaluationError(
                    "'matches' needs a string on its left, got \(subject.kindDescription)", at: location)
            }
            return .bool(pattern.isFound(in: text))
        }
    }

    /// `&&` (decided by false) or `||` (decided by true), short-circuiting on the left side.
    private static func logical(
        _ left: Expression, _ right: Expression, decidedBy decisive: Bool, for op: String,
        in environment: some ExpressionEnvironment
    ) throws(ExpressionEvaluationError) -> ExpressionValue? {
        let lhs = try boolean(left, for: op, in: environment)
        if lhs == decisive { return .bool(decisive) }
        let rhs = try boolean(right, for: op, in: environment)
        if rhs == decisive { return .bool(decisive) }
        guard lhs != nil, rhs != nil else { return nil }
        return .bool(!decisive)
    }

    /// The operand's boolean, nil when unknown; any other kind is an error.
    private static func boolean(_ operand: Expression, for op: String, in environment: some ExpressionEnvironment)
        throws(ExpressionEvaluationError) -> Bool?
    {
        guard let value = try value(of: operand, in: environment) else { return nil }
        guard case .bool(let b) = value else {
            throw ExpressionEvaluationError("'\(op)' needs true or false, got \(value.kindDescription)",
                                            at: operand.location)
        }
        return b
    }

    private static func compare(
        _ lhs: ExpressionValue, _ op: Expression.ComparisonOperator, _ rhs: ExpressionValue, at location: SourceLocation
    ) throws(ExpressionEvaluationError) -> Bool {
        switch op {
        case .equal: return lhs.isEqual(to: rhs)
        case .notEqual: return !lhs.isEqual(to: rhs)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let lhsFirst = lhs.isLess(than: rhs), let rhsFirst = rhs.isLess(than: lhs) else {
                throw ExpressionEvaluationError(
                    "'\(op.rawValue)' cannot order \(orderingKind(lhs, rhs)) and \(orderingKind(rhs, lhs))",
                    at: location)
            }
            switch op {
            case .less: return lhsFirst
            case .lessOrEqual: return !rhsFirst
            case .greater: return rhsFirst
            default: return !lhsFirst
            }
        case .in: return try membership(of: lhs, in: rhs, for: op, at: location)
        case .contains: return try membership(of: rhs, in: lhs, for: op, at: location)
        }
    }

    /// Whether `container` (a list, or a string searched for the string `element`) holds `element`.
    private static func membership(
        of element: ExpressionValue, in container: ExpressionValue, for op: Expression.ComparisonOperator,
        at location: SourceLocation
    ) throws(ExpressionEvaluationError) -> Bool {
        switch (container, element) {
        case (.list(let items), _):
            return items.contains { element.isEqual(to: $0) }
        case (.string(let text), .string(let part)):
            return text.containsScalars(of: part)
        case (.string, _):
            throw ExpressionEvaluationError(
                "'\(op.rawValue)' can only search a string for a string, got \(element.kindDescription)", at: location)
        default:
            throw ExpressionEvaluationError(
                "'\(op.rawValue)' needs a list or a string to search in, got \(container.kindDescription)",
                at: location)
        }
    }

    /// `value`'s kind for an ordering error, calling out a string that is not a number next to a number.
    private static func orderingKind(_ value: ExpressionValue, _ other: ExpressionValue) -> String {
        if case .string = value, value.numericValue == nil, other.numericValue != nil { return "a non-numeric string" }
        return value.kindDescription
    }
}
