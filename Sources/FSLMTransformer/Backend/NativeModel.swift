public import FSLMInference
public import Foundation
import Synchronization

/// The native backend: a Hugging Face model folder run in-process by fslm's own Swift
/// transformer. The base weights are loaded (memory-mapped) once; LoRA adapters are loaded
/// once each, on first use, and applied per request as unfused deltas, so one base serves
/// every stage and every concurrent run. Concurrent generations are decoded together, one
/// batched forward pass per step, and a prompt prefix still in a recent generation's KV cache
/// is not computed again (`BatchScheduler`). Forward passes run on a compute thread of the
/// model's own, never on Swift's cooperative pool.
public final class NativeModel: LanguageModel, Sendable {
    public let folder: ModelFolder
    public let tokenizer: Tokenizer
    let model: any TransformerModel
    let adapterFolders: [String: URL]
    private let adapters = Mutex<[String: LoRAAdapter]>([:])
    let vocabulary: TokenVocabulary
    let scheduler = BatchScheduler()

    /// Opens `url` (config.json, weights, tokenizer.json) and declares adapters by name
    /// (PEFT folders: adapter_config.json, adapter_model.safetensors), loaded on first use.
    ///
    /// Every error names the folder: a `ModelFolderError` or `TokenizerError` as thrown (they
    /// do), anything else (a bad `config.json`, a truncated or misshapen `model.safetensors`)
    /// as a `ModelFolderError` whose problem is that error's message.
    ///
    /// `weightFormat` converts the linear weights once at load (f16, bf16, or q8: int8 in
    /// blocks of 32); nil reads them as stored, memory-mapped.
    public init(folder url: URL, adapters: [String: URL] = [:], weightFormat: WeightMatrix.Format? = nil) throws {
        do {
            folder = try ModelFolder(url: url)
            tokenizer = try Tokenizer(contentsOf: folder.requireTokenizer())
            model = try loadTransformerModel(config: folder.config, weights: folder.weights, format: weightFormat)
        } catch let error as ModelFolderError {
            throw error
        } catch let error as TokenizerError {
            throw error
        } catch {
            throw ModelFolderError(folder: url.path, file: Self.file(of: error), "\(error)")
        }
        adapterFolders = adapters
        let size = folder.config.vocabularySize
        let tokenizer = tokenizer
        var ends = Set(folder.config.eosTokenIDs)
        if let eos = tokenizer.eosTokenID { ends.insert(eos) }
        // Generated text is decoded skipping special tokens, so they add no bytes: a constraint
        // must never spell a choice with one (the text would lack it).
        vocabulary = TokenVocabulary(
            bytes: (0..<size).map { tokenizer.isSpecialToken($0) ? [] : tokenizer.tokenBytes($0) ?? [] }, endOfSequence: ends)
    }

    /// The file of the folder an error is about, when it says.
    private static func file(of error: any Error) -> String? {
        switch error {
        case let error as ModelConfigError: error.file
        case let error as SafetensorsError: error.file
        case let error as WeightManifestError: error.problems.first?.source
        case is ModelError: ModelFolder.configFile
        default: nil
        }
    }

    public var config: ModelConfig { folder.config }

    public var capabilities: BackendCapabilities {
        BackendCapabilities(adapters: true, choicesConstraint: true, streaming: true, tokenCounting: true, scoring: true)
    }

    /// The adapter named `name`, loaded once.
    func adapter(_ name: String?) throws -> LoRAAdapter? {
        guard let name else { return nil }
        if let loaded = adapters.withLock({ $0[name] }) { return loaded }
        guard let url = adapterFolders[name] else {
            throw InferenceError(.unsupported, "model \(folder.url.lastPathComponent) has no adapter '\(name)'")
        }
        let adapter = try LoRAAdapter(directory: url, name: name) { try SafetensorsFile(url: $0) }
        try model.check(adapter)
        adapters.withLock { $0[name] = adapter }
        return adapter
    }

    public func countTokens(_ text: String) async throws -> Int? { tokenizer.encode(text, addSpecialTokens: true).count }

    public func generate(_ request: GenerationRequest) async throws -> GenerationResult {
        var result: GenerationResult?
        for try await event in stream(request) {
            if case .finished(let r) = event { result = r }
        }
        guard let result else { throw CancellationError() }
        return result
    }

    public func stream(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
        let cancelled = CancellationFlag()
        continuation.onTermination = { _ in cancelled.set() }
        scheduler.submit(.generate(.init(request: request, cancelled: cancelled, continuation: continuation)), model: self)
        return stream
    }

    public func score(_ request: ScoreRequest) async throws -> ScoreResult {
        try await withCheckedThrowingContinuation { continuation in
            scheduler.submit(.run { [self] in continuation.resume(with: Result { try Scoring.score(request, model: self) }) }, model: self)
        }
    }

    /// What the batching scheduler has done since the model was loaded: steps, batch sizes,
    /// prompt tokens computed and reused.
    public var batchStatistics: BatchStatistics { scheduler.statistics.withLock { $0 } }
}
