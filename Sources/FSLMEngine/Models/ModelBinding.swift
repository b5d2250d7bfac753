public import FSLMInference
import FSLMOpenAI
import FSLMTransformer
public import FSLMWorkflow
import Foundation

/// Connects a workflow's declared models to the shared inference core: each model gets a
/// key (the same model declared by two workflows in one process is loaded once) and a
/// factory that creates its backend on first use.
public struct ModelBinding: Sendable {
    let workflow: Workflow
    let core: InferenceCore
    let makeScripted: @Sendable (ScriptedScript) throws -> any LanguageModel

    public init<C: Clock>(workflow: Workflow, core: InferenceCore, clock: C) where C.Duration == Duration {
        self.workflow = workflow
        self.core = core
        self.makeScripted = { try ScriptedModel(script: $0, clock: clock) }
    }

    /// The core's key for `model`: scripted models are private to their workflow file;
    /// native models are shared by folder (and dtype), openai models by endpoint and name.
    public func key(for model: ModelSpec) -> String {
        switch model.backend {
        case .scripted: "scripted:\(workflow.spec.path)#\(model.name)"
        case .native(let m): "native:\(resolve(m.path.value))#\(m.dtype?.value ?? "stored")"
        case .openai(let m): "openai:\(m.baseURLs.map(\.value).joined(separator: ","))#\(m.model.value)#\(m.api.value)"
        }
    }

    /// Declares every model of the workflow to the core (creation happens on first use).
    public func register() async {
        for model in workflow.spec.models {
            await core.register(key(for: model)) { [self] in try makeModel(model) }
        }
    }

    /// The backend for `model`, created once per process.
    public func model(for model: ModelSpec) async throws -> any LanguageModel {
        try await core.model(key(for: model))
    }

    private func makeModel(_ model: ModelSpec) throws -> any LanguageModel {
        switch model.backend {
        case .scripted(let spec):
            return try makeScripted(Self.script(spec))
        case .native(let spec):
            let environment = ProcessInfo.processInfo.environment
            let folder = resolve(try EnvironmentExpansion.expand(spec.path.value, environment: environment))
            var adapters: [String: URL] = [:]
            for adapter in spec.adapters {
                adapters[adapter.name.value] = URL(fileURLWithPath: resolve(try EnvironmentExpansion.expand(adapter.target.value, environment: environment)))
            }
            return try NativeModel(
                folder: URL(fileURLWithPath: folder), adapters: adapters,
                weightFormat: spec.dtype.flatMap { WeightMatrix.Format(rawValue: $0.value) })
        case .openai(let spec):
            return try OpenAIModel(endpoint: Self.endpoint(spec, environment: ProcessInfo.processInfo.environment))
        }
    }

    /// The endpoint of a `backend: openai` model: `${env.NAME}` expanded, the API key read from
    /// `api_key_env` (an unset or empty variable is an error naming it).
    static func endpoint(_ spec: OpenAIModelSpec, environment: [String: String]) throws -> OpenAIEndpoint {
        func expand(_ text: Located<String>) throws -> String { try EnvironmentExpansion.expand(text.value, environment: environment) }
        var apiKey: String?
        if let name = spec.apiKeyEnv?.value {
            guard let key = environment[name], !key.isEmpty else {
                throw InferenceError(.backend, "the API key variable '\(name)' (api_key_env) is not set")
            }
            apiKey = key
        }
        var adapters: [String: String] = [:]
        for adapter in spec.adapters { adapters[adapter.name.value] = try expand(adapter.target) }
        return OpenAIEndpoint(
            baseURLs: try spec.baseURLs.map(expand), model: try expand(spec.model), api: spec.api.value == "chat" ? .chat : .completions,
            apiKey: apiKey, adapters: adapters, timeout: spec.timeout ?? .seconds(120), maxConnections: spec.maxConnections ?? 8)
    }

    /// The scripted backend's script for a workflow's `backend: scripted` model.
    static func script(_ spec: ScriptedModelSpec) -> ScriptedScript {
        ScriptedScript(
            rules: spec.rules.map { rule in
                ScriptedScript.Rule(
                    promptPattern: rule.promptMatches?.text, adapter: rule.adapter?.value,
                    replies: rule.replies.map { reply in
                        switch reply {
                        case .text(let t): .text(t)
                        case .error(let e): .error(e)
                        case .sleep(let d): .sleep(d)
                        }
                    })
            },
            delay: spec.delay)
    }

    /// A path from the workflow, relative to the workflow's folder.
    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: workflow.spec.directory).appendingPathComponent(path).standardized.path
    }
}
