import FSLMWorkflow

/// Builds the built-in validators from a workflow's arguments.
///
/// Accepted shapes (what `ValidatorRefDecoder` produces, plus the obvious equivalents a
/// library user may write):
/// - `regex`, `contains`, `excludes`: a text; numbers and booleans are taken as their text.
/// - `choices`: a non-empty list of texts (numbers and booleans as their text).
/// - `length`: a mapping with `min`, `max` or both, whole numbers >= 0, `min <= max`;
///   a `null` bound counts as absent.
/// - `not_empty`, `json`: no argument (`nil`, `null` or `true`).
enum BuiltinValidators {
    /// The built-in named `name`, or `nil` when `name` is not a built-in kind.
    static func make(_ name: String, argument: JSONValue?) throws(ValidatorError) -> (any Validator)? {
        func problem(_ message: String) -> ValidatorError { ValidatorError(validator: name, message: message) }
        switch name {
        case "regex":
            guard let pattern = argument.flatMap(text) else {
                throw problem("'regex' needs a pattern, e.g. {regex: '^\\d+$'}; it got \(describe(argument))")
            }
            return try RegexValidator(pattern: pattern)
        case "contains", "excludes":
            guard let needle = argument.flatMap(text) else {
                throw problem("'\(name)' needs a text, e.g. {\(name): \"=\"}; it got \(describe(argument))")
            }
            return name == "contains" ? try ContainsValidator(needle) : try ExcludesValidator(needle)
        case "choices":
            guard case .array(let items)? = argument, !items.isEmpty else {
                throw problem("'choices' needs a non-empty list of texts, e.g. {choices: [yes, no]}; it got \(describe(argument))")
            }
            var choices: [String] = []
            for (n, item) in items.enumerated() {
                guard let choice = text(item) else {
                    throw problem("'choices' needs texts; choice \(n + 1) is \(describe(item))")
                }
                choices.append(choice)
            }
            return try ChoicesValidator(choices)
        case "length":
            guard case .object(let fields)? = argument else {
                throw problem("'length' needs 'min', 'max' or both, e.g. {length: {max: 200}}; it got \(describe(argument))")
            }
            if let extra = fields.keys.sorted().first(where: { $0 != "min" && $0 != "max" }) {
                throw problem("'length' takes only 'min' and 'max'; it got '\(extra)'")
            }
            return try LengthValidator(min: bound("min", fields["min"]), max: bound("max", fields["max"]))
        case "not_empty", "json":
            switch argument {
            case nil, .null?, .bool(true)?: break
            case let other?: throw problem("'\(name)' takes no argument; it got \(describe(other))")
            }
            return name == "json" ? JSONValidator() : NotEmptyValidator()
        default:
            return nil
        }

        func bound(_ key: String, _ value: JSONValue?) throws(ValidatorError) -> Int? {
            switch value {
            case nil, .null?: return nil
            case .number(let n)? where n == n.rounded() && abs(n) < 1e15: return Int(n)
            case let other?: throw problem("'length' needs a whole number for '\(key)'; it got \(describe(other))")
            }
        }
    }

    /// A scalar's text: strings verbatim, numbers and booleans as written.
    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): return s
        case .number, .bool: return value.displayText
        case .null, .array, .object: return nil
        }
    }

    /// "a list", "the number 2.5", ... for messages about wrong shapes.
    static func describe(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return "no argument"
        case .bool(let b)?: return b ? "true" : "false"
        case .number(let n)?: return "the number \(JSONValue.format(n))"
        case .string(let s)?: return "the text \(ReplyExcerpt.quoted(s, limit: 40))"
        case .array?: return "a list"
        case .object?: return "a mapping"
        }
    }
}
