/// The shared inference core: one per process, owning every model by key. A model is
/// created on first use, once, even when many stages and runs ask for it at the same time,
/// and then shared by all of them.
public actor InferenceCore {
    /// Creates a model; called at most once per key.
    public typealias Factory = @Sendable () async throws -> any LanguageModel

    private var factories: [String: Factory] = [:]
    private var models: [String: Task<any LanguageModel, any Error>] = [:]

    public init() {}

    /// The process-wide core used by the command line.
    public static let shared = InferenceCore()

    /// Declares how to create the model `key`. A key already declared keeps its first
    /// factory, so two workflows naming the same model share one instance.
    public func register(_ key: String, factory: @escaping Factory) {
        if factories[key] == nil { factories[key] = factory }
    }

    /// True when `key` has a factory.
    public func isRegistered(_ key: String) -> Bool { factories[key] != nil }

    /// The model `key`, created on first use. A failed creation is retried on the next call.
    public func model(_ key: String) async throws -> any LanguageModel {
        if let task = models[key] {
            do { return try await task.value } catch {
                models[key] = nil
                throw error
            }
        }
        guard let factory = factories[key] else {
            throw InferenceError(.unknownModel, "no model is registered as '\(key)'")
        }
        let task = Task { try await factory() }
        models[key] = task
        do { return try await task.value } catch {
            models[key] = nil
            throw error
        }
    }

    /// The keys of the models created so far.
    public var loadedKeys: [String] { models.keys.sorted() }
}
