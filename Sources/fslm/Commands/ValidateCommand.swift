import ArgumentParser
import FSLMWorkflow

/// `fslm validate FILE...`: every diagnostic of every file, compiler style.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check workflow files and report every problem found.",
        discussion: "Exits 0 when no file has errors (warnings allowed), 1 otherwise.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Workflow files to check.", completion: .file(extensions: ["yaml", "yml"]))
    var files: [String]

    @OptionGroup var plugins: PluginOptions

    @Option(help: "text: compiler-style messages on stderr; json: one JSON array on stdout.")
    var format: Format = .text

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one workflow file") }
    }

    func run() throws {
        var all: [Diagnostic] = []
        var sources = SourceFiles()
        var failed = false
        for file in files {
            let (result, _) = WorkflowLoading.check(file, pluginFolders: plugins.folders)
            sources.merge(result.sources)
            all += result.diagnostics
            failed = failed || result.diagnostics.hasErrors
            if format == .text {
                Terminal.err(DiagnosticRenderer(sources: result.sources).renderText(result.diagnostics))
                if result.diagnostics.hasErrors || !result.diagnostics.isEmpty {
                    Terminal.err(WorkflowLoading.summary(file, result.diagnostics) + "\n")
                }
                if !result.diagnostics.hasErrors, let workflow = result.workflow {
                    Terminal.out("\(file): valid (\(workflow.stages.count) stage\(workflow.stages.count == 1 ? "" : "s"))\n")
                }
            }
        }
        if format == .json { Terminal.out(DiagnosticRenderer(sources: sources).renderJSON(all)) }
        if failed { throw ExitCode(1) }
    }
}
