import ArgumentParser
import FSLMWorkflow

/// Loads a workflow for a command, printing its diagnostics to stderr; a workflow with
/// errors ends the command with exit code 1.
enum WorkflowLoading {
    static func load(_ path: String) throws -> Workflow {
        let result = WorkflowLoader().load(path: path)
        let renderer = DiagnosticRenderer(sources: result.sources)
        Terminal.err(renderer.renderText(result.diagnostics))
        guard let workflow = result.workflow else {
            Terminal.err(summary(path, result.diagnostics) + "\n")
            throw ExitCode(1)
        }
        return workflow
    }

    /// "path: 2 errors, 1 warning".
    static func summary(_ path: String, _ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "\(path): \(plural(errors, "error")), \(plural(warnings, "warning"))"
    }
}
