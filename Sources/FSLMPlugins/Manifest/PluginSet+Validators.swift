import FSLMWorkflow
import Foundation

extension PluginSet {
    /// Builds the validator of an external command; see `CommandValidatorSpec`.
    public typealias CommandValidatorFactory = @Sendable (CommandValidatorSpec) throws(ValidatorError) -> any Validator

    /// `base` with every validator of the plugins in use registered as `plugin.validator`.
    ///
    /// A declarative validator (`kind: length`) is built per use from the manifest's
    /// parameters, overridden key by key by the workflow's (`{arith.short: {max: 10}}`).
    /// A command validator is built by `makeCommandValidator`, from a spec carrying the
    /// workflow's parameters. Validators whose declarations have errors are not registered.
    public func validatorRegistry(base: ValidatorRegistry = ValidatorRegistry(),
                                  makeCommandValidator: @escaping CommandValidatorFactory) -> ValidatorRegistry {
        var registry = base
        for plugin in plugins {
            for (name, declaration) in plugin.manifest.validators.sorted(by: { $0.key < $1.key }) {
                let id = "\(plugin.name).\(name)"
                let factory: ValidatorRegistry.Factory
                switch declaration.kind {
                case .builtin(let kind, let params):
                    factory = { overrides throws(ValidatorError) in
                        let merged = try BuiltinParameters.merge(params, overrides, id: id)
                        return PluginBuiltinValidator(id: id, base: try BuiltinParameters.make(kind: kind, params: merged, id: id))
                    }
                case .command(let argv, let timeout, let mode):
                    let spec = CommandValidatorSpec(id: id, plugin: plugin.name, argv: Self.resolve(argv, in: plugin),
                                                    workingDirectory: plugin.folder, timeout: timeout, mode: mode)
                    factory = { params throws(ValidatorError) in
                        var withParams = spec
                        withParams.params = params == .null ? nil : params
                        return try makeCommandValidator(withParams)
                    }
                }
                // Cannot throw: plugin and validator names are checked identifiers, so `id` is `plugin.name`.
                try? registry.register(id, factory: factory)
            }
        }
        return registry
    }

    /// `argv` with a relative program path made absolute against the plugin folder.
    static func resolve(_ argv: [String], in plugin: Plugin) -> [String] {
        guard let program = argv.first, program.contains("/"), !program.hasPrefix("/") else { return argv }
        return [plugin.folder.appendingPathComponent(program).standardizedFileURL.path] + argv.dropFirst()
    }
}
