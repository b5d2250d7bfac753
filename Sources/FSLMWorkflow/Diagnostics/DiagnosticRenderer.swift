import Foundation

/// Prints diagnostics as a compiler does (`file:line:col: error: message [id]`, the source
/// line, a caret, then notes), or as one JSON array.
public struct DiagnosticRenderer: Sendable {
    public var sources: SourceFiles

    public init(sources: SourceFiles) { self.sources = sources }

    /// All diagnostics in compiler style, each ending with a newline.
    public func renderText(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(renderText).joined()
    }

    /// One diagnostic in compiler style.
    public func renderText(_ d: Diagnostic) -> String {
        var out = header(d.location, d.severity.rawValue, d.message + " [\(d.id)]")
        out += quote(d.location)
        if let fix = d.fixIt { out += "  fix-it: replace with '\(fix.replacement)'\n" }
        for note in d.notes {
            // A note without its own place is about the diagnostic's place.
            out += header(note.location ?? d.location, "note", note.message)
            if let location = note.location, location != d.location { out += quote(location) }
        }
        return out
    }

    private func header(_ location: SourceLocation?, _ kind: String, _ message: String) -> String {
        if let location { return "\(location): \(kind): \(message)\n" }
        return "\(kind): \(message)\n"
    }

    private func quote(_ location: SourceLocation?) -> String {
        guard let location, let line = sources[location.file]?.line(location.line) else { return "" }
        // Keep tabs so the caret lines up under the same terminal columns.
        let prefix = line.unicodeScalars.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " }
        return "  \(line)\n  \(prefix.joined())^\n"
    }

    /// The diagnostics as a pretty-printed JSON array of
    /// `{severity, id, message, file, line, column, notes: [{message, file, line, column}], fix}`.
    public func renderJSON(_ diagnostics: [Diagnostic]) -> String {
        let objects: [[String: Any]] = diagnostics.map { d in
            var o: [String: Any] = ["severity": d.severity.rawValue, "id": d.id.rawValue, "message": d.message]
            Self.addLocation(d.location, to: &o)
            o["notes"] = d.notes.map { note -> [String: Any] in
                var n: [String: Any] = ["message": note.message]
                Self.addLocation(note.location, to: &n)
                return n
            }
            if let fix = d.fixIt { o["fix"] = fix.replacement }
            return o
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func addLocation(_ location: SourceLocation?, to object: inout [String: Any]) {
        guard let location else { return }
        object["file"] = location.file
        object["line"] = location.line
        object["column"] = location.column
    }
}
