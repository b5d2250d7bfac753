/// A plugin validator declared as a built-in kind (`kind: length`): the built-in, named
/// `plugin.validator` so failures and traces show the plugin's name.
public struct PluginBuiltinValidator: Validator {
    /// `plugin.validator`.
    public let id: String
    /// The built-in doing the work, made from the manifest's parameters and the workflow's overrides.
    public let base: any Validator

    public init(id: String, base: any Validator) {
        self.id = id
        self.base = base
    }

    public func validate(_ output: String, in context: ValidationContext) async throws -> Verdict {
        do {
            return try await base.validate(output, in: context)
        } catch let error as ValidatorError {
            throw ValidatorError(validator: id, message: error.message)
        }
    }
}
