/// Turns the logits of each generation step into a token: an optional `TokenConstraint`, then
/// `LogitProcessor`s in order, then one `TokenSampler` (after llama.cpp's sampler chain).
///
/// Per generated token, `next(_:)` does it all: masks with the constraint, runs each processor on
/// the result of the one before, draws, and lets the constraint and every processor `accept` the
/// token. `apply`, `sample` and `accept` are the same steps one at a time. Build a chain for a
/// request with `make(for:promptTokens:vocabulary:)`.
public struct SamplingChain: Sendable {
    /// Masks tokens that would break the output constraint; runs before the processors, so
    /// top-k and the like choose among allowed tokens only.
    public var constraint: (any TokenConstraint)?
    /// Run in order, each on the logits the one before left.
    public var processors: [any LogitProcessor]
    /// Draws the token from the processed logits.
    public var sampler: TokenSampler
    /// How the request's output constraint is treated; `make` explains when it is not enforced.
    public internal(set) var constraintEnforcement: ConstraintEnforcement

    /// A chain of `constraint` (if any), `processors` in order, then `sampler`.
    public init(constraint: (any TokenConstraint)? = nil, processors: [any LogitProcessor] = [], sampler: TokenSampler) {
        self.constraint = constraint
        self.processors = processors
        self.sampler = sampler
        self.constraintEnforcement = constraint == nil ? .unconstrained : .whileGenerating
    }

    /// Masks with the constraint, then runs every processor, in order.
    public mutating func apply(_ logits: inout [Float]) {
        constraint?.apply(&logits)
        for index in processors.indices {
            processors[index].apply(&logits)
        }
    }

    /// The token drawn from `logits` after `apply`, without accepting it; nil when every token
    /// is masked (for a constraint: complete, or impossible, see `TokenConstraint`).
    public mutating func sample(_ logits: [Float]) -> Int? {
        var processed = logits
        apply(&processed)
        return sampler.sample(processed)
    }

    /// Tells the constraint and every processor that `token` was generated.
    public mutating func accept(_ token: Int) {
        constraint?.accept(token)
        for index in processors.indices {
            processors[index].accept(token)
        }
    }

    /// The next token: `sample`, then `accept` of what was drawn; nil when nothing can be drawn.
    public mutating func next(_ logits: [Float]) -> Int? {
        guard let token = sample(logits) else { return nil }
        accept(token)
        return token
    }

    /// Returns every step to its start, the sampler's generator to its seed included, so the
    /// same logits give the same tokens again.
    public mutating func reset() {
        constraint?.reset()
        for index in processors.indices {
            processors[index].reset()
        }
        sampler.reset()
    }
}
