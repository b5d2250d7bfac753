/// A workflow file, decoded into typed values. Locations point into the file; paths
/// inside it (models, adapters) are relative to `directory`.
public struct WorkflowSpec: Sendable {
    /// The file's path as given.
    public var path: String
    /// The folder holding the file, for relative paths.
    public var directory: String
    public var version: Int
    public var name: String
    public var description: String?
    public var inputs: [InputSpec]
    public var models: [ModelSpec]
    public var plugins: [Located<String>]
    public var defaults: Defaults
    /// In file order; the order breaks ties in scheduling and printing.
    public var stages: [StageSpec]
    public var outputs: [OutputSpec]

    public init(path: String, directory: String) {
        self.path = path
        self.directory = directory
        self.version = 1
        self.name = ""
        self.inputs = []
        self.models = []
        self.plugins = []
        self.defaults = Defaults()
        self.stages = []
        self.outputs = []
    }

    /// The `defaults:` block: what each stage inherits unless it says otherwise.
    public struct Defaults: Sendable {
        public var model: Located<String>?
        public var generation: GenerationOptions
        public var retry: RetryPolicy?
        public var retryLocation: SourceLocation?
        public var timeout: Duration?

        public init() { generation = GenerationOptions() }
    }

    /// The stage with this id, if any.
    public func stage(_ id: String) -> StageSpec? { stages.first { $0.id == id } }

    /// The model with this name, if any.
    public func model(_ name: String) -> ModelSpec? { models.first { $0.name == name } }

    /// The input with this name, if any.
    public func input(_ name: String) -> InputSpec? { inputs.first { $0.name == name } }
}

/// One declared input of a workflow.
public struct InputSpec: Sendable {
    /// The types an input may have.
    public enum ValueType: String, Sendable, CaseIterable {
        case string, number, boolean, list
    }

    public var name: String
    public var location: SourceLocation
    public var type: ValueType
    /// Required unless a default is given (or `required: false`).
    public var required: Bool
    public var defaultValue: JSONValue?
    public var example: JSONValue?
    public var description: String?

    public init(name: String, location: SourceLocation, type: ValueType = .string, required: Bool = true) {
        self.name = name
        self.location = location
        self.type = type
        self.required = required
    }

    /// Whether `value` has this input's type.
    public func accepts(_ value: JSONValue) -> Bool {
        switch (type, value) {
        case (.string, .string), (.number, .number), (.boolean, .bool), (.list, .array): true
        default: false
        }
    }
}

/// One named output of a workflow: a template over inputs and stage outputs.
public struct OutputSpec: Sendable {
    public var name: String
    public var template: TextSource

    public init(name: String, template: TextSource) {
        self.name = name
        self.template = template
    }
}
