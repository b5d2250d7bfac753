import FSLMTestSupport
import Foundation
import Testing

/// A generated plugin broken by one edit, and what `fslm plugins check` must say about it.
struct BrokenPlugin: Sendable, CustomTestStringConvertible {
    var what: String
    /// The copy's folder, next to the generated `greet`.
    var folder: String
    var file: String
    var old: String
    var new: String
    /// Fragments stderr must hold.
    var messages: [String]

    var testDescription: String { what }
}

/// `fslm plugins new | check | list | show` on the built binary, on plugins written into
/// scratch folders and on the bundled ones; each runs in a scratch folder, so `./plugins` is
/// empty unless a test fills it.
@Suite struct PluginCommandTests {
    static let bundled = Fixtures.packageRoot.appendingPathComponent("plugins").path
    static let generatedFiles = ["plugin.yaml", "templates/ask.mustache", "validators/one_sentence.sh"]

    /// A scratch folder holding `greet`, made by `fslm plugins new greet --dir <scratch>`.
    private func scratchWithGreet() throws -> ScratchFile {
        let scratch = try ScratchFile("greet")
        let new = try scratch.run(["plugins", "new", "greet", "--dir", scratch.folder.path])
        try #require(new.status == 0, "\(new.stderr)")
        return scratch
    }

    // MARK: - new

    @Test func newWritesAPluginThatPassesItsCheck() throws {
        let scratch = try scratchWithGreet()
        defer { scratch.remove() }
        let new = try scratch.run(["plugins", "new", "hello", "--dir", scratch.folder.path])
        #expect(new.status == 0, "\(new.stderr)")
        #expect(new.stdout == "Created \(scratch.folder.path)/hello:\n" + Self.generatedFiles.map { "  \($0)\n" }.joined()
                + "Check it with: fslm plugins check --plugin \(scratch.folder.path)/hello hello\n")
        #expect(new.stderr.isEmpty)
        for file in Self.generatedFiles {
            #expect(FileManager.default.fileExists(atPath: scratch.folder.appendingPathComponent("hello/\(file)").path), "\(file)")
        }
        #expect(FileManager.default.isExecutableFile(atPath: scratch.folder.appendingPathComponent("hello/validators/one_sentence.sh").path))

        let check = try scratch.run(["plugins", "check", "--plugin", "\(scratch.folder.path)/hello", "hello"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout == "ok  hello: 1 template, 2 validators, 4/4 examples as declared\n")
        #expect(check.stderr.isEmpty, "\(check.stderr)")
    }

    @Test func newDefaultsToThePluginsFolderWhereCheckFindsIt() throws {
        let scratch = try ScratchFile("plugins")
        defer { scratch.remove() }
        #expect(try scratch.run(["plugins", "new", "greet"]).stdout.hasPrefix("Created plugins/greet:\n"))
        let check = try scratch.run(["plugins", "check", "greet"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.hasPrefix("ok  greet: "), "\(check.stdout)")
    }

    @Test func newRefusesAnExistingPluginAndLeavesItAlone() throws {
        let scratch = try scratchWithGreet()
        defer { scratch.remove() }
        try scratch.edit("greet/templates/ask.mustache", replacing: "Question:", with: "Q:")
        let before = try Self.generatedFiles.map { try scratch.text(at: "greet/\($0)") }

        let again = try scratch.run(["plugins", "new", "greet", "--dir", scratch.folder.path])
        #expect(again.status == 1)
        #expect(again.stderr == "error: \(scratch.folder.path)/greet already exists; choose another name or --dir\n")
        #expect(again.stdout.isEmpty)
        #expect(try Self.generatedFiles.map { try scratch.text(at: "greet/\($0)") } == before)
        let entries = try FileManager.default.subpathsOfDirectory(atPath: scratch.url.path).sorted()
        #expect(entries == ["plugin.yaml", "templates", "templates/ask.mustache", "validators", "validators/one_sentence.sh"])
    }

    @Test func newRefusesANameThatIsNotAnIdentifier() throws {
        let scratch = try ScratchFile("bad.name")
        defer { scratch.remove() }
        let bad = try scratch.run(["plugins", "new", "bad.name", "--dir", scratch.folder.path])
        #expect(bad.status == 1)
        #expect(bad.stderr == "error: 'bad.name' is not a plugin name: use letters, digits, '_' and '-'\n")
        #expect(!FileManager.default.fileExists(atPath: scratch.path))
    }

    // MARK: - check

    @Test func checkNamesEachExampleTheValidatorGetsWrong() throws {
        let scratch = try scratchWithGreet()
        defer { scratch.remove() }
        try scratch.copy("greet", to: "wrong")
        try scratch.edit("wrong/plugin.yaml", replacing: #"pass: ["Paris is the capital of France."]"#, with: #"pass: ["Paris is big. Rome too."]"#)
        try scratch.edit("wrong/plugin.yaml", replacing: #""Paris. Rome.""#, with: #""Rome is old.""#)
        let manifest = try scratch.text(at: "wrong/plugin.yaml")

        let check = try scratch.run(["plugins", "check", "--plugin", "wrong", "greet"])
        #expect(check.status == 1)
        #expect(check.stdout == "FAILED  greet: 1 template, 2 validators, 2/4 examples as declared\n")
        let passing = try place(of: #""Paris is big"#, in: manifest), failing = try place(of: #""Rome is old"#, in: manifest)
        #expect(check.stderr == """
            wrong/plugin.yaml:\(passing): error: greet.one_sentence on passing example "Paris is big. Rome too.": \
            it failed: reply with exactly one sentence
            wrong/plugin.yaml:\(failing): error: greet.one_sentence on failing example "Rome is old.": \
            it passed, but it is declared as a failing example

            """)
    }

    static let broken = [
        BrokenPlugin(what: "a validator that exits 3", folder: "crash", file: "validators/one_sentence.sh",
                     old: "request=$(cat)", new: "echo 'no verdict today' >&2; exit 3", messages: [
                         "crash/plugin.yaml:12:14: error: greet.one_sentence on passing example \"Paris is the capital of France.\": ",
                         "crash/plugin.yaml:13:14: error: greet.one_sentence on failing example \"Paris\": ",
                         "crash/plugin.yaml:13:23: error: greet.one_sentence on failing example \"Paris. Rome.\": ",
                         "/crash/validators/one_sentence.sh): exited with status 3",
                         "  no verdict today\n",
                     ]),
        BrokenPlugin(what: "a two-line example the validator gets wrong", folder: "multiline", file: "plugin.yaml",
                     old: #"fail: ["Paris","#, new: #"fail: ["Paris\nis big.","#, messages: [
                         #"multiline/plugin.yaml:13:14: error: greet.one_sentence on failing example "Paris\nis big.": it passed, "#,
                     ]),
        BrokenPlugin(what: "a template that does not parse", folder: "unparsable", file: "templates/ask.mustache",
                     old: "{{inputs.question}}", new: "{{inputs.question}", messages: [
                         "unparsable/templates/ask.mustache:1:11: error: tag is not closed [template-syntax]\n  Question: {{inputs.question}\n",
                     ]),
        BrokenPlugin(what: "a manifest with an unknown key", folder: "misspelt", file: "plugin.yaml",
                     old: "version:", new: "verison:", messages: [
                         "misspelt/plugin.yaml:2:1: error: unknown key 'verison' in the plugin manifest [unknown-key]\n",
                         "misspelt/plugin.yaml:2:1: note: did you mean 'version'?\n",
                     ]),
    ]

    @Test(arguments: broken)
    func checkFailsOnABrokenPlugin(_ broken: BrokenPlugin) throws {
        let scratch = try scratchWithGreet()
        defer { scratch.remove() }
        try scratch.copy("greet", to: broken.folder)
        try scratch.edit("\(broken.folder)/\(broken.file)", replacing: broken.old, with: broken.new)

        let check = try scratch.run(["plugins", "check", "--plugin", broken.folder, "greet"])
        #expect(check.status == 1)
        #expect(check.stdout.hasPrefix("FAILED  greet: "), "\(check.stdout)")
        for message in broken.messages {
            #expect(check.stderr.contains(message), "no '\(message)' in:\n\(check.stderr)")
        }
    }

    @Test func bundledPluginsPassTheirChecks() throws {
        let scratch = try ScratchFile("empty")
        defer { scratch.remove() }
        let check = try scratch.run(["plugins", "check"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.isEmpty, "\(check.stderr)")
        let lines = check.stdout.split(separator: "\n")
        #expect(lines == ["ok  arith: 8 templates, 4 validators, 21/21 examples as declared"], "\(check.stdout)")
    }

    // MARK: - list and show

    @Test func listShowsThePlacesInOrderAndWhatIsShadowed() throws {
        let scratch = try scratchWithGreet()
        defer { scratch.remove() }
        let environment = scratch.folder.appendingPathComponent("env").path
        try FileManager.default.createDirectory(atPath: environment, withIntermediateDirectories: true)
        try scratch.copy("greet", to: "env/greet")
        try scratch.edit("env/greet/plugin.yaml", replacing: "version: 0.1.0", with: "version: 9.9.9")
        #expect(try scratch.run(["plugins", "new", "local"]).status == 0)

        let list = try scratch.run(["plugins", "list", "--plugin", "greet"], environment: ["FSLM_PLUGIN_PATH": environment])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stderr.isEmpty, "\(list.stderr)")
        let text = list.stdout
        #expect(text.hasPrefix("""
            Search path:
              --plugin greet
              $FSLM_PLUGIN_PATH: \(environment)
              workflow folder: ./plugins
              bundled: \(Self.bundled)
            Plugins:
              greet 0.1.0  greet

            """), "\(text)")
        let names = text.split(separator: "\n").compactMap { $0.wholeMatch(of: #/  (\S+) \d+\.\d+\.\d+  .*/#)?.output.1 }
        #expect(names == ["greet", "local", "arith"], "\(text)")
        #expect(text.contains("\n  local 0.1.0  ./plugins/local\n"), "\(text)")
        #expect(text.contains("\n  arith 1.0.0  \(Self.bundled)/arith\n"), "\(text)")
        #expect(text.hasSuffix("  (greet at \(environment)/greet is shadowed by greet)\n"), "\(text)")
        #expect(!text.contains("9.9.9"), "the shadowed plugin is not listed as in use: \(text)")
    }

    @Test func listAndShowReportProblemsOfTheSearch() throws {
        let scratch = try scratchWithGreet()
        defer { scratch.remove() }
        for command in [["list"], ["show", "arith"]] {
            let missing = try scratch.run(["plugins"] + command + ["--plugin", "nowhere"])
            #expect(missing.status == 1, "\(command)")
            #expect(missing.stderr.hasPrefix("error: --plugin nowhere: no such folder [missing-file]\n"), "\(command): \(missing.stderr)")
            #expect(missing.stdout.contains("arith 1.0.0  \(Self.bundled)/arith\n"), "\(command) still lists: \(missing.stdout)")
        }
        let parent = try scratch.run(["plugins", "list", "--plugin", "."])
        #expect(parent.status == 1)
        #expect(parent.stderr.contains("error: --plugin .: the folder has no plugin.yaml"), "\(parent.stderr)")
        #expect(parent.stderr.contains("note: it holds plugin folders (greet): pass one of them to --plugin"), "\(parent.stderr)")
    }

    @Test func showListsTemplatesWithTheirVariablesAndValidatorsWithHowTheyRun() throws {
        let scratch = try ScratchFile("empty")
        defer { scratch.remove() }
        let show = try scratch.run(["plugins", "show", "arith"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stderr.isEmpty)
        let text = show.stdout
        #expect(text.hasPrefix("arith 1.0.0  \(Self.bundled)/arith\n  Templates and checks for "), "\(text)")
        let templates = try #require(text.range(of: "\nTemplates:\n")), validators = try #require(text.range(of: "\nValidators:\n"))
        #expect(templates.upperBound < validators.lowerBound)
        #expect(text[templates.upperBound..<validators.lowerBound] == """
              arith.route  templates/route.mustache  uses: inputs.question
              arith.plan  templates/plan.mustache  uses: inputs.question
              arith.compute  templates/compute.mustache  uses: feedback, stages.plan.output
              arith.solve  templates/solve.mustache  uses: feedback, inputs.question
              arith.convert  templates/convert.mustache  uses: feedback, inputs.question
              arith.answer  templates/answer.mustache  uses: inputs.question, stages.compute.output, stages.convert.output
              arith.direct  templates/direct.mustache  uses: inputs.question
              arith.question  templates/question.mustache  uses: inputs.question
            """)
        let validatorLines = text[validators.upperBound...].split(separator: "\n").filter { !$0.hasPrefix("      ") }
        #expect(validatorLines == [
            "  arith.equation_holds  command validators/equation_holds.sh (once, timeout 2s)",
            "  arith.numbers_in_inputs  command validators/numbers_in_inputs.sh (once, timeout 2s)",
            "  arith.conversion_holds  command validators/conversion_holds.sh (once, timeout 2s)",
            "  arith.sentence  built-in length",
        ])
        #expect(text.contains("  arith.sentence  built-in length\n      The answer is one short line.\n"), "\(text)")
    }

    static let unknownNames = [("arth", "error: no plugin named 'arth'; did you mean 'arith'?\n"), ("nope", "error: no plugin named 'nope'\n")]

    @Test(arguments: unknownNames)
    func showOfAnUnknownPluginFails(name: String, message: String) throws {
        let scratch = try ScratchFile("empty")
        defer { scratch.remove() }
        let show = try scratch.run(["plugins", "show", name])
        #expect(show.status == 1)
        #expect(show.stderr == message)
        #expect(show.stdout.isEmpty)
    }
}
