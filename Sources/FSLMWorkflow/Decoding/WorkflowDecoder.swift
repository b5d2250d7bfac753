/// Decodes a workflow file's node tree into a `WorkflowSpec`, reporting every problem
/// of shape (unknown keys, wrong types, missing keys, out-of-range numbers) in one pass.
/// Cross-references (stage names, models, template variables) are the checks' job.
public struct WorkflowDecoder {
    let reader: NodeReader

    public init(source: SourceFile?) { reader = NodeReader(source: source) }

    /// Top-level keys of a workflow file.
    public static let topLevelKeys = ["version", "name", "description", "inputs", "models", "plugins", "defaults", "stages", "outputs"]

    /// The decoded spec (as complete as the errors allow) and the diagnostics.
    public func decode(_ root: YAMLNode?, path: String, directory: String) -> (WorkflowSpec, [Diagnostic]) {
        var spec = WorkflowSpec(path: path, directory: directory)
        spec.name = Self.defaultName(for: path)
        guard let root else {
            reader.report(.error(.missingKey, "the workflow file is empty; it needs at least 'version: 1' and 'stages:'",
                                 at: SourceLocation(file: path, line: 1, column: 1)))
            return (spec, reader.diagnostics)
        }
        guard let top = reader.mapping(root, "the workflow", allowed: Self.topLevelKeys) else { return (spec, reader.diagnostics) }

        if let v = top["version"] {
            if let n = reader.int(v, "'version'"), n != 1 {
                reader.report(.error(.unsupportedVersion, "workflow version \(n) is not supported; this fslm reads version 1", at: v.location))
            }
        } else {
            reader.report(.error(.missingKey, "missing key 'version' in the workflow", at: root.location,
                                 notes: [.init("add 'version: 1' at the top of the file")]))
        }
        if let n = top["name"], let name = reader.string(n, "'name'") { spec.name = name }
        if let d = top["description"] { spec.description = reader.string(d, "'description'") }
        if let i = top["inputs"] { spec.inputs = decodeInputs(i) }
        if let m = top["models"] { spec.models = ModelDecoder(reader: reader).decodeModels(m) }
        if let p = top["plugins"] { spec.plugins = reader.stringList(p, "'plugins'") ?? [] }
        if let d = top["defaults"] { spec.defaults = decodeDefaults(d) }
        if let s = top["stages"] {
            spec.stages = decodeStages(s)
        } else {
            reader.report(.error(.missingKey, "missing key 'stages' in the workflow", at: root.location,
                                 notes: [.init("a workflow needs at least one stage")]))
        }
        if let o = top["outputs"] { spec.outputs = decodeOutputs(o) }
        return (spec, reader.diagnostics)
    }

    /// The file's name without folder and extension.
    static func defaultName(for path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.split(separator: ".").first.map(String.init) ?? file
    }

    // MARK: - Inputs, defaults, outputs

    static let inputKeys = ["type", "required", "default", "example", "description"]

    func decodeInputs(_ node: YAMLNode) -> [InputSpec] {
        guard let inputs = reader.mapping(node, "'inputs'") else { return [] }
        return inputs.entries.compactMap { name, keyNode, value in
            var input = InputSpec(name: name, location: keyNode.location)
            if let s = value.scalar, !s.isNull {  // shorthand: `question: string`
                if let t = reader.choice(value, "the type of input '\(name)'", among: InputSpec.ValueType.allCases.map(\.rawValue)) {
                    input.type = InputSpec.ValueType(rawValue: t)!
                }
                return input
            }
            if value.scalar?.isNull == true { return input }
            guard let fields = reader.mapping(value, "input '\(name)'", allowed: Self.inputKeys) else { return input }
            if let t = fields["type"], let type = reader.choice(t, "'type' of input '\(name)'", among: InputSpec.ValueType.allCases.map(\.rawValue)) {
                input.type = InputSpec.ValueType(rawValue: type)!
            }
            if let d = fields["description"] { input.description = reader.string(d, "'description'") }
            if let e = fields["example"] { input.example = typedValue(e, input, "example") }
            if let d = fields["default"] {
                input.defaultValue = typedValue(d, input, "default")
                input.required = false
            }
            if let r = fields["required"], let required = reader.bool(r, "'required' of input '\(name)'") {
                input.required = required
            }
            return input
        }
    }

    /// The value of `node` if it has `input`'s type; a diagnostic otherwise.
    private func typedValue(_ node: YAMLNode, _ input: InputSpec, _ what: String) -> JSONValue? {
        var value = reader.json(node)
        if input.type == .string, node.scalar != nil, !(node.scalar!.isNull) { value = .string(node.scalar!.text) }
        guard input.accepts(value) else {
            reader.report(.error(.typeMismatch, "the \(what) of input '\(input.name)' must be a \(input.type.rawValue)", at: node.location))
            return nil
        }
        return value
    }

    static let defaultsKeys = ["model", "generation", "retry", "timeout"]

    func decodeDefaults(_ node: YAMLNode) -> WorkflowSpec.Defaults {
        var defaults = WorkflowSpec.Defaults()
        guard let fields = reader.mapping(node, "'defaults'", allowed: Self.defaultsKeys) else { return defaults }
        if let m = fields["model"] { defaults.model = reader.located(m, "'defaults.model'") }
        if let g = fields["generation"] { defaults.generation = GenerationDecoder(reader: reader).decode(g, "'defaults.generation'") }
        if let r = fields["retry"] {
            defaults.retry = RetryDecoder(reader: reader).decode(r, "'defaults.retry'")
            defaults.retryLocation = r.location
        }
        if let t = fields["timeout"] { defaults.timeout = reader.duration(t, "'defaults.timeout'") }
        return defaults
    }

    func decodeOutputs(_ node: YAMLNode) -> [OutputSpec] {
        guard let outputs = reader.mapping(node, "'outputs'") else { return [] }
        return outputs.entries.compactMap { name, _, value in
            reader.textSource(value, "output '\(name)'").map { OutputSpec(name: name, template: $0) }
        }
    }

    func decodeStages(_ node: YAMLNode) -> [StageSpec] {
        guard let stages = reader.mapping(node, "'stages'") else { return [] }
        if stages.entries.isEmpty {
            reader.report(.error(.missingKey, "'stages' is empty; a workflow needs at least one stage", at: node.location))
        }
        let decoder = StageDecoder(reader: reader)
        return stages.entries.map { id, keyNode, value in decoder.decode(id: id, keyNode: keyNode, value) }
    }
}
