import FSLMWorkflow

/// The answer of `GET /v1/workflows`: each served workflow's name, inputs and stages.
struct WorkflowList: Encodable {
    var object = "list"
    var data: [Entry]

    struct Entry: Encodable {
        var name: String
        var description: String?
        var inputs: [Input]
        var stages: [String]

        init(_ served: ServedWorkflow) {
            let spec = served.workflow.spec
            name = spec.name
            description = spec.description
            inputs = spec.inputs.map {
                Input(name: $0.name, type: $0.type.rawValue, required: $0.required && $0.defaultValue == nil,
                      default: $0.defaultValue, description: $0.description)
            }
            stages = served.workflow.stages.map(\.id)
        }
    }

    struct Input: Encodable {
        var name: String
        var type: String
        var required: Bool
        var `default`: JSONValue?
        var description: String?
    }
}
