import Foundation

/// One diagnostic as `fslm validate --format json` prints it.
struct ReportedDiagnostic: Decodable, CustomStringConvertible {
    struct Note: Decodable {
        var message: String
        /// The file the note points into, when it has a place of its own.
        var file: String?
        var line: Int?
        var column: Int?
    }

    var severity: String
    var id: String
    var message: String
    var file: String?
    var line: Int?
    var column: Int?
    var notes: [Note]

    /// `line:col: severity: message [id]`, then one indented line per note.
    var description: String {
        var text = "\(place(line, column)): \(severity): \(message) [\(id)]"
        for note in notes { text += "\n    \(place(note.line ?? line, note.column ?? column)): note: \(note.message)" }
        return text
    }

    private func place(_ line: Int?, _ column: Int?) -> String {
        "\(line.map(String.init) ?? "-"):\(column.map(String.init) ?? "-")"
    }

    /// Decodes the JSON array `validate --format json` writes to stdout.
    static func decodeList(_ json: String) throws -> [ReportedDiagnostic] {
        try JSONDecoder().decode([ReportedDiagnostic].self, from: Data(json.utf8))
    }
}

/// A line of a `.diagnostics` file: `LINE:COL: SEVERITY: MESSAGE-FRAGMENT`.
struct ExpectedLine: Equatable, CustomStringConvertible {
    var line: Int
    var column: Int
    var severity: String
    var fragment: String

    var description: String { "\(line):\(column): \(severity): \(fragment)" }

    /// Parses one line; nil when it does not have the form above.
    init?(_ text: Substring) {
        let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, let line = Int(parts[0]), let column = Int(parts[1]),
            parts[2].hasPrefix(" "), parts[3].hasPrefix(" ")
        else { return nil }
        let severity = String(parts[2].dropFirst()), fragment = String(parts[3].dropFirst())
        guard ["error", "warning", "note"].contains(severity), !fragment.isEmpty else { return nil }
        self.line = line
        self.column = column
        self.severity = severity
        self.fragment = fragment
    }

    /// True when `diagnostic` is at this line's place, with its severity and the fragment in its message.
    func matches(_ diagnostic: ReportedDiagnostic) -> Bool {
        diagnostic.line == line && diagnostic.column == column && diagnostic.severity == severity
            && diagnostic.message.contains(fragment)
    }

    /// True when `note` of `diagnostic` is at this line's place (a note without a place of its
    /// own is at its diagnostic's) and holds the fragment.
    func matches(_ note: ReportedDiagnostic.Note, of diagnostic: ReportedDiagnostic) -> Bool {
        (note.line ?? diagnostic.line) == line && (note.column ?? diagnostic.column) == column
            && note.message.contains(fragment)
    }
}

/// A diagnostic a fixture expects, with the notes expected on it: in a `.diagnostics` file,
/// `note` lines belong to the error or warning line above them.
struct ExpectedDiagnostic: CustomStringConvertible {
    var main: ExpectedLine
    var notes: [ExpectedLine] = []

    var description: String { ([main] + notes).map(\.description).joined(separator: "\n") }

    /// Every expectation of a `.diagnostics` file; lines starting with `#` and blank lines are skipped.
    static func parseFile(_ text: String) throws -> [ExpectedDiagnostic] {
        var expected: [ExpectedDiagnostic] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if raw.trimmingCharacters(in: .whitespaces).isEmpty || raw.hasPrefix("#") { continue }
            guard let line = ExpectedLine(raw) else { throw ParseError(line: index + 1, text: String(raw)) }
            if line.severity != "note" {
                expected.append(ExpectedDiagnostic(main: line))
            } else if !expected.isEmpty {
                expected[expected.count - 1].notes.append(line)
            } else {
                throw ParseError(line: index + 1, text: String(raw))
            }
        }
        return expected
    }

    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var text: String
        var description: String {
            "line \(line) is not 'LINE:COL: error|warning|note: MESSAGE' (a note needs a diagnostic above it): \(text)"
        }
    }

    /// True when `diagnostic` matches the main line and each expected note matches a distinct note.
    func matches(_ diagnostic: ReportedDiagnostic) -> Bool {
        guard main.matches(diagnostic) else { return false }
        var unused = diagnostic.notes
        for note in notes {
            guard let index = unused.firstIndex(where: { note.matches($0, of: diagnostic) }) else { return false }
            unused.remove(at: index)
        }
        return true
    }

    /// Pairs each expectation with a distinct diagnostic, in order; returns the expectations
    /// left without one and the diagnostics no expectation took.
    static func match(_ expected: [ExpectedDiagnostic], _ actual: [ReportedDiagnostic])
        -> (missing: [ExpectedDiagnostic], unexpected: [ReportedDiagnostic])
    {
        var remaining = actual
        var missing: [ExpectedDiagnostic] = []
        for expectation in expected {
            if let index = remaining.firstIndex(where: expectation.matches) {
                remaining.remove(at: index)
            } else {
                missing.append(expectation)
            }
        }
        return (missing, remaining)
    }
}
