import FSLMInference
import Foundation
import Synchronization

/// One generation on a `NativeModel`: prefill the prompt, then sample token by token until
/// end of text, a stop string, a complete constrained choice, or `maxTokens`.
struct Generation {
    let model: NativeModel
    let request: GenerationRequest
    let cancelled: CancellationFlag

    /// Tokens generated when a request gives no `maxTokens` (bounded by the context too).
    static let defaultMaxTokens = 256

    /// Runs to the end, handing each piece of text to `emit` as soon as it is final.
    func run(emit: (String) -> Void) throws -> GenerationResult {
        let clock = ContinuousClock()
        let start = clock.now
        let config = model.config
        let prompt = model.tokenizer.encode(request.prompt, addSpecialTokens: true)
        guard !prompt.isEmpty else { throw InferenceError(.unsupported, "the prompt encodes to no tokens") }
        guard prompt.count < config.maxPositions else {
            throw InferenceError(.unsupported, "the prompt has \(prompt.count) tokens; the model's context holds \(config.maxPositions)")
        }
        let budget = min(request.maxTokens ?? Self.defaultMaxTokens, config.maxPositions - prompt.count)
        let adapter = try model.adapter(request.adapter)
        var chain = try SamplingChain.make(for: request, promptTokens: prompt, vocabulary: model.vocabulary)
        var stops = StopStrings(request.stop)
        var decoder = model.tokenizer.streamingDecoder(skipSpecialTokens: true)
        var cache = model.model.makeCache()
        var logits = try model.model.forward(tokens: prompt, cache: &cache, adapter: adapter)
        let prefilled = clock.now
        var text = ""
        var generated = 0
        var reason = GenerationResult.FinishReason.length
        loop: while generated < budget {
            if cancelled.isSet { throw CancellationError() }
            guard let token = chain.next(logits) else {
                reason = .endOfText  // nothing allowed: a constraint is complete
                break
            }
            if model.vocabulary.isEndOfSequence(token) {
                reason = .endOfText
                break
            }
            generated += 1
            let (piece, stopped) = stops.push(decoder.push(token))
            text += piece
            if !piece.isEmpty { emit(piece) }
            if stopped {
                reason = .stop
                break loop
            }
            // A complete choice that no other choice extends: stop without waiting for EOS.
            if var constraint = chain.constraint, constraint.isComplete, constraint.allowedTokens().allSatisfy(model.vocabulary.isEndOfSequence) {
                reason = .endOfText
                break
            }
            if generated < budget { logits = try model.model.forward(tokens: [token], cache: &cache, adapter: adapter) }
        }
        if reason != .stop {
            let rest = stops.push(decoder.finish()).emit + stops.finish()
            text += rest
            if !rest.isEmpty { emit(rest) }
        }
        let end = clock.now
        return GenerationResult(
            text: text, finishReason: reason, promptTokens: prompt.count, completionTokens: generated,
            promptDuration: prefilled - start, generationDuration: end - prefilled)
    }
}

/// Set when the consumer of a generation goes away; the loop checks it between tokens.
final class CancellationFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

/// Log-likelihood of a continuation after a context, from one forward pass over both.
enum Scoring {
    static func score(_ request: ScoreRequest, model: NativeModel) throws -> ScoreResult {
        let context = model.tokenizer.encode(request.context, addSpecialTokens: true)
        let continuation = model.tokenizer.encode(request.continuation, addSpecialTokens: false)
        guard !context.isEmpty, !continuation.isEmpty else {
            throw InferenceError(.unsupported, "scoring needs a non-empty context and continuation")
        }
        let tokens = context + continuation
        var cache = model.model.makeCache()
        let logits = try model.model.forwardAll(tokens: tokens, cache: &cache, adapter: try model.adapter(request.adapter))
        let vocabulary = model.config.vocabularySize
        var total = 0.0
        var greedy = true
        for (i, token) in continuation.enumerated() {
            // Position context.count - 1 + i predicts continuation[i].
            let row = Array(logits[(context.count - 1 + i) * vocabulary..<(context.count + i) * vocabulary])
            let maximum = row.max() ?? 0
            let logSum = log(row.reduce(0.0) { $0 + exp(Double($1 - maximum)) }) + Double(maximum)
            total += Double(row[token]) - logSum
            if row[token] < maximum { greedy = false }
        }
        return ScoreResult(logLikelihood: total, tokenCount: continuation.count, isGreedy: greedy)
    }
}
