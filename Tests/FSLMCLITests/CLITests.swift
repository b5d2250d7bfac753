import FSLMTestSupport
import Foundation
import Testing

/// A command line that ArgumentParser must reject, and a fragment of its message.
struct UsageCase: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var message: String

    var testDescription: String { "fslm " + arguments.joined(separator: " ") }
}

/// Exit codes and messages of the command line around the workflow itself: usage errors,
/// files that cannot be read, inputs files, `--assume`, help.
@Suite struct CLITests {
    static let router = "workflows/router.yaml"

    static let usageCases = [
        UsageCase(arguments: ["validate", "--bogus", router], message: "Unknown option '--bogus'"),
        UsageCase(arguments: ["frobnicate"], message: "Unexpected argument 'frobnicate'"),
        UsageCase(arguments: ["validate"], message: "Missing expected argument '<files> ...'"),
        UsageCase(arguments: ["dry-run", router, "--input", "question"], message: "--input expects NAME=VALUE, got 'question'"),
        UsageCase(arguments: ["dry-run", router, "--input", "=3"], message: "--input expects NAME=VALUE, got '=3'"),
        UsageCase(arguments: ["dry-run", router, "--assume", "route"], message: "--assume expects STAGE=OUTPUT, got 'route'"),
        UsageCase(arguments: ["graph", router, "--format", "xml"], message: "The value 'xml' is invalid for '--format <format>'"),
        UsageCase(arguments: ["validate", "--format", "xml", router], message: "The value 'xml' is invalid for '--format <format>'"),
    ]

    @Test(arguments: usageCases)
    func usageErrorsExit64(_ usage: UsageCase) throws {
        let result = try CLI.run(usage.arguments)
        #expect(result.status == 64, "\(usage.testDescription) exited \(result.status): \(result.stderr)")
        #expect(result.stderr.contains(usage.message), "\(usage.testDescription): \(result.stderr)")
        #expect(result.stderr.contains("Usage: fslm"), "\(usage.testDescription): \(result.stderr)")
        #expect(result.stdout.isEmpty, "\(usage.testDescription): \(result.stdout)")
    }

    // MARK: - Files that are not workflows

    static let unreadable = [("Tests/Fixtures/no-such-workflow.yaml", "no such file"), ("Tests/Fixtures", "it is a directory")]

    @Test(arguments: unreadable)
    func unreadableWorkflowIsOneDiagnostic(path: String, reason: String) throws {
        let json = try CLI.run(["validate", "--format", "json", path])
        #expect(json.status == 1)
        let diagnostics = try ReportedDiagnostic.decodeList(json.stdout)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostics.first?.id == "file-unreadable")
        #expect(diagnostics.first?.message == "cannot read '\(path)': \(reason)")
        #expect(diagnostics.first?.line == nil, "a file that cannot be read has no line to point at")

        for command in [["validate"], ["graph"], ["dry-run"]] {
            let text = try CLI.run(command + [path])
            #expect(text.status == 1, "\(command) \(path): \(text.status)")
            #expect(text.stderr.components(separatedBy: "error: ").count == 2, "\(command) \(path): one error expected:\n\(text.stderr)")
            #expect(text.stderr.contains("error: cannot read '\(path)': \(reason) [file-unreadable]\n"), "\(text.stderr)")
            #expect(text.stdout.isEmpty, "\(command) \(path) printed: \(text.stdout)")
        }
    }

    @Test func invalidWorkflowStopsGraphAndDryRun() throws {
        let path = "Tests/Fixtures/workflows/invalid/35-two-stage-cycle.yaml"
        for command in [["graph"], ["dry-run"], ["dry-run", "--json"]] {
            let result = try CLI.run(command + [path])
            #expect(result.status == 1, "\(command): \(result.status)")
            #expect(result.stderr.contains("\(path):7:13: error: dependency cycle: a -> b -> a"), "\(command): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(command) printed: \(result.stdout)")
        }
    }

    @Test func validateChecksEveryFileGiven() throws {
        let invalid = "Tests/Fixtures/workflows/invalid/34-self-need.yaml"
        let text = try CLI.run(["validate", Self.router, invalid])
        #expect(text.status == 1)
        #expect(text.stdout == "\(Self.router): valid (6 stages)\n")
        #expect(text.stderr.contains("\(invalid):4:13: error: stage 'loop' needs itself"))
        #expect(text.stderr.hasSuffix("\(invalid): 1 error, 0 warnings\n"), "\(text.stderr)")

        let json = try CLI.run(["validate", "--format", "json", invalid, Self.router])
        #expect(json.status == 1)
        #expect(try ReportedDiagnostic.decodeList(json.stdout).map(\.file) == [invalid])
    }

    @Test func warningsAloneDoNotFailValidation() throws {
        let path = "Tests/Fixtures/workflows/invalid/49-warnings-only.yaml"
        let result = try CLI.run(["validate", path])
        #expect(result.status == 0)
        #expect(result.stdout == "\(path): valid (2 stages)\n")
        #expect(result.stderr.hasSuffix("\(path): 0 errors, 2 warnings\n"), "\(result.stderr)")
    }

    // MARK: - Inputs and assumptions

    static let badInputFiles = [
        ("Tests/Fixtures/inputs/no-such-inputs.json", "cannot read the inputs file"),
        ("Tests/Fixtures/inputs", "cannot read the inputs file"),
        ("Tests/Fixtures/inputs/broken.json", "must hold one JSON object"),
        ("Tests/Fixtures/inputs/not-an-object.json", "must hold one JSON object"),
    ]

    @Test(arguments: badInputFiles)
    func badInputFileExits1NamingTheFile(path: String, message: String) throws {
        let result = try CLI.run(["dry-run", Self.router, "--input-file", path])
        #expect(result.status == 1, "\(path): \(result.status)")
        #expect(result.stderr.contains("\(path): error: "), "\(path): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(path): \(result.stderr)")
        #expect(result.stdout.isEmpty, "no plan for bad inputs: \(result.stdout)")
    }

    @Test func inputFileGivesValuesAndInputFlagsWin() throws {
        let fromFile = try CLI.run(["dry-run", Self.router, "--json", "--input-file", "Tests/Fixtures/inputs/question.json"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(try DryRunReport.decode(fromFile.stdout).steps.first?.rendered == "Question: How many grams are in 3 kilograms?\nKind:")

        let overridden = try CLI.run(["dry-run", Self.router, "--json", "--input-file", "Tests/Fixtures/inputs/question.json",
                                      "--input", "question=What is 2 + 2?"])
        #expect(try DryRunReport.decode(overridden.stdout).steps.first?.rendered == "Question: What is 2 + 2?\nKind:")
    }

    @Test func assumingAnUnknownStageExits1() throws {
        let result = try CLI.run(["dry-run", Self.router, "--input", "question=hi", "--assume", "rout=arithmetic"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: --assume names unknown stage 'rout'"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func dryRunWithAMissingInputStillPlansAndWarns() throws {
        let text = try CLI.run(["dry-run", Self.router])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("Dry run of workflow 'router': 6 stages"), "\(text.stdout)")
        #expect(text.stdout.contains("Missing input: question"), "\(text.stdout)")
        #expect(text.stderr == "warning: missing input 'question'\n")

        let json = try CLI.run(["dry-run", Self.router, "--json"])
        #expect(json.status == 0)
        let plan = try DryRunReport.decode(json.stdout)
        #expect(plan.missingInputs == ["question"])
        #expect(plan.steps.count == 6)
        #expect(json.stderr == "warning: missing input 'question'\n")
    }

    @Test func unknownInputIsAWarning() throws {
        let result = try CLI.run(["dry-run", Self.router, "--input", "question=hi", "--input", "colour=red"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Unknown input: colour"), "\(result.stdout)")
        #expect(result.stderr == "warning: unknown input 'colour'\n")
    }

    // MARK: - Help

    @Test func helpExits0() throws {
        let top = try CLI.run(["--help"])
        #expect(top.status == 0)
        for subcommand in ["validate", "graph", "dry-run"] {
            #expect(top.stdout.contains("  \(subcommand) "), "fslm --help lacks \(subcommand):\n\(top.stdout)")
            let help = try CLI.run([subcommand, "--help"])
            #expect(help.status == 0, "\(subcommand) --help: \(help.status)")
            #expect(help.stdout.contains("USAGE: fslm \(subcommand)"), "\(help.stdout)")
        }
        #expect(try CLI.run(["validate", "--help"]).stdout.contains("--format <format>"))
    }
}
