import ArgumentParser
import FSLMPlugins
import FSLMWorkflow

/// Loads a workflow for a command, with its plugins, printing diagnostics to stderr; a
/// workflow with errors ends the command with exit code 1.
enum WorkflowLoading {
    /// The checked workflow and the plugins it was checked against.
    static func load(_ options: WorkflowOptions) throws -> (Workflow, PluginSet) {
        let (result, plugins) = check(options.file, pluginFolders: options.plugins.folders)
        Terminal.err(DiagnosticRenderer(sources: result.sources).renderText(result.diagnostics))
        guard let workflow = result.workflow else {
            Terminal.err(summary(options.file, result.diagnostics) + "\n")
            throw ExitCode(1)
        }
        return (workflow, plugins)
    }

    /// Loads and checks `path`; the search's own problems (a `--plugin` folder without a
    /// manifest, two plugins of one name) are among the diagnostics.
    static func check(_ path: String, pluginFolders: [String]) -> (WorkflowLoader.Result, PluginSet) {
        let plugins = PluginLoading.pluginSet(folders: pluginFolders, workflowPath: path)
        var result = WorkflowLoader(plugins: plugins).load(path: path)
        if !plugins.searchDiagnostics.isEmpty {
            result.diagnostics = (plugins.searchDiagnostics + result.diagnostics).sortedByLocation()
            result.workflow = plugins.searchDiagnostics.hasErrors ? nil : result.workflow
        }
        return (result, plugins)
    }

    /// "path: 2 errors, 1 warning".
    static func summary(_ path: String, _ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "\(path): \(plural(errors, "error")), \(plural(warnings, "warning"))"
    }
}
