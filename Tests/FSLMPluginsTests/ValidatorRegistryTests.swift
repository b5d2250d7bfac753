import FSLMPlugins
import FSLMWorkflow
import Testing

/// A `ValidatorRef` as the decoder would make it, placed at `wf.yaml:7:9`.
func ref(_ name: String, _ argument: JSONValue? = nil) -> ValidatorRef {
    ValidatorRef(name: Located(name, at: SourceLocation(file: "wf.yaml", line: 7, column: 9)), argument: argument)
}

/// A plugin validator for tests: passes replies that equal `expected`.
struct EqualsValidator: Validator {
    var id: String
    var expected: String
    func validate(_ output: String, in context: ValidationContext) async throws -> Verdict {
        output == expected ? .pass : .fail(message: "the reply must be \(expected)", fix: expected)
    }
}

@Suite struct ValidatorRegistryTests {
    let registry = ValidatorRegistry()

    @Test func buildsEveryBuiltin() async throws {
        let refs = [
            ref("regex", .string(#"^\d+$"#)),
            ref("choices", .array([.string("a"), .string("b")])),
            ref("length", .object(["min": .number(1), "max": .number(3)])),
            ref("not_empty"),
            ref("json"),
            ref("contains", .string("=")),
            ref("excludes", .string("?")),
        ]
        let validators = try registry.makeAll(refs)
        #expect(validators.map(\.id) == ["regex", "choices", "length", "not_empty", "json", "contains", "excludes"])
        #expect((validators[0] as? RegexValidator)?.pattern == #"^\d+$"#)
        #expect((validators[1] as? ChoicesValidator)?.choices == ["a", "b"])
        let length = validators[2] as? LengthValidator
        #expect(length?.min == 1 && length?.max == 3)
        #expect((validators[5] as? ContainsValidator)?.text == "=")
        #expect((validators[6] as? ExcludesValidator)?.text == "?")
        #expect(try await verdict(validators[0], "12") == .pass)
        #expect(try await verdict(validators[4], "[1]") == .pass)
    }

    @Test func lenientEquivalents() throws {
        #expect((try registry.make(ref("length", .object(["max": .number(5), "min": .null]))) as? LengthValidator)?.min == nil)
        #expect((try registry.make(ref("choices", .array([.number(1), .number(2.5), .bool(true)]))) as? ChoicesValidator)?.choices
                == ["1", "2.5", "true"])
        #expect(try registry.make(ref("json", .null)).id == "json")
        #expect(try registry.make(ref("not_empty", .bool(true))).id == "not_empty")
        #expect((try registry.make(ref("contains", .number(42))) as? ContainsValidator)?.text == "42")
    }

    @Test(arguments: [
        (ref("length", .object([:])), "length", "'length' needs 'min', 'max' or both, e.g. {length: {max: 200}} (at wf.yaml:7:9)"),
        (ref("length", .number(3)), "length", "'length' needs 'min', 'max' or both, e.g. {length: {max: 200}}; it got the number 3 (at wf.yaml:7:9)"),
        (ref("length", nil), "length", "'length' needs 'min', 'max' or both, e.g. {length: {max: 200}}; it got no argument (at wf.yaml:7:9)"),
        (ref("length", .object(["max": .number(2.5)])), "length", "'length' needs a whole number for 'max'; it got the number 2.5 (at wf.yaml:7:9)"),
        (ref("length", .object(["max": .string("ten")])), "length", "'length' needs a whole number for 'max'; it got the text \"ten\" (at wf.yaml:7:9)"),
        (ref("length", .object(["maxx": .number(3)])), "length", "'length' takes only 'min' and 'max'; it got 'maxx' (at wf.yaml:7:9)"),
        (ref("length", .object(["min": .number(4), "max": .number(3)])), "length", "'length' has min 4 greater than max 3 (at wf.yaml:7:9)"),
        (ref("length", .object(["min": .number(-1)])), "length", "'length' has a negative min -1 (at wf.yaml:7:9)"),
        (ref("regex", nil), "regex", "'regex' needs a pattern, e.g. {regex: '^\\d+$'}; it got no argument (at wf.yaml:7:9)"),
        (ref("regex", .array([])), "regex", "'regex' needs a pattern, e.g. {regex: '^\\d+$'}; it got a list (at wf.yaml:7:9)"),
        (ref("choices", .array([])), "choices", "'choices' needs a non-empty list of texts, e.g. {choices: [yes, no]}; it got a list (at wf.yaml:7:9)"),
        (ref("choices", .string("a, b")), "choices", "'choices' needs a non-empty list of texts, e.g. {choices: [yes, no]}; it got the text \"a, b\" (at wf.yaml:7:9)"),
        (ref("choices", .array([.string("a"), .object([:])])), "choices", "'choices' needs texts; choice 2 is a mapping (at wf.yaml:7:9)"),
        (ref("contains", .object([:])), "contains", "'contains' needs a text, e.g. {contains: \"=\"}; it got a mapping (at wf.yaml:7:9)"),
        (ref("excludes", .string("")), "excludes", "'excludes' needs a non-empty text (at wf.yaml:7:9)"),
        (ref("json", .string("strict")), "json", "'json' takes no argument; it got the text \"strict\" (at wf.yaml:7:9)"),
        (ref("not_empty", .bool(false)), "not_empty", "'not_empty' takes no argument; it got false (at wf.yaml:7:9)"),
        (ref("json_schema", .string("schema.json")), "json_schema",
         "unknown validator 'json_schema'; built-in validators: regex, choices, length, not_empty, json, contains, excludes; plugin validators are written 'plugin.name' (at wf.yaml:7:9)"),
        (ref("regx", .string("x")), "regx",
         "unknown validator 'regx'; built-in validators: regex, choices, length, not_empty, json, contains, excludes; plugin validators are written 'plugin.name' (at wf.yaml:7:9)"),
        (ref("arith.equation_holds"), "arith.equation_holds", "unknown validator 'arith.equation_holds'; no plugin validators are registered (at wf.yaml:7:9)"),
    ])
    func wrongShapesThrow(_ ref: ValidatorRef, _ validator: String, _ message: String) {
        #expect(throws: ValidatorError(validator: validator, message: message)) { _ = try registry.make(ref) }
    }

    @Test func invalidRegexThrowsWithPlace() {
        #expect {
            _ = try registry.make(ref("regex", .string("[a-")))
        } throws: { error in
            let e = error as? ValidatorError
            return e?.validator == "regex" && e?.message.hasPrefix("'[a-' is not a valid regular expression: ") == true
                && e?.message.hasSuffix(" (at wf.yaml:7:9)") == true
        }
    }

    @Test func registeredValidatorIsUsedByQualifiedName() async throws {
        var registry = ValidatorRegistry()
        try registry.register(EqualsValidator(id: "arith.equation_holds", expected: "8"))
        try registry.register(EqualsValidator(id: "arith.is_integer", expected: "1"))
        #expect(registry.registeredNames == ["arith.equation_holds", "arith.is_integer"])
        let validators = try registry.makeAll([ref("regex", .string("^\\d+$")), ref("arith.equation_holds")])
        #expect(validators.map(\.id) == ["regex", "arith.equation_holds"])
        #expect(try await verdict(validators[1], "8") == .pass)
        #expect(try await verdict(validators[1], "9") == .fail(message: "the reply must be 8", fix: "8"))
        #expect(try registry.make(ref("arith.is_integer", .object([:]))).id == "arith.is_integer")
    }

    @Test func unknownPluginValidatorListsTheRegistered() throws {
        var registry = ValidatorRegistry()
        try registry.register(EqualsValidator(id: "arith.equation_holds", expected: "8"))
        try registry.register(EqualsValidator(id: "units.known", expected: "m"))
        #expect(throws: ValidatorError(validator: "arith.equation_hold",
                                       message: "unknown validator 'arith.equation_hold'; registered: arith.equation_holds, units.known (at wf.yaml:7:9)")) {
            _ = try registry.make(ref("arith.equation_hold"))
        }
    }

    @Test func readyMadeValidatorsRejectParameters() throws {
        var registry = ValidatorRegistry()
        try registry.register(EqualsValidator(id: "arith.equation_holds", expected: "8"))
        #expect(throws: ValidatorError(validator: "arith.equation_holds",
                                       message: "'arith.equation_holds' takes no parameters; it got {\"tolerance\":0} (at wf.yaml:7:9)")) {
            _ = try registry.make(ref("arith.equation_holds", .object(["tolerance": .number(0)])))
        }
    }

    @Test func factoriesReceiveParameters() async throws {
        var registry = ValidatorRegistry()
        try registry.register("text.equals") { params throws(ValidatorError) in
            guard case .object(let fields)? = params, case .string(let expected)? = fields["value"] else {
                throw ValidatorError(validator: "text.equals", message: "'text.equals' needs {value: TEXT}")
            }
            return EqualsValidator(id: "text.equals", expected: expected)
        }
        let v = try registry.make(ref("text.equals", .object(["value": .string("yes")])))
        #expect(try await verdict(v, "yes") == .pass)
        #expect(throws: ValidatorError(validator: "text.equals", message: "'text.equals' needs {value: TEXT} (at wf.yaml:7:9)")) {
            _ = try registry.make(ref("text.equals"))
        }
    }

    @Test(arguments: ["equals", ".equals", "text.", "a..b", ""])
    func registeredNamesMustBeQualified(_ id: String) {
        var registry = ValidatorRegistry()
        #expect(throws: ValidatorError(validator: id, message: "a registered validator is named 'plugin.name', e.g. 'arith.equation_holds'; '\(id)' is not")) {
            try registry.register(EqualsValidator(id: id, expected: "x"))
        }
        #expect(registry.registeredNames.isEmpty)
    }

    @Test func laterRegistrationReplaces() async throws {
        var registry = ValidatorRegistry()
        try registry.register(EqualsValidator(id: "a.b", expected: "1"))
        try registry.register(EqualsValidator(id: "a.b", expected: "2"))
        #expect(try await verdict(try registry.make(ref("a.b")), "2") == .pass)
    }

    @Test func builtinNamesCannotBeShadowed() throws {
        // Built-in names are unqualified, so registration cannot take them over.
        var registry = ValidatorRegistry()
        #expect(throws: ValidatorError.self) { try registry.register(EqualsValidator(id: "json", expected: "x")) }
        #expect(try registry.make(ref("json")) is JSONValidator)
    }
}
