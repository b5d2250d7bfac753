/// `{choices: [a, b, c]}`: the reply must equal one of the choices exactly (the engine has
/// already trimmed surrounding whitespace; case and punctuation count).
///
/// Failure: `the reply must be one of: arithmetic, conversion, other; it was "maths"`.
///
/// Fix: offered when the reply names exactly one choice once the obvious wrapping is
/// undone: letter case, one trailing period, and one pair of surrounding quotes
/// (`"`, `'`, `` ` ``) or `**`. "Arithmetic." and "`other`" are fixed; a reply that two
/// choices match this way (choices differing only in case) gets no fix.
public struct ChoicesValidator: Validator {
    public var id: String { "choices" }
    /// The allowed replies, in the workflow's order.
    public let choices: [String]

    /// Throws when `choices` is empty: no reply could pass.
    public init(_ choices: [String]) throws(ValidatorError) {
        guard !choices.isEmpty else {
            throw ValidatorError(validator: "choices", message: "'choices' needs at least one choice")
        }
        self.choices = choices
    }

    public func validate(_ output: String, in context: ValidationContext) -> Verdict {
        if choices.contains(output) { return .pass }
        return .fail(message: "the reply must be one of: \(choices.joined(separator: ", ")); it was \(ReplyExcerpt.quoted(output))",
                     fix: fix(for: output))
    }

    /// The one choice the reply names after undoing case, a trailing period and wrapping.
    private func fix(for output: String) -> String? {
        let key = Self.normalized(output)
        let matches = choices.filter { Self.normalized($0) == key }
        return matches.count == 1 ? matches[0] : nil
    }

    private static func normalized(_ text: String) -> String {
        var s = Substring(text)
        s = s.drop(while: \.isWhitespace)
        while s.last?.isWhitespace == true { s.removeLast() }
        for wrapper in ["**", "\"", "'", "`"] where s.count >= 2 * wrapper.count && s.hasPrefix(wrapper) && s.hasSuffix(wrapper) {
            s = s.dropFirst(wrapper.count).dropLast(wrapper.count)
            break
        }
        if s.last == "." { s.removeLast() }
        return s.lowercased()
    }
}
