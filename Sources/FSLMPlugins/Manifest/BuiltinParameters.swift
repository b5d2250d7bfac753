public import FSLMWorkflow

/// How a manifest writes the parameters of a built-in kind, next to `kind:`, and how they
/// become the argument `BuiltinValidators` builds from:
///
/// | kind | parameters | example |
/// |---|---|---|
/// | `regex` | `pattern` | `{kind: regex, pattern: '^\d+$'}` |
/// | `choices` | `choices` | `{kind: choices, choices: [yes, no]}` |
/// | `length` | `min`, `max` (one or both) | `{kind: length, max: 120}` |
/// | `contains`, `excludes` | `text` | `{kind: contains, text: "="}` |
/// | `not_empty`, `json` | none | `{kind: json}` |
///
/// A workflow's parameters for a plugin validator override the manifest's, key by key.
public enum BuiltinParameters {
    /// The parameter keys of each built-in kind.
    public static let keys: [String: [String]] = [
        "regex": ["pattern"], "choices": ["choices"], "length": ["min", "max"],
        "contains": ["text"], "excludes": ["text"], "not_empty": [], "json": [],
    ]

    /// The keys of which at least one must be given, by kind (absent: none required).
    static let requiredAnyOf: [String: [String]] = [
        "regex": ["pattern"], "choices": ["choices"], "length": ["min", "max"],
        "contains": ["text"], "excludes": ["text"],
    ]

    /// `params` merged with `overrides` (an object, or nil/null for none), key by key.
    public static func merge(_ params: JSONValue, _ overrides: JSONValue?, id: String) throws(ValidatorError) -> JSONValue {
        guard case .object(var merged) = params else { return params }
        switch overrides {
        case nil, .null?: break
        case .object(let fields)?: merged.merge(fields) { _, new in new }
        case let other?:
            throw ValidatorError(validator: id, message: "'\(id)' takes a mapping of parameters; it got \(BuiltinValidators.describe(other))")
        }
        return .object(merged)
    }

    /// Builds built-in `kind` from its parameter object. Errors name `id` (`arith.short`) and
    /// say what is wrong with the parameters.
    public static func make(kind: String, params: JSONValue, id: String) throws(ValidatorError) -> any Validator {
        func problem(_ message: String) -> ValidatorError { ValidatorError(validator: id, message: message) }
        guard let allowed = keys[kind] else {
            throw problem("'\(kind)' is not a built-in validator kind; kinds: \(ValidatorRef.builtinKinds.joined(separator: ", "))")
        }
        let fields: [String: JSONValue]
        switch params {
        case .object(let f): fields = f
        case .null: fields = [:]
        default: throw problem("the parameters of '\(kind)' must be a mapping; they are \(BuiltinValidators.describe(params))")
        }
        if let extra = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw problem(allowed.isEmpty ? "'\(kind)' takes no parameters; it got '\(extra)'"
                                          : "'\(kind)' takes only \(quoted(allowed, joinedBy: "and")); it got '\(extra)'")
        }
        if let required = requiredAnyOf[kind], !required.contains(where: { fields[$0] != nil }) {
            let needed = required.count == 1 ? "'\(required[0])'" : required.map { "'\($0)'" }.joined(separator: ", ") + " or both"
            throw problem("'\(kind)' needs \(needed)")
        }
        let argument: JSONValue?
        switch kind {
        case "regex": argument = fields["pattern"]
        case "choices": argument = fields["choices"]
        case "contains", "excludes": argument = fields["text"]
        case "length": argument = .object(fields)
        default: argument = nil
        }
        do throws(ValidatorError) {
            guard let validator = try BuiltinValidators.make(kind, argument: argument) else {
                throw problem("'\(kind)' is not a built-in validator kind")
            }
            return validator
        } catch {
            throw problem(error.message)
        }
    }

    /// `['min', 'max']` → `'min' and 'max'` (with `word` "and"); `['pattern']` → `'pattern'`.
    static func quoted(_ keys: [String], joinedBy word: String) -> String {
        let items = keys.map { "'\($0)'" }
        guard let last = items.last, items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(word) " + last
    }
}
