import Foundation

/// Path helpers that keep paths as the user named them (relative stays relative), so
/// messages and diagnostics show the paths people typed.
enum FilePaths {
    /// `relative` inside `base`; an absolute `relative` is returned as it is.
    static func join(_ base: String, _ relative: String) -> String {
        if relative.hasPrefix("/") || base.isEmpty { return relative }
        return base.hasSuffix("/") ? base + relative : base + "/" + relative
    }

    /// What is at a path.
    enum Entry { case missing, file, directory }

    static func entry(at path: String) -> Entry {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        return isDirectory.boolValue ? .directory : .file
    }

    /// A path as an absolute, standardized file URL (relative paths against the working directory).
    static func url(_ path: String) -> URL {
        URL(fileURLWithPath: path).standardizedFileURL
    }
}
