/// A model declared under `models:`; stages name it, and the inference core loads it once.
public struct ModelSpec: Sendable {
    public var name: String
    public var backend: Backend
    /// Where the model's name is declared.
    public var location: SourceLocation

    public init(name: String, backend: Backend, location: SourceLocation) {
        self.name = name
        self.backend = backend
        self.location = location
    }

    /// The three kinds of backend.
    public enum Backend: Sendable {
        /// In-process Swift transformer over a Hugging Face folder.
        case native(NativeModelSpec)
        /// Any OpenAI-compatible HTTP server.
        case openai(OpenAIModelSpec)
        /// Deterministic replies from rules; for tests and demos without weights.
        case scripted(ScriptedModelSpec)

        /// `native`, `openai` or `scripted`.
        public var name: String {
            switch self {
            case .native: "native"
            case .openai: "openai"
            case .scripted: "scripted"
            }
        }
    }

    /// The adapters a stage may name on this model, or nil when any name is accepted
    /// (a scripted model without an `adapters` list).
    public var adapterNames: [Located<String>]? {
        switch backend {
        case .native(let m): m.adapters.map(\.name)
        case .openai(let m): m.adapters.map(\.name)
        case .scripted(let m): m.adapters
        }
    }
}

/// A named adapter and where it lives (a folder for native, a served model name for openai).
public struct AdapterSpec: Sendable {
    public var name: Located<String>
    public var target: Located<String>

    public init(name: Located<String>, target: Located<String>) {
        self.name = name
        self.target = target
    }
}

/// `backend: native`: a Hugging Face folder and its PEFT LoRA adapters.
public struct NativeModelSpec: Sendable {
    /// Folder with config.json, model.safetensors, tokenizer.json; relative to the workflow file.
    public var path: Located<String>
    public var adapters: [AdapterSpec]
    /// Weight type to run in (`f32`, `f16`, `bf16`, `q8`); nil keeps the stored type.
    public var dtype: Located<String>?

    public init(path: Located<String>, adapters: [AdapterSpec] = [], dtype: Located<String>? = nil) {
        self.path = path
        self.adapters = adapters
        self.dtype = dtype
    }
}

/// `backend: openai`: a model behind an OpenAI-compatible server.
public struct OpenAIModelSpec: Sendable {
    /// One or more equal servers; `${env.NAME}` is expanded at run time.
    public var baseURLs: [Located<String>]
    public var model: Located<String>
    /// `completions` or `chat`.
    public var api: Located<String>
    /// The environment variable holding the API key (the key itself is never in the file).
    public var apiKeyEnv: Located<String>?
    public var adapters: [AdapterSpec]
    public var timeout: Duration?
    public var maxConnections: Int?

    public init(
        baseURLs: [Located<String>], model: Located<String>, api: Located<String>, apiKeyEnv: Located<String>? = nil,
        adapters: [AdapterSpec] = [], timeout: Duration? = nil, maxConnections: Int? = nil
    ) {
        self.baseURLs = baseURLs
        self.model = model
        self.api = api
        self.apiKeyEnv = apiKeyEnv
        self.adapters = adapters
        self.timeout = timeout
        self.maxConnections = maxConnections
    }
}

/// `backend: scripted`: replies chosen by rules, first match wins.
public struct ScriptedModelSpec: Sendable {
    /// Simulated latency per call.
    public var delay: Duration?
    public var rules: [ScriptedRule]
    /// Adapter names stages may use; nil accepts any.
    public var adapters: [Located<String>]?

    public init(delay: Duration? = nil, rules: [ScriptedRule], adapters: [Located<String>]? = nil) {
        self.delay = delay
        self.rules = rules
        self.adapters = adapters
    }
}

/// One scripted rule: when its conditions match a call, its next reply answers it.
public struct ScriptedRule: Sendable {
    /// A regex searched in the rendered prompt; nil matches any prompt.
    public var promptMatches: TextSource?
    /// The adapter the call must use; nil matches any.
    public var adapter: Located<String>?
    /// Used one per matching call, in order; the last one repeats.
    public var replies: [ScriptedReply]
    public var location: SourceLocation

    public init(promptMatches: TextSource?, adapter: Located<String>?, replies: [ScriptedReply], location: SourceLocation) {
        self.promptMatches = promptMatches
        self.adapter = adapter
        self.replies = replies
        self.location = location
    }
}

/// A scripted reply: text, an injected backend error, or a stall.
public enum ScriptedReply: Sendable, Hashable {
    case text(String)
    case error(String)
    case sleep(Duration)
}
