/// Decodes a stage's `validate:` list. Items are a name (`not_empty`, `json`,
/// `arith.equation_holds`) or a one-key mapping from a name to its argument
/// (`{regex: '^\d+$'}`, `{length: {max: 120}}`, `{arith.equation_holds: {tolerance: 0}}`).
struct ValidatorRefDecoder {
    let reader: NodeReader

    /// Built-ins usable without an argument.
    static let bareKinds: Set<String> = ["not_empty", "json"]

    func decodeList(_ node: YAMLNode, _ what: String) -> [ValidatorRef] {
        let items = node.sequence ?? [node]
        return items.compactMap { decode($0, what) }
    }

    private func decode(_ node: YAMLNode, _ what: String) -> ValidatorRef? {
        if node.scalar != nil {
            guard let name = reader.located(node, "a validator of \(what)") else { return nil }
            if ValidatorRef.builtinKinds.contains(name.value), !Self.bareKinds.contains(name.value) {
                reader.report(.error(.missingKey, "validator '\(name.value)' needs an argument, e.g. {\(name.value): ...}", at: node.location))
                return nil
            }
            return checkName(ValidatorRef(name: name))
        }
        guard let pairs = node.mapping, pairs.count == 1, let keyText = pairs[0].key.scalar?.text else {
            reader.report(.error(.invalidValue, "a validator is a name or a mapping of one name to its argument", at: node.location))
            return nil
        }
        let name = Located(keyText, at: pairs[0].key.location)
        let arg = pairs[0].value
        var ref = ValidatorRef(name: name, argument: reader.json(arg))
        switch keyText {
        case "regex", "contains", "excludes":
            guard let source = reader.textSource(arg, "the argument of '\(keyText)'") else { return nil }
            ref.argument = .string(source.text)
            ref.argumentSource = source
        case "choices":
            guard arg.sequence != nil, let list = reader.stringList(arg, "'choices'"), !list.isEmpty else {
                reader.typeMismatch(arg, "the argument of 'choices'", expected: "a non-empty list of strings")
                return nil
            }
            ref.argument = .array(list.map { .string($0.value) })
        case "length":
            guard let f = reader.mapping(arg, "the argument of 'length'", allowed: ["min", "max"]) else { return nil }
            let min = f["min"].flatMap { reader.int($0, "'min'", in: 0...Int.max) }
            let max = f["max"].flatMap { reader.int($0, "'max'", in: 0...Int.max) }
            if min == nil && max == nil && !f.has("min") && !f.has("max") {
                reader.report(.error(.missingKey, "'length' needs 'min', 'max' or both", at: arg.location))
            }
            if let min, let max, min > max {
                reader.report(.error(.outOfRange, "'length' has min \(min) greater than max \(max)", at: arg.location))
            }
        case "not_empty", "json":
            if arg.scalar?.isNull != true, arg.scalar?.bool != true {
                reader.report(.error(.invalidValue, "validator '\(keyText)' takes no argument", at: arg.location))
            }
            ref.argument = nil
        default:
            if arg.mapping == nil, arg.scalar?.isNull != true {
                reader.typeMismatch(arg, "the parameters of validator '\(keyText)'", expected: "a mapping")
                return nil
            }
        }
        return checkName(ref)
    }

    /// Unknown unqualified names get a "did you mean" against the built-ins.
    private func checkName(_ ref: ValidatorRef) -> ValidatorRef? {
        if ref.isPluginQualified || ValidatorRef.builtinKinds.contains(ref.name.value) { return ref }
        let guess = EditDistance.suggestion(for: ref.name.value, among: ValidatorRef.builtinKinds)
        reader.report(.error(.unknownValidator, "unknown validator '\(ref.name.value)'", at: ref.name.location,
                             notes: [.init(guess.map { "did you mean '\($0)'?" }
                                           ?? "built-in validators: \(ValidatorRef.builtinKinds.joined(separator: ", ")); plugin validators are written 'plugin.name'")]))
        return nil
    }
}
