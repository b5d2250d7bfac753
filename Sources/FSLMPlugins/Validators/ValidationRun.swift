/// Runs a stage's validators on one output.
public enum ValidationRun {
    /// Runs every validator on `output` and returns one outcome per validator, in the
    /// order given.
    ///
    /// All validators run, even after a failure, so the feedback for a retry names every
    /// problem at once (a reply can be too long *and* miss the pattern). They run
    /// concurrently, as the `Validator` contract allows; only the order of the outcomes is
    /// fixed. A thrown `ValidatorError` is kept as it is; any other thrown error
    /// (including cancellation) becomes a `ValidatorError` carrying the validator's id and
    /// the error's description. Neither ever counts as a pass.
    public static func run(_ validators: [any Validator], on output: String,
                           in context: ValidationContext) async -> [ValidatorOutcome] {
        switch validators.count {
        case 0: return []
        case 1: return [await outcome(of: validators[0], on: output, in: context)]
        default: break
        }
        return await withTaskGroup(of: (Int, ValidatorOutcome).self) { group in
            for (index, validator) in validators.enumerated() {
                group.addTask { (index, await outcome(of: validator, on: output, in: context)) }
            }
            var outcomes = [ValidatorOutcome?](repeating: nil, count: validators.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes.map { $0! }
        }
    }

    /// One validator's outcome, with every thrown error turned into a `ValidatorError`.
    static func outcome(of validator: any Validator, on output: String,
                        in context: ValidationContext) async -> ValidatorOutcome {
        let id = validator.id
        do {
            return ValidatorOutcome(validator: id, result: .success(try await validator.validate(output, in: context)))
        } catch let error as ValidatorError {
            return ValidatorOutcome(validator: id, result: .failure(error))
        } catch is CancellationError {
            return ValidatorOutcome(validator: id, result: .failure(ValidatorError(validator: id, message: "it was cancelled")))
        } catch {
            return ValidatorOutcome(validator: id, result: .failure(ValidatorError(validator: id, message: String(describing: error))))
        }
    }
}

extension Array where Element == ValidatorOutcome {
    /// True only when every validator passed; an empty list passes. A validator that could
    /// not judge (a `ValidatorError`) makes this false.
    public var passed: Bool { allSatisfy(\.passed) }

    /// The failure messages, one per line, in the validators' order: the `{{feedback}}`
    /// for a retry. Validator errors are left out: they describe the validator, not the
    /// reply, and the model cannot act on them (they are in `errors`). Empty when no
    /// validator failed.
    public var feedback: String { compactMap(\.failureMessage).joined(separator: "\n") }

    /// The errors of validators that could not judge, in order.
    public var errors: [ValidatorError] { compactMap(\.error) }
}
