import FSLMPlugins
import Foundation

/// Finds plugins for a command: `--plugin` folders, `$FSLM_PLUGIN_PATH`, the workflow's
/// `plugins/` folder, then the plugins bundled with this fslm.
enum PluginLoading {
    static func pluginSet(folders: [String], workflowPath: String?) -> PluginSet {
        PluginSet(searchPath: PluginSearchPath(pluginFolders: folders, workflowPath: workflowPath, bundled: bundledFolder()))
    }

    /// The bundled `plugins/` folder: in a checkout, the one at the package root above the
    /// build folder holding this executable; in an installation, `<prefix>/share/fslm/plugins`.
    static func bundledFolder() -> URL? {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        let installed = folder.deletingLastPathComponent().appendingPathComponent("share/fslm/plugins")
        if isDirectory(installed) { return installed }
        // .build/<triple>/<configuration>/fslm: the package root is at most a few levels up.
        for _ in 0..<5 {
            folder = folder.deletingLastPathComponent()
            let candidate = folder.appendingPathComponent("plugins")
            if isDirectory(candidate), FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return candidate
            }
        }
        return nil
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
