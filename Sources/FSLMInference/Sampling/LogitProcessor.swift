/// One step of a `SamplingChain`: rewrites the logits of the next-token distribution before a
/// token is drawn (after llama.cpp's `llama_sampler_i` and mlx's `LogitProcessor`).
///
/// For each generated token the chain calls `apply` on the logits (one `Float` per token id),
/// then `accept` with the token that was drawn. `reset` returns a processor to the state it was
/// created in, so the same processor can run the same generation again.
///
/// A token is masked (cannot be drawn) when its logit is `-Float.infinity`. Processors keep
/// masked tokens masked and may mask more, but never mask every unmasked token.
public protocol LogitProcessor: Sendable {
    /// Rewrites `logits` in place; `logits[i]` is the logit of token id `i`.
    mutating func apply(_ logits: inout [Float])
    /// Records that `token` was generated.
    mutating func accept(_ token: Int)
    /// Forgets every accepted token.
    mutating func reset()
}

extension LogitProcessor {
    /// Stateless processors ignore the tokens drawn.
    public mutating func accept(_ token: Int) {}

    /// Stateless processors have nothing to forget.
    public mutating func reset() {}
}
