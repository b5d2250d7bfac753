import FSLMInference
import FSLMTestSupport
import FSLMTransformer
import Foundation
import Testing

/// `NativeModel` end to end over whole model folders (tokenizer, config, weights, LoRA
/// adapters) against what transformers generates and scores with them
/// (`Tests/Fixtures/native`, written by `make_native_fixture.py`).
@Suite struct NativeModelTests: NativeFixtureSuite {
    static let fixtureModels = NativeFixture.modelNames

    /// Every (prompt, variant, transformers' run) of a model, in a fixed order.
    func runs(_ expected: NativeFixture.Model) -> [(prompt: NativeFixture.Prompt, variant: String, run: NativeFixture.Run)] {
        expected.prompts.flatMap { prompt in
            prompt.greedy.keys.sorted().map { (prompt, $0, prompt.greedy[$0]!) }
        }
    }

    // MARK: Generation

    @Test(arguments: fixtureModels)
    func greedyGenerationMatchesTransformers(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        let all = runs(expected)
        #expect(all.contains { $0.run.endedOnEOS } && all.contains { !$0.run.endedOnEOS }, "the fixture should have runs of both ends")
        for (prompt, variant, run) in all {
            let what = "\(name) \(variant) '\(prompt.prompt)'"
            #expect(model.tokenizer.encode(prompt.prompt, addSpecialTokens: true) == prompt.ids, "\(what): prompt ids")
            #expect(model.tokenizer.decode(run.ids, skipSpecialTokens: true) == run.text, "\(what): decoding transformers' ids")
            let result = try await model.generate(request(prompt.prompt, variant))
            #expect(result.text == run.text, "\(what)")
            #expect(result.completionTokens == run.completionTokens, "\(what): completion tokens")
            #expect(result.finishReason == (run.endedOnEOS ? .endOfText : .length), "\(what): finish reason")
            #expect(result.promptTokens == prompt.ids.count, "\(what): prompt tokens")
        }
    }

    @Test(arguments: fixtureModels)
    func aRepetitionPenaltyPenalizesAsTransformersDoes(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        #expect(expected.prompts.contains { $0.penalized.text != $0.greedy["base"]!.text }, "the penalty should change some runs")
        for prompt in expected.prompts {
            var penalized = request(prompt.prompt, "base")
            penalized.repetitionPenalty = 1.3
            let result = try await model.generate(penalized)
            #expect(result.text == prompt.penalized.text, "\(name) '\(prompt.prompt)'")
            #expect(result.completionTokens == prompt.penalized.completionTokens, "\(name) '\(prompt.prompt)': completion tokens")
        }
    }

    @Test(arguments: fixtureModels)
    func adaptersAlternatingOnOneModelGiveWhatEachGivesAlone(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        // One after the other, the adapter changing at every request (adapter2 loaded first).
        for prompt in expected.prompts {
            for variant in ["adapter2", "adapter", "base", "adapter"] {
                let result = try await model.generate(request(prompt.prompt, variant))
                #expect(result.text == prompt.greedy[variant]!.text, "\(name) \(variant) '\(prompt.prompt)' in sequence")
            }
        }
        // All at once, on the same model.
        let texts = try await withThrowingTaskGroup(of: (String, String, String).self) { group in
            for prompt in expected.prompts {
                for variant in ["adapter", "adapter2", "base"] {
                    group.addTask { (prompt.prompt, variant, try await model.generate(request(prompt.prompt, variant)).text) }
                }
            }
            return try await group.reduce(into: [:]) { $0[[$1.0, $1.1]] = $1.2 }
        }
        #expect(texts.count == expected.prompts.count * 3)
        for prompt in expected.prompts {
            for variant in ["adapter", "adapter2", "base"] {
                #expect(texts[[prompt.prompt, variant]] == prompt.greedy[variant]!.text, "\(name) \(variant) '\(prompt.prompt)' concurrently")
            }
        }
        // Two streams with different adapters, read in turns.
        let prompt = expected.prompts[0]
        var a = model.stream(request(prompt.prompt, "adapter")).makeAsyncIterator()
        var b = model.stream(request(prompt.prompt, "adapter2")).makeAsyncIterator()
        var textA = "", textB = "", doneA = false, doneB = false
        while !doneA || !doneB {
            if !doneA {
                switch try await a.next() {
                case .text(let piece)?: textA += piece
                case .finished?, nil: doneA = true
                }
            }
            if !doneB {
                switch try await b.next() {
                case .text(let piece)?: textB += piece
                case .finished?, nil: doneB = true
                }
            }
        }
        #expect(textA == prompt.greedy["adapter"]!.text && textB == prompt.greedy["adapter2"]!.text, "\(name): streams in turns")
    }

    @Test(arguments: fixtureModels)
    func streamedPiecesMakeTheGeneratedText(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        for (prompt, variant, run) in runs(expected) {
            var pieces: [String] = [], results: [GenerationResult] = []
            for try await event in model.stream(request(prompt.prompt, variant)) {
                switch event {
                case .text(let piece):
                    #expect(results.isEmpty, "text after the result")
                    pieces.append(piece)
                case .finished(let result): results.append(result)
                }
            }
            let what = "\(name) \(variant) '\(prompt.prompt)'"
            #expect(results.count == 1, "\(what): \(results.count) results")
            #expect(pieces.joined() == run.text, "\(what): pieces \(pieces)")
            #expect(results.first?.text == run.text, "\(what): result")
            #expect(!pieces.contains(""), "\(what): an empty piece")
            if run.text.count >= 2 && run.completionTokens >= 2 { #expect(pieces.count >= 2, "\(what): one piece") }
        }
    }

    @Test(arguments: fixtureModels)
    func countTokensCountsThePromptAsTransformersEncodesIt(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        for prompt in expected.prompts {
            #expect(try await model.countTokens(prompt.prompt) == prompt.ids.count, "\(name) '\(prompt.prompt)'")
        }
        #expect(model.capabilities.tokenCounting && model.capabilities.scoring && model.capabilities.adapters)
    }

    @Test(arguments: fixtureModels)
    func scoresMatchTransformers(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        #expect(expected.scores.contains { $0.isGreedy } && expected.scores.contains { !$0.isGreedy })
        var largest = 0.0
        defer { print("max |Δ log-likelihood| \(name): \(largest) over \(expected.scores.count) scores") }
        for score in expected.scores {
            let what = "\(name) '\(score.context)' + '\(score.continuation)' (\(score.adapter ?? "base"))"
            #expect(model.tokenizer.encode(score.context, addSpecialTokens: true) == score.contextIds, "\(what): context ids")
            #expect(model.tokenizer.encode(score.continuation) == score.continuationIds, "\(what): continuation ids")
            let result = try await model.score(ScoreRequest(context: score.context, continuation: score.continuation, adapter: score.adapter))
            largest = max(largest, abs(result.logLikelihood - score.logLikelihood))
            #expect(abs(result.logLikelihood - score.logLikelihood) < 1e-4, "\(what): \(result.logLikelihood) vs \(score.logLikelihood)")
            #expect(result.tokenCount == score.continuationIds.count, "\(what): token count")
            #expect(result.isGreedy == score.isGreedy, "\(what): isGreedy")
        }
    }

    // MARK: Stopping

    @Test(arguments: fixtureModels)
    func aStopStringFromTheMiddleCutsTheTextBeforeIt(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        var checked = 0
        for (prompt, variant, run) in runs(expected) where run.text.count >= 4 {
            let characters = Array(run.text), middle = characters.count / 2
            let stop = String(characters[middle...(middle + 1)])
            let cut = String(run.text[..<run.text.range(of: stop)!.lowerBound])
            var stopped = request(prompt.prompt, variant)
            stopped.stop = ["\u{1}unused", stop]
            let result = try await model.generate(stopped)
            let what = "\(name) \(variant) '\(prompt.prompt)' stop '\(stop)'"
            #expect(result.text == cut, "\(what): '\(result.text)', expected '\(cut)'")
            #expect(result.finishReason == .stop, "\(what)")
            #expect(result.completionTokens <= run.completionTokens, "\(what)")
            checked += 1
        }
        #expect(checked >= 6)
    }

    @Test(arguments: fixtureModels)
    func maxTokensGivesAPrefix(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        var checked = 0
        for (prompt, variant, run) in runs(expected) where run.ids.count > 3 {
            var short = request(prompt.prompt, variant)
            short.maxTokens = 3
            let result = try await model.generate(short)
            let what = "\(name) \(variant) '\(prompt.prompt)'"
            #expect(result.text == model.tokenizer.decode(Array(run.ids.prefix(3)), skipSpecialTokens: true), "\(what): '\(result.text)'")
            #expect(run.text.hasPrefix(result.text), "\(what)")
            #expect(result.finishReason == .length && result.completionTokens == 3, "\(what): \(result.finishReason), \(result.completionTokens)")
            checked += 1
        }
        #expect(checked >= 6)
    }

    // MARK: Constraints and sampling

    @Test(arguments: fixtureModels)
    func choicesAlwaysYieldExactlyOneChoice(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        for (prompt, variant, run) in runs(expected) {
            let what = "\(name) \(variant) '\(prompt.prompt)'"
            // Choices the greedy path spells: the constraint must not change it.
            let greedyPath = Array(run.ids.prefix(2))
            var choiceSets = [["alpha", "beta gamma"], ["<|startoftext|>", "<|endoftext|>"]]
            if greedyPath.count == 2, !greedyPath.contains(where: model.tokenizer.isSpecialToken) {
                choiceSets.append([model.tokenizer.decode(greedyPath), "zzz"])
            }
            for choices in choiceSets {
                for sampled in [false, true] {
                    var constrained = request(prompt.prompt, variant)
                    constrained.constraint = .choices(choices)
                    constrained.maxTokens = 64  // room to spell a choice byte by byte
                    if sampled {
                        constrained.temperature = 0.8
                        constrained.seed = 7
                    }
                    let result = try await model.generate(constrained)
                    #expect(OutputConstraint.isChoice(result.text, of: choices), "\(what) \(choices) sampled \(sampled): '\(result.text)'")
                    #expect(result.finishReason == .endOfText, "\(what) \(choices): \(result.finishReason)")
                    if choices.last == "zzz", !sampled {
                        #expect(result.text == choices[0], "\(what): the greedy path is allowed, so it is taken")
                    }
                }
            }
        }
    }

    @Test(arguments: fixtureModels)
    func seededSamplingRepeats(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        var texts: Set<String> = []
        for prompt in expected.prompts {
            for variant in ["base", "adapter"] {
                var sampled = request(prompt.prompt, variant)
                sampled.temperature = 0.8
                sampled.seed = 7
                let first = try await model.generate(sampled), second = try await model.generate(sampled)
                let fresh = try await self.model(name).generate(sampled)
                #expect(first.text == second.text && first.text == fresh.text, "\(name) \(variant) '\(prompt.prompt)'")
                #expect(first.completionTokens == second.completionTokens)
                texts.insert(first.text)
            }
        }
        #expect(texts.count > expected.prompts.count, "sampling gave the same few texts")
    }

    // MARK: Errors

    @Test(arguments: fixtureModels)
    func aPromptLongerThanTheContextIsAClearError(_ name: String) async throws {
        let expected = try expected(name), model = try model(name)
        let long = String(repeating: "the quick brown fox ", count: 40)
        let count = try #require(try await model.countTokens(long))
        #expect(count > expected.maxPositions)
        let error = await #expect(throws: InferenceError.self) { try await model.generate(request(long, "base")) }
        #expect(error?.kind == .unsupported)
        #expect(error?.message == "the prompt has \(count) tokens; the model's context holds \(expected.maxPositions)", "\(String(describing: error))")
        // Scoring past the context fails too, and does not crash.
        await #expect(throws: (any Error).self) { try await model.score(ScoreRequest(context: long, continuation: " fox")) }
    }

    @Test func aPromptOfNoTokensIsAClearError() async throws {
        // gpt-neox adds no BOS, so "" is no token at all; llama's "" is its BOS.
        let error = await #expect(throws: InferenceError.self) { try await model("gpt-neox").generate(request("", "base")) }
        #expect(error?.message == "the prompt encodes to no tokens")
        let bos = try await model("llama").generate(request("", "base"))
        #expect(bos.promptTokens == 1)
    }

    @Test(arguments: fixtureModels)
    func cancellationEndsAGeneration(_ name: String) async throws {
        let model = try model(name)
        var long = request("Once", "base")
        long.maxTokens = 100
        long.temperature = 1
        long.seed = 3
        // A task cancelled before it asks.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await model.generate(long)
        }
        await #expect(throws: CancellationError.self) { try await early.value }
        // A consumer that cancels itself after the first piece ends without an error other than
        // CancellationError (pieces already buffered may still arrive, even the result when the
        // generation outran the consumer), and the model serves the next request as usual.
        let consumer = Task {
            var pieces = 0, finished = false
            for try await event in model.stream(long) {
                switch event {
                case .text: pieces += 1
                case .finished: finished = true
                }
                if pieces == 1 { withUnsafeCurrentTask { $0?.cancel() } }
            }
            return (pieces, finished)
        }
        switch await consumer.result {
        case .success(let (pieces, _)): #expect(pieces >= 1)
        case .failure(let error): #expect(error is CancellationError, "\(error)")
        }
        let expected = try expected(name).prompts[0]
        #expect(try await model.generate(request(expected.prompt, "base")).text == expected.greedy["base"]!.text)
    }

    @Test(arguments: fixtureModels)
    func anUnknownAdapterIsAClearError(_ name: String) async throws {
        let model = try model(name)
        for call in ["generate", "stream", "score"] {
            let error = await #expect(throws: InferenceError.self, "\(call)") {
                switch call {
                case "generate": _ = try await model.generate(request("Hello", "nope"))
                case "stream": for try await _ in model.stream(request("Hello", "nope")) {}
                default: _ = try await model.score(ScoreRequest(context: "Hello", continuation: " world", adapter: "nope"))
                }
            }
            #expect(error?.description == "model \(name) has no adapter 'nope'", "\(call): \(String(describing: error))")
        }
    }

    // MARK: Conformance

    @Test(arguments: fixtureModels)
    func keepsTheLanguageModelContract(_ name: String) async throws {
        let expected = try expected(name)
        // A run with two words in it, cut by maxTokens (so maxTokens 1 and 2 give prefixes).
        let candidates = runs(expected).filter { !$0.run.endedOnEOS && Self.hasWordBoundary($0.run.text) }
        let (prompt, variant, run) = try #require(candidates.first)
        let fixture = ConformanceFixture(request: request(prompt.prompt, variant), expectedText: run.text)
        try await checkLanguageModelConformance({ try self.model(name) }, fixture: fixture)
    }

    /// A space with other characters either side, as the conformance checks need.
    static func hasWordBoundary(_ text: String) -> Bool {
        let c = Array(text)
        return c.count >= 3 && (1..<(c.count - 1)).contains { c[$0] == " " && c[$0 - 1] != " " && c[$0 + 1] != " " }
    }

    // MARK: Broken folders

    /// A copy of the fixture `name`'s top-level files in a new temporary folder, removed after `body`.
    func withCopy(of name: String, _ body: (URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fslm-native-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = NativeFixture.modelFolder(name)
        for file in ["config.json", "generation_config.json", "model.safetensors", "tokenizer.json"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        try body(folder)
    }

    /// `NativeModel(folder:)` fails, and the message names `file` and `folder`.
    func expectFolderError(_ folder: URL, naming file: String, _ detail: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try NativeModel(folder: folder)
            Issue.record("opened a broken folder", sourceLocation: sourceLocation)
        } catch {
            let message = "\(error)"
            #expect(message.contains(folder.path), "the folder is not named: \(message)", sourceLocation: sourceLocation)
            #expect(message.contains(file), "\(file) is not named: \(message)", sourceLocation: sourceLocation)
            #expect(message.contains(detail), "'\(detail)' is not said: \(message)", sourceLocation: sourceLocation)
        }
    }

    @Test func aFolderWithoutTokenizerIsAClearError() throws {
        try withCopy(of: "gpt-neox") { folder in
            _ = try NativeModel(folder: folder)
            try FileManager.default.removeItem(at: folder.appendingPathComponent("tokenizer.json"))
            expectFolderError(folder, naming: "tokenizer.json", "no tokenizer.json")
        }
    }

    @Test func aTruncatedWeightsFileIsAClearError() throws {
        try withCopy(of: "llama") { folder in
            let weights = folder.appendingPathComponent("model.safetensors")
            let data = try Data(contentsOf: weights)
            try data.prefix(data.count / 2).write(to: weights)
            expectFolderError(folder, naming: "model.safetensors", "truncated")
        }
    }

    @Test func anUnknownArchitectureIsAClearError() throws {
        try withCopy(of: "gpt-neox") { folder in
            let config = folder.appendingPathComponent("config.json")
            let text = try String(contentsOf: config, encoding: .utf8)
            try text.replacingOccurrences(of: "GPTNeoXForCausalLM", with: "MambaForCausalLM").write(to: config, atomically: false, encoding: .utf8)
            expectFolderError(folder, naming: "config.json", "unsupported architecture 'MambaForCausalLM'")
        }
    }
}
