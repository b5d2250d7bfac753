/// `{excludes: TEXT}`: the reply must not contain `TEXT` anywhere (literally,
/// case-sensitively, compared as characters like `contains`).
///
/// Failure: `the reply must not contain "?"; it was "is it 8?"`. No fix is offered:
/// deleting text can change what a reply means.
public struct ExcludesValidator: Validator {
    public var id: String { "excludes" }
    /// The text that must not appear.
    public let text: String

    /// Throws when `text` is empty: every reply would contain it.
    public init(_ text: String) throws(ValidatorError) {
        guard !text.isEmpty else {
            throw ValidatorError(validator: "excludes", message: "'excludes' needs a non-empty text")
        }
        self.text = text
    }

    public func validate(_ output: String, in context: ValidationContext) -> Verdict {
        guard output.contains(text) else { return .pass }
        return .fail(message: "the reply must not contain \(ReplyExcerpt.quoted(text)); it was \(ReplyExcerpt.quoted(output))", fix: nil)
    }
}
