import FSLMInference
import Testing

/// Rules, replies, tokens, stop strings, max tokens, constraints and streaming of `ScriptedModel`.
@Suite struct ScriptedModelTests {
    func model(_ rules: [ScriptedScript.Rule]) throws -> ScriptedModel {
        try ScriptedModel(script: ScriptedScript(rules: rules))
    }

    func text(_ model: ScriptedModel, _ prompt: String, adapter: String? = nil) async throws -> String {
        try await model.generate(GenerationRequest(prompt: prompt, adapter: adapter)).text
    }

    // MARK: Rules and replies

    @Test func theFirstMatchingRuleAnswers() async throws {
        let m = try model([
            .init(promptPattern: "Equation:", adapter: "solve", replies: ["3 + 5 = 8"]),
            .init(promptPattern: #"\d+ apples"#, replies: ["apples"]),
            .init(adapter: "route", replies: ["arithmetic"]),
            .init(replies: ["anything"]),
        ])
        #expect(try await text(m, "Question: 3 apples\nEquation:", adapter: "solve") == "3 + 5 = 8")
        #expect(try await text(m, "Question: 3 apples\nEquation:", adapter: "route") == "apples")
        #expect(try await text(m, "Equation:") == "anything")
        #expect(try await text(m, "Route this", adapter: "route") == "arithmetic")
        #expect(try await text(m, "Tom has 12 apples.", adapter: "route") == "apples")  // searched, not anchored
        #expect(try await text(m, "hello") == "anything")
    }

    @Test func eachRuleRepliesInOrderAndRepeatsItsLastReply() async throws {
        let m = try model([
            .init(adapter: "a", replies: ["a1", "a2"]),
            .init(replies: ["b1"]),
        ])
        var answers: [String] = []
        for adapter in ["a", "a", nil, "a", nil, "a"] { answers.append(try await text(m, "p", adapter: adapter)) }
        #expect(answers == ["a1", "a2", "b1", "a2", "b1", "a2"])
    }

    @Test func injectedErrorsAreBackendErrors() async throws {
        let m = try model([.init(replies: [.error("backend down"), "ok"])])
        await #expect(throws: InferenceError(.backend, "backend down")) { _ = try await text(m, "p") }
        #expect(try await text(m, "p") == "ok")
    }

    @Test func noMatchingRuleSaysWhichCallWasUnanswered() async throws {
        let m = try model([.init(adapter: "solve", replies: ["x"])])
        let long = "Question: Tom has 3 apples and buys 5 more.\nHow many now?"
        await #expect(throws: InferenceError(.backend,
            "no scripted rule matches this call (adapter 'route', prompt starting 'Question: Tom has 3 apples and buys 5 mo...')")) {
            _ = try await text(m, long, adapter: "route")
        }
        await #expect(throws: InferenceError(.backend, "no scripted rule matches this call (no adapter, prompt 'Hi\\nthere')")) {
            _ = try await text(m, "Hi\nthere")
        }
    }

    @Test func invalidScriptsAreRejectedWhenTheModelIsCreated() {
        #expect(throws: InferenceError(.backend, "scripted rule 2: prompt pattern 'a(b' is not a valid regular expression")) {
            try model([.init(replies: ["x"]), .init(promptPattern: "a(b", replies: ["y"])])
        }
        #expect(throws: InferenceError(.backend, "scripted rule 1 has no replies")) {
            try model([.init(replies: [])])
        }
    }

    @Test func samplingOptionsDoNotChangeTheOutput() async throws {
        let m = try model([.init(replies: ["same"])])
        for (temperature, seed) in [(0.0, nil), (1.5, UInt64(1)), (0.7, UInt64(99))] as [(Double, UInt64?)] {
            let request = GenerationRequest(prompt: "p", temperature: temperature, topK: 3, topP: 0.5, seed: seed)
            #expect(try await m.generate(request).text == "same")
        }
    }

    @Test func capabilities() throws {
        let capabilities = try model([]).capabilities
        #expect(capabilities == BackendCapabilities(
            adapters: true, choicesConstraint: true, regexConstraint: true, jsonConstraint: true,
            streaming: true, tokenCounting: true, scoring: false))
    }

    // MARK: Tokens, stop strings, max tokens

    @Test func tokensAreWordsOrSingleCharacters() async throws {
        let m = try model([.init(replies: ["forty-two apples."])])
        #expect(try await m.countTokens("forty-two apples.") == 6)
        #expect(try await m.countTokens("3 + 5 = 8") == 9)
        #expect(try await m.countTokens("") == 0)
        #expect(try await m.countTokens("naïve café 42x\n") == 6)
        let result = try await m.generate(GenerationRequest(prompt: "Q: how many?\nA:"))
        #expect(result.promptTokens == 10)
        #expect(result.completionTokens == 6)
        #expect(result.finishReason == .endOfText)
    }

    /// Text, finish reason and completion tokens for `reply` under `stop` and `maxTokens`.
    func cut(_ reply: String, stop: [String] = [], maxTokens: Int? = nil) async throws
        -> (String, GenerationResult.FinishReason, Int) {
        let result = try await model([.init(replies: [.text(reply)])])
            .generate(GenerationRequest(prompt: "p", maxTokens: maxTokens, stop: stop))
        return (result.text, result.finishReason, result.completionTokens)
    }

    @Test func stopStringsCutWhereTheyBegin() async throws {
        let reply = "The answer is 42."  // The, ' ', answer, ' ', is, ' ', 42, '.'
        #expect(try await cut(reply, stop: ["is"]) == ("The answer ", .stop, 4))
        #expect(try await cut(reply, stop: ["sw"]) == ("The an", .stop, 3))  // inside a token
        #expect(try await cut(reply, stop: ["r i"]) == ("The answe", .stop, 3))  // across tokens
        #expect(try await cut(reply, stop: ["42", "answer"]) == ("The ", .stop, 2))  // the first one in the text
        #expect(try await cut(reply, stop: ["T"]) == ("", .stop, 0))
        #expect(try await cut(reply, stop: ["", "nope"]) == (reply, .endOfText, 8))  // empty stops are ignored
        #expect(try await cut("line one\nline two", stop: ["\n"]) == ("line one", .stop, 3))
    }

    @Test func stopStringsNoticedAtTheSameTokenCutAtTheEarliest() async throws {
        // Both end inside the one token "abcdef": the one beginning first wins.
        #expect(try await cut("abcdef", stop: ["cd", "bcde"]) == ("a", .stop, 1))
        // "ab cd" is noticed at token 3 (cd), "b" at token 1: "b" wins though "ab cd" begins first.
        #expect(try await cut("ab cd", stop: ["ab cd", "b"]) == ("a", .stop, 1))
    }

    @Test func maxTokensKeepsTheFirstTokens() async throws {
        let reply = "The answer is 42."
        #expect(try await cut(reply, maxTokens: 1) == ("The", .length, 1))
        #expect(try await cut(reply, maxTokens: 3) == ("The answer", .length, 3))
        #expect(try await cut(reply, maxTokens: 0) == ("", .length, 0))
        #expect(try await cut(reply, maxTokens: 8) == (reply, .endOfText, 8))  // exactly fits
        #expect(try await cut(reply, maxTokens: 100) == (reply, .endOfText, 8))
    }

    @Test func aStopStringPastTheTokenLimitIsNeverSeen() async throws {
        // "answer" ends in token 3; with 2 tokens allowed generation stops first.
        #expect(try await cut("The answer is 42.", stop: ["answer"], maxTokens: 2) == ("The ", .length, 2))
        #expect(try await cut("The answer is 42.", stop: ["answer"], maxTokens: 3) == ("The ", .stop, 2))
    }

    // MARK: Constraints

    func constrained(_ reply: String, _ constraint: OutputConstraint, stop: [String] = []) async throws -> String {
        try await model([.init(replies: [.text(reply)])])
            .generate(GenerationRequest(prompt: "p", stop: stop, constraint: constraint)).text
    }

    @Test func choices() async throws {
        #expect(try await constrained("yes", .choices(["yes", "no"])) == "yes")
        #expect(try await constrained("no\nbecause", .choices(["yes", "no"]), stop: ["\n"]) == "no")
        await #expect(throws: InferenceError(.constraint, "reply 'maybe' is not one of the choices 'yes', 'no', 'later'")) {
            _ = try await constrained("maybe", .choices(["yes", "no", "later"]))
        }
        await #expect(throws: InferenceError(.constraint, "reply 'yes ' is not one of the choices 'yes'")) {
            _ = try await constrained("yes ", .choices(["yes"]))
        }
    }

    @Test func regex() async throws {
        let equation = #"\d+ [-+*/] \d+ = -?\d+"#
        #expect(try await constrained("3 + 5 = 8", .regex(equation)) == "3 + 5 = 8")
        await #expect(throws: InferenceError(.constraint, "reply '3 + 5 = eight' does not match the constraint regex '\(equation)'")) {
            _ = try await constrained("3 + 5 = eight", .regex(equation))
        }
        await #expect(throws: InferenceError.self) { _ = try await constrained("3 + 5", .regex(#"\d+"#)) }  // whole text
        await #expect(throws: InferenceError.self) { _ = try await constrained("8\n", .regex(#"\d+"#)) }
        await #expect(throws: InferenceError(.unsupported, "constraint regex 'a(' is not a valid regular expression")) {
            _ = try await constrained("a", .regex("a("))
        }
    }

    @Test func json() async throws {
        #expect(try await constrained(#"{"a": [1, 2]}"#, .json) == #"{"a": [1, 2]}"#)
        #expect(try await constrained("42", .json) == "42")
        await #expect(throws: InferenceError(.constraint, "reply '{a: 1}' is not one JSON value")) {
            _ = try await constrained("{a: 1}", .json)
        }
        await #expect(throws: InferenceError.self) { _ = try await constrained(#"{"a": 1} {"b": 2}"#, .json) }
    }

    // MARK: Streaming

    @Test func streamingYieldsTokensThenTheResult() async throws {
        let m = try model([.init(replies: ["The answer is 42."])])
        var events: [GenerationEvent] = []
        for try await event in m.stream(GenerationRequest(prompt: "p", stop: ["42"])) { events.append(event) }
        let result = GenerationResult(text: "The answer is ", finishReason: .stop, promptTokens: 1, completionTokens: 6)
        #expect(events == ["The", " ", "answer", " ", "is", " "].map(GenerationEvent.text) + [.finished(result)])
    }

    @Test func streamingReportsErrors() async throws {
        let m = try model([.init(replies: [.error("down")])])
        await #expect(throws: InferenceError(.backend, "down")) {
            for try await _ in m.stream(GenerationRequest(prompt: "p")) {}
        }
    }

    // MARK: Concurrency

    @Test func concurrentCallsEachTakeTheirOwnReply() async throws {
        let replies = (0..<100).map { ScriptedScript.Reply.text("r\($0)") }
        let m = try model([.init(replies: replies)])
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<150 { group.addTask { try await m.generate(GenerationRequest(prompt: "p")).text } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        let counts = Dictionary(answers.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(counts.count == 100)
        #expect((0..<99).allSatisfy { counts["r\($0)"] == 1 })
        #expect(counts["r99"] == 51)  // the last reply repeats
    }

    @Test func sequentialCallsTakeRepliesInOrder() async throws {
        let m = try model([.init(replies: (0..<20).map { .text("r\($0)") })])
        for index in 0..<20 { #expect(try await text(m, "p") == "r\(index)") }
    }
}
