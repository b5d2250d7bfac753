import FSLMPlugins
import FSLMWorkflow
import Foundation
import Testing

/// What the command-validator closure was given, returned as the validator so tests can look.
struct RecordedCommand: Validator {
    var spec: CommandValidatorSpec
    var id: String { spec.id }
    func validate(_ output: String, in context: ValidationContext) async throws -> Verdict { .pass }
}

@Suite struct ManifestValidatorRegistryTests {
    func pluginSet(_ tmp: TempFolder) throws -> PluginSet {
        try tmp.writePlugin("plugins/arith", """
            name: arith
            validators:
              short: { kind: length, max: 5 }
              digits: { kind: regex, pattern: '^\\d+$' }
              equation_holds:
                command: [validators/equation_holds.sh, --strict]
                timeout: 2s
                mode: serve
              quick:
                command: [python3, check.py]
              broken: { kind: length, min: 3, max: 1 }
            """, executables: ["validators/equation_holds.sh"])
        return PluginSet(searchPath: PluginSearchPath(environment: environment(pluginPath: [tmp.path("plugins")])))
    }

    func record(_ spec: CommandValidatorSpec) throws(ValidatorError) -> any Validator { RecordedCommand(spec: spec) }

    @Test func declarativeValidatorsUseManifestParamsWithWorkflowOverrides() async throws {
        let tmp = try TempFolder()
        let registry = try pluginSet(tmp).validatorRegistry(makeCommandValidator: record)
        #expect(registry.registeredNames == ["arith.digits", "arith.equation_holds", "arith.quick", "arith.short"])

        let short = try registry.make(ref("arith.short"))
        #expect(short.id == "arith.short")
        #expect(((short as? PluginBuiltinValidator)?.base as? LengthValidator)?.max == 5)
        #expect(try await verdict(short, "12345") == .pass)
        #expect(try await verdict(short, "123456") == .fail(message: "the reply has 6 characters; at most 5 are allowed", fix: nil))

        let wider = try registry.make(ref("arith.short", .object(["max": .number(10)])))
        #expect(try await verdict(wider, "123456") == .pass)
        #expect(try await verdict(wider, "12345678901") != .pass)
        let both = try registry.make(ref("arith.short", .object(["min": .number(2)])))
        let length = (both as? PluginBuiltinValidator)?.base as? LengthValidator
        #expect(length?.min == 2 && length?.max == 5)
        #expect(try registry.make(ref("arith.short", .null)).id == "arith.short")

        #expect(try await verdict(try registry.make(ref("arith.digits")), "42") == .pass)
        #expect(try await verdict(try registry.make(ref("arith.digits", .object(["pattern": .string("^x$")]))), "x") == .pass)
    }

    @Test func badOverridesAreValidatorErrors() throws {
        let tmp = try TempFolder()
        let registry = try pluginSet(tmp).validatorRegistry(makeCommandValidator: record)
        #expect(throws: ValidatorError(validator: "arith.short", message: "'length' takes only 'min' and 'max'; it got 'maxx' (at wf.yaml:7:9)")) {
            try registry.make(ref("arith.short", .object(["maxx": .number(3)])))
        }
        #expect(throws: ValidatorError(validator: "arith.short", message: "'length' has min 9 greater than max 5 (at wf.yaml:7:9)")) {
            try registry.make(ref("arith.short", .object(["min": .number(9)])))
        }
        #expect(throws: ValidatorError(validator: "arith.short", message: "'arith.short' takes a mapping of parameters; it got the number 3 (at wf.yaml:7:9)")) {
            try registry.make(ref("arith.short", .number(3)))
        }
        // A declaration with errors is not registered.
        #expect(throws: ValidatorError.self) { try registry.make(ref("arith.broken")) }
    }

    @Test func commandValidatorsGoToTheClosure() throws {
        let tmp = try TempFolder()
        let set = try pluginSet(tmp)
        let registry = set.validatorRegistry(makeCommandValidator: record)
        let folder = URL(fileURLWithPath: tmp.path("plugins/arith")).standardizedFileURL

        let made = try registry.make(ref("arith.equation_holds", .object(["tolerance": .number(0)])))
        let spec = try #require((made as? RecordedCommand)?.spec)
        #expect(spec == CommandValidatorSpec(id: "arith.equation_holds", plugin: "arith",
                                             argv: [folder.appendingPathComponent("validators/equation_holds.sh").path, "--strict"],
                                             workingDirectory: folder, timeout: .seconds(2), mode: .serve,
                                             params: .object(["tolerance": .number(0)])))
        let quick = try #require((try registry.make(ref("arith.quick")) as? RecordedCommand)?.spec)
        #expect(quick.argv == ["python3", "check.py"])
        #expect(quick.timeout == .seconds(5) && quick.mode == .once && quick.params == nil)
        #expect(quick.workingDirectory == folder)
    }

    @Test func closureErrorsAndTheBaseRegistryPassThrough() throws {
        let tmp = try TempFolder()
        var base = ValidatorRegistry()
        try base.register(EqualsValidator(id: "mine.exact", expected: "yes"))
        let registry = try pluginSet(tmp).validatorRegistry(base: base) { spec throws(ValidatorError) in
            throw ValidatorError(validator: spec.id, message: "command validators are not available")
        }
        #expect(registry.registeredNames.contains("mine.exact"))
        #expect(throws: ValidatorError(validator: "arith.quick", message: "command validators are not available (at wf.yaml:7:9)")) {
            try registry.make(ref("arith.quick"))
        }
    }
}
