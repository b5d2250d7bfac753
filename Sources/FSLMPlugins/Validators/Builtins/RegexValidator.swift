import Foundation

/// `{regex: PATTERN}`: the reply must contain a match of `PATTERN`
/// (`NSRegularExpression`, ICU syntax, no options; inline flags such as `(?i)` work).
///
/// The pattern is *searched for*, not matched against the whole reply: `\d+` accepts
/// "it is 42". To constrain the whole reply, anchor it yourself: `^\d+$`. `^` and `$`
/// mean the start and end of the reply (`$` also matches before a final line break,
/// which the engine's trimming removes anyway), not of each line.
///
/// Failure: `the reply must match ^\d+$; it was "forty-two"`. No fix is offered.
public struct RegexValidator: Validator {
    public var id: String { "regex" }
    /// The pattern as written in the workflow.
    public let pattern: String
    private let expression: NSRegularExpression

    /// Compiles `pattern`; an invalid pattern throws, naming it and the reason.
    public init(pattern: String) throws(ValidatorError) {
        do {
            expression = try NSRegularExpression(pattern: pattern)
        } catch {
            throw ValidatorError(validator: "regex",
                                 message: "'\(pattern)' is not a valid regular expression: \(Self.reason(error))")
        }
        self.pattern = pattern
    }

    public func validate(_ output: String, in context: ValidationContext) -> Verdict {
        let range = NSRange(output.startIndex..<output.endIndex, in: output)
        if expression.firstMatch(in: output, options: [], range: range) != nil { return .pass }
        return .fail(message: "the reply must match \(pattern); it was \(ReplyExcerpt.quoted(output))", fix: nil)
    }

    private static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let debug = ns.userInfo["NSDebugDescription"] as? String { return debug }
        if let reason = ns.userInfo[NSLocalizedFailureReasonErrorKey] as? String { return reason }
        return ns.localizedDescription
    }
}
