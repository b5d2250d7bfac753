import FSLMPlugins
import Testing

/// Throws an arbitrary (non-validator) error.
struct CrashingValidator: Validator {
    struct Crash: Error, CustomStringConvertible { var description: String { "exited with status 2" } }
    var id: String { "arith.crashes" }
    func validate(_ output: String, in context: ValidationContext) async throws -> Verdict { throw Crash() }
}

/// Throws a `ValidatorError` of its own.
struct TimingOutValidator: Validator {
    var id: String { "arith.slow" }
    func validate(_ output: String, in context: ValidationContext) async throws -> Verdict {
        throw ValidatorError(validator: id, message: "timed out after 5s")
    }
}

/// Fails with an empty message.
struct MuteValidator: Validator {
    var id: String { "arith.mute" }
    func validate(_ output: String, in context: ValidationContext) async throws -> Verdict { .fail(message: " ", fix: nil) }
}

/// Sleeps before passing, so a later validator finishes first.
struct SlowPassValidator: Validator {
    var id: String { "arith.slow_pass" }
    func validate(_ output: String, in context: ValidationContext) async throws -> Verdict {
        try await Task.sleep(for: .milliseconds(50))
        return .pass
    }
}

@Suite struct ValidationRunTests {
    let context = ValidationContext(stage: "solve", inputs: [:], attempt: 2)

    @Test func keepsEveryVerdictInOrder() async throws {
        let validators: [any Validator] = [
            try RegexValidator(pattern: #"^\d+ [-+*/] \d+ = -?\d+$"#),
            NotEmptyValidator(),
            try LengthValidator(max: 10),
            try ExcludesValidator("equals"),
        ]
        let outcomes = await ValidationRun.run(validators, on: "3 + 5 equals 8", in: context)
        #expect(outcomes.map(\.validator) == ["regex", "not_empty", "length", "excludes"])
        #expect(outcomes.map(\.passed) == [false, true, false, false])
        #expect(outcomes[1].verdict == .pass)
        #expect(!outcomes.passed)
        #expect(outcomes.errors.isEmpty)
        #expect(outcomes.feedback == """
            the reply must match ^\\d+ [-+*/] \\d+ = -?\\d+$; it was "3 + 5 equals 8"
            the reply has 14 characters; at most 10 are allowed
            the reply must not contain "equals"; it was "3 + 5 equals 8"
            """)
    }

    @Test func allPassing() async throws {
        let outcomes = await ValidationRun.run([NotEmptyValidator(), try ContainsValidator("=")], on: "3 + 5 = 8", in: context)
        #expect(outcomes.passed)
        #expect(outcomes.feedback == "")
        #expect(await ValidationRun.run([], on: "x", in: context).passed)
    }

    @Test func orderIsTheListsNotCompletions() async throws {
        let outcomes = await ValidationRun.run([SlowPassValidator(), NotEmptyValidator()], on: "x", in: context)
        #expect(outcomes.map(\.validator) == ["arith.slow_pass", "not_empty"])
        #expect(outcomes.passed)
    }

    @Test func thrownErrorsAreNeverAPass() async throws {
        let outcomes = await ValidationRun.run([NotEmptyValidator(), CrashingValidator(), TimingOutValidator()], on: "8", in: context)
        #expect(outcomes.map(\.passed) == [true, false, false])
        #expect(!outcomes.passed)
        #expect(outcomes[1].error == ValidatorError(validator: "arith.crashes", message: "exited with status 2"))
        #expect(outcomes[2].error == ValidatorError(validator: "arith.slow", message: "timed out after 5s"))
        #expect(outcomes.errors.map(\.description) == [
            "validator 'arith.crashes' could not judge the output: exited with status 2",
            "validator 'arith.slow' could not judge the output: timed out after 5s",
        ])
        // Errors concern the validator, not the reply: they are not feedback for the model.
        #expect(outcomes.feedback == "")
    }

    @Test func aSingleValidatorThatThrows() async throws {
        let outcomes = await ValidationRun.run([CrashingValidator()], on: "8", in: context)
        #expect(outcomes == [ValidatorOutcome(validator: "arith.crashes",
                                              result: .failure(ValidatorError(validator: "arith.crashes", message: "exited with status 2")))])
        #expect(!outcomes.passed)
    }

    @Test func emptyMessagesGetAStandIn() async throws {
        let outcomes = await ValidationRun.run([MuteValidator(), try LengthValidator(min: 3)], on: "8", in: context)
        #expect(outcomes.feedback == """
            the reply was rejected by validator 'arith.mute'
            the reply has 1 character; at least 3 are required
            """)
    }

    @Test func fixesAreKept() async throws {
        let outcomes = await ValidationRun.run([try ChoicesValidator(["yes", "no"]), JSONValidator()], on: "Yes.", in: context)
        #expect(outcomes.map(\.fix) == ["yes", nil])
    }

    @Test func cancellationIsAnError() async throws {
        let task = Task { await ValidationRun.run([SlowPassValidator()], on: "x", in: context) }
        task.cancel()
        let outcomes = await task.value
        #expect(outcomes[0].error == ValidatorError(validator: "arith.slow_pass", message: "it was cancelled"))
        #expect(!outcomes.passed)
    }
}
