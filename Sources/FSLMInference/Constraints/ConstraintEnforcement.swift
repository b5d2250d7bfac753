/// How a `SamplingChain` treats its request's `OutputConstraint`.
public enum ConstraintEnforcement: Sendable, Hashable {
    /// The request has no constraint.
    case unconstrained
    /// A `TokenConstraint` masks every token that would leave the constraint, so the output
    /// satisfies it (unless generation is cut short by `maxTokens` or a stop string).
    case whileGenerating
    /// Nothing is enforced while generating, for the reason given; the finished text must be
    /// checked against the constraint. FSLMInference enforces only `.choices`, and only given a
    /// `TokenVocabulary`.
    case afterGeneration(reason: String)
}
