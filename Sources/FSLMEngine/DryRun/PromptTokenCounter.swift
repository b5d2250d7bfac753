import FSLMInference
public import FSLMWorkflow
import FSLMTransformer
import Foundation
import Synchronization

/// Counts a rendered prompt's tokens with the tokenizer of the model that will read it, and
/// knows that model's context length, without loading weights: a native model's
/// `tokenizer.json` and `config.json` are read once each; scripted models count as the
/// scripted backend does; other backends are not counted.
public final class PromptTokenCounter: Sendable {
    struct Native: Sendable {
        let tokenizer: Tokenizer
        let context: Int
    }

    let binding: ModelBinding
    private let natives = Mutex<[String: Result<Native, NativeError>]>([:])

    /// Why a native model's tokenizer or config could not be read.
    struct NativeError: Error, Sendable { let message: String }

    public init(binding: ModelBinding) { self.binding = binding }

    /// The token count of `text` for `model`, or nil when it cannot be counted.
    public func count(_ text: String, for model: ModelSpec) -> Int? {
        switch model.backend {
        case .scripted: return ScriptedModel.tokenCount(of: text)
        case .native: return try? native(model).get().tokenizer.encode(text, addSpecialTokens: true).count
        case .openai: return nil
        }
    }

    /// The model's context length in tokens, when known.
    public func contextLength(of model: ModelSpec) -> Int? {
        guard case .native = model.backend else { return nil }
        return try? native(model).get().context
    }

    /// Why `model`'s tokenizer could not be read, if it could not.
    public func problem(with model: ModelSpec) -> String? {
        guard case .native = model.backend, case .failure(let e) = native(model) else { return nil }
        return e.message
    }

    private func native(_ model: ModelSpec) -> Result<Native, NativeError> {
        guard case .native(let spec) = model.backend else { return .failure(NativeError(message: "not a native model")) }
        let key = binding.key(for: model)
        if let known = natives.withLock({ $0[key] }) { return known }
        let result: Result<Native, NativeError>
        do {
            let path = try EnvironmentExpansion.expand(spec.path.value, environment: ProcessInfo.processInfo.environment)
            let folder = URL(fileURLWithPath: binding.resolve(path))
            let config = try ModelConfig(contentsOf: folder.appendingPathComponent("config.json"))
            let tokenizer = try Tokenizer(contentsOf: folder.appendingPathComponent("tokenizer.json"))
            result = .success(Native(tokenizer: tokenizer, context: config.maxPositions))
        } catch {
            result = .failure(NativeError(message: "\(error)"))
        }
        natives.withLock { $0[key] = result }
        return result
    }
}
