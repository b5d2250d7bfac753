public import FSLMInference
internal import Foundation
public import Testing

/// A known answer of the backend under test, the ground `checkLanguageModelConformance` stands on.
public struct ConformanceFixture: Sendable {
    /// A request the model answers with `expectedText`, with temperature 0 and no stop strings
    /// or constraint (the checks derive their requests from it, keeping prompt, adapter and
    /// `maxTokens`).
    public var request: GenerationRequest
    /// What `request` generates: at least three tokens, with two words (a space between two
    /// other characters) so that stop strings and `maxTokens` have something to cut.
    public var expectedText: String
    /// A request the model takes far longer than `cancellationBound` to answer (a scripted
    /// stall, a very long generation, a mock server that waits); nil skips the cancellation checks.
    public var slowRequest: GenerationRequest?
    /// How soon after cancellation a call must end.
    public var cancellationBound: Duration

    public init(
        request: GenerationRequest, expectedText: String, slowRequest: GenerationRequest? = nil,
        cancellationBound: Duration = .seconds(2)
    ) {
        self.request = request
        self.expectedText = expectedText
        self.slowRequest = slowRequest
        self.cancellationBound = cancellationBound
    }
}

/// Checks that a backend keeps the `LanguageModel` contract: stop strings (in the middle of a
/// token and across tokens, several at once, streamed), `maxTokens`, determinism at temperature 0
/// and with a seed, streaming, cancellation, and honest capabilities (token counting, choices,
/// regex and JSON constraints). Failures are recorded as issues at the caller.
///
/// `makeModel` is called once per group of checks; it may return a new model each time (so a
/// stateful backend starts afresh) or a shared one. Errors the model throws where none is
/// expected end the check by propagating.
public func checkLanguageModelConformance(
    _ makeModel: () async throws -> any LanguageModel,
    fixture: ConformanceFixture,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) async throws {
    let baseline = ConformanceRun(model: try await makeModel(), fixture: fixture, sourceLocation: sourceLocation)
    guard try await baseline.checkFixture() else { return }
    try await ConformanceRun(model: try await makeModel(), fixture: fixture, sourceLocation: sourceLocation)
        .checkStopStrings()
    try await ConformanceRun(model: try await makeModel(), fixture: fixture, sourceLocation: sourceLocation)
        .checkMaxTokens()
    try await ConformanceRun(model: try await makeModel(), fixture: fixture, sourceLocation: sourceLocation)
        .checkDeterminism()
    try await ConformanceRun(model: try await makeModel(), fixture: fixture, sourceLocation: sourceLocation)
        .checkStreaming()
    try await ConformanceRun(model: try await makeModel(), fixture: fixture, sourceLocation: sourceLocation)
        .checkCapabilities()
    if fixture.slowRequest != nil {
        try await ConformanceRun(model: try await makeModel(), fixture: fixture, sourceLocation: sourceLocation)
            .checkCancellation()
    }
}

/// One group of conformance checks against one model.
private struct ConformanceRun {
    var model: any LanguageModel
    var fixture: ConformanceFixture
    var sourceLocation: Testing.SourceLocation

    var expected: String { fixture.expectedText }

    func request(_ change: (inout GenerationRequest) -> Void) -> GenerationRequest {
        var request = fixture.request
        change(&request)
        return request
    }

    func expect(_ condition: Bool, _ comment: @autoclosure () -> String) {
        if !condition { Issue.record(Comment(rawValue: comment()), sourceLocation: sourceLocation) }
    }

    /// The model gives the fixture's answer, with plausible token counts; false stops the checks.
    func checkFixture() async throws -> Bool {
        guard wordBoundary != nil else {
            expect(false, "fixture: expectedText '\(expected)' needs a space between two words in it")
            return false
        }
        let result = try await model.generate(fixture.request)
        guard result.text == expected else {
            expect(false, "fixture: the model answered '\(result.text)', not the expectedText '\(expected)'")
            return false
        }
        expect(result.finishReason != .stop, "fixture: finishReason is .stop, but the request has no stop strings")
        expect(result.completionTokens >= 3, "fixture: expectedText must be 3 tokens or more, got \(result.completionTokens)")
        expect(fixture.request.prompt.isEmpty || result.promptTokens > 0, "fixture: promptTokens is 0 for a non-empty prompt")
        return true
    }

    /// The offset of the space nearest the middle of `expected` with other characters either side.
    var wordBoundary: Int? {
        let characters = Array(expected)
        guard characters.count >= 3 else { return nil }
        return (1..<(characters.count - 1))
            .filter { characters[$0] == " " && characters[$0 - 1] != " " && characters[$0 + 1] != " " }
            .min { abs($0 - characters.count / 2) < abs($1 - characters.count / 2) }
    }

    // MARK: Stop strings

    func checkStopStrings() async throws {
        let characters = Array(expected)
        let boundary = wordBoundary!
        let inToken = String(characters[characters.count / 2])
        let acrossTokens = String(characters[(boundary - 1)...(boundary + 1)])
        try await checkStop([inToken], "a stop string of one character from the middle")
        try await checkStop([acrossTokens], "a stop string across a word boundary")
        try await checkStop([String(characters[0])], "a stop string at the very start")
        try await checkStop(["\u{1}never\u{2}"], "a stop string that never occurs")
        // Two stop strings whose first occurrences do not overlap: the earlier one cuts.
        let early = String(characters[characters.count / 4])
        if let a = firstOccurrence(early), let b = firstOccurrence(acrossTokens), a.upperBound <= b.lowerBound {
            try await checkStop([acrossTokens, early], "two stop strings, the second occurring first")
        }
    }

    /// `expected` cut at the first occurrence of `stops` and `.stop`, or whole when none occurs.
    func checkStop(_ stops: [String], _ what: String) async throws {
        let cut = stops.compactMap(firstOccurrence).min { $0.upperBound < $1.upperBound }
        let want = cut.map { String(Array(expected)[..<$0.lowerBound]) } ?? expected
        let result = try await model.generate(request { $0.stop = stops })
        let shown = stops.map { "'\($0.debugDescription.dropFirst().dropLast())'" }.joined(separator: ", ")
        expect(result.text == want, "stop strings: \(what) (\(shown)) gave '\(result.text)', expected '\(want)'")
        for stop in stops {
            expect(!result.text.contains(stop), "stop strings: the text '\(result.text)' contains the stop string \(stop.debugDescription)")
        }
        if cut != nil {
            expect(result.finishReason == .stop, "stop strings: \(what) ended with .\(result.finishReason), expected .stop")
        } else {
            expect(result.finishReason != .stop, "stop strings: \(what) ended with .stop")
        }
    }

    /// Character offsets of the first occurrence of `needle` in `expected`.
    func firstOccurrence(_ needle: String) -> Range<Int>? {
        let haystack = Array(expected), pattern = Array(needle)
        guard !pattern.isEmpty, pattern.count <= haystack.count else { return nil }
        return (0...(haystack.count - pattern.count))
            .first { haystack[$0..<($0 + pattern.count)].elementsEqual(pattern) }
            .map { $0..<($0 + pattern.count) }
    }

    // MARK: Max tokens

    func checkMaxTokens() async throws {
        var previous = ""
        for limit in [1, 2] {
            let result = try await model.generate(request { $0.maxTokens = limit })
            expect(expected.hasPrefix(result.text), "max tokens: maxTokens \(limit) gave '\(result.text)', not a prefix of '\(expected)'")
            expect(result.text.hasPrefix(previous), "max tokens: maxTokens \(limit) gave '\(result.text)', which does not extend '\(previous)'")
            expect(result.completionTokens <= limit, "max tokens: maxTokens \(limit) generated \(result.completionTokens) tokens")
            expect(result.finishReason == .length, "max tokens: maxTokens \(limit) ended with .\(result.finishReason), expected .length")
            previous = result.text
        }
    }

    // MARK: Determinism

    func checkDeterminism() async throws {
        let greedy = request { $0.temperature = 0 }
        let first = try await model.generate(greedy), second = try await model.generate(greedy)
        expect(first.text == second.text, "determinism: temperature 0 gave '\(first.text)', then '\(second.text)'")
        let seeded = request {
            $0.temperature = 0.8
            $0.seed = 1234
        }
        let third = try await model.generate(seeded), fourth = try await model.generate(seeded)
        expect(third.text == fourth.text, "determinism: seed 1234 gave '\(third.text)', then '\(fourth.text)'")
    }

    // MARK: Streaming

    func checkStreaming() async throws {
        let plain = try await collect(model.stream(fixture.request), "streaming")
        if let plain {
            expect(plain.result.text == expected, "streaming: the streamed result is '\(plain.result.text)', expected '\(expected)'")
            if model.capabilities.streaming {
                expect(plain.pieces >= 2, "streaming: capability streaming is true, but '\(expected)' came in \(plain.pieces) piece(s)")
            }
        }
        let boundary = wordBoundary!
        let stop = String(Array(expected)[(boundary - 1)...(boundary + 1)])
        let stopped = try await collect(model.stream(request { $0.stop = [stop] }), "streaming with a stop string")
        if let stopped {
            expect(!stopped.result.text.contains(stop), "streaming: the text '\(stopped.result.text)' contains the stop string '\(stop)'")
        }
    }

    /// The final result and the number of text pieces, after checking that the pieces come
    /// first, concatenate to the result's text, and are followed by exactly one result.
    func collect(
        _ stream: AsyncThrowingStream<GenerationEvent, any Error>, _ what: String
    ) async throws -> (result: GenerationResult, pieces: Int)? {
        var text = "", pieces = 0, results: [GenerationResult] = []
        for try await event in stream {
            switch event {
            case .text(let piece):
                expect(results.isEmpty, "\(what): text '\(piece)' came after the result")
                text += piece
                pieces += 1
            case .finished(let result):
                results.append(result)
            }
        }
        guard results.count == 1, let result = results.first else {
            expect(false, "\(what): the stream ended with \(results.count) results, expected 1")
            return nil
        }
        expect(text == result.text, "\(what): the pieces concatenate to '\(text)', the result's text is '\(result.text)'")
        return (result, pieces)
    }

    // MARK: Cancellation

    func checkCancellation() async throws {
        guard let slow = fixture.slowRequest else { return }
        let clock = ContinuousClock(), model = self.model
        let bound = fixture.cancellationBound

        var start = clock.now
        let call = Task { try await model.generate(slow) }
        try await Task.sleep(for: .milliseconds(50))
        call.cancel()
        let outcome = await call.result
        var elapsed = start.duration(to: clock.now)
        switch outcome {
        case .success(let result):
            expect(false, "cancellation: the slow request returned '\(result.text)' instead of throwing CancellationError")
        case .failure(let error):
            expect(error is CancellationError, "cancellation: the cancelled call threw \(error), expected CancellationError")
        }
        expect(elapsed < bound + .milliseconds(50), "cancellation: the cancelled call took \(elapsed) to end")

        // A cancelled stream consumer ends promptly, with no result (thrown or not).
        start = clock.now
        let consumer = Task {
            var finished = false
            for try await event in model.stream(slow) {
                if case .finished = event { finished = true }
            }
            return finished
        }
        try await Task.sleep(for: .milliseconds(50))
        consumer.cancel()
        let streamed = await consumer.result
        elapsed = start.duration(to: clock.now)
        switch streamed {
        case .success(let finished):
            expect(!finished, "cancellation: the cancelled stream still delivered a result")
        case .failure(let error):
            expect(error is CancellationError, "cancellation: the cancelled stream threw \(error), expected CancellationError")
        }
        expect(elapsed < bound + .milliseconds(50), "cancellation: the cancelled stream took \(elapsed) to end")
    }

    // MARK: Capabilities

    func checkCapabilities() async throws {
        let capabilities = model.capabilities
        let result = try await model.generate(fixture.request)
        let count = try await model.countTokens(fixture.request.prompt)
        if capabilities.tokenCounting {
            expect(count == result.promptTokens,
                   "capabilities: countTokens(prompt) is \(count.map(String.init) ?? "nil"), promptTokens is \(result.promptTokens)")
        } else {
            expect(count == nil, "capabilities: tokenCounting is false, but countTokens returned \(count!)")
        }
        if capabilities.choicesConstraint {
            for choices in [[expected, "none of these"], ["alpha", "beta", "gamma"]] {
                try await checkConstraint(.choices(choices), "choices") { OutputConstraint.isChoice($0, of: choices) }
            }
        }
        if capabilities.regexConstraint {
            let pattern = "[0-9]+"
            try await checkConstraint(.regex(pattern), "regex '\(pattern)'") { text in
                text.range(of: "\\A(?:\(pattern))\\z", options: .regularExpression) != nil
            }
        }
        if capabilities.jsonConstraint {
            try await checkConstraint(.json, "json") { text in
                (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
            }
        }
    }

    /// A declared constraint gives a text that satisfies it, or `InferenceError(.constraint)`.
    func checkConstraint(_ constraint: OutputConstraint, _ what: String, satisfied: (String) -> Bool) async throws {
        do {
            let result = try await model.generate(request { $0.constraint = constraint })
            expect(satisfied(result.text), "capabilities: a \(what) constraint is declared, but the model answered '\(result.text)'")
        } catch let error as InferenceError {
            expect(error.kind == .constraint, "capabilities: a \(what) constraint failed with .\(error.kind) (\(error)), expected .constraint")
        }
    }
}
