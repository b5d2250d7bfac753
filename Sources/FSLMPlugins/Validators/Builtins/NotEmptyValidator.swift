/// `not_empty`: the reply must contain something besides whitespace (spaces, tabs,
/// line breaks and other Unicode whitespace).
///
/// Failure: `the reply is empty; an answer is required`. No fix is offered.
public struct NotEmptyValidator: Validator {
    public var id: String { "not_empty" }

    public init() {}

    public func validate(_ output: String, in context: ValidationContext) -> Verdict {
        output.allSatisfy(\.isWhitespace)
            ? .fail(message: "the reply is empty; an answer is required", fix: nil)
            : .pass
    }
}
