import FSLMPlugins
import FSLMWorkflow
import Foundation
import Testing

@Suite struct ManifestDecoderTests {
    static let arith = """
        name: arith
        version: 1.0.0
        description: Templates and checks for arithmetic word problems.
        templates:
          route: templates/route.mustache
          answer: templates/answer.mustache
        validators:
          equation_holds:
            description: The equation "a op b = c" is arithmetically true.
            command: [validators/equation_holds.sh, --strict]
            timeout: 2s
            mode: serve
            examples: { pass: ["3 + 5 = 8"], fail: ["3 + 5 = 9"] }
          short_sentence:
            kind: length
            max: 120
            examples: { pass: ["ok"], fail: ["far too long"] }
          yes_no:
            kind: choices
            choices: [yes, no]
          digits:
            kind: regex
            pattern: '^\\d+$'
          quick:
            command: [python3, validators/quick.py]

        """

    @Test func validManifestDecodesFully() throws {
        let tmp = try TempFolder()
        let folder = try tmp.writePlugin("arith", Self.arith,
                                         files: ["templates/route.mustache": "Q: {{inputs.question}}\n", "templates/answer.mustache": "A:"],
                                         executables: ["validators/equation_holds.sh"])
        let plugin = Plugin.load(folder: folder)
        #expect(tmp.summary(plugin.diagnostics) == [])
        let m = plugin.manifest
        let file = "\(folder)/plugin.yaml"
        #expect(plugin.name == "arith")
        #expect(plugin.manifestPath == file)
        #expect(m.nameLocation == SourceLocation(file: file, line: 1, column: 7))
        #expect(m.version == "1.0.0")
        #expect(m.description == "Templates and checks for arithmetic word problems.")
        #expect(m.templates == [
            "route": Located("templates/route.mustache", at: SourceLocation(file: file, line: 5, column: 10)),
            "answer": Located("templates/answer.mustache", at: SourceLocation(file: file, line: 6, column: 11)),
        ])
        #expect(m.declaredTemplateNames == ["route", "answer"])
        #expect(m.declaredValidatorNames == ["equation_holds", "short_sentence", "yes_no", "digits", "quick"])

        let equation = try #require(m.validators["equation_holds"])
        #expect(equation.name == "equation_holds")
        #expect(equation.description == #"The equation "a op b = c" is arithmetically true."#)
        #expect(equation.kind == .command(argv: ["validators/equation_holds.sh", "--strict"], timeout: .seconds(2), mode: .serve))
        #expect(equation.examples.pass == [Located("3 + 5 = 8", at: SourceLocation(file: file, line: 13, column: 24))])
        #expect(equation.examples.fail.map(\.value) == ["3 + 5 = 9"])
        #expect(equation.location == SourceLocation(file: file, line: 8, column: 3))

        let short = try #require(m.validators["short_sentence"])
        #expect(short.kind == .builtin("length", params: .object(["max": .number(120)])))
        #expect(short.examples.pass.map(\.value) == ["ok"])
        #expect(short.description == nil)
        #expect(m.validators["yes_no"]?.kind == .builtin("choices", params: .object(["choices": .array([.string("yes"), .string("no")])])))
        #expect(m.validators["digits"]?.kind == .builtin("regex", params: .object(["pattern": .string(#"^\d+$"#)])))
        // Defaults: 5s, once; a bare program name is not looked for in the plugin folder.
        #expect(m.validators["quick"]?.kind == .command(argv: ["python3", "validators/quick.py"], timeout: .seconds(5), mode: .once))

        #expect(plugin.templates.keys.sorted() == ["answer", "route"])
        #expect(plugin.sources[file] != nil)
        #expect(plugin.sources["\(folder)/templates/route.mustache"] != nil)
    }

    @Test func unknownKeysSuggestTheKnownOnes() throws {
        let tmp = try TempFolder()
        let plugin = Plugin.load(folder: try tmp.writePlugin("arith", """
            name: arith
            descripton: typo
            validators:
              short:
                kind: length
                maxx: 5
                examples: { pas: [a] }
            """))
        #expect(tmp.summary(plugin.diagnostics) == [
            "arith/plugin.yaml:2:1: error: unknown key 'descripton' in the plugin manifest [unknown-key]",
            "arith/plugin.yaml:4:3: error: validator 'short' of kind 'length' needs 'min', 'max' or both [missing-key]",
            "arith/plugin.yaml:6:5: error: unknown key 'maxx' in validator 'short' [unknown-key]",
            "arith/plugin.yaml:7:17: error: unknown key 'pas' in 'examples' of validator 'short' [unknown-key]",
        ])
        #expect(plugin.diagnostics.map { $0.notes.map(\.message) } == [
            ["did you mean 'description'?"], [], ["did you mean 'max'?"], ["did you mean 'pass'?"],
        ])
        #expect(plugin.diagnostics[0].fixIt == .init(replacement: "description"))
    }

    @Test func wrongTypes() throws {
        let tmp = try TempFolder()
        let plugin = Plugin.load(folder: try tmp.writePlugin("arith", """
            name: arith
            version: [1, 0]
            templates: [route]
            validators:
              slow:
                command: validators/x.sh
                timeout: fast
                mode: forever
              listy: [a, b]
              nothing:
                command: []
              zero:
                command: [python3]
                timeout: 0s
            """))
        #expect(tmp.summary(plugin.diagnostics) == [
            "arith/plugin.yaml:2:10: error: 'version' of the plugin must be a string, got a list [type-mismatch]",
            "arith/plugin.yaml:3:12: error: 'templates' must be a mapping, got a list [type-mismatch]",
            "arith/plugin.yaml:6:14: error: 'command' of validator 'slow' must be a list of strings (the program and its arguments, run without a shell), got 'validators/x.sh' [type-mismatch]",
            "arith/plugin.yaml:7:14: error: 'timeout' of validator 'slow' must be a duration such as 250ms, 2s or 1m, got 'fast' [type-mismatch]",
            "arith/plugin.yaml:8:11: error: 'mode' of validator 'slow' must be one of once, serve, got 'forever' [invalid-value]",
            "arith/plugin.yaml:9:10: error: validator 'listy' must be a mapping with 'kind' (a built-in) or 'command' (a program), got a list [type-mismatch]",
            "arith/plugin.yaml:11:14: error: 'command' of validator 'nothing' is empty; it needs at least the program to run [plugin-manifest]",
            "arith/plugin.yaml:14:14: error: 'timeout' of validator 'zero' must be longer than 0 [out-of-range]",
        ])
        // 'zero' is kept with the default timeout, so a stage using it is not also "unknown".
        #expect(plugin.manifest.validators["zero"]?.kind == .command(argv: ["python3"], timeout: .seconds(5), mode: .once))
        #expect(plugin.manifest.validators.count == 1)
    }

    @Test func missingNameFallsBackToTheFolderName() throws {
        let tmp = try TempFolder()
        let plugin = Plugin.load(folder: try tmp.writePlugin("arith", "version: 1.0.0\ntemplates: {}\n"))
        #expect(tmp.summary(plugin.diagnostics) == ["arith/plugin.yaml:1:1: error: missing key 'name' in the plugin manifest [missing-key]"])
        #expect(plugin.name == "arith")
        #expect(plugin.manifest.nameLocation == nil)

        let empty = Plugin.load(folder: try tmp.writePlugin("blank", ""))
        #expect(tmp.summary(empty.diagnostics) == ["blank/plugin.yaml:1:1: error: the plugin manifest is empty; it needs at least 'name' [missing-key]"])
        #expect(empty.name == "blank")
    }

    @Test func namesMustBeIdentifiers() throws {
        let tmp = try TempFolder()
        let plugin = Plugin.load(folder: try tmp.writePlugin("arith", """
            name: my.plugin
            templates:
              "bad name": t.mustache
              good-name_2: t.mustache
            validators:
              a.b: {kind: json}
            """, files: ["t.mustache": "hi"]))
        #expect(tmp.summary(plugin.diagnostics) == [
            "arith/plugin.yaml:1:7: error: plugin name 'my.plugin' is not a valid name [plugin-manifest]",
            "arith/plugin.yaml:3:3: error: template name 'bad name' is not a valid name [plugin-manifest]",
            "arith/plugin.yaml:6:3: error: validator name 'a.b' is not a valid name [plugin-manifest]",
        ])
        #expect(plugin.diagnostics[0].notes.map(\.message) == [
            "names use letters, digits, '_' and '-'", "a dot separates the plugin from the name, as in 'arith.route'",
        ])
        #expect(plugin.name == "arith")
        #expect(plugin.manifest.templates.keys.sorted() == ["good-name_2"])
        #expect(PluginManifest.isIdentifier("a-b_C9"))
        #expect(!PluginManifest.isIdentifier("") && !PluginManifest.isIdentifier("é") && !PluginManifest.isIdentifier("a b"))
    }

    @Test func exactlyOneOfKindAndCommand() throws {
        let tmp = try TempFolder()
        let plugin = Plugin.load(folder: try tmp.writePlugin("arith", """
            name: arith
            validators:
              both:
                kind: not_empty
                command: [validators/check.sh]
              neither:
                description: nothing to run
              typo:
                kind: lenght
                max: 3
            """))
        #expect(tmp.summary(plugin.diagnostics) == [
            "arith/plugin.yaml:3:3: error: validator 'both' has both 'kind' and 'command'; it needs exactly one [plugin-manifest]",
            "arith/plugin.yaml:6:3: error: validator 'neither' needs 'kind' (a built-in validator) or 'command' (a program to run) [missing-key]",
            "arith/plugin.yaml:9:11: error: 'kind' of validator 'typo' must be a built-in kind (regex, choices, length, not_empty, json, contains, excludes), got 'lenght' [plugin-manifest]",
        ])
        #expect(plugin.diagnostics[2].notes.map(\.message) == ["did you mean 'length'?"])
        #expect(plugin.manifest.validators.isEmpty)
        #expect(plugin.manifest.declaredValidatorNames == ["both", "neither", "typo"])
    }

    @Test func builtinParametersAreCheckedByBuildingTheBuiltin() throws {
        let tmp = try TempFolder()
        let plugin = Plugin.load(folder: try tmp.writePlugin("arith", """
            name: arith
            validators:
              range:
                kind: length
                min: 5
                max: 2
              pattern:
                kind: regex
                pattern: "(a"
              words:
                kind: choices
                choices: []
              needle:
                kind: contains
              flag:
                kind: json
                max: 3
              half:
                kind: length
                max: 2.5
            """))
        let summary = tmp.summary(plugin.diagnostics)
        #expect(summary.count == 6)
        #expect(summary[0] == "arith/plugin.yaml:3:3: error: validator 'range': 'length' has min 5 greater than max 2 [plugin-manifest]")
        #expect(summary[1].hasPrefix("arith/plugin.yaml:7:3: error: validator 'pattern': "))
        #expect(summary[1].contains("(a"))
        #expect(summary[2] == "arith/plugin.yaml:10:3: error: validator 'words': 'choices' needs a non-empty list of texts, e.g. {choices: [yes, no]}; it got a list [plugin-manifest]")
        #expect(summary[3] == "arith/plugin.yaml:13:3: error: validator 'needle' of kind 'contains' needs 'text' [missing-key]")
        #expect(summary[4] == "arith/plugin.yaml:17:5: error: unknown key 'max' in validator 'flag' [unknown-key]")
        #expect(summary[5] == "arith/plugin.yaml:18:3: error: validator 'half': 'length' needs a whole number for 'max'; it got the number 2.5 [plugin-manifest]")
        #expect(plugin.manifest.validators.keys.sorted() == ["flag"])
    }

    @Test func referencedFilesMustExist() throws {
        let tmp = try TempFolder()
        let folder = try tmp.writePlugin("arith", """
            name: arith
            templates:
              route: templates/route.mustache
              answer: templates/answer.mustache
              dir: templates
            validators:
              check:
                command: [validators/check.sh, --fast]
              python:
                command: [python3, validators/missing-but-an-argument.py]
              plain:
                command: [./validators/plain.txt]
            """, files: ["templates/route.mustache": "R", "validators/plain.txt": "not a program"])
        let plugin = Plugin.load(folder: folder)
        #expect(tmp.summary(plugin.diagnostics) == [
            "arith/plugin.yaml:4:11: error: template 'answer' names the file 'templates/answer.mustache', which does not exist [missing-file]",
            "arith/plugin.yaml:5:8: error: template 'dir' names the file 'templates', which is a folder [missing-file]",
            "arith/plugin.yaml:8:15: error: validator 'check' runs 'validators/check.sh', which does not exist [missing-file]",
            "arith/plugin.yaml:12:15: warning: validator 'plain' runs './validators/plain.txt', which is not executable [plugin-manifest]",
        ])
        #expect(plugin.diagnostics[0].notes.map(\.message)
                == ["paths are relative to the plugin folder; looked for '\(folder)/templates/answer.mustache'"])
        #expect(plugin.manifest.templates.keys.sorted() == ["route"])
        #expect(plugin.manifest.validators.keys.sorted() == ["plain", "python"])
    }

    @Test func yamlErrorsStopDecoding() throws {
        let tmp = try TempFolder()
        let plugin = Plugin.load(folder: try tmp.writePlugin("arith", "name: [arith\n"))
        #expect(plugin.diagnostics.map(\.id) == [.yamlSyntax])
        #expect(plugin.name == "arith")
    }
}
