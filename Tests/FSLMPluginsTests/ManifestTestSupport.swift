import FSLMPlugins
import FSLMWorkflow
import Foundation

/// A temporary folder for one test's plugin folders, removed when the test is done.
final class TempFolder {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("fslm-plugins-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// The absolute path of `relative`.
    func path(_ relative: String) -> String { root + "/" + relative }

    /// Writes `text` to `relative`, creating folders; returns the absolute path.
    @discardableResult
    func write(_ relative: String, _ text: String, executable: Bool = false) throws -> String {
        let path = path(relative)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
        return path
    }

    /// Creates an empty folder.
    func makeFolder(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }

    /// Writes a plugin folder `folder` whose manifest is `manifest`, with `files` (path → text) inside.
    @discardableResult
    func writePlugin(_ folder: String, _ manifest: String, files: [String: String] = [:], executables: [String] = []) throws -> String {
        try write("\(folder)/plugin.yaml", manifest)
        for (file, text) in files { try write("\(folder)/\(file)", text) }
        for file in executables { try write("\(folder)/\(file)", "#!/bin/sh\necho '{\"ok\": true}'\n", executable: true) }
        return path(folder)
    }

    /// A minimal plugin named `name` with `version`, in `folder`.
    @discardableResult
    func writeSimplePlugin(_ folder: String, name: String, version: String = "1.0.0") throws -> String {
        try writePlugin(folder, "name: \(name)\nversion: \(version)\n")
    }

    /// `file:line:col` with the folder's root left out: `arith/plugin.yaml:3:5`.
    func place(_ location: SourceLocation?) -> String {
        guard let location else { return "-" }
        let file = location.file.hasPrefix(root + "/") ? String(location.file.dropFirst(root.count + 1)) : location.file
        return "\(file):\(location.line):\(location.column)"
    }

    /// Each diagnostic as `place: severity: message [id]`, for readable comparisons.
    func summary(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { "\(place($0.location)): \($0.severity.rawValue): \($0.message) [\($0.id)]" }
    }
}

/// The environment of a test: only `FSLM_PLUGIN_PATH`, when given.
func environment(pluginPath: [String] = []) -> [String: String] {
    pluginPath.isEmpty ? [:] : [PluginSearchPath.environmentVariable: pluginPath.joined(separator: ":")]
}
