import FSLMInference
import Foundation
import Synchronization

/// One generation on a `NativeModel` as a step-wise state machine, driven by the batching
/// scheduler: `pending` holds the tokens its next forward passes must run (the prompt, or
/// what prefix reuse left of it, then each token chosen), `advance` records that a pass ran
/// some of them, and `consume` takes the logits of the last one and chooses the next token
/// or finishes: at end of text, a stop string, a complete constrained choice, or `maxTokens`.
struct Generation {
    /// What `consume` decided.
    enum Step {
        /// A token was chosen; it is `pending`, for the next step.
        case next
        case finished(GenerationResult)
    }

    /// Tokens generated when a request gives no `maxTokens` (bounded by the context too).
    static let defaultMaxTokens = 256

    /// The request's adapter name (nil for the base): with `fed`, the key of its cache for reuse.
    let adapterName: String?
    let adapter: LoRAAdapter?
    let prompt: [Int]
    /// This sequence's keys and values: one position per token of `fed`.
    var cache: KVCache
    /// The tokens whose keys and values are in `cache`, in order.
    private(set) var fed: [Int] = []
    /// The tokens still to run before the next logits are consumed.
    private(set) var pending: [Int]
    /// Prompt tokens taken from another sequence's cache (`reuse`).
    private(set) var reused = 0

    private let vocabulary: TokenVocabulary
    private let stopsAtEndOfSequence: Bool
    private let budget: Int
    private var chain: SamplingChain
    private var stops: StopStrings
    private var decoder: Tokenizer.StreamingDecoder
    private let cancelled: CancellationFlag
    private let emit: (String) -> Void
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var prefilled: ContinuousClock.Instant?
    private var text = ""
    private var generated = 0

    /// Checks and prepares `request` (prompt, context room, adapter, sampling); throws what
    /// fails. `promptTokens` replaces the encoded prompt (for benchmarks, as are generations
    /// that do not stop at end of text). `emit` gets each piece of text as soon as it is final.
    init(
        model: NativeModel, request: GenerationRequest, promptTokens: [Int]? = nil, stopsAtEndOfSequence: Bool = true,
        cancelled: CancellationFlag, emit: @escaping (String) -> Void
    ) throws {
        start = clock.now
        let config = model.config
        let prompt = promptTokens ?? model.tokenizer.encode(request.prompt, addSpecialTokens: true)
        guard !prompt.isEmpty else { throw InferenceError(.unsupported, "the prompt encodes to no tokens") }
        guard prompt.count < config.maxPositions else {
            throw InferenceError(.unsupported, "the prompt has \(prompt.count) tokens; the model's context holds \(config.maxPositions)")
        }
        self.prompt = prompt
        pending = prompt
        budget = min(request.maxTokens ?? Self.defaultMaxTokens, config.maxPositions - prompt.count)
        adapterName = request.adapter
        adapter = try model.adapter(request.adapter)
        chain = try SamplingChain.make(for: request, promptTokens: prompt, vocabulary: model.vocabulary)
        stops = StopStrings(request.stop)
        decoder = model.tokenizer.streamingDecoder(skipSpecialTokens: true)
        cache = model.model.makeCache()
        vocabulary = model.vocabulary
        self.stopsAtEndOfSequence = stopsAtEndOfSequence
        self.cancelled = cancelled
        self.emit = emit
    }

    /// Whether the prompt is still being run (no logits consumed yet).
    var isPrefilling: Bool { prefilled == nil }

    var isCancelled: Bool { cancelled.isSet }

    /// Starts from `cache`, which holds the keys and values of the first `cache.count` prompt
    /// tokens (fewer than the prompt has), instead of computing them.
    mutating func reuse(_ cache: KVCache) {
        precondition(isPrefilling && fed.isEmpty && cache.count < prompt.count, "reuse before the first step, of a strict prompt prefix")
        self.cache = cache
        reused = cache.count
        fed = Array(prompt.prefix(cache.count))
        pending = Array(prompt.dropFirst(cache.count))
    }

    /// Throws what a forward pass of the first `count` pending tokens would (a full context).
    func check(_ model: some TransformerModel, running count: Int) throws {
        try model.checkInputs(Array(pending.prefix(count)), cache: cache, adapter: adapter)
    }

    /// Records that a forward pass ran the first `count` pending tokens into `cache`.
    mutating func advance(by count: Int) {
        fed += pending.prefix(count)
        pending.removeFirst(count)
    }

    /// Takes the logits after the last pending token: chooses the next token, emits the text
    /// it completes, and says whether to go on. Throws `CancellationError` once cancelled.
    mutating func consume(_ logits: [Float]) throws -> Step {
        precondition(pending.isEmpty, "logits consumed with \(pending.count) tokens still to run")
        if prefilled == nil { prefilled = clock.now }
        guard generated < budget else { return finish(.length) }
        if cancelled.isSet { throw CancellationError() }
        guard let token = chain.next(logits) else { return finish(.endOfText) }  // nothing allowed: a constraint is complete
        if stopsAtEndOfSequence && vocabulary.isEndOfSequence(token) { return finish(.endOfText) }
        generated += 1
        let (piece, stopped) = stops.push(decoder.push(token))
        text += piece
        if !piece.isEmpty { emit(piece) }
        if stopped { return finish(.stop) }
        // A complete choice that no other choice extends: stop without waiting for EOS.
        if var constraint = chain.constraint, constraint.isComplete, constraint.allowedTokens().allSatisfy(vocabulary.isEndOfSequence) {
            return finish(.endOfText)
        }
        guard generated < budget else { return finish(.length) }
        pending = [token]
        return .next
    }

    private mutating func finish(_ reason: GenerationResult.FinishReason) -> Step {
        if reason != .stop {
            let rest = stops.push(decoder.finish()).emit + stops.finish()
            text += rest
            if !rest.isEmpty { emit(rest) }
        }
        let end = clock.now, prefilled = prefilled ?? end
        return .finished(GenerationResult(
            text: text, finishReason: reason, promptTokens: prompt.count, completionTokens: generated,
            promptDuration: prefilled - start, generationDuration: end - prefilled))
    }
}

/// Set when the consumer of a generation goes away; the scheduler checks it between steps.
final class CancellationFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
