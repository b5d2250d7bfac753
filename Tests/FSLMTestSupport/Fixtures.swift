public import Foundation
public import FSLMPlugins
public import FSLMWorkflow

/// Paths of the repository's test fixtures.
public enum Fixtures {
    /// The package root, found from this file's path.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures/<relative>`.
    public static func url(_ relative: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relative)
    }
}

extension Fixtures {
    /// The plugins a workflow at `path` sees with no `--plugin` and no `$FSLM_PLUGIN_PATH`:
    /// its own `plugins/` folder and the repository's bundled `plugins/`.
    public static func plugins(forWorkflowAt path: String) -> PluginSet {
        PluginSet(searchPath: PluginSearchPath(environment: [:], workflowPath: path, bundled: packageRoot.appendingPathComponent("plugins")))
    }

    /// Loads the example `workflows/<name>.yaml` with the bundled plugins.
    public static func example(_ name: String) -> WorkflowLoader.Result {
        let path = packageRoot.appendingPathComponent("workflows/\(name).yaml").path
        return WorkflowLoader(plugins: plugins(forWorkflowAt: path)).load(path: path)
    }
}
