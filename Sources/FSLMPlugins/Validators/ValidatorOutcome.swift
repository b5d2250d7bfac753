/// What one validator made of one output: its verdict, or the error that kept it from
/// judging.
public struct ValidatorOutcome: Sendable, Hashable {
    /// The validator's id (`regex`, `arith.equation_holds`).
    public var validator: String
    public var result: Result<Verdict, ValidatorError>

    public init(validator: String, result: Result<Verdict, ValidatorError>) {
        self.validator = validator
        self.result = result
    }

    /// True only for a `.pass` verdict; an error is never a pass.
    public var passed: Bool { if case .success(.pass) = result { true } else { false } }

    /// The verdict, if the validator could judge.
    public var verdict: Verdict? { if case .success(let v) = result { v } else { nil } }

    /// The error, if the validator could not judge.
    public var error: ValidatorError? { if case .failure(let e) = result { e } else { nil } }

    /// The failure message for the model: the verdict's message, or, when the validator
    /// gave none, "the reply was rejected by validator 'ID'". `nil` for a pass or an error.
    public var failureMessage: String? {
        guard case .success(.fail(let message, _)) = result else { return nil }
        let trimmed = message.trimmingWhitespace()
        return trimmed.isEmpty ? "the reply was rejected by validator '\(validator)'" : trimmed
    }

    /// The fixed output a failing validator offered, if any.
    public var fix: String? {
        if case .success(.fail(_, let fix)) = result { fix } else { nil }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
