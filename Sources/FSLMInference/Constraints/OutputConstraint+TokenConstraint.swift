extension OutputConstraint {
    /// Whether FSLMInference has a `TokenConstraint` for this constraint: true for `.choices`;
    /// `.regex` and `.json` are only checked after generation.
    public var isEnforcedWhileGenerating: Bool {
        if case .choices = self { return true }
        return false
    }

    /// The token constraint enforcing this constraint over `vocabulary` (a `ChoicesConstraint`),
    /// or nil for `.regex` and `.json`, which FSLMInference does not enforce while generating.
    public func tokenConstraint(vocabulary: TokenVocabulary) -> (any TokenConstraint)? {
        switch self {
        case .choices(let choices): ChoicesConstraint(choices: choices, vocabulary: vocabulary)
        case .regex, .json: nil
        }
    }

    /// How a chain over `vocabulary` (nil: none known) treats this constraint.
    func enforcement(vocabulary: TokenVocabulary?) -> ConstraintEnforcement {
        switch self {
        case .choices:
            vocabulary == nil
                ? .afterGeneration(reason: "no token vocabulary was given, so the choices are only checked after generation")
                : .whileGenerating
        case .regex:
            .afterGeneration(reason: "FSLMInference enforces only choices while generating; a regex is checked after generation")
        case .json:
            .afterGeneration(reason: "FSLMInference enforces only choices while generating; JSON is checked after generation")
        }
    }
}
