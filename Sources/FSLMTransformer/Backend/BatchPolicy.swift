/// How much one batched step of a `NativeModel` takes on.
///
/// Every step runs one forward pass over all its sequences. A decoding sequence needs one
/// row (its last token); a prefilling one needs the rest of its prompt, which is cut into
/// chunks so that a long prompt never holds up the sequences that are decoding by more than
/// one chunk's time per step. Decoding sequences are served first, then prefills in arrival
/// order, each up to what is left of the token budget.
struct BatchPolicy: Sendable, Hashable {
    /// Sequences in one step at most; further requests wait, in arrival order, for a
    /// sequence to finish.
    var maxSequences = 16
    /// Token rows in one step at most, counting one per decoding sequence; prefill chunks
    /// share what is left.
    var tokensPerStep = 256

    init(maxSequences: Int = 16, tokensPerStep: Int = 256) {
        precondition(maxSequences >= 1 && tokensPerStep >= 1, "a batch policy needs room for one sequence and one token")
        self.maxSequences = maxSequences
        self.tokensPerStep = tokensPerStep
    }
}

/// What the batching scheduler of a `NativeModel` has done since the model was loaded.
public struct BatchStatistics: Sendable, Hashable, Codable {
    /// Batched forward passes run for generations.
    public var steps = 0
    /// Sequences over all steps (`sequences / steps` is the mean batch size).
    public var sequences = 0
    /// The most sequences one step ran.
    public var largestBatch = 0
    /// Prompt tokens run through forward passes.
    public var promptTokensComputed = 0
    /// Prompt tokens whose keys and values were copied from a finished generation's cache
    /// instead (prefix reuse).
    public var promptTokensReused = 0

    public init() {}
}

/// One step of the scheduler, as a benchmark observes it.
struct StepRecord: Sendable {
    /// Sequences that ran one token each (decoding).
    let decodeRows: Int
    /// Prompt tokens that ran (prefill chunks).
    let prefillRows: Int
    /// The forward pass and choosing every sequence's next token.
    let duration: Duration
}
