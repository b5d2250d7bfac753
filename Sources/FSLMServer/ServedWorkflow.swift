public import FSLMPlugins
public import FSLMWorkflow

/// A workflow the server runs on request, under its name, with the validators it was loaded with.
public struct ServedWorkflow: Sendable {
    public var workflow: Workflow
    public var validators: ValidatorRegistry

    public init(workflow: Workflow, validators: ValidatorRegistry) {
        self.workflow = workflow
        self.validators = validators
    }

    public var name: String { workflow.spec.name }
}
