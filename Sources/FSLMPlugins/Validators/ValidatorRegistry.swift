public import FSLMWorkflow

/// Turns the validators a workflow names into runnable `Validator`s.
///
/// Built-ins (`regex`, `choices`, `length`, `not_empty`, `json`, `contains`, `excludes`) are
/// always available and built from their argument. Plugin-qualified names (`plugin.name`)
/// are looked up among the validators registered in-process, which is how code embedding
/// fslm adds its own. Every problem is a `ValidatorError` naming the validator, saying what
/// is wrong, and ending with the name's place in the workflow, `(at file:line:col)`.
public struct ValidatorRegistry: Sendable {
    /// Builds a registered validator from the parameters a workflow gives it
    /// (`{arith.equation_holds: {tolerance: 0}}` passes `.object(["tolerance": 0])`;
    /// a bare name passes `nil`).
    public typealias Factory = @Sendable (_ params: JSONValue?) throws(ValidatorError) -> any Validator

    private var factories: [String: Factory] = [:]

    public init() {}

    /// The qualified names registered, sorted.
    public var registeredNames: [String] { factories.keys.sorted() }

    /// Registers a ready-made validator under its `id`, which must be `plugin.name`.
    /// It takes no parameters: a workflow that gives it some gets an error from `make`
    /// rather than having them ignored. A later registration of the same id replaces
    /// an earlier one.
    public mutating func register(_ validator: any Validator) throws(ValidatorError) {
        let id = validator.id
        try register(id) { params throws(ValidatorError) in
            switch params {
            case nil, .null?: return validator
            case .object(let fields)? where fields.isEmpty: return validator
            case let other?:
                throw ValidatorError(validator: id, message: "'\(id)' takes no parameters; it got \(other.displayText)")
            }
        }
    }

    /// Registers a validator built per use from the workflow's parameters, under `id`,
    /// which must be `plugin.name`. A later registration of the same id replaces an earlier one.
    public mutating func register(_ id: String, factory: @escaping Factory) throws(ValidatorError) {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw ValidatorError(validator: id, message: "a registered validator is named 'plugin.name', e.g. 'arith.equation_holds'; '\(id)' is not")
        }
        factories[id] = factory
    }

    /// The validator `ref` names: a built-in made from its argument, or a registered one.
    /// Throws for a built-in whose argument has the wrong shape, an invalid regex, an
    /// unknown built-in name, and an unregistered `plugin.name` (listing those registered).
    public func make(_ ref: ValidatorRef) throws(ValidatorError) -> any Validator {
        let name = ref.name.value
        let place = " (at \(ref.name.location))"
        do throws(ValidatorError) {
            if let builtin = try BuiltinValidators.make(name, argument: ref.argument) { return builtin }
            if ref.isPluginQualified {
                guard let factory = factories[name] else {
                    let known = registeredNames.isEmpty ? "no plugin validators are registered"
                                                        : "registered: \(registeredNames.joined(separator: ", "))"
                    throw ValidatorError(validator: name, message: "unknown validator '\(name)'; \(known)")
                }
                return try factory(ref.argument)
            }
            throw ValidatorError(validator: name, message: "unknown validator '\(name)'; built-in validators: "
                                 + "\(ValidatorRef.builtinKinds.joined(separator: ", ")); plugin validators are written 'plugin.name'")
        } catch {
            throw ValidatorError(validator: error.validator, message: error.message + place)
        }
    }

    /// `make` for each ref, in order; throws the first problem.
    public func makeAll(_ refs: [ValidatorRef]) throws(ValidatorError) -> [any Validator] {
        var validators: [any Validator] = []
        validators.reserveCapacity(refs.count)
        for ref in refs { validators.append(try make(ref)) }
        return validators
    }
}
