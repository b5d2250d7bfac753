/// The one boundary every backend implements: native Swift, OpenAI-compatible HTTP, scripted.
///
/// Contract (checked by `checkLanguageModelConformance` in the test support):
/// - the result's text never contains a requested stop string, and ends where the first one began;
/// - at most `maxTokens` tokens are generated (`finishReason == .length` when that ended it);
/// - with temperature 0, or a seed, the same request gives the same result;
/// - a cancelled task ends the call promptly with `CancellationError`;
/// - a capability not declared is not relied on by callers.
public protocol LanguageModel: Sendable {
    var capabilities: BackendCapabilities { get }

    /// Generates a completion of `request.prompt`.
    func generate(_ request: GenerationRequest) async throws -> GenerationResult

    /// Generates, yielding text as it is produced and the result last.
    func stream(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error>

    /// The number of tokens `text` encodes to, or nil when the backend cannot tell.
    func countTokens(_ text: String) async throws -> Int?

    /// The log-likelihood of `request.continuation` after `request.context`
    /// (only when `capabilities.scoring`).
    func score(_ request: ScoreRequest) async throws -> ScoreResult
}

extension LanguageModel {
    /// Streams by generating in one piece.
    public func stream(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let result = try await generate(request)
                    continuation.yield(.text(result.text))
                    continuation.yield(.finished(result))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func countTokens(_ text: String) async throws -> Int? { nil }
}

/// A backend's failure to produce a result, with a message people can act on.
public struct InferenceError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The backend failed (a server error, an injected error, a broken model).
        case backend
        /// The output broke the request's constraint.
        case constraint
        /// The request asked for something the backend cannot do.
        case unsupported
        /// No model is registered under the name asked for.
        case unknownModel
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
