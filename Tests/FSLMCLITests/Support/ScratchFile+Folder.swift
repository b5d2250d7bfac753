import FSLMTestSupport
import Foundation
import Testing

/// The scratch folder as a place to write plugins and workflows and to run `fslm` in.
extension ScratchFile {
    /// Writes `text` to `relative` inside the scratch folder, creating folders on the way; a file
    /// already there keeps its permissions.
    func write(_ text: String, to relative: String, executable: Bool = false) throws {
        let url = folder.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: false, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
    }

    /// The text of `relative` inside the scratch folder.
    func text(at relative: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)
    }

    /// Replaces the first `old` in the file `relative` (it must be there) with `new`.
    func edit(_ relative: String, replacing old: String, with new: String) throws {
        let text = try text(at: relative)
        let range = try #require(text.range(of: old), "'\(old)' is not in \(relative):\n\(text)")
        try write(text.replacingCharacters(in: range, with: new), to: relative)
    }

    /// Copies the folder `relative` to `copy`, both inside the scratch folder.
    func copy(_ relative: String, to copy: String) throws {
        try FileManager.default.copyItem(at: folder.appendingPathComponent(relative), to: folder.appendingPathComponent(copy))
    }

    /// Runs `fslm arguments...` in the scratch folder; `$FSLM_PLUGIN_PATH` is empty unless
    /// `environment` sets it, so plugins of the machine running the tests stay out.
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLI.Outcome {
        try CLI.run(arguments, in: folder, environment: ["FSLM_PLUGIN_PATH": ""].merging(environment) { $1 })
    }
}

/// `LINE:COL` (1-based) of the first `needle` in `text`, as diagnostics print places.
func place(of needle: String, in text: String) throws -> String {
    let range = try #require(text.range(of: needle), "'\(needle)' is not in:\n\(text)")
    let before = text[..<range.lowerBound]
    let line = before.count(where: { $0 == "\n" }) + 1
    let column = before.distance(from: before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex, to: before.endIndex) + 1
    return "\(line):\(column)"
}
