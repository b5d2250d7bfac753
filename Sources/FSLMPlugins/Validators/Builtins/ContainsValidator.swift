/// `{contains: TEXT}`: the reply must contain `TEXT` literally, case-sensitively.
/// Text is compared as characters, so canonically equivalent spellings (precomposed "é"
/// and "e" plus a combining accent) match, and "e" is not found inside "é".
///
/// Failure: `the reply must contain "="; it was "3 + 5 is 8"`. No fix is offered.
public struct ContainsValidator: Validator {
    public var id: String { "contains" }
    /// The text that must appear.
    public let text: String

    /// Throws when `text` is empty: every reply would contain it.
    public init(_ text: String) throws(ValidatorError) {
        guard !text.isEmpty else {
            throw ValidatorError(validator: "contains", message: "'contains' needs a non-empty text")
        }
        self.text = text
    }

    public func validate(_ output: String, in context: ValidationContext) -> Verdict {
        if output.contains(text) { return .pass }
        return .fail(message: "the reply must contain \(ReplyExcerpt.quoted(text)); it was \(ReplyExcerpt.quoted(output))", fix: nil)
    }
}
