/// A validator named in a stage's `validate:` list: a built-in kind (`regex`, `not_empty`, ...)
/// or a plugin's (`arith.equation_holds`), with its argument if one was given.
public struct ValidatorRef: Sendable {
    /// `regex`, `length`, ... or `plugin.validator`.
    public var name: Located<String>
    /// The argument: a regex's pattern, `length`'s `{min, max}`, a plugin validator's params.
    public var argument: JSONValue?
    /// Where the argument's text is, for errors inside it (an invalid regex).
    public var argumentSource: TextSource?

    public init(name: Located<String>, argument: JSONValue? = nil, argumentSource: TextSource? = nil) {
        self.name = name
        self.argument = argument
        self.argumentSource = argumentSource
    }

    /// The built-in validator kinds.
    public static let builtinKinds = ["regex", "choices", "length", "not_empty", "json", "contains", "excludes"]

    /// The name with its argument, as listings show it: `regex '^\d+$'`, `length 10-400`, `length <= 200`.
    public var summary: String {
        switch (name.value, argument) {
        case (_, nil), (_, .null?): return name.value
        case ("length", .object(let o)?):
            switch (o["min"]?.displayText, o["max"]?.displayText) {
            case (let min?, let max?): return "length \(min)-\(max)"
            case (let min?, nil): return "length >= \(min)"
            case (nil, let max?): return "length <= \(max)"
            case (nil, nil): return "length"
            }
        case (_, .string(let s)?): return "\(name.value) '\(s)'"
        case (_, let value?): return "\(name.value) \(value.displayText)"
        }
    }

    /// True for a `plugin.validator` name.
    public var isPluginQualified: Bool { name.value.contains(".") }
}
