internal import Foundation
internal import Synchronization

/// A language model that answers from a `ScriptedScript`: deterministic, instant unless told
/// to wait, and needing no weights. For tests and demos.
///
/// A call goes through these steps:
/// 1. The first rule whose conditions hold (prompt pattern found in the prompt, adapter equal)
///    is chosen; none holding throws `InferenceError(.backend, "no scripted rule matches ...")`
///    at once. The call takes that rule's next reply right away, so each rule counts its own
///    calls, concurrent calls get distinct replies, and a call cancelled later still used one.
/// 2. The script's `delay`, if any, is slept on the injected clock.
/// 3. The reply acts: `.text` is the generated text; `.error(m)` throws `InferenceError(.backend, m)`;
///    `.sleep(d)` stalls for `d` on the clock and then answers the empty text. A stall that
///    outlasts the caller's timeout is how tests simulate a hung backend (a `sleep` as the last
///    reply hangs every later call); one that ends reads as an empty answer (`.endOfText`, 0 tokens).
/// 4. Stop strings and `maxTokens` cut the text as a real backend would (see `ScriptedCompletion`;
///    tokens are `ScriptedTokenizer`'s), then a constraint is checked: a text outside it throws
///    `InferenceError(.constraint)`, as a backend that enforces constraints could not produce it.
///
/// Cancellation is honoured before the call and during every sleep: the call throws
/// `CancellationError` promptly. Temperature, seed and the other sampling options do not change
/// the output. `promptDuration` is the time the call was told to sleep (delay and stall), so
/// results are equal from run to run; `generationDuration` is zero.
public final class ScriptedModel: LanguageModel {
    /// The script this model answers from.
    public let script: ScriptedScript
    private let rules: [CompiledRule]
    private let clock: any Clock<Duration>
    /// Calls answered so far, per rule.
    private let counters: Mutex<[Int]>

    /// Adapters only select rules; constraints are honoured by failing; tokens are `ScriptedTokenizer`'s.
    public var capabilities: BackendCapabilities {
        BackendCapabilities(
            adapters: true, choicesConstraint: true, regexConstraint: true, jsonConstraint: true,
            streaming: true, tokenCounting: true, scoring: false
        )
    }

    /// A model answering from `script`, sleeping on `clock` (a test clock in tests).
    /// Throws `InferenceError(.backend)` when a rule's pattern is not a valid regular
    /// expression or a rule has no replies.
    public init(script: ScriptedScript, clock: any Clock<Duration> = ContinuousClock()) throws {
        self.script = script
        self.rules = try script.rules.enumerated().map { try CompiledRule($1, number: $0 + 1) }
        self.clock = clock
        self.counters = Mutex(Array(repeating: 0, count: script.rules.count))
    }

    public func generate(_ request: GenerationRequest) async throws -> GenerationResult {
        try Task.checkCancellation()
        let reply = try takeReply(for: request)
        var slept = Duration.zero
        if let delay = script.delay {
            try await clock.sleep(for: delay)
            slept += delay
        }
        var replyText = ""
        switch reply {
        case .text(let text):
            replyText = text
        case .error(let message):
            throw InferenceError(.backend, message)
        case .sleep(let duration):
            try await clock.sleep(for: duration)
            slept += duration
        }
        let completion = ScriptedCompletion(reply: replyText, stop: request.stop, maxTokens: request.maxTokens)
        try request.constraint?.check(completion.text)
        return GenerationResult(
            text: completion.text, finishReason: completion.finishReason,
            promptTokens: ScriptedTokenizer.count(request.prompt), completionTokens: completion.completionTokens,
            promptDuration: slept, generationDuration: .zero
        )
    }

    /// Yields the text one `ScriptedTokenizer` token at a time, then the result.
    public func stream(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let result = try await self.generate(request)
                    for token in ScriptedTokenizer.tokens(result.text) {
                        try Task.checkCancellation()
                        continuation.yield(.text(token))
                    }
                    continuation.yield(.finished(result))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The number of `ScriptedTokenizer` tokens in `text`; never nil.
    /// The number of scripted tokens in `text` (what `countTokens` returns), without a model.
    public static func tokenCount(of text: String) -> Int { ScriptedTokenizer.count(text) }

    public func countTokens(_ text: String) async throws -> Int? {
        ScriptedTokenizer.count(text)
    }

    /// The reply of the first matching rule, advancing that rule's counter.
    private func takeReply(for request: GenerationRequest) throws -> ScriptedScript.Reply {
        guard let index = rules.firstIndex(where: { $0.matches(request) }) else {
            throw InferenceError(.backend, "no scripted rule matches this call (\(Self.describe(request)))")
        }
        let replies = rules[index].replies
        let call = counters.withLock { counters in
            defer { counters[index] += 1 }
            return counters[index]
        }
        return replies[min(call, replies.count - 1)]
    }

    /// `adapter 'x', prompt starting '...'`: enough of a call to find the rule it lacks.
    private static func describe(_ request: GenerationRequest) -> String {
        let adapter = request.adapter.map { "adapter '\($0)'" } ?? "no adapter"
        let shown = 40
        let escaped = { (text: Substring) in
            text.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
        }
        if request.prompt.count <= shown { return "\(adapter), prompt '\(escaped(request.prompt[...]))'" }
        return "\(adapter), prompt starting '\(escaped(request.prompt.prefix(shown)))...'"
    }
}

extension ScriptedModel {
    /// A rule with its pattern compiled.
    private struct CompiledRule: Sendable {
        var pattern: NSRegularExpression?
        var adapter: String?
        var replies: [ScriptedScript.Reply]

        init(_ rule: ScriptedScript.Rule, number: Int) throws {
            if let source = rule.promptPattern {
                do {
                    pattern = try NSRegularExpression(pattern: source)
                } catch {
                    throw InferenceError(
                        .backend, "scripted rule \(number): prompt pattern '\(source)' is not a valid regular expression")
                }
            }
            guard !rule.replies.isEmpty else {
                throw InferenceError(.backend, "scripted rule \(number) has no replies")
            }
            adapter = rule.adapter
            replies = rule.replies
        }

        func matches(_ request: GenerationRequest) -> Bool {
            if let adapter, adapter != request.adapter { return false }
            guard let pattern else { return true }
            let prompt = request.prompt
            return pattern.firstMatch(in: prompt, range: NSRange(prompt.startIndex..., in: prompt)) != nil
        }
    }
}
