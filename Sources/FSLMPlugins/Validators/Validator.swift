public import FSLMWorkflow

/// Checks one stage output.
///
/// Contract: return `.pass`, or `.fail` with a message a model can act on (it is shown
/// to the model as `{{feedback}}` on a retry) and optionally a fixed value. A validator
/// that *cannot judge* (its program crashed, timed out, printed nonsense) throws
/// `ValidatorError`; it never passes by default. Validators may run concurrently.
public protocol Validator: Sendable {
    /// How the validator is named in workflows (`regex`, `arith.equation_holds`).
    var id: String { get }
    func validate(_ output: String, in context: ValidationContext) async throws -> Verdict
}

/// What a validator may look at besides the output.
public struct ValidationContext: Sendable {
    /// The stage whose output it is.
    public var stage: String
    /// The run's inputs.
    public var inputs: [String: JSONValue]
    /// 1 for the first attempt.
    public var attempt: Int

    public init(stage: String, inputs: [String: JSONValue], attempt: Int) {
        self.stage = stage
        self.inputs = inputs
        self.attempt = attempt
    }
}

/// A validator's judgement.
public enum Verdict: Sendable, Hashable {
    case pass
    /// `fix` is a corrected output the validator offers, if it has one.
    case fail(message: String, fix: String?)

    public var passed: Bool { self == .pass }
}

/// A validator could not judge an output.
public struct ValidatorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The validator's id.
    public var validator: String
    public var message: String

    public init(validator: String, message: String) {
        self.validator = validator
        self.message = message
    }

    public var description: String { "validator '\(validator)' could not judge the output: \(message)" }
}
