import FSLMTestSupport
import Foundation
import Testing

/// A workflow using a plugin written into a scratch folder, `lib/shout`: a template with a
/// partial and an external validator that wants capitals, so the scripted model's first
/// reply ("hello") is rejected and its second ("HELLO") passes.
@Suite struct PluginWorkflowTests {
    static let workflow = """
        version: 1
        name: shouting
        inputs:
          question: { type: string }
        models:
          m:
            backend: scripted
            rules:
              - replies: [hello, HELLO]
        plugins: [shout]
        defaults:
          model: m
        stages:
          reply:
            prompt: { template: shout.ask }
            validate: [shout.loud]
            retry: { attempts: 2, feedback: true }

        """

    static let manifest = """
        name: shout
        templates:
          header: templates/header.mustache
          ask: templates/ask.mustache
        validators:
          loud:
            command: [validators/loud.sh]

        """

    static let header = "Question: {{inputs.question}}\n"

    static let ask = """
        {{> header}}
        {{#feedback}}
        Rejected: {{feedback}}
        {{/feedback}}
        Answer:

        """

    /// Passes an output of exactly HELLO; anything else gets a message for the next prompt.
    static let validator = #"""
        #!/bin/sh
        case "$(cat)" in
          *'"output":"HELLO"'*) echo '{"ok": true}' ;;
          *) echo '{"ok": false, "message": "answer in capitals"}' ;;
        esac

        """#

    /// A scratch folder holding `wf.yaml` and the plugin in `lib/shout`.
    private func scratchWithShout() throws -> ScratchFile {
        let scratch = try ScratchFile("wf.yaml")
        try scratch.write(Self.workflow, to: "wf.yaml")
        try scratch.write(Self.manifest, to: "lib/shout/plugin.yaml")
        try scratch.write(Self.header, to: "lib/shout/templates/header.mustache")
        try scratch.write(Self.ask, to: "lib/shout/templates/ask.mustache")
        try scratch.write(Self.validator, to: "lib/shout/validators/loud.sh", executable: true)
        return scratch
    }

    @Test func runRetriesWithTheValidatorsMessageInThePrompt() throws {
        let scratch = try scratchWithShout()
        defer { scratch.remove() }
        let run = try scratch.run(["run", "--plugin", "lib/shout", "wf.yaml", "--input", "question=Say hello.",
                                   "--json", "--quiet", "--trace", "trace.jsonl"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try RunReport.decode(run.stdout)
        #expect(report.status == "succeeded")
        #expect(report.outputs == ["reply": "HELLO"])
        #expect(report.ends == ["reply": .succeeded(after: 2)])

        let events = try TraceEvent.read(scratch.folder.appendingPathComponent("trace.jsonl"))
        let failure = try #require(events.first { $0.type == "validation_failed" })
        #expect(failure.message == "answer in capitals")
        let prompts = events.filter { $0.type == "attempt_started" }.compactMap(\.prompt)
        #expect(prompts == ["Question: Say hello.\nAnswer:", "Question: Say hello.\nRejected: answer in capitals\nAnswer:"])
    }

    @Test func workflowFailsValidationWhenThePluginIsNotFound() throws {
        let scratch = try scratchWithShout()
        defer { scratch.remove() }
        let entry = try place(of: "shout]", in: Self.workflow)
        for command in [["validate", "wf.yaml"], ["run", "wf.yaml", "--input", "question=hi"]] {
            let result = try scratch.run(command)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.hasPrefix("wf.yaml:\(entry): error: plugin 'shout' was not found [unknown-plugin]\n"),
                    "\(command): \(result.stderr)")
            #expect(result.stderr.contains("wf.yaml:\(entry): note: looked in: workflow folder: plugins, bundled: "),
                    "\(command): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(command): \(result.stdout)")
        }
    }

    @Test func pluginPathFindsThePluginInItsParentFolder() throws {
        let scratch = try scratchWithShout()
        defer { scratch.remove() }
        let lib = scratch.folder.appendingPathComponent("lib").path
        let validate = try scratch.run(["validate", "wf.yaml"], environment: ["FSLM_PLUGIN_PATH": "/nonexistent:\(lib)"])
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout == "wf.yaml: valid (1 stage)\n")
        #expect(validate.stderr.isEmpty, "\(validate.stderr)")
    }

    @Test func templateThatDoesNotParseIsOneErrorInItsFile() throws {
        let scratch = try scratchWithShout()
        defer { scratch.remove() }
        let path = "lib/shout/templates/ask.mustache"
        try scratch.edit(path, replacing: "{{feedback}}", with: "{{feedback}")
        let tag = try place(of: "{{feedback}\n", in: try scratch.text(at: path))

        let json = try scratch.run(["validate", "--format", "json", "--plugin", "lib/shout", "wf.yaml"])
        #expect(json.status == 1)
        let diagnostics = try ReportedDiagnostic.decodeList(json.stdout)
        #expect(diagnostics.map(\.description) == ["\(tag): error: tag is not closed [template-syntax]"],
                "the stage using the template gets no second error")
        #expect(diagnostics.map(\.file) == [path])
    }

    /// The plugin file given `{{inputs.nope}}`: the stage's own template, or the partial it includes.
    static let templateFiles = ["templates/ask.mustache", "templates/header.mustache"]

    @Test(arguments: templateFiles)
    func unknownVariableInAPluginTemplateIsReportedInItsFile(_ file: String) throws {
        let scratch = try scratchWithShout()
        defer { scratch.remove() }
        let path = "lib/shout/\(file)"
        try scratch.edit(path, replacing: "{{", with: "{{inputs.nope}} {{")
        let variable = try place(of: "inputs.nope", in: try scratch.text(at: path))
        let use = try place(of: "shout.ask", in: Self.workflow)

        let json = try scratch.run(["validate", "--format", "json", "--plugin", "lib/shout", "wf.yaml"])
        #expect(json.status == 1)
        let diagnostics = try ReportedDiagnostic.decodeList(json.stdout)
        try #require(diagnostics.count == 1, "\(diagnostics)")
        let diagnostic = diagnostics[0]
        #expect(diagnostic.file == path)
        #expect("\(diagnostic.line ?? 0):\(diagnostic.column ?? 0)" == variable)
        #expect(diagnostic.message == "template 'shout.ask' (used by stage 'reply') uses unknown input 'nope'")
        #expect(diagnostic.notes.contains { $0.message == "declared inputs: question" }, "\(diagnostic)")
        let back = try #require(diagnostic.notes.first { $0.file == "wf.yaml" }, "\(diagnostic)")
        #expect("\(back.line ?? 0):\(back.column ?? 0)" == use)
        #expect(back.message == "stage 'reply' uses the template here")

        let text = try scratch.run(["validate", "--plugin", "lib/shout", "wf.yaml"])
        #expect(text.status == 1)
        #expect(text.stderr.hasPrefix("\(path):\(variable): error: template 'shout.ask' (used by stage 'reply') uses unknown input 'nope'"),
                "\(text.stderr)")
        #expect(text.stderr.contains("\nwf.yaml:\(use): note: stage 'reply' uses the template here\n"), "\(text.stderr)")
        #expect(text.stderr.hasSuffix("wf.yaml: 1 error, 0 warnings\n"), "\(text.stderr)")
    }
}
